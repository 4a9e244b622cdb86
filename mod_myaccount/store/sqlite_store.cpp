// The Store on one SQLite file: opening, schema migrations and every query the core needs.
#include "store/sqlite_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "store/schema_migrations.hpp"

namespace myaccount {

using sqlite::Blob;
using sqlite::Database;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

// --- row mapping: the column lists and their readers must stay in the same order

// 13 columns, read by read_account.
#define MYA_ACCOUNT_COLUMNS(a)                                                                       \
    a "id, " a "username, " a "display_name, " a "job_title, " a "office, " a "password_hash, " a \
      "disabled, " a "failed_attempts, " a "locked_until, " a "security_stamp, " a "profile_version, " a \
      "created_at, " a "updated_at"
// 12 columns, read by read_session.
#define MYA_SESSION_COLUMNS(s)                                                                       \
    s "id, " s "token_hash, " s "account_id, " s "security_stamp, " s "created_at, " s              \
      "last_seen_at, " s "expires_at, " s "ended_at, " s "end_reason, " s "client_ip, " s           \
      "user_agent, " s "data"
constexpr int account_column_count = 13;
constexpr int session_column_count = 12;
// One more column: the account's e-mail addresses in order, joined by a unit separator (0x1F,
// a control character no address may hold), so an account and its addresses come from one
// statement: one snapshot, and no second query on the path every signed-in request takes.
#define MYA_ACCOUNT_EMAILS(a)                                                                        \
    "(SELECT group_concat(address, char(31)) FROM (SELECT address FROM account_emails"               \
    " WHERE account_id = " a "id ORDER BY position))"

std::vector<std::string> read_emails(const Statement& row, int column) {
    std::vector<std::string> emails;
    if (row.column_is_null(column)) return emails;
    std::string joined = row.column_text(column);
    for (std::size_t start = 0;;) {
        std::size_t end = joined.find('\x1f', start);
        emails.push_back(joined.substr(start, end - start));
        if (end == std::string::npos) return emails;
        start = end + 1;
    }
}

Account read_account(const Statement& row, int first) {
    Account account;
    int c = first;
    account.id = row.column_int64(c++);
    account.username = row.column_text(c++);
    account.display_name = row.column_text(c++);
    account.job_title = row.column_text(c++);
    account.office = row.column_text(c++);
    account.password_hash = row.column_text(c++);
    account.disabled = row.column_int64(c++) != 0;
    account.failed_attempts = row.column_int64(c++);
    account.locked_until = row.column_int64(c++);
    account.security_stamp = row.column_int64(c++);
    account.profile_version = row.column_int64(c++);
    account.created_at = row.column_int64(c++);
    account.updated_at = row.column_int64(c++);
    return account;
}

Session read_session(const Statement& row, int first) {
    Session session;
    int c = first;
    session.id = row.column_int64(c++);
    session.token_hash = row.column_blob(c++);
    session.account_id = row.column_int64(c++);
    session.security_stamp = row.column_int64(c++);
    session.created_at = row.column_int64(c++);
    session.last_seen_at = row.column_int64(c++);
    session.expires_at = row.column_int64(c++);
    session.ended_at = row.column_int64(c++);
    session.end_reason = row.column_text(c++);
    session.client_ip = row.column_text(c++);
    session.user_agent = row.column_text(c++);
    session.data = row.column_text(c++);
    return session;
}

Organization read_organization(const Statement& row, int first) {
    Organization org;
    org.id = row.column_int64(first);
    org.name = row.column_text(first + 1);
    org.domain = row.column_text(first + 2);
    return org;
}

// Enums are stored as their to_string text; reading one back that we never wrote means the
// file was edited by hand or by a newer build.
template <typename Enum>
Enum enum_from(const std::string& text, std::initializer_list<Enum> values, const char* what) {
    for (Enum value : values) {
        if (text == to_string(value)) return value;
    }
    throw StoreError(StoreError::Kind::io, std::string("unknown ") + what + " in database: " + text);
}

SignInResult sign_in_result_from(const std::string& text) {
    return enum_from(text,
                     {SignInResult::success, SignInResult::bad_password, SignInResult::unknown_user,
                      SignInResult::disabled, SignInResult::locked, SignInResult::error},
                     "sign-in result");
}

SignInMethod sign_in_method_from(const std::string& text) {
    return enum_from(text, {SignInMethod::form, SignInMethod::basic, SignInMethod::password_change, SignInMethod::other},
                     "sign-in method");
}

// Binds an optional text field as NULL when unset, so "coalesce(?, column)" keeps the old value.
void bind_optional_text(Statement& statement, int index, const std::optional<std::string>& value) {
    if (value) {
        statement.bind(index, std::string_view(*value));
    } else {
        statement.bind(index, nullptr);
    }
}

// --- opening and migrating

const schema::Migration* find_migration(int version) {
    for (std::size_t i = 0; i < schema::migration_count; ++i) {
        if (schema::migrations[i].version == version) return &schema::migrations[i];
    }
    return nullptr;
}

[[noreturn]] void throw_newer(const std::string& path, int version) {
    throw StoreError(StoreError::Kind::schema,
                     "database " + path + " has schema version " + std::to_string(version) +
                         ", newer than this build supports (" + std::to_string(supported_schema_version()) +
                         "); upgrade mod_myaccount");
}

// SQLite would create a new database with the umask's permissions (often world-readable);
// an account database holds password hashes, so create it owner-only first.
void create_private_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        ::close(fd);
        return;
    }
    if (errno == EEXIST) return;
    throw StoreError(StoreError::Kind::io, "cannot create database " + path + ": " + std::strerror(errno));
}

