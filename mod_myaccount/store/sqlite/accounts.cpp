// The SQLite store's accounts: creation, profile and e-mails, passwords and their history, photos.
#include "store/sqlite/sqlite_store.hpp"

#include <unordered_map>

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Blob;
using sqlite::Statement;
using sqlite::Transaction;

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

void SqliteStore::expect_account_changed(AccountId id) { sqlite::expect_changed(db_.changes(), "account", id); }

namespace {
// The account (with its e-mails) in the statement's first row, if it has one.
std::optional<Account> first_account(Statement& statement) {
    if (!statement.step()) return std::nullopt;
    Account account = sqlite::read_account(statement, 0);
    account.emails = sqlite::read_emails(statement, sqlite::account_column_count);
    account.organization_mfa = sqlite::read_organization_mfa(statement, sqlite::account_column_count + 1);
    return account;
}
}  // namespace

std::optional<Account> SqliteStore::find_account(const std::string& username) {
    // username is COLLATE NOCASE in the schema, so "=" ignores ASCII case and uses the index.
    auto statement = db_.prepare("SELECT " MYA_ACCOUNT_COLUMNS("a.") ", " MYA_ACCOUNT_EMAILS("a.") ", "
                                 MYA_ACCOUNT_ORGANIZATION_MFA("a.") " FROM accounts a WHERE a.username = ?1");
    statement->bind_all(username);
    return first_account(*statement);
}

std::optional<Account> SqliteStore::find_account_by_id(AccountId id) {
    auto statement = db_.prepare("SELECT " MYA_ACCOUNT_COLUMNS("a.") ", " MYA_ACCOUNT_EMAILS("a.") ", "
                                 MYA_ACCOUNT_ORGANIZATION_MFA("a.") " FROM accounts a WHERE a.id = ?1");
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
            accounts.push_back(sqlite::read_account(*statement, 0));
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
        sqlite::bind_optional_text(*update, 2, fields.display_name);
        sqlite::bind_optional_text(*update, 3, fields.job_title);
        sqlite::bind_optional_text(*update, 4, fields.office);
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
        "UPDATE accounts SET password_hash = ?2, security_stamp = security_stamp + ?3, updated_at = ?4,"
        " password_reset_required = 0 WHERE id = ?1");
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
    Transaction transaction(db_);
    write_disabled(id, disabled, now);
    transaction.commit();
}

void SqliteStore::write_disabled(AccountId id, bool disabled, UnixTime now) {
    // Disabling bumps the stamp so live sessions end; re-enabling must not revive them.
    auto update = db_.prepare(
        "UPDATE accounts SET disabled = ?2, security_stamp = security_stamp + ?2, updated_at = ?3 WHERE id = ?1");
    update->bind_all(id, std::int64_t{disabled ? 1 : 0}, now);
    update->run();
    expect_account_changed(id);
}

int SqliteStore::disable_account(AccountId id, const AuditEvent& event, UnixTime now) {
    Transaction transaction(db_);
    write_disabled(id, true, now);
    int ended = end_active_sessions(id, "disabled", now);
    insert_event(event, id);
    transaction.commit();
    return ended;
}

void SqliteStore::enable_account(AccountId id, const AuditEvent& event, UnixTime now) {
    Transaction transaction(db_);
    write_disabled(id, false, now);
    insert_event(event, id);
    transaction.commit();
}

void SqliteStore::unlock_account(AccountId id, const AuditEvent& event, UnixTime now) {
    Transaction transaction(db_);
    clear_lockout(id, now);
    clear_second_factor_lockout(id);
    insert_event(event, id);
    transaction.commit();
}

void SqliteStore::unlock(AccountId id, UnixTime now) {
    Transaction transaction(db_);
    clear_lockout(id, now);
    clear_second_factor_lockout(id);
    transaction.commit();
}

void SqliteStore::clear_lockout(AccountId id, UnixTime now) {
    auto update = db_.prepare(
        "UPDATE accounts SET failed_attempts = 0, locked_until = 0, updated_at = ?2 WHERE id = ?1");
    update->bind_all(id, now);
    update->run();
    expect_account_changed(id);
    forget_network_lockouts(id);
}

void SqliteStore::clear_second_factor_lockout(AccountId id) {
    auto update = db_.prepare(
        "UPDATE accounts SET second_factor_failures = 0, second_factor_locked_until = 0 WHERE id = ?1");
    update->bind_all(id);
    update->run();
}

void SqliteStore::postpone_registration(AccountId id) {
    std::int64_t changed =
        write_alone("UPDATE accounts SET registration_postponed = registration_postponed + 1 WHERE id = ?1", id);
    sqlite::expect_changed(changed, "account", id);
}

void SqliteStore::clear_postponed_registration(AccountId id) {
    std::int64_t changed = write_alone("UPDATE accounts SET registration_postponed = 0 WHERE id = ?1", id);
    sqlite::expect_changed(changed, "account", id);
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

}  // namespace myaccount
