// The SQLite store's sign-in bookkeeping: attempts recorded, failures counted into a lockout.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Transaction;

void SqliteStore::record_sign_in(const SignInAttempt& attempt, const LockoutRule& rule) {
    Transaction transaction(db_);
    {
        auto insert = db_.prepare(
            "INSERT INTO sign_in_attempts (username, account_id, at, client_ip, user_agent, method, result)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        insert->bind_all(attempt.username, attempt.account_id, attempt.at, attempt.client_ip, attempt.user_agent,
                         std::string_view(to_string(attempt.method)), std::string_view(to_string(attempt.result)));
        insert->run();
    }
    if (attempt.account_id && attempt.result == SignInResult::bad_password) {
        // Failures while locked are recorded as "locked" and never get here. A lock that has run
        // out starts a fresh count, so one more wrong password does not lock again at once. In an
        // UPDATE every right-hand side sees the old row, hence the repeated expression.
        auto count = db_.prepare(
            "UPDATE accounts SET"
            " failed_attempts = (CASE WHEN locked_until > 0 AND locked_until <= ?3 THEN 0 ELSE failed_attempts END) + 1,"
            " locked_until = CASE"
            "   WHEN ?2 > 0 AND (CASE WHEN locked_until > 0 AND locked_until <= ?3 THEN 0 ELSE failed_attempts END) + 1 >= ?2"
            "   THEN ?3 + ?4"
            "   WHEN locked_until > 0 AND locked_until <= ?3 THEN 0"
            "   ELSE locked_until END"
            " WHERE id = ?1");
        count->bind_all(*attempt.account_id, rule.threshold, attempt.at, rule.duration);
        count->run();
    } else if (attempt.account_id && attempt.result == SignInResult::success) {
        auto reset = db_.prepare("UPDATE accounts SET failed_attempts = 0 WHERE id = ?1");
        reset->bind_all(*attempt.account_id);
        reset->run();
    }
    transaction.commit();
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