// Applies the migration after the current version; false when there is none left. Reading the
// version inside BEGIN IMMEDIATE makes two concurrent migrators take turns instead of colliding.
bool apply_next_migration(Database& db) {
    Transaction transaction(db);
    int current = db.user_version();
    if (current > supported_schema_version()) throw_newer(db.path(), current);
    if (current == supported_schema_version()) return false;
    const schema::Migration* migration = find_migration(current + 1);
    if (migration == nullptr) {
        throw StoreError(StoreError::Kind::schema, "no migration to schema version " + std::to_string(current + 1));
    }
    db.exec_script(migration->sql, "migration " + std::to_string(migration->version) + " (" + migration->name + ")");
    // PRAGMA takes no bound parameters; the number is our own compile-time migration version.
    std::string set_version = "PRAGMA user_version = " + std::to_string(migration->version);
    db.exec_script(set_version.c_str(), "set schema version");
    transaction.commit();
    return true;
}

}  // namespace

int supported_schema_version() {
    return schema::migration_count == 0 ? 0 : schema::migrations[schema::migration_count - 1].version;
}

int read_schema_version(const std::string& path) {
    Database db(path, Database::Mode::read_only);
    return db.user_version();
}

std::pair<int, int> migrate_sqlite_database(const std::string& path) {
    create_private_file(path);
    Database db(path, Database::Mode::read_write);
    int from = db.user_version();
    if (from > supported_schema_version()) throw_newer(path, from);
    while (apply_next_migration(db)) {
    }
    return {from, db.user_version()};
}

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
    Database db(path, Database::Mode::read_write);
    int version = db.user_version();
    if (version > supported_schema_version()) throw_newer(path, version);
    if (version < supported_schema_version()) {
        throw StoreError(StoreError::Kind::schema,
                         "database " + path + " has schema version " + std::to_string(version) +
                             ", this build needs " + std::to_string(supported_schema_version()) +
                             "; run: myaccountctl --db " + path + " init");
    }
    return std::make_unique<SqliteStore>(std::move(db));
}

// --- SqliteStore

SqliteStore::SqliteStore(Database db) : db_(std::move(db)) {}

