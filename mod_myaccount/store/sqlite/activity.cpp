// The SQLite store's activity: sign-in attempts and audit events merged newest first, and their
// pruning by age.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Transaction;

std::vector<ActivityEntry> SqliteStore::activity_of(AccountId id, std::int64_t offset, int limit) {
    // Both sources by their (account_id, at) indexes; within one second an event (what a sign-in
    // went on to do) comes before the sign-in, and later rows before earlier ones.
    auto statement =
        db_.prepare("SELECT 's', id, " MYA_SIGN_IN_COLUMNS
                    ", '' FROM sign_in_attempts WHERE account_id = ?1"
                    " UNION ALL"
                    " SELECT 'e', id, '', account_id, at, client_ip, user_agent, kind, '', detail FROM audit_events"
                    " WHERE account_id = ?1"
                    " ORDER BY 5 DESC, 1 ASC, 2 DESC LIMIT ?3 OFFSET ?2");
    statement->bind_all(id, offset, std::int64_t{limit});
    std::vector<ActivityEntry> entries;
    while (statement->step()) {
        ActivityEntry entry;
        entry.id = statement->column_int64(1);
        if (statement->column_text(0) == "s") {
            entry.sign_in = sqlite::read_sign_in(*statement, 2);
        } else {
            AuditEvent event;
            event.id = entry.id;
            event.account_id = id;
            event.at = statement->column_int64(4);
            event.client_ip = statement->column_text(5);
            event.user_agent = statement->column_text(6);
            event.kind = statement->column_text(7);
            event.detail = statement->column_text(9);
            entry.event = std::move(event);
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

int SqliteStore::prune_activity(UnixTime before, int batch) {
    Transaction transaction(db_);
    int pruned = 0;
    for (const char* sql :
         {"DELETE FROM sign_in_attempts WHERE id IN"
          " (SELECT id FROM sign_in_attempts WHERE at < ?1 LIMIT ?2)",
          "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < ?1 LIMIT ?2)"}) {
        auto remove = db_.prepare(sql);
        remove->bind_all(before, std::int64_t{batch});
        remove->run();
        pruned += static_cast<int>(db_.changes());
    }
    transaction.commit();
    return pruned;
}

}  // namespace myaccount
