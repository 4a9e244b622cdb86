// The SQLite store's activity: sign-in attempts and audit events merged newest first, and their
// pruning by age.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Transaction;

namespace {

// Both sources in one shape: kind ('s' or 'e'), id, then the sign-in columns (an event's kind in
// the method's place, its detail last).
#define MYA_ACTIVITY_SELECT                                                                                        \
    "SELECT * FROM (SELECT 's' AS source, id, " MYA_SIGN_IN_COLUMNS                                                \
    ", '' AS detail FROM sign_in_attempts"                                                                         \
    " WHERE account_id = ?1 UNION ALL SELECT 'e', id, '', account_id, at, client_ip, user_agent, kind, '', detail" \
    " FROM audit_events WHERE account_id = ?1)"

ActivityEntry read_entry(const sqlite::Statement& row, AccountId account) {
    ActivityEntry entry;
    entry.id = row.column_int64(1);
    if (row.column_text(0) == "s") {
        entry.sign_in = sqlite::read_sign_in(row, 2);
        return entry;
    }
    AuditEvent event;
    event.id = entry.id;
    event.account_id = account;
    event.at = row.column_int64(4);
    event.client_ip = row.column_text(5);
    event.user_agent = row.column_text(6);
    event.kind = row.column_text(7);
    event.detail = row.column_text(9);
    entry.event = std::move(event);
    return entry;
}

}  // namespace

std::vector<ActivityEntry> SqliteStore::activity_of(AccountId id, std::int64_t offset, int limit) {
    // Both sources by their (account_id, at) indexes; within one second an event (what a sign-in
    // went on to do) comes before the sign-in, and later rows before earlier ones.
    auto statement = db_.prepare(MYA_ACTIVITY_SELECT " ORDER BY at DESC, source ASC, id DESC LIMIT ?3 OFFSET ?2");
    statement->bind_all(id, offset, std::int64_t{limit});
    std::vector<ActivityEntry> entries;
    while (statement->step()) entries.push_back(read_entry(*statement, id));
    return entries;
}

std::optional<ActivityEntry> SqliteStore::find_activity(AccountId id, bool sign_in, std::int64_t entry_id) {
    auto statement = db_.prepare(MYA_ACTIVITY_SELECT " WHERE source = ?2 AND id = ?3");
    statement->bind_all(id, std::string_view(sign_in ? "s" : "e"), entry_id);
    if (!statement->step()) return std::nullopt;
    return read_entry(*statement, id);
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