int SqliteStore::schema_version() { return db_.user_version(); }

// --- accounts

std::vector<std::string> SqliteStore::emails_of(AccountId id) {
    auto statement = db_.prepare("SELECT address FROM account_emails WHERE account_id = ?1 ORDER BY position");
    statement->bind_all(id);
    std::vector<std::string> emails;
    while (statement->step()) emails.push_back(statement->column_text(0));
    return emails;
}

void SqliteStore::replace_emails(AccountId id, const std::vector<std::string>& emails) {
    auto remove = db_.prepare("DELETE FROM account_emails WHERE account_id = ?1");
    remove->bind_all(id);
    remove->run();
    auto insert = db_.prepare("INSERT INTO account_emails (account_id, position, address) VALUES (?1, ?2, ?3)");
    std::int64_t position = 0;
    for (const std::string& address : emails) {
        insert->bind_all(id, position++, address);
        insert->run();
        insert->reset();
    }
}

// For UPDATEs by id: no row changed means there is no such account.
void SqliteStore::expect_account_changed(AccountId id) {
    if (db_.changes() == 0) {
        throw StoreError(StoreError::Kind::not_found, "no account with id " + std::to_string(id));
    }
}

namespace {
// The account (with its e-mails) in the statement's first row, if it has one.
std::optional<Account> first_account(Statement& statement) {
    if (!statement.step()) return std::nullopt;
    Account account = read_account(statement, 0);
    account.emails = read_emails(statement, account_column_count);
    return account;
}
}  // namespace

std::optional<Account> SqliteStore::find_account(const std::string& username) {
    // username is COLLATE NOCASE in the schema, so "=" ignores ASCII case and uses the index.
    auto statement = db_.prepare("SELECT " MYA_ACCOUNT_COLUMNS("a.") ", " MYA_ACCOUNT_EMAILS("a.")
                                 " FROM accounts a WHERE a.username = ?1");
    statement->bind_all(username);
    return first_account(*statement);
}

std::optional<Account> SqliteStore::find_account_by_id(AccountId id) {
    auto statement = db_.prepare("SELECT " MYA_ACCOUNT_COLUMNS("a.") ", " MYA_ACCOUNT_EMAILS("a.")
                                 " FROM accounts a WHERE a.id = ?1");
    statement->bind_all(id);
    return first_account(*statement);
}

std::vector<Account> SqliteStore::list_accounts() {
    Transaction snapshot(db_, Transaction::Kind::deferred);
    std::vector<Account> accounts;
    std::unordered_map<AccountId, std::size_t> index_of;
    {
        auto statement = db_.prepare("SELECT " MYA_ACCOUNT_COLUMNS("") " FROM accounts ORDER BY username");
        while (statement->step()) {
            accounts.push_back(read_account(*statement, 0));
            index_of.emplace(accounts.back().id, accounts.size() - 1);
        }
    }
    // One pass over all addresses instead of one query per account.
    auto emails = db_.prepare("SELECT account_id, address FROM account_emails ORDER BY account_id, position");
    while (emails->step()) {
        auto found = index_of.find(emails->column_int64(0));
        if (found != index_of.end()) accounts[found->second].emails.push_back(emails->column_text(1));
    }
    snapshot.commit();
    return accounts;
}

