// The SQLite store's sessions: created, found with their account, touched, replaced, ended, pruned.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Blob;
using sqlite::Transaction;

std::int64_t SqliteStore::create_session(const Session& session) {
    Transaction transaction(db_);
    std::int64_t id = insert_session(session);
    transaction.commit();
    return id;
}

std::int64_t SqliteStore::insert_session(const Session& session) {
    // A session whose caller names no sign-in time began with its password: created_at.
    auto insert = db_.prepare(
        "INSERT INTO sessions (token_hash, account_id, security_stamp, created_at, last_seen_at, expires_at,"
        " ended_at, end_reason, client_ip, user_agent, data, signed_in_at, second_factor_at, device_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CASE WHEN ?12 = 0 THEN ?4 ELSE ?12 END, ?13,"
        " nullif(?14, 0))");
    insert->bind_all(Blob{session.token_hash}, session.account_id, session.security_stamp, session.created_at,
                     session.last_seen_at, session.expires_at, session.ended_at, session.end_reason, session.client_ip,
                     session.user_agent, session.data, session.signed_in_at, session.second_factor_at,
                     session.device_id);
    insert->run();
    return db_.last_insert_rowid();
}

std::int64_t SqliteStore::replace_session(std::int64_t old_session, const std::string& reason, const Session& fresh) {
    Transaction transaction(db_);
    {
        // Conditional on the old session still being active (and the fresh one's account's): when
        // sign out everywhere ended it first, no fresh session may outlive it.
        auto end = db_.prepare(
            "UPDATE sessions SET ended_at = ?4, end_reason = ?3 WHERE id = ?1 AND account_id = ?2 AND ended_at = 0");
        end->bind_all(old_session, fresh.account_id, reason, fresh.created_at);
        end->run();
        if (db_.changes() == 0) {
            throw StoreError(StoreError::Kind::conflict,
                             "session " + std::to_string(old_session) + " is no longer active: not replaced");
        }
    }
    std::int64_t id = insert_session(fresh);
    transaction.commit();
    return id;
}

std::optional<Store::SessionWithAccount> SqliteStore::find_session(const std::string& token_hash) {
    // One statement: the session, its account and the account's e-mails in one snapshot. This is
    // the query every signed-in request makes.
    auto statement = db_.prepare("SELECT " MYA_SESSION_COLUMNS("s.") ", " MYA_ACCOUNT_COLUMNS("a.") ", "
                                 MYA_ACCOUNT_EMAILS("a.") ", " MYA_ACCOUNT_ORGANIZATION_MFA("a.")
                                 " FROM sessions s JOIN accounts a ON a.id = s.account_id"
                                 " WHERE s.token_hash = ?1");
    statement->bind_all(Blob{token_hash});
    if (!statement->step()) return std::nullopt;
    using sqlite::account_column_count;
    using sqlite::session_column_count;
    SessionWithAccount found{sqlite::read_session(*statement, 0),
                             sqlite::read_account(*statement, session_column_count)};
    found.account.emails = sqlite::read_emails(*statement, session_column_count + account_column_count);
    found.account.organization_mfa =
        sqlite::read_organization_mfa(*statement, session_column_count + account_column_count + 1);
    return found;
}

void SqliteStore::touch_session(std::int64_t session_id, UnixTime now) {
    // max(): requests finishing out of order must not move last_seen_at backwards.
    write_alone("UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE id = ?1", session_id, now);
}

void SqliteStore::note_second_factor(std::int64_t session_id, UnixTime at) {
    write_alone("UPDATE sessions SET second_factor_at = ?2 WHERE id = ?1 AND ended_at = 0 AND second_factor_at = 0",
                session_id, at);
}

void SqliteStore::update_session_data(std::int64_t session_id, const std::string& data) {
    write_alone("UPDATE sessions SET data = ?2 WHERE id = ?1", session_id, data);
}

void SqliteStore::end_session(std::int64_t session_id, const std::string& reason, UnixTime now) {
    // The first reason wins: ending an ended session changes nothing.
    write_alone("UPDATE sessions SET ended_at = ?3, end_reason = ?2 WHERE id = ?1 AND ended_at = 0", session_id, reason,
                now);
}

