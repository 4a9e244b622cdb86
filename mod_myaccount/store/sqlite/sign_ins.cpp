// The SQLite store's sign-in bookkeeping: attempts recorded, lockout counters (the password's and the
// second step's) kept by compare-and-set.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Transaction;

void SqliteStore::record_sign_in(const SignInAttempt& attempt) {
    write_alone("INSERT INTO sign_in_attempts (username, account_id, at, client_ip, user_agent, method, result)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                attempt.username, attempt.account_id, attempt.at, attempt.client_ip, attempt.user_agent,
                std::string_view(to_string(attempt.method)), std::string_view(to_string(attempt.result)));
}

LockoutState SqliteStore::account_lockout(std::string_view select, AccountId id) {
    auto statement = db_.prepare(select);
    statement->bind_all(id);
    if (!statement->step()) throw StoreError(StoreError::Kind::not_found, "no account " + std::to_string(id));
    return {statement->column_int64(0), statement->column_int64(1)};
}

LockoutState SqliteStore::lockout_of(AccountId id) {
    return account_lockout("SELECT failed_attempts, locked_until FROM accounts WHERE id = ?1", id);
}

bool SqliteStore::replace_lockout(AccountId id, const LockoutState& expected, const LockoutState& next) {
    return write_alone("UPDATE accounts SET failed_attempts = ?4, locked_until = ?5"
                       " WHERE id = ?1 AND failed_attempts = ?2 AND locked_until = ?3",
                       id, expected.failures, expected.locked_until, next.failures, next.locked_until) == 1;
}

// The second step's counters, kept apart: a known password neither adds to nor clears them.
LockoutState SqliteStore::second_factor_lockout_of(AccountId id) {
    return account_lockout("SELECT second_factor_failures, second_factor_locked_until FROM accounts WHERE id = ?1",
                           id);
}

bool SqliteStore::replace_second_factor_lockout(AccountId id, const LockoutState& expected,
                                                const LockoutState& next) {
    return write_alone("UPDATE accounts SET second_factor_failures = ?4, second_factor_locked_until = ?5"
                       " WHERE id = ?1 AND second_factor_failures = ?2 AND second_factor_locked_until = ?3",
                       id, expected.failures, expected.locked_until, next.failures, next.locked_until) == 1;
}

LockoutState SqliteStore::unknown_id_lockout(const std::string& id_hash) {
    auto statement = db_.prepare("SELECT failures, locked_until FROM unknown_id_lockouts WHERE id_hash = ?1");
    statement->bind_all(id_hash);
    if (!statement->step()) return {};
    return {statement->column_int64(0), statement->column_int64(1)};
}

bool SqliteStore::replace_unknown_id_lockout(const std::string& id_hash, const LockoutState& expected,
                                             const LockoutState& next) {
    Transaction transaction(db_);
    std::int64_t changed = 0;
    if (expected == LockoutState{}) {
        // No row reads as {0, 0}: the first failure inserts one, unless another caller did first.
        auto insert = db_.prepare(
            "INSERT INTO unknown_id_lockouts (id_hash, failures, locked_until) VALUES (?1, ?2, ?3)"
            " ON CONFLICT (id_hash) DO NOTHING");
        insert->bind_all(id_hash, next.failures, next.locked_until);
        insert->run();
        changed = db_.changes();
    }
    if (changed == 0) {
        auto update = db_.prepare(
            "UPDATE unknown_id_lockouts SET failures = ?4, locked_until = ?5"
            " WHERE id_hash = ?1 AND failures = ?2 AND locked_until = ?3");
        update->bind_all(id_hash, expected.failures, expected.locked_until, next.failures, next.locked_until);
        update->run();
        changed = db_.changes();
    }
    transaction.commit();
    return changed == 1;
}

std::vector<std::string> SqliteStore::sign_in_addresses(AccountId id, UnixTime since, int limit) {
    auto statement = db_.prepare(
        "SELECT client_ip FROM sign_in_attempts WHERE account_id = ?1 AND at >= ?2 AND result = 'success'"
        " GROUP BY client_ip ORDER BY max(at) DESC LIMIT ?3");
    statement->bind_all(id, since, std::int64_t{limit});
    std::vector<std::string> addresses;
    while (statement->step()) addresses.push_back(statement->column_text(0));
    return addresses;
}

std::vector<SignInAttempt> SqliteStore::recent_sign_ins(AccountId id, int limit) {
    auto statement = db_.prepare(
        "SELECT " MYA_SIGN_IN_COLUMNS " FROM sign_in_attempts"
        " WHERE account_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2");
    statement->bind_all(id, std::int64_t{limit});
    std::vector<SignInAttempt> attempts;
    while (statement->step()) attempts.push_back(sqlite::read_sign_in(*statement));
    return attempts;
}

}  // namespace myaccount
