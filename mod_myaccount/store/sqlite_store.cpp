// The Store on one SQLite file: opening, schema migrations and every query the core needs.
#include "store/sqlite_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <unordered_map>

#include "core/crypto.hpp"
#include "store/schema_migrations.hpp"

namespace myaccount {

using sqlite::Blob;
using sqlite::Database;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

// --- row mapping: the column lists and their readers must stay in the same order

// 14 columns, read by read_account.
#define MYA_ACCOUNT_COLUMNS(a)                                                                       \
    a "id, " a "username, " a "display_name, " a "job_title, " a "office, " a "password_hash, " a \
      "disabled, " a "failed_attempts, " a "locked_until, " a "security_stamp, " a "profile_version, " a \
      "registration_postponed, " a "created_at, " a "updated_at"
// 12 columns, read by read_session.
#define MYA_SESSION_COLUMNS(s)                                                                       \
    s "id, " s "token_hash, " s "account_id, " s "security_stamp, " s "created_at, " s              \
      "last_seen_at, " s "expires_at, " s "ended_at, " s "end_reason, " s "client_ip, " s           \
      "user_agent, " s "data"
// 16 columns, read by read_challenge.
#define MYA_CHALLENGE_COLUMNS                                                                        \
    "id, token_hash, purpose, account_id, username, security_stamp, created_at, expires_at,"        \
    " completed_at, target, code_hash, code_expires_at, code_attempts, delivery, proven, client_ip"
// 5 columns, read by read_method.
#define MYA_METHOD_COLUMNS "id, account_id, kind, address, created_at"
// 7 columns, read by read_event.
#define MYA_EVENT_COLUMNS "id, account_id, at, kind, client_ip, user_agent, detail"
constexpr int account_column_count = 14;
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
    account.registration_postponed = row.column_int64(c++);
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

// A decimal id, all of `text`; nullopt for anything else.
std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

// Challenge::proven is kept as "12,40": ids joined by commas, "" for none.
std::string join_ids(const std::vector<std::int64_t>& ids) {
    std::string joined;
    for (std::int64_t id : ids) {
        if (!joined.empty()) joined += ',';
        joined += std::to_string(id);
    }
    return joined;
}

std::vector<std::int64_t> split_ids(const std::string& joined) {
    std::vector<std::int64_t> ids;
    if (joined.empty()) return ids;
    for (std::size_t start = 0;;) {
        std::size_t end = joined.find(',', start);
        auto id = parse_id(std::string_view(joined).substr(start, end - start));
        if (!id) throw StoreError(StoreError::Kind::io, "malformed proven list in database: " + joined);
        ids.push_back(*id);
        if (end == std::string::npos) return ids;
        start = end + 1;
    }
}

Challenge read_challenge(const Statement& row) {
    Challenge challenge;
    int c = 0;
    challenge.id = row.column_int64(c++);
    challenge.token_hash = row.column_blob(c++);
    challenge.purpose = enum_from(row.column_text(c++), {ChallengePurpose::reset, ChallengePurpose::add_email},
                                  "challenge purpose");
    if (!row.column_is_null(c)) challenge.account_id = row.column_int64(c);
    ++c;
    challenge.username = row.column_text(c++);
    challenge.security_stamp = row.column_int64(c++);
    challenge.created_at = row.column_int64(c++);
    challenge.expires_at = row.column_int64(c++);
    challenge.completed_at = row.column_int64(c++);
    challenge.target = row.column_text(c++);
    challenge.code_hash = row.column_blob(c++);
    challenge.code_expires_at = row.column_int64(c++);
    challenge.code_attempts = row.column_int64(c++);
    challenge.delivery = row.column_text(c++);
    challenge.proven = split_ids(row.column_text(c++));
    challenge.client_ip = row.column_text(c++);
    return challenge;
}

VerificationMethod read_method(const Statement& row) {
    VerificationMethod method;
    method.id = row.column_int64(0);
    method.account_id = row.column_int64(1);
    method.kind = enum_from(row.column_text(2), {MethodKind::email}, "verification method kind");
    method.address = row.column_text(3);
    method.created_at = row.column_int64(4);
    return method;
}

AuditEvent read_event(const Statement& row) {
    AuditEvent event;
    event.id = row.column_int64(0);
    event.account_id = row.column_int64(1);
    event.at = row.column_int64(2);
    event.kind = row.column_text(3);
    event.client_ip = row.column_text(4);
    event.user_agent = row.column_text(5);
    event.detail = row.column_text(6);
    return event;
}

// For UPDATEs and DELETEs by id: no row changed means there is no such row.
void expect_changed(std::int64_t changed, const char* what, std::int64_t id) {
    if (changed == 0) {
        throw StoreError(StoreError::Kind::not_found, std::string("no ") + what + " with id " + std::to_string(id));
    }
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

void SqliteStore::expect_account_changed(AccountId id) { expect_changed(db_.changes(), "account", id); }

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
    replace_password_hash(id, hash, end_sessions, now);
    transaction.commit();
}

// The new hash, the old one into the (bounded) history, and the stamp bumped when sessions must end.
void SqliteStore::replace_password_hash(AccountId id, const std::string& hash, bool end_sessions, UnixTime now) {
    std::string previous;
    {
        auto select = db_.prepare("SELECT password_hash FROM accounts WHERE id = ?1");
        select->bind_all(id);
        if (select->step()) previous = select->column_text(0);
    }
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
}

void SqliteStore::change_password(AccountId id, const std::string& hash, const AuditEvent& event) {
    Transaction transaction(db_);
    replace_password_hash(id, hash, /*end_sessions=*/true, event.at);
    // The stamp alone would end the sessions at their next request; marking them ended now keeps
    // the list of signed-in devices truthful.
    end_active_sessions(id, "password_changed", event.at);
    insert_event(event, id);
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

bool SqliteStore::upgrade_password_hash(AccountId id, const std::string& old_hash, const std::string& new_hash,
                                        UnixTime now) {
    return write_alone("UPDATE accounts SET password_hash = ?3, updated_at = ?4 WHERE id = ?1 AND password_hash = ?2",
                       id, old_hash, new_hash, now) == 1;
}

void SqliteStore::set_disabled(AccountId id, bool disabled, UnixTime now) {
    // Disabling bumps the stamp so live sessions end; re-enabling must not revive them.
    std::int64_t changed = write_alone(
        "UPDATE accounts SET disabled = ?2, security_stamp = security_stamp + ?2, updated_at = ?3 WHERE id = ?1", id,
        std::int64_t{disabled ? 1 : 0}, now);
    expect_changed(changed, "account", id);
}

void SqliteStore::unlock(AccountId id, UnixTime now) {
    Transaction transaction(db_);
    clear_lockout(id, now);
    transaction.commit();
}

void SqliteStore::clear_lockout(AccountId id, UnixTime now) {
    auto update = db_.prepare(
        "UPDATE accounts SET failed_attempts = 0, locked_until = 0, updated_at = ?2 WHERE id = ?1");
    update->bind_all(id, now);
    update->run();
    expect_account_changed(id);
}

void SqliteStore::postpone_registration(AccountId id) {
    std::int64_t changed =
        write_alone("UPDATE accounts SET registration_postponed = registration_postponed + 1 WHERE id = ?1", id);
    expect_changed(changed, "account", id);
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
    write_alone(
        "INSERT INTO account_photos (account_id, content_type, bytes, updated_at) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (account_id) DO UPDATE SET content_type = excluded.content_type,"
        " bytes = excluded.bytes, updated_at = excluded.updated_at",
        id, photo.content_type, Blob{photo.bytes}, photo.updated_at);
}

void SqliteStore::remove_photo(AccountId id) {
    write_alone("DELETE FROM account_photos WHERE account_id = ?1", id);
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
    // max(): requests finishing out of order must not move last_seen_at backwards.
    write_alone("UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE id = ?1", session_id, now);
}

void SqliteStore::update_session_data(std::int64_t session_id, const std::string& data) {
    write_alone("UPDATE sessions SET data = ?2 WHERE id = ?1", session_id, data);
}

void SqliteStore::end_session(std::int64_t session_id, const std::string& reason, UnixTime now) {
    // The first reason wins: ending an ended session changes nothing.
    write_alone("UPDATE sessions SET ended_at = ?3, end_reason = ?2 WHERE id = ?1 AND ended_at = 0", session_id,
                reason, now);
}

int SqliteStore::end_all_sessions(AccountId id, const std::string& reason, UnixTime now) {
    Transaction transaction(db_);
    int ended = end_active_sessions(id, reason, now);
    transaction.commit();
    return ended;
}

int SqliteStore::end_active_sessions(AccountId id, const std::string& reason, UnixTime now) {
    auto update = db_.prepare(
        "UPDATE sessions SET ended_at = ?3, end_reason = ?2 WHERE account_id = ?1 AND ended_at = 0"
        " AND expires_at > ?3");
    update->bind_all(id, reason, now);
    update->run();
    return static_cast<int>(db_.changes());
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

// --- verification methods

std::vector<VerificationMethod> SqliteStore::methods_of(AccountId id) {
    auto statement = db_.prepare("SELECT " MYA_METHOD_COLUMNS " FROM verification_methods WHERE account_id = ?1"
                                 " ORDER BY created_at, id");
    statement->bind_all(id);
    std::vector<VerificationMethod> methods;
    while (statement->step()) methods.push_back(read_method(*statement));
    return methods;
}

void SqliteStore::remove_method(AccountId id, std::int64_t method_id, const AuditEvent& event) {
    Transaction transaction(db_);
    {
        // The account in the WHERE clause: another account's method id is simply not found.
        auto remove = db_.prepare("DELETE FROM verification_methods WHERE id = ?2 AND account_id = ?1");
        remove->bind_all(id, method_id);
        remove->run();
        expect_changed(db_.changes(), "verification method of this account", method_id);
    }
    insert_event(event, id);
    transaction.commit();
}

// --- challenges

std::int64_t SqliteStore::create_challenge(const Challenge& challenge) {
    Transaction transaction(db_);
    auto insert = db_.prepare(
        "INSERT INTO challenges (token_hash, purpose, account_id, username, security_stamp, created_at, expires_at,"
        " completed_at, target, code_hash, code_expires_at, code_attempts, delivery, proven, client_ip)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    insert->bind_all(Blob{challenge.token_hash}, std::string_view(to_string(challenge.purpose)), challenge.account_id,
                     challenge.username, challenge.security_stamp, challenge.created_at, challenge.expires_at,
                     challenge.completed_at, challenge.target, Blob{challenge.code_hash}, challenge.code_expires_at,
                     challenge.code_attempts, challenge.delivery, join_ids(challenge.proven), challenge.client_ip);
    insert->run();
    std::int64_t id = db_.last_insert_rowid();
    transaction.commit();
    return id;
}

std::optional<Challenge> SqliteStore::find_challenge(const std::string& token_hash, ChallengePurpose purpose) {
    auto statement = db_.prepare("SELECT " MYA_CHALLENGE_COLUMNS " FROM challenges WHERE token_hash = ?1 AND purpose = ?2");
    statement->bind_all(Blob{token_hash}, std::string_view(to_string(purpose)));
    if (!statement->step()) return std::nullopt;
    return read_challenge(*statement);
}

Challenge SqliteStore::challenge_by_id(std::int64_t id) {
    auto statement = db_.prepare("SELECT " MYA_CHALLENGE_COLUMNS " FROM challenges WHERE id = ?1");
    statement->bind_all(id);
    if (!statement->step()) {
        throw StoreError(StoreError::Kind::not_found, "no challenge with id " + std::to_string(id));
    }
    return read_challenge(*statement);
}

Challenge SqliteStore::open_challenge(std::int64_t id, ChallengePurpose purpose, UnixTime now) {
    Challenge challenge = challenge_by_id(id);
    const char* problem = nullptr;
    if (challenge.purpose != purpose) {
        problem = "serves another purpose";
    } else if (challenge.completed_at != 0) {
        problem = "is completed already";
    } else if (challenge.expires_at <= now) {
        problem = "has expired";
    } else if (!challenge.account_id) {
        problem = "belongs to no account";
    }
    if (problem != nullptr) {
        throw StoreError(StoreError::Kind::conflict, "challenge " + std::to_string(id) + " " + problem);
    }
    return challenge;
}

void SqliteStore::close_challenge(std::int64_t id, UnixTime now) {
    // A completed challenge keeps no code: nothing about it can be guessed any more.
    auto update = db_.prepare(
        "UPDATE challenges SET completed_at = ?2, code_hash = x'', code_expires_at = 0 WHERE id = ?1");
    update->bind_all(id, now);
    update->run();
}

void SqliteStore::issue_code(std::int64_t challenge, const std::string& target, const std::string& code_hash,
                             UnixTime code_expires_at) {
    std::int64_t changed = write_alone(
        "UPDATE challenges SET target = ?2, code_hash = ?3, code_expires_at = ?4, code_attempts = 0, delivery = ''"
        " WHERE id = ?1",
        challenge, target, Blob{code_hash}, code_expires_at);
    expect_changed(changed, "challenge", challenge);
}

void SqliteStore::set_delivery(std::int64_t challenge, const std::string& delivery) {
    // The schema's CHECK refuses anything but "", "sent" and "failed" (StoreError invalid).
    std::int64_t changed = write_alone("UPDATE challenges SET delivery = ?2 WHERE id = ?1", challenge, delivery);
    expect_changed(changed, "challenge", challenge);
}

Store::CodeCheck SqliteStore::check_code(std::int64_t id, const std::string& code_hash, int max_attempts,
                                         UnixTime now) {
    // BEGIN IMMEDIATE before the read: a second process posting the same code waits for this
    // one to finish and then finds the code used up.
    Transaction transaction(db_);
    const Challenge challenge = challenge_by_id(id);
    if (challenge.completed_at != 0 || challenge.expires_at <= now) return CodeCheck::expired;
    if (challenge.code_hash.empty()) return CodeCheck::none;
    if (challenge.code_expires_at <= now) return CodeCheck::expired;

    if (challenge.code_attempts < max_attempts && constant_time_equal(challenge.code_hash, code_hash)) {
        std::vector<std::int64_t> proven = challenge.proven;
        if (challenge.purpose == ChallengePurpose::add_email) {
            proven = {0};  // "the address is proven": the target holds the address itself
        } else {
            auto method = parse_id(challenge.target);
            if (!method) {
                throw StoreError(StoreError::Kind::invalid,
                                 "challenge " + std::to_string(id) + " has a code for no method id");
            }
            if (std::find(proven.begin(), proven.end(), *method) == proven.end()) proven.push_back(*method);
        }
        auto accept = db_.prepare(
            "UPDATE challenges SET code_hash = x'', code_expires_at = 0, code_attempts = 0, proven = ?2 WHERE id = ?1");
        accept->bind_all(id, join_ids(proven));
        accept->run();
        transaction.commit();
        return CodeCheck::accepted;
    }

    // A wrong guess; the one that reaches the limit takes the code with it.
    auto count = db_.prepare(
        "UPDATE challenges SET code_attempts = ?2,"
        " code_hash = CASE WHEN ?2 >= ?3 THEN x'' ELSE code_hash END,"
        " code_expires_at = CASE WHEN ?2 >= ?3 THEN 0 ELSE code_expires_at END WHERE id = ?1");
    count->bind_all(id, challenge.code_attempts + 1, std::int64_t{max_attempts});
    count->run();
    transaction.commit();
    return CodeCheck::wrong;
}

std::int64_t SqliteStore::complete_email_registration(std::int64_t id, const AuditEvent& event) {
    Transaction transaction(db_);
    const Challenge challenge = open_challenge(id, ChallengePurpose::add_email, event.at);
    if (challenge.proven.empty() || challenge.target.empty()) {
        throw StoreError(StoreError::Kind::conflict, "challenge " + std::to_string(id) + " has no accepted code");
    }
    const AccountId account = *challenge.account_id;
    const std::string_view kind = to_string(MethodKind::email);
    {
        // An address the account has already (in any letter case) stays as it is.
        auto insert = db_.prepare(
            "INSERT INTO verification_methods (account_id, kind, address, created_at) VALUES (?1, ?2, ?3, ?4)"
            " ON CONFLICT (account_id, kind, address) DO NOTHING");
        insert->bind_all(account, kind, challenge.target, event.at);
        insert->run();
    }
    std::int64_t method_id = 0;
    {
        auto select = db_.prepare(
            "SELECT id FROM verification_methods WHERE account_id = ?1 AND kind = ?2 AND address = ?3");
        select->bind_all(account, kind, challenge.target);
        if (!select->step()) throw StoreError(StoreError::Kind::io, "verification method vanished while adding it");
        method_id = select->column_int64(0);
    }
    {
        // Registered: the "not now" count starts afresh, should the methods ever be removed again.
        auto reset = db_.prepare("UPDATE accounts SET registration_postponed = 0 WHERE id = ?1");
        reset->bind_all(account);
        reset->run();
    }
    close_challenge(id, event.at);
    insert_event(event, account);
    transaction.commit();
    return method_id;
}

void SqliteStore::complete_reset(std::int64_t id, const std::string& new_hash, const AuditEvent& event) {
    Transaction transaction(db_);
    const Challenge challenge = open_challenge(id, ChallengePurpose::reset, event.at);
    const AccountId account = *challenge.account_id;
    {
        // A password change, disable or sign-out-everywhere since the flow began moved the stamp.
        auto stamp = db_.prepare("SELECT security_stamp FROM accounts WHERE id = ?1");
        stamp->bind_all(account);
        if (!stamp->step() || stamp->column_int64(0) != challenge.security_stamp) {
            throw StoreError(StoreError::Kind::conflict,
                             "challenge " + std::to_string(id) + ": the account changed since the reset began");
        }
    }
    replace_password_hash(account, new_hash, /*end_sessions=*/true, event.at);
    clear_lockout(account, event.at);
    end_active_sessions(account, "password_reset", event.at);
    close_challenge(id, event.at);
    insert_event(event, account);
    transaction.commit();
}

int SqliteStore::prune_challenges(UnixTime before) {
    Transaction transaction(db_);
    int pruned = 0;
    {
        auto remove = db_.prepare("DELETE FROM challenges WHERE expires_at < ?1");
        remove->bind_all(before);
        remove->run();
        pruned = static_cast<int>(db_.changes());
    }
    auto forget = db_.prepare("DELETE FROM throttle WHERE window_end < ?1");
    forget->bind_all(before);
    forget->run();
    transaction.commit();
    return pruned;
}

// --- throttling

namespace {
// The start of the fixed window holding `now` (a multiple of `window`, also before 1970).
UnixTime window_start(std::int64_t window, UnixTime now) {
    if (window <= 0) throw StoreError(StoreError::Kind::invalid, "throttle window must be positive");
    return now - ((now % window) + window) % window;
}
}  // namespace

std::int64_t SqliteStore::throttle_hits(const std::string& key, std::int64_t window, UnixTime now) {
    auto statement = db_.prepare("SELECT hits FROM throttle WHERE key = ?1 AND window_start >= ?2");
    statement->bind_all(key, window_start(window, now));
    return statement->step() ? statement->column_int64(0) : 0;
}

std::int64_t SqliteStore::throttle_hit(const std::string& key, std::int64_t window, UnixTime now) {
    Transaction transaction(db_);
    std::int64_t hits = count_hit(key, window, now);
    transaction.commit();
    return hits;
}

bool SqliteStore::throttle_take(const std::vector<ThrottleLimit>& limits, std::int64_t window, UnixTime now) {
    Transaction transaction(db_);  // BEGIN IMMEDIATE: no other writer between the reads and the counts
    for (const ThrottleLimit& limit : limits)
        if (throttle_hits(limit.key, window, now) >= limit.limit) return false;  // rolled back
    for (const ThrottleLimit& limit : limits) count_hit(limit.key, window, now);
    transaction.commit();
    return true;
}

std::int64_t SqliteStore::count_hit(const std::string& key, std::int64_t window, UnixTime now) {
    const UnixTime start = window_start(window, now);
    // An older stored window starts over; a newer one (another process's clock ahead) just counts.
    auto upsert = db_.prepare(
        "INSERT INTO throttle (key, window_start, window_end, hits) VALUES (?1, ?2, ?3, 1)"
        " ON CONFLICT (key) DO UPDATE SET"
        " hits = CASE WHEN window_start < excluded.window_start THEN 1 ELSE hits + 1 END,"
        " window_start = max(window_start, excluded.window_start),"
        " window_end = max(window_end, excluded.window_end)"
        " RETURNING hits");
    upsert->bind_all(key, start, start + window);
    if (!upsert->step()) throw StoreError(StoreError::Kind::io, "throttle upsert returned no row");
    return upsert->column_int64(0);
}

// --- audit trail

void SqliteStore::insert_event(const AuditEvent& event, AccountId account) {
    auto insert = db_.prepare(
        "INSERT INTO audit_events (account_id, at, kind, client_ip, user_agent, detail)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    insert->bind_all(account, event.at, event.kind, event.client_ip, event.user_agent, event.detail);
    insert->run();
}

void SqliteStore::record_event(const AuditEvent& event) {
    Transaction transaction(db_);
    insert_event(event, event.account_id);
    transaction.commit();
}

std::vector<AuditEvent> SqliteStore::events_of(AccountId id, int limit) {
    std::vector<AuditEvent> events;
    if (limit <= 0) return events;  // SQLite reads a negative LIMIT as "no limit"
    auto statement = db_.prepare("SELECT " MYA_EVENT_COLUMNS " FROM audit_events WHERE account_id = ?1"
                                 " ORDER BY at DESC, id DESC LIMIT ?2");
    statement->bind_all(id, std::int64_t{limit});
    while (statement->step()) events.push_back(read_event(*statement));
    return events;
}

#undef MYA_ACCOUNT_COLUMNS
#undef MYA_SESSION_COLUMNS
#undef MYA_ACCOUNT_EMAILS
#undef MYA_CHALLENGE_COLUMNS
#undef MYA_METHOD_COLUMNS
#undef MYA_EVENT_COLUMNS

}  // namespace myaccount
