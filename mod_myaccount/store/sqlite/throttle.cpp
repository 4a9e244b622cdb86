// The SQLite store's throttle counters: hits per key in fixed windows, shared by every process.
#include "store/sqlite/sqlite_store.hpp"

namespace myaccount {

using sqlite::Transaction;

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

void SqliteStore::throttle_release(const std::string& key, std::int64_t window, UnixTime now) {
    write_alone("UPDATE throttle SET hits = hits - 1 WHERE key = ?1 AND window_start >= ?2 AND hits > 0", key,
                window_start(window, now));
}

void SqliteStore::throttle_forget(const std::string& key) { write_alone("DELETE FROM throttle WHERE key = ?1", key); }

// Every client network's counter of the account, by the range of keys under its prefix (the
// primary key's order): unlocking the account unlocks it everywhere.
void SqliteStore::forget_network_lockouts(AccountId id) {
    const std::string prefix = network_lockout_prefix(id);
    auto remove = db_.prepare("DELETE FROM throttle WHERE key >= ?1 AND key < ?2");
    remove->bind_all(prefix, prefix.substr(0, prefix.size() - 1) + ";");  // ':' + 1 == ';'
    remove->run();
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

}  // namespace myaccount
