// The SQLite store's app passwords: created, listed, revoked, and found by their keyed hash.
#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Blob;
using sqlite::Transaction;

std::int64_t SqliteStore::create_app_password(const AppPassword& password, const AuditEvent& event) {
    Transaction transaction(db_);
    std::int64_t id = 0;
    {
        auto insert = db_.prepare(
            "INSERT INTO app_passwords (account_id, label, hash, created_at, created_ip, last_used_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, 0)");
        insert->bind_all(password.account_id, password.label, Blob{password.hash}, password.created_at,
                         password.created_ip);
        insert->run();
        id = db_.last_insert_rowid();
    }
    insert_event(event, password.account_id);
    transaction.commit();
    return id;
}

std::vector<AppPassword> SqliteStore::app_passwords_of(AccountId id) {
    auto statement = db_.prepare("SELECT " MYA_APP_PASSWORD_COLUMNS " FROM app_passwords WHERE account_id = ?1"
                                 " ORDER BY created_at, id");
    statement->bind_all(id);
    return sqlite::read_all(*statement, sqlite::read_app_password);
}

void SqliteStore::revoke_app_password(AccountId id, std::int64_t app_password_id, const AuditEvent& event) {
    Transaction transaction(db_);
    sqlite::delete_owned(db_, "DELETE FROM app_passwords WHERE account_id = ?1 AND id = ?2", id, app_password_id,
                         "app password of this account");
    insert_event(event, id);
    transaction.commit();
}

std::optional<AppPassword> SqliteStore::use_app_password(AccountId id, const std::string& hash, UnixTime now) {
    // Looked up before any write lock: a wrong password (a guess) costs the other processes nothing.
    std::optional<AppPassword> found;
    {
        auto select = db_.prepare("SELECT " MYA_APP_PASSWORD_COLUMNS " FROM app_passwords"
                                  " WHERE account_id = ?1 AND hash = ?2");
        select->bind_all(id, Blob{hash});
        if (select->step()) found = sqlite::read_app_password(*select);
    }
    if (!found) return std::nullopt;
    // Conditional on the row still being there: revoked meanwhile, it serves no more.
    std::int64_t changed = write_alone(
        "UPDATE app_passwords SET last_used_at = max(last_used_at, ?3) WHERE id = ?1 AND account_id = ?2", found->id,
        id, now);
    if (changed == 0) return std::nullopt;
    return found;
}

}  // namespace myaccount
