// RAII wrappers for SQLite: every handle is closed, every statement finalized, every transaction ended.
#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

#include <limits>
#include <mutex>
#include <utility>

namespace myaccount::sqlite {

namespace {

StoreError::Kind kind_of(int rc) {
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return StoreError::Kind::conflict;
    // Every foreign key here points at a parent row the statement assumes exists.
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return StoreError::Kind::not_found;
    default:
        break;
    }
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return StoreError::Kind::busy;
    case SQLITE_CONSTRAINT:
        return StoreError::Kind::invalid;
    default:
        return StoreError::Kind::io;
    }
}

int checked_length(std::string_view bytes, sqlite3* db) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        throw_error(db, SQLITE_TOOBIG, "bind");
    }
    return static_cast<int>(bytes.size());
}

}  // namespace

void throw_error(sqlite3* db, int rc, const std::string& context) {
    // sqlite3_errmsg names the failing constraint or file problem; it never echoes bound values.
    const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw StoreError(kind_of(rc), context + ": " + detail);
}

// --- Statement

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
    const char* tail = nullptr;
    // PERSISTENT: these statements live as long as the connection, so SQLite allocates them accordingly.
    int rc = sqlite3_prepare_v3(db_, sql.data(), checked_length(sql, db_), SQLITE_PREPARE_PERSISTENT,
                                &stmt_, &tail);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        throw_error(db_, rc, "prepare \"" + sql_ + "\"");
    }
    if (stmt_ == nullptr) {
        throw StoreError(StoreError::Kind::invalid, "prepare: empty SQL");
    }
    // A second statement in the text would be silently ignored by SQLite: refuse it instead.
    for (; tail != nullptr && tail < sql.data() + sql.size(); ++tail) {
        if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != ';') {
            sqlite3_finalize(stmt_);
            throw StoreError(StoreError::Kind::invalid, "prepare: more than one statement in \"" + sql_ + "\"");
        }
    }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) throw_error(db_, rc, "bind \"" + sql_ + "\"");
}

void Statement::bind(int index, std::string_view text) {
    int rc = sqlite3_bind_text(stmt_, index, text.data(), checked_length(text, db_), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throw_error(db_, rc, "bind \"" + sql_ + "\"");
}

void Statement::bind(int index, Blob blob) {
    // A zero-length blob from an empty string_view may have a null data pointer: bind zeroblob(0)
    // so the value is an empty BLOB, not NULL.
    int rc = blob.bytes.empty()
                 ? sqlite3_bind_zeroblob(stmt_, index, 0)
                 : sqlite3_bind_blob(stmt_, index, blob.bytes.data(), checked_length(blob.bytes, db_),
                                     SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throw_error(db_, rc, "bind \"" + sql_ + "\"");
}

void Statement::bind(int index, std::nullptr_t) {
    int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) throw_error(db_, rc, "bind \"" + sql_ + "\"");
}

void Statement::bind(int index, const std::optional<std::int64_t>& value) {
    if (value) {
        bind(index, *value);
    } else {
        bind(index, nullptr);
    }
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_error(db_, rc, "step \"" + sql_ + "\"");
}

void Statement::run() {
    while (step()) {
    }
}

std::int64_t Statement::column_int64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::column_text(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    // Length after the text call: it reports the size of the converted value.
    int size = sqlite3_column_bytes(stmt_, index);
    return text != nullptr ? std::string(text, static_cast<std::size_t>(size)) : std::string();
}

std::string Statement::column_blob(int index) const {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
    int size = sqlite3_column_bytes(stmt_, index);
    return bytes != nullptr ? std::string(bytes, static_cast<std::size_t>(size)) : std::string();
}

bool Statement::column_is_null(int index) const {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

void Statement::reset() noexcept {
    // sqlite3_reset repeats the last step's error, which was already reported: ignore it.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

// --- CachedStatement

CachedStatement::CachedStatement(Statement& statement) : statement_(statement) {
    // Re-entering the same cached statement (e.g. from a helper while iterating it) would reset
    // the outer loop's cursor: fail loudly instead.
    if (statement_.in_use_) {
        throw StoreError(StoreError::Kind::invalid, "statement already in use: \"" + statement_.sql_ + "\"");
    }
    statement_.in_use_ = true;
}

CachedStatement::~CachedStatement() {
    statement_.reset();
    statement_.in_use_ = false;
}

// --- Database

namespace {
// Before the first connection of the process: no global memory statistics, whose mutex every
// SQLite allocation would otherwise take (httpd's worker threads all wait on it). Fails harmlessly
// when something in the process started SQLite first.
void configure_library_once() {
    static std::once_flag once;
    std::call_once(once, [] { static_cast<void>(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0)); });
}
}  // namespace

Database::Database(const std::string& path, Mode mode) : path_(path) {
    configure_library_once();
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::read_only: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::read_write_create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        // Even a failed open may allocate a handle, which carries the error message.
        std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        close();
        throw StoreError(StoreError::Kind::io, "cannot open database " + path + ": " + detail);
    }
    try {
        configure(mode);
    } catch (const StoreError& error) {
        close();
        // SQLite reads the file lazily, so "not a database" surfaces here, at the first pragma.
        throw StoreError(error.kind(), "cannot use database " + path + ": " + error.what());
    } catch (...) {
        close();
        throw;
    }
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      statements_(std::move(other.statements_)) {}

Database::~Database() { close(); }

void Database::close() noexcept {
    statements_.clear();  // finalize before closing, or sqlite3_close would refuse
    sqlite3_close_v2(db_);
    db_ = nullptr;
}

void Database::configure(Mode mode) {
    sqlite3_extended_result_codes(db_, 1);  // tells a UNIQUE violation from other constraints
    // Defensive: no writable_schema or other ways to corrupt the file through SQL.
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_busy_timeout(db_, 5000);
    // trusted_schema=OFF: functions and virtual tables named in the schema cannot run with our rights.
    exec_script("PRAGMA trusted_schema = OFF; PRAGMA foreign_keys = ON;", "configure");
    if (mode == Mode::read_only) {
        // Touch the file so a non-database fails here rather than at some later query.
        exec_script("PRAGMA schema_version;", "configure");
        return;
    }
    // WAL: readers never block the writer, so many httpd children can share the file.
    // synchronous=NORMAL is durable across application crashes and safe with WAL.
    exec_script("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", "configure");
}

CachedStatement Database::prepare(std::string_view sql) {
    std::string key(sql);
    auto found = statements_.find(key);
    if (found == statements_.end()) {
        auto statement = std::make_unique<Statement>(db_, sql);
        found = statements_.emplace(std::move(key), std::move(statement)).first;
    }
    return CachedStatement(*found->second);
}

void Database::exec_script(const char* sql, const std::string& context) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw StoreError(kind_of(rc), context + ": " + detail);
    }
}

std::int64_t Database::changes() const noexcept { return sqlite3_changes(db_); }

std::int64_t Database::last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }

int Database::user_version() {
    auto statement = prepare("PRAGMA user_version");
    statement->step();
    return static_cast<int>(statement->column_int64(0));
}

// --- Transaction

Transaction::Transaction(Database& db, Kind kind) : db_(db) {
    db_.prepare(kind == Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")->run();
}

Transaction::~Transaction() {
    // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) already rolled the transaction back;
    // autocommit mode tells us whether one is still open.
    if (open_ && sqlite3_get_autocommit(db_.handle()) == 0) {
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    // If COMMIT fails (e.g. busy) the transaction stays open and the destructor rolls it back.
    db_.prepare("COMMIT")->run();
    open_ = false;
}

}  // namespace myaccount::sqlite