int SqliteStore::end_all_sessions(AccountId id, const std::string& reason, UnixTime now) {
    Transaction transaction(db_);
    int ended = end_active_sessions(id, reason, now);
    transaction.commit();
    return ended;
}

int SqliteStore::end_other_sessions(AccountId id, std::int64_t keep, const AuditEvent& event, UnixTime now) {
    Transaction transaction(db_);
    auto update = db_.prepare(
        "UPDATE sessions SET ended_at = ?3, end_reason = 'ended_by_user' WHERE account_id = ?1 AND id <> ?2"
        " AND ended_at = 0 AND expires_at > ?3");
    update->bind_all(id, keep, now);
    update->run();
    const int ended = static_cast<int>(db_.changes());
    insert_event(event, id);
    transaction.commit();
    return ended;
}

int SqliteStore::sign_out_everywhere(AccountId id, const AuditEvent& event, UnixTime now) {
    Transaction transaction(db_);
    const int ended = sign_out_all(id, "signed_out_everywhere", now);
    insert_event(event, id);
    transaction.commit();
    return ended;
}

int SqliteStore::sign_out_all(AccountId id, const std::string& reason, UnixTime now) {
    {
        auto bump =
            db_.prepare("UPDATE accounts SET security_stamp = security_stamp + 1, updated_at = ?2 WHERE id = ?1");
        bump->bind_all(id, now);
        bump->run();
        expect_account_changed(id);
    }
    const int ended = end_active_sessions(id, reason, now);
    auto forget = db_.prepare("DELETE FROM remembered_browsers WHERE account_id = ?1");
    forget->bind_all(id);
    forget->run();
    return ended;
}

Store::NotMe SqliteStore::report_not_me(AccountId id, UnixTime added_since, const AuditEvent& event, UnixTime now) {
    Transaction transaction(db_);
    NotMe done;
    done.sessions_ended = sign_out_all(id, "not_me", now);
    {
        // Suspended: not active (nothing that asks for active methods sees them) and marked, so
        // they are neither pruned as unproven nor forgotten.
        auto suspend = db_.prepare(
            "UPDATE verification_methods SET active = 0, suspended_at = ?3, is_default = 0"
            " WHERE account_id = ?1 AND active = 1 AND created_at >= ?2");
        suspend->bind_all(id, added_since, now);
        suspend->run();
        done.methods_suspended = static_cast<int>(db_.changes());
    }
    default_if_none(id, std::nullopt);  // the default was a suspended one: the oldest that remains
    {
        // App passwords made in the window are credentials an intruder may hold: gone.
        auto revoke = db_.prepare("DELETE FROM app_passwords WHERE account_id = ?1 AND created_at >= ?2");
        revoke->bind_all(id, added_since);
        revoke->run();
        done.app_passwords_revoked = static_cast<int>(db_.changes());
    }
    {
        auto require = db_.prepare("UPDATE accounts SET password_reset_required = 1 WHERE id = ?1");
        require->bind_all(id);
        require->run();
    }
    insert_event(event, id);
    transaction.commit();
    return done;
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
    auto statement = db_.prepare("SELECT " MYA_SESSION_COLUMNS(
        "") " FROM sessions WHERE account_id = ?1"
            " AND (?2 = 0 OR (ended_at = 0 AND expires_at > ?3))"
            " ORDER BY last_seen_at DESC, id DESC");
    statement->bind_all(id, std::int64_t{active_only ? 1 : 0}, now);
    std::vector<Session> sessions;
    while (statement->step()) sessions.push_back(sqlite::read_session(*statement, 0));
    return sessions;
}

int SqliteStore::prune_sessions(UnixTime before) {
    Transaction transaction(db_);
    int pruned = 0;
    {
        auto remove = db_.prepare("DELETE FROM sessions WHERE (ended_at > 0 AND ended_at < ?1) OR expires_at < ?1");
        remove->bind_all(before);
        remove->run();
        pruned = static_cast<int>(db_.changes());
    }
    // An expired remembered browser serves no more, like an expired session.
    auto forget = db_.prepare("DELETE FROM remembered_browsers WHERE expires_at < ?1");
    forget->bind_all(before);
    forget->run();
    transaction.commit();
    return pruned;
}

}  // namespace myaccount
