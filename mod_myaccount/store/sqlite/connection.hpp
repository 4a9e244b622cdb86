// RAII wrappers for SQLite: a connection, prepared statements (cached per connection), transactions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace myaccount::sqlite {

// Throws StoreError for the SQLite result code `rc`: busy/locked -> busy, unique -> conflict,
// foreign key -> not_found, other constraints -> invalid, everything else -> io.
[[noreturn]] void throw_error(sqlite3* db, int rc, const std::string& context);

// Marks a value to bind as a BLOB rather than TEXT (token hashes, photo bytes).
struct Blob {
    std::string_view bytes;
};

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQL (?1, ?2, ...). Values are copied, so temporaries are fine.
    void bind(int index, std::int64_t value);
    void bind(int index, std::string_view text);
    void bind(int index, Blob blob);
    void bind(int index, std::nullptr_t);
    void bind(int index, const std::optional<std::int64_t>& value);
    // Binds ?1, ?2, ... in order.
    template <typename... Values>
    void bind_all(const Values&... values) {
        int index = 0;
        (bind(++index, values), ...);
    }

    // True when a row is ready, false when done; throws StoreError on failure.
    bool step();
    // For statements that return no rows (or whose rows do not matter).
    void run();

    // Columns are 0-based, as in sqlite3_column_*. NULL reads as 0 or "".
    std::int64_t column_int64(int index) const;
    std::string column_text(int index) const;
    std::string column_blob(int index) const;
    bool column_is_null(int index) const;

    // Rewinds and clears bindings; never throws, so it is safe in destructors.
    void reset() noexcept;

private:
    friend class CachedStatement;
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;       // for error messages: which statement failed
    bool in_use_ = false;   // a cached statement is lent to one user at a time
};

// A statement borrowed from the connection's cache; resets it on scope exit so it holds no read
// snapshot (which would stop WAL checkpoints) and keeps no bound values alive.
class CachedStatement {
public:
    explicit CachedStatement(Statement& statement);
    ~CachedStatement();
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;

    Statement* operator->() const noexcept { return &statement_; }
    Statement& operator*() const noexcept { return statement_; }

private:
    Statement& statement_;
};

class Database {
public:
    enum class Mode { read_only, read_write, read_write_create };

    // Opens and configures the connection (WAL, busy timeout, foreign keys, defensive mode).
    // One connection per thread: it is opened with SQLITE_OPEN_NOMUTEX.
    Database(const std::string& path, Mode mode);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&&) = delete;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    sqlite3* handle() const noexcept { return db_; }
    const std::string& path() const noexcept { return path_; }

    // The statement for this SQL text, prepared on first use and kept for the connection's life.
    CachedStatement prepare(std::string_view sql);
    // Runs constant SQL that may hold several statements (migrations); never pass values in it.
    void exec_script(const char* sql, const std::string& context);

    std::int64_t changes() const noexcept;
    std::int64_t last_insert_rowid() const noexcept;
    int user_version();

private:
    void configure(Mode mode);
    void close() noexcept;

    sqlite3* db_ = nullptr;
    std::string path_;
    std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

// BEGIN IMMEDIATE (writers) or BEGIN DEFERRED (consistent multi-statement reads); rolls back on
// scope exit unless commit() succeeded.
class Transaction {
public:
    enum class Kind { immediate, deferred };

    explicit Transaction(Database& db, Kind kind = Kind::immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& db_;
    bool open_ = true;
};

}  // namespace myaccount::sqlite
