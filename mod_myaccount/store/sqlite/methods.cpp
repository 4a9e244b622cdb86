// The SQLite store's verification methods (added, proven, renamed, made default, removed) and the
// recovery codes a recovery_codes method lists.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Blob;
using sqlite::Transaction;

std::vector<VerificationMethod> SqliteStore::methods_of(AccountId id) {
    auto statement = db_.prepare("SELECT " MYA_METHOD_COLUMNS " FROM verification_methods"
                                 " WHERE account_id = ?1 AND active = 1 ORDER BY created_at, id");
    statement->bind_all(id);
    return sqlite::read_all(*statement, sqlite::read_method);
}

std::optional<VerificationMethod> SqliteStore::find_method(AccountId id, std::int64_t method_id) {
    // The account in the WHERE clause: another account's method id is simply not found.
    auto statement =
        db_.prepare("SELECT " MYA_METHOD_COLUMNS " FROM verification_methods WHERE id = ?2 AND account_id = ?1");
    statement->bind_all(id, method_id);
    if (!statement->step()) return std::nullopt;
    return sqlite::read_method(*statement);
}

std::vector<VerificationMethod> SqliteStore::all_authenticators() {
    auto statement = db_.prepare("SELECT " MYA_METHOD_COLUMNS " FROM verification_methods"
                                 " WHERE kind = 'authenticator' ORDER BY id");
    return sqlite::read_all(*statement, sqlite::read_method);
}

std::vector<VerificationMethod> SqliteStore::suspended_methods_of(AccountId id) {
    auto statement = db_.prepare("SELECT " MYA_METHOD_COLUMNS " FROM verification_methods"
                                 " WHERE account_id = ?1 AND suspended_at > 0 ORDER BY created_at, id");
    statement->bind_all(id);
    return sqlite::read_all(*statement, sqlite::read_method);
}

void SqliteStore::confirm_method(AccountId id, std::int64_t method_id, const AuditEvent& event) {
    Transaction transaction(db_);
    {
        auto confirm = db_.prepare("UPDATE verification_methods SET active = 1, suspended_at = 0"
                                   " WHERE account_id = ?1 AND id = ?2 AND suspended_at > 0");
        confirm->bind_all(id, method_id);
        confirm->run();
        if (db_.changes() == 0)
            throw StoreError(StoreError::Kind::not_found, "no suspended method " + std::to_string(method_id));
    }
    insert_event(event, id);
    transaction.commit();
}

std::int64_t SqliteStore::insert_method(const VerificationMethod& method, bool active, bool is_default) {
    auto insert = db_.prepare(
        "INSERT INTO verification_methods (account_id, kind, address, label, phone_type, secret, last_step,"
        " is_default, active, created_at, created_ip, last_used_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    insert->bind_all(method.account_id, std::string_view(to_string(method.kind)), method.address, method.label,
                     std::string_view(to_string(method.phone_type)), Blob{method.secret_box}, method.last_step,
                     std::int64_t{is_default ? 1 : 0}, std::int64_t{active ? 1 : 0}, method.created_at,
                     method.created_ip, method.last_used_at);
    insert->run();
    return db_.last_insert_rowid();
}

void SqliteStore::default_if_none(AccountId id, std::optional<std::int64_t> method_id) {
    // Only active authenticators and phones become the default; none given: the oldest that may.
    auto update = db_.prepare(
        "UPDATE verification_methods SET is_default = 1 WHERE account_id = ?1 AND active = 1"
        " AND kind IN ('authenticator', 'phone') AND id = coalesce(?2, (SELECT id FROM verification_methods"
        "  WHERE account_id = ?1 AND active = 1 AND kind IN ('authenticator', 'phone') ORDER BY created_at, id LIMIT 1))"
        " AND NOT EXISTS (SELECT 1 FROM verification_methods WHERE account_id = ?1 AND is_default = 1 AND active = 1)");
    update->bind_all(id, method_id);
    update->run();
}

