// The SQLite store's audit trail: events recorded per account, read back newest first.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Transaction;

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
    while (statement->step()) events.push_back(sqlite::read_event(*statement));
    return events;
}

}  // namespace myaccount