// The account row and its addresses; the caller's transaction makes the pair (and a batch) atomic.
AccountId SqliteStore::insert_account(const NewAccount& account, UnixTime now) {
    const ProfileFields& profile = account.profile;
    auto insert = db_.prepare(
        "INSERT INTO accounts (username, display_name, job_title, office, password_hash, created_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
    insert->bind_all(account.username, profile.display_name.value_or(""), profile.job_title.value_or(""),
                     profile.office.value_or(""), account.password_hash, now);
    try {
        insert->run();
    } catch (const StoreError& error) {
        if (error.kind() != StoreError::Kind::conflict) throw;
        throw StoreError(StoreError::Kind::conflict, "username already taken: " + account.username);
    }
    AccountId id = db_.last_insert_rowid();
    if (profile.emails) replace_emails(id, *profile.emails);
    return id;
}

AccountId SqliteStore::create_account(const NewAccount& account, UnixTime now) {
    Transaction transaction(db_);
    AccountId id = insert_account(account, now);
    transaction.commit();
    return id;
}

std::vector<AccountId> SqliteStore::create_accounts(const std::vector<NewAccount>& accounts, UnixTime now) {
    std::vector<AccountId> ids;
    if (accounts.empty()) return ids;  // no need to take the write lock
    ids.reserve(accounts.size());
    Transaction transaction(db_);
    for (const NewAccount& account : accounts) ids.push_back(insert_account(account, now));
    transaction.commit();
    return ids;
}

void SqliteStore::update_profile(AccountId id, const ProfileFields& fields, UnixTime now) {
    Transaction transaction(db_);
    {
        // Unset fields bind NULL, and coalesce keeps the stored value.
        auto update = db_.prepare(
            "UPDATE accounts SET display_name = coalesce(?2, display_name), job_title = coalesce(?3, job_title),"
            " office = coalesce(?4, office), updated_at = ?5, profile_version = profile_version + 1 WHERE id = ?1");
        update->bind(1, id);
        bind_optional_text(*update, 2, fields.display_name);
        bind_optional_text(*update, 3, fields.job_title);
        bind_optional_text(*update, 4, fields.office);
        update->bind(5, now);
        update->run();
        expect_account_changed(id);
    }
    if (fields.emails) replace_emails(id, *fields.emails);
    transaction.commit();
}

void SqliteStore::set_password_hash(AccountId id, const std::string& hash, bool end_sessions, UnixTime now) {
    Transaction transaction(db_);
    auto select = db_.prepare("SELECT password_hash FROM accounts WHERE id = ?1");
    select->bind_all(id);
    const std::string previous = select->step() ? select->column_text(0) : std::string();
    auto update = db_.prepare(
        "UPDATE accounts SET password_hash = ?2, security_stamp = security_stamp + ?3, updated_at = ?4"
        " WHERE id = ?1");
    update->bind_all(id, hash, std::int64_t{end_sessions ? 1 : 0}, now);
    update->run();
    expect_account_changed(id);
    if (!previous.empty() && previous != hash) {
        auto remember = db_.prepare("INSERT INTO password_history (account_id, hash, replaced_at) VALUES (?1, ?2, ?3)");
        remember->bind_all(id, previous, now);
        remember->run();
        // Bounded per account; rowid orders rows replaced within the same second.
        auto prune = db_.prepare(
            "DELETE FROM password_history WHERE account_id = ?1 AND rowid NOT IN"
            " (SELECT rowid FROM password_history WHERE account_id = ?1"
            "  ORDER BY replaced_at DESC, rowid DESC LIMIT ?2)");
        prune->bind_all(id, std::int64_t{password_history_kept});
        prune->run();
    }
    transaction.commit();
}

std::vector<std::string> SqliteStore::previous_password_hashes(AccountId id, int limit) {
    std::vector<std::string> hashes;
    if (limit <= 0) return hashes;  // SQLite reads a negative LIMIT as "no limit"
    auto statement = db_.prepare(
        "SELECT hash FROM password_history WHERE account_id = ?1 ORDER BY replaced_at DESC, rowid DESC LIMIT ?2");
    statement->bind_all(id, std::int64_t{limit});
    while (statement->step()) hashes.push_back(statement->column_text(0));
    return hashes;
}

void SqliteStore::set_disabled(AccountId id, bool disabled, UnixTime now) {
    Transaction transaction(db_);
    // Disabling bumps the stamp so live sessions end; re-enabling must not revive them.
    auto update = db_.prepare(
        "UPDATE accounts SET disabled = ?2, security_stamp = security_stamp + ?2, updated_at = ?3 WHERE id = ?1");
    update->bind_all(id, std::int64_t{disabled ? 1 : 0}, now);
    update->run();
    expect_account_changed(id);
    transaction.commit();
}

void SqliteStore::unlock(AccountId id, UnixTime now) {
    Transaction transaction(db_);
    auto update = db_.prepare(
        "UPDATE accounts SET failed_attempts = 0, locked_until = 0, updated_at = ?2 WHERE id = ?1");
    update->bind_all(id, now);
    update->run();
    expect_account_changed(id);
    transaction.commit();
}

// --- photos

std::optional<Photo> SqliteStore::find_photo(AccountId id) {
    auto statement = db_.prepare("SELECT content_type, bytes, updated_at FROM account_photos WHERE account_id = ?1");
    statement->bind_all(id);
    if (!statement->step()) return std::nullopt;
    Photo photo;
    photo.content_type = statement->column_text(0);
    photo.bytes = statement->column_blob(1);
    photo.updated_at = statement->column_int64(2);
    return photo;
}

void SqliteStore::set_photo(AccountId id, const Photo& photo) {
    Transaction transaction(db_);
    auto upsert = db_.prepare(
        "INSERT INTO account_photos (account_id, content_type, bytes, updated_at) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (account_id) DO UPDATE SET content_type = excluded.content_type,"
        " bytes = excluded.bytes, updated_at = excluded.updated_at");
    upsert->bind_all(id, photo.content_type, Blob{photo.bytes}, photo.updated_at);
    upsert->run();
    transaction.commit();
}

void SqliteStore::remove_photo(AccountId id) {
    Transaction transaction(db_);
    auto remove = db_.prepare("DELETE FROM account_photos WHERE account_id = ?1");
    remove->bind_all(id);
    remove->run();
    transaction.commit();
}

// --- organizations

std::int64_t SqliteStore::create_organization(const Organization& org) {
    Transaction transaction(db_);
    auto insert = db_.prepare("INSERT INTO organizations (name, domain) VALUES (?1, ?2)");
    insert->bind_all(org.name, org.domain);
    try {
        insert->run();
    } catch (const StoreError& error) {
        if (error.kind() != StoreError::Kind::conflict) throw;
        throw StoreError(StoreError::Kind::conflict, "organization name already taken: " + org.name);
    }
    std::int64_t id = db_.last_insert_rowid();
    transaction.commit();
    return id;
}

std::optional<Organization> SqliteStore::find_organization(const std::string& name) {
    auto statement = db_.prepare("SELECT id, name, domain FROM organizations WHERE name = ?1");
    statement->bind_all(name);
    if (!statement->step()) return std::nullopt;
    return read_organization(*statement, 0);
}

std::vector<Organization> SqliteStore::list_organizations() {
    auto statement = db_.prepare("SELECT id, name, domain FROM organizations ORDER BY name");
    std::vector<Organization> orgs;
    while (statement->step()) orgs.push_back(read_organization(*statement, 0));
    return orgs;
}

void SqliteStore::add_membership(AccountId account, std::int64_t organization, MembershipKind kind,
                                 const std::string& role) {
    Transaction transaction(db_);
    auto upsert = db_.prepare(
        "INSERT INTO memberships (account_id, organization_id, kind, role) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (account_id, organization_id) DO UPDATE SET kind = excluded.kind, role = excluded.role");
    upsert->bind_all(account, organization, std::string_view(to_string(kind)), role);
    upsert->run();
    auto bump = db_.prepare("UPDATE accounts SET profile_version = profile_version + 1 WHERE id = ?1");
    bump->bind_all(account);
    bump->run();
    transaction.commit();
}

std::vector<Membership> SqliteStore::memberships_of(AccountId account) {
    // Home organization first, then guest memberships, each by name.
    auto statement = db_.prepare(
        "SELECT o.id, o.name, o.domain, m.kind, m.role FROM memberships m"
        " JOIN organizations o ON o.id = m.organization_id WHERE m.account_id = ?1"
        " ORDER BY m.kind = 'guest', o.name");
    statement->bind_all(account);
    std::vector<Membership> memberships;
    while (statement->step()) {
        Membership membership;
        membership.organization = read_organization(*statement, 0);
        std::string kind = statement->column_text(3);
        auto parsed = membership_kind_from(kind);
        if (!parsed) throw StoreError(StoreError::Kind::io, "unknown membership kind in database: " + kind);
        membership.kind = *parsed;
        membership.role = statement->column_text(4);
        memberships.push_back(std::move(membership));
    }
    return memberships;
}

// --- sign-in bookkeeping

void SqliteStore::record_sign_in(const SignInAttempt& attempt, const LockoutRule& rule) {
    Transaction transaction(db_);
    {
        auto insert = db_.prepare(
            "INSERT INTO sign_in_attempts (username, account_id, at, client_ip, user_agent, method, result)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        insert->bind_all(attempt.username, attempt.account_id, attempt.at, attempt.client_ip, attempt.user_agent,
                         std::string_view(to_string(attempt.method)), std::string_view(to_string(attempt.result)));
        insert->run();
    }
    if (attempt.account_id && attempt.result == SignInResult::bad_password) {
        // Failures while locked are recorded as "locked" and never get here. A lock that has run
        // out starts a fresh count, so one more wrong password does not lock again at once. In an
        // UPDATE every right-hand side sees the old row, hence the repeated expression.
        auto count = db_.prepare(
            "UPDATE accounts SET"
            " failed_attempts = (CASE WHEN locked_until > 0 AND locked_until <= ?3 THEN 0 ELSE failed_attempts END) + 1,"
            " locked_until = CASE"
            "   WHEN ?2 > 0 AND (CASE WHEN locked_until > 0 AND locked_until <= ?3 THEN 0 ELSE failed_attempts END) + 1 >= ?2"
            "   THEN ?3 + ?4"
            "   WHEN locked_until > 0 AND locked_until <= ?3 THEN 0"
            "   ELSE locked_until END"
            " WHERE id = ?1");
        count->bind_all(*attempt.account_id, rule.threshold, attempt.at, rule.duration);
        count->run();
    } else if (attempt.account_id && attempt.result == SignInResult::success) {
        auto reset = db_.prepare("UPDATE accounts SET failed_attempts = 0 WHERE id = ?1");
        reset->bind_all(*attempt.account_id);
        reset->run();
    }
    transaction.commit();
}

std::vector<SignInAttempt> SqliteStore::recent_sign_ins(AccountId id, int limit) {
    auto statement = db_.prepare(
        "SELECT username, account_id, at, client_ip, user_agent, method, result FROM sign_in_attempts"
        " WHERE account_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2");
    statement->bind_all(id, std::int64_t{limit});
    std::vector<SignInAttempt> attempts;
    while (statement->step()) {
        SignInAttempt attempt;
        attempt.username = statement->column_text(0);
        if (!statement->column_is_null(1)) attempt.account_id = statement->column_int64(1);
        attempt.at = statement->column_int64(2);
        attempt.client_ip = statement->column_text(3);
        attempt.user_agent = statement->column_text(4);
        attempt.method = sign_in_method_from(statement->column_text(5));
        attempt.result = sign_in_result_from(statement->column_text(6));
        attempts.push_back(std::move(attempt));
    }
    return attempts;
}

// --- sessions

std::int64_t SqliteStore::create_session(const Session& session) {
    Transaction transaction(db_);
    auto insert = db_.prepare(
        "INSERT INTO sessions (token_hash, account_id, security_stamp, created_at, last_seen_at, expires_at,"
        " ended_at, end_reason, client_ip, user_agent, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    insert->bind_all(Blob{session.token_hash}, session.account_id, session.security_stamp, session.created_at,
                     session.last_seen_at, session.expires_at, session.ended_at, session.end_reason,
                     session.client_ip, session.user_agent, session.data);
    insert->run();
    std::int64_t id = db_.last_insert_rowid();
    transaction.commit();
    return id;
}

std::optional<Store::SessionWithAccount> SqliteStore::find_session(const std::string& token_hash) {
    // One statement: the session, its account and the account's e-mails in one snapshot. This is
    // the query every signed-in request makes.
    auto statement = db_.prepare("SELECT " MYA_SESSION_COLUMNS("s.") ", " MYA_ACCOUNT_COLUMNS("a.") ", "
                                 MYA_ACCOUNT_EMAILS("a.")
                                 " FROM sessions s JOIN accounts a ON a.id = s.account_id"
                                 " WHERE s.token_hash = ?1");
    statement->bind_all(Blob{token_hash});
    if (!statement->step()) return std::nullopt;
    SessionWithAccount found{read_session(*statement, 0), read_account(*statement, session_column_count)};
    found.account.emails = read_emails(*statement, session_column_count + account_column_count);
    return found;
}

void SqliteStore::touch_session(std::int64_t session_id, UnixTime now) {
    Transaction transaction(db_);
    // max(): requests finishing out of order must not move last_seen_at backwards.
    auto update = db_.prepare("UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE id = ?1");
    update->bind_all(session_id, now);
    update->run();
    transaction.commit();
}

void SqliteStore::update_session_data(std::int64_t session_id, const std::string& data) {
    Transaction transaction(db_);
    auto update = db_.prepare("UPDATE sessions SET data = ?2 WHERE id = ?1");
    update->bind_all(session_id, data);
    update->run();
    transaction.commit();
}

void SqliteStore::end_session(std::int64_t session_id, const std::string& reason, UnixTime now) {
    Transaction transaction(db_);
    // The first reason wins: ending an ended session changes nothing.
    auto update = db_.prepare("UPDATE sessions SET ended_at = ?3, end_reason = ?2 WHERE id = ?1 AND ended_at = 0");
    update->bind_all(session_id, reason, now);
    update->run();
    transaction.commit();
}

int SqliteStore::end_all_sessions(AccountId id, const std::string& reason, UnixTime now) {
    Transaction transaction(db_);
    auto update = db_.prepare(
        "UPDATE sessions SET ended_at = ?3, end_reason = ?2 WHERE account_id = ?1 AND ended_at = 0"
        " AND expires_at > ?3");
    update->bind_all(id, reason, now);
    update->run();
    auto ended = static_cast<int>(db_.changes());
    transaction.commit();
    return ended;
}

std::vector<Session> SqliteStore::sessions_of(AccountId id, bool active_only, UnixTime now) {
    // ?2 = 0 lists every session; otherwise only those neither ended nor expired at ?3.
    auto statement = db_.prepare("SELECT " MYA_SESSION_COLUMNS("") " FROM sessions WHERE account_id = ?1"
                                 " AND (?2 = 0 OR (ended_at = 0 AND expires_at > ?3))"
                                 " ORDER BY last_seen_at DESC, id DESC");
    statement->bind_all(id, std::int64_t{active_only ? 1 : 0}, now);
    std::vector<Session> sessions;
    while (statement->step()) sessions.push_back(read_session(*statement, 0));
    return sessions;
}

int SqliteStore::prune_sessions(UnixTime before) {
    Transaction transaction(db_);
    auto remove = db_.prepare(
        "DELETE FROM sessions WHERE (ended_at > 0 AND ended_at < ?1) OR expires_at < ?1");
    remove->bind_all(before);
    remove->run();
    auto pruned = static_cast<int>(db_.changes());
    transaction.commit();
    return pruned;
}

#undef MYA_ACCOUNT_COLUMNS
#undef MYA_SESSION_COLUMNS
#undef MYA_ACCOUNT_EMAILS
#undef MYA_ACCOUNT_EMAILS

}  // namespace myaccount