std::int64_t SqliteStore::add_pending_method(const VerificationMethod& method, UnixTime stale_before) {
    Transaction transaction(db_);
    {
        // Set-ups abandoned before their first code go as new ones begin, so they never pile up.
        auto stale = db_.prepare(
            "DELETE FROM verification_methods WHERE account_id = ?1 AND active = 0 AND suspended_at = 0"
            " AND created_at < ?2");
        stale->bind_all(method.account_id, stale_before);
        stale->run();
    }
    std::int64_t id = insert_method(method, /*active=*/false, /*is_default=*/false);
    transaction.commit();
    return id;
}

bool SqliteStore::activate_method(AccountId id, std::int64_t method_id, std::int64_t step, const AuditEvent& event) {
    Transaction transaction(db_);
    {
        // Conditional on still pending: of two requests proving the same method, one activates it.
        auto update = db_.prepare(
            "UPDATE verification_methods SET active = 1, last_step = ?3 WHERE id = ?2 AND account_id = ?1"
            " AND active = 0 AND suspended_at = 0");
        update->bind_all(id, method_id, step);
        update->run();
        if (db_.changes() == 0) return false;  // the transaction rolls back: nothing written
    }
    default_if_none(id, method_id);
    insert_event(event, id);
    transaction.commit();
    return true;
}

bool SqliteStore::accept_authenticator_step(AccountId id, std::int64_t method_id, std::int64_t step, UnixTime now) {
    // One conditional statement: of requests racing with the same code, exactly one sees a change.
    return write_alone("UPDATE verification_methods SET last_step = ?3, last_used_at = ?4"
                       " WHERE id = ?2 AND account_id = ?1 AND active = 1 AND kind = 'authenticator'"
                       " AND last_step < ?3",
                       id, method_id, step, now) == 1;
}

void SqliteStore::mark_method_used(AccountId id, std::int64_t method_id, UnixTime now) {
    Transaction transaction(db_);
    mark_used(id, method_id, now);
    transaction.commit();
}

void SqliteStore::mark_used(AccountId id, std::int64_t method_id, UnixTime now) {
    // max(): uses recorded out of order must not move the time backwards.
    auto update = db_.prepare("UPDATE verification_methods SET last_used_at = max(last_used_at, ?3)"
                              " WHERE id = ?2 AND account_id = ?1");
    update->bind_all(id, method_id, now);
    update->run();
}

void SqliteStore::rename_method(AccountId id, std::int64_t method_id, const std::string& label,
                                const AuditEvent& event) {
    Transaction transaction(db_);
    {
        auto update = db_.prepare(
            "UPDATE verification_methods SET label = ?3 WHERE id = ?2 AND account_id = ?1 AND active = 1");
        update->bind_all(id, method_id, label);
        update->run();
        sqlite::expect_changed(db_.changes(), "active verification method of this account", method_id);
    }
    insert_event(event, id);
    transaction.commit();
}

void SqliteStore::set_default_method(AccountId id, std::int64_t method_id, const AuditEvent& event) {
    Transaction transaction(db_);
    {
        // The others first: at most one default per account (a unique index says so).
        auto others = db_.prepare(
            "UPDATE verification_methods SET is_default = 0 WHERE account_id = ?1 AND id <> ?2 AND is_default = 1");
        others->bind_all(id, method_id);
        others->run();
    }
    {
        // Only an authenticator or a phone may be the default: the schema's CHECK refuses the rest.
        auto update = db_.prepare(
            "UPDATE verification_methods SET is_default = 1 WHERE id = ?2 AND account_id = ?1 AND active = 1");
        update->bind_all(id, method_id);
        update->run();
        sqlite::expect_changed(db_.changes(), "active verification method of this account", method_id);
    }
    insert_event(event, id);
    transaction.commit();
}

void SqliteStore::remove_method(AccountId id, std::int64_t method_id, const AuditEvent& event) {
    Transaction transaction(db_);
    // A recovery_codes method takes its codes with it (ON DELETE CASCADE).
    sqlite::delete_owned(db_, "DELETE FROM verification_methods WHERE account_id = ?1 AND id = ?2", id, method_id,
                         "verification method of this account");
    default_if_none(id, std::nullopt);
    insert_event(event, id);
    transaction.commit();
}

