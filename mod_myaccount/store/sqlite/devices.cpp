// The SQLite store's devices: sighted at sign-in, listed, disabled (with their sessions ended and
// their remembered browser forgotten) and enabled again.
#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Blob;
using sqlite::Transaction;

Store::DeviceSighting SqliteStore::sight_device(AccountId id, const std::string& token_hash,
                                                const std::string& client_ip, const std::string& user_agent,
                                                UnixTime now) {
    Transaction transaction(db_);
    DeviceSighting sighting;
    if (std::optional<Device> known = find_device(id, token_hash)) {
        sighting.device = std::move(*known);
        // A disabled device keeps what it was last seen as: the refused attempt is no sign-in.
        if (sighting.device.disabled_at == 0) {
            auto update = db_.prepare(
                "UPDATE devices SET last_sign_in_at = max(last_sign_in_at, ?2), last_ip = ?3, user_agent = ?4"
                " WHERE id = ?1");
            update->bind_all(sighting.device.id, now, client_ip, user_agent);
            update->run();
            sighting.device.last_sign_in_at = std::max(sighting.device.last_sign_in_at, now);
            sighting.device.last_ip = client_ip;
            sighting.device.user_agent = user_agent;
        }
    } else {
        auto count = db_.prepare("SELECT count(*) FROM devices WHERE account_id = ?1");
        count->bind_all(id);
        sighting.first_of_account = count->step() && count->column_int64(0) == 0;
        auto insert = db_.prepare(
            "INSERT INTO devices (account_id, token_hash, first_seen_at, last_sign_in_at, last_ip, user_agent)"
            " VALUES (?1, ?2, ?3, ?3, ?4, ?5)");
        insert->bind_all(id, Blob{token_hash}, now, client_ip, user_agent);
        insert->run();
        sighting.device = Device{db_.last_insert_rowid(), id, now, now, client_ip, user_agent, 0};
        sighting.is_new = true;
        auto forget = db_.prepare(
            "DELETE FROM devices WHERE account_id = ?1 AND disabled_at = 0 AND (last_sign_in_at < ?2 OR id NOT IN"
            " (SELECT id FROM devices WHERE account_id = ?1 AND disabled_at = 0"
            " ORDER BY last_sign_in_at DESC, id DESC LIMIT ?3))");
        forget->bind_all(id, now - device_memory, kept_devices);
        forget->run();
    }
    transaction.commit();
    return sighting;
}

std::optional<Device> SqliteStore::find_device(AccountId id, const std::string& token_hash) {
    auto statement =
        db_.prepare("SELECT " MYA_DEVICE_COLUMNS " FROM devices WHERE account_id = ?1 AND token_hash = ?2");
    statement->bind_all(id, Blob{token_hash});
    if (!statement->step()) return std::nullopt;
    return sqlite::read_device(*statement);
}

std::vector<Device> SqliteStore::devices_of(AccountId id) {
    auto statement = db_.prepare("SELECT " MYA_DEVICE_COLUMNS " FROM devices WHERE account_id = ?1"
                                 " ORDER BY last_sign_in_at DESC, id DESC");
    statement->bind_all(id);
    return sqlite::read_all(*statement, sqlite::read_device);
}

int SqliteStore::disable_device(AccountId id, std::int64_t device_id, const AuditEvent& event, UnixTime now) {
    Transaction transaction(db_);
    {
        auto disable = db_.prepare(
            "UPDATE devices SET disabled_at = CASE WHEN disabled_at = 0 THEN ?3 ELSE disabled_at END"
            " WHERE account_id = ?1 AND id = ?2");
        disable->bind_all(id, device_id, now);
        disable->run();
        sqlite::expect_changed(db_.changes(), "device of this account", device_id);
    }
    int ended = 0;
    {
        auto end = db_.prepare(
            "UPDATE sessions SET ended_at = ?3, end_reason = 'device_disabled' WHERE account_id = ?1"
            " AND device_id = ?2 AND ended_at = 0");
        end->bind_all(id, device_id, now);
        end->run();
        ended = static_cast<int>(db_.changes());
    }
    {
        auto forget = db_.prepare("DELETE FROM remembered_browsers WHERE account_id = ?1 AND device_id = ?2");
        forget->bind_all(id, device_id);
        forget->run();
    }
    insert_event(event, id);
    transaction.commit();
    return ended;
}

void SqliteStore::enable_device(AccountId id, std::int64_t device_id, const AuditEvent& event) {
    Transaction transaction(db_);
    {
        auto enable = db_.prepare("UPDATE devices SET disabled_at = 0 WHERE account_id = ?1 AND id = ?2");
        enable->bind_all(id, device_id);
        enable->run();
        sqlite::expect_changed(db_.changes(), "device of this account", device_id);
    }
    insert_event(event, id);
    transaction.commit();
}

}  // namespace myaccount
