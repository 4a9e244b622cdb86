// The SQLite store's remembered browsers: made, found by their token hash, listed, forgotten.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Blob;
using sqlite::Transaction;

std::int64_t SqliteStore::remember_browser(const RememberedBrowser& browser, const AuditEvent& event) {
    Transaction transaction(db_);
    std::int64_t id = 0;
    {
        auto insert = db_.prepare(
            "INSERT INTO remembered_browsers (token_hash, account_id, security_stamp, created_at, expires_at,"
            " client_ip, user_agent, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0))");
        insert->bind_all(Blob{browser.token_hash}, browser.account_id, browser.security_stamp, browser.created_at,
                         browser.expires_at, browser.client_ip, browser.user_agent, browser.device_id);
        insert->run();
        id = db_.last_insert_rowid();
    }
    insert_event(event, browser.account_id);
    transaction.commit();
    return id;
}

std::optional<RememberedBrowser> SqliteStore::find_remembered_browser(const std::string& token_hash) {
    auto statement = db_.prepare("SELECT " MYA_REMEMBERED_BROWSER_COLUMNS " FROM remembered_browsers"
                                 " WHERE token_hash = ?1");
    statement->bind_all(Blob{token_hash});
    if (!statement->step()) return std::nullopt;
    return sqlite::read_remembered_browser(*statement);
}

std::vector<RememberedBrowser> SqliteStore::remembered_browsers_of(AccountId id, UnixTime now) {
    auto statement = db_.prepare("SELECT " MYA_REMEMBERED_BROWSER_COLUMNS " FROM remembered_browsers"
                                 " WHERE account_id = ?1 AND expires_at > ?2 ORDER BY created_at, id");
    statement->bind_all(id, now);
    return sqlite::read_all(*statement, sqlite::read_remembered_browser);
}

void SqliteStore::forget_remembered_browser(AccountId id, std::int64_t browser_id, const AuditEvent& event) {
    Transaction transaction(db_);
    sqlite::delete_owned(db_, "DELETE FROM remembered_browsers WHERE account_id = ?1 AND id = ?2", id, browser_id,
                         "remembered browser of this account");
    insert_event(event, id);
    transaction.commit();
}

int SqliteStore::forget_all_remembered_browsers(AccountId id, const AuditEvent& event) {
    Transaction transaction(db_);
    int forgotten = 0;
    {
        auto remove = db_.prepare("DELETE FROM remembered_browsers WHERE account_id = ?1");
        remove->bind_all(id);
        remove->run();
        forgotten = static_cast<int>(db_.changes());
    }
    insert_event(event, id);
    transaction.commit();
    return forgotten;
}

}  // namespace myaccount