void SqliteStore::replace_method_secret(std::int64_t method_id, const std::string& secret_box) {
    // Only an authenticator holds a secret: the schema's CHECK refuses one for any other kind.
    std::int64_t changed =
        write_alone("UPDATE verification_methods SET secret = ?2 WHERE id = ?1", method_id, Blob{secret_box});
    sqlite::expect_changed(changed, "verification method", method_id);
}

// --- recovery codes

std::int64_t SqliteStore::replace_recovery_codes(AccountId id, const std::vector<std::string>& code_hashes,
                                                 const AuditEvent& event) {
    if (code_hashes.empty()) {
        // A set without codes would count as a second step no one can take.
        throw StoreError(StoreError::Kind::invalid, "a set of recovery codes needs at least one code");
    }
    Transaction transaction(db_);
    std::optional<std::int64_t> method_id;
    {
        auto select = db_.prepare(
            "SELECT id FROM verification_methods WHERE account_id = ?1 AND kind = 'recovery_codes'");
        select->bind_all(id);
        if (select->step()) method_id = select->column_int64(0);
    }
    if (method_id) {
        // The same method lists the new set: made now, never used.
        auto forget = db_.prepare("DELETE FROM recovery_codes WHERE method_id = ?1");
        forget->bind_all(*method_id);
        forget->run();
        // A new set proves again, whatever "This wasn't me" had suspended (the route asked a recent proof).
        auto renew = db_.prepare("UPDATE verification_methods SET created_at = ?2, created_ip = ?3, last_used_at = 0,"
                                 " active = 1, suspended_at = 0 WHERE id = ?1");
        renew->bind_all(*method_id, event.at, event.client_ip);
        renew->run();
    } else {
        VerificationMethod method;
        method.account_id = id;
        method.kind = MethodKind::recovery_codes;
        method.created_at = event.at;
        method.created_ip = event.client_ip;
        method_id = insert_method(method, /*active=*/true, /*is_default=*/false);  // not_found without the account
    }
    auto insert = db_.prepare("INSERT INTO recovery_codes (method_id, account_id, code_hash) VALUES (?1, ?2, ?3)");
    for (const std::string& hash : code_hashes) {
        insert->bind_all(*method_id, id, Blob{hash});
        insert->run();
        insert->reset();
    }
    insert_event(event, id);
    transaction.commit();
    return *method_id;
}

std::optional<int> SqliteStore::use_recovery_code(AccountId id, const std::string& code_hash, UnixTime now) {
    Transaction transaction(db_);
    {
        // Conditional on unused: of two requests with one code, one changes the row. A used code
        // is never 0, whatever the clock says, or it would read as unused again.
        // A suspended set ("This wasn't me") proves nothing until confirmed.
        auto use = db_.prepare("UPDATE recovery_codes SET used_at = max(?3, 1)"
                               " WHERE account_id = ?1 AND code_hash = ?2 AND used_at = 0 AND method_id IN"
                               " (SELECT id FROM verification_methods WHERE account_id = ?1 AND active = 1)");
        use->bind_all(id, Blob{code_hash}, now);
        use->run();
        if (db_.changes() == 0) return std::nullopt;  // rolls back: nothing written
    }
    {
        auto used = db_.prepare("UPDATE verification_methods SET last_used_at = max(last_used_at, ?2)"
                                " WHERE account_id = ?1 AND kind = 'recovery_codes'");
        used->bind_all(id, now);
        used->run();
    }
    int left = unused_recovery_codes(id);
    transaction.commit();
    return left;
}

int SqliteStore::recovery_codes_left(AccountId id) { return unused_recovery_codes(id); }

int SqliteStore::unused_recovery_codes(AccountId id) {
    auto count = db_.prepare("SELECT count(*) FROM recovery_codes WHERE account_id = ?1 AND used_at = 0");
    count->bind_all(id);
    count->step();
    return static_cast<int>(count->column_int64(0));
}

}  // namespace myaccount
