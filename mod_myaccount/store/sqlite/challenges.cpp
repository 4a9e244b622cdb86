// The SQLite store's challenges: codes issued and checked, flows completed (an address registered as
// a method, a second step passed, a password reset).
#include "store/sqlite/sqlite_store.hpp"

#include "core/challenge.hpp"
#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Blob;
using sqlite::Transaction;

// --- challenges

std::int64_t SqliteStore::create_challenge(const Challenge& challenge) {
    Transaction transaction(db_);
    auto insert = db_.prepare(
        "INSERT INTO challenges (token_hash, purpose, account_id, username, security_stamp, created_at, expires_at,"
        " completed_at, target, code_hash, code_expires_at, code_attempts, delivery, proven, client_ip)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    insert->bind_all(Blob{challenge.token_hash}, std::string_view(to_string(challenge.purpose)), challenge.account_id,
                     challenge.username, challenge.security_stamp, challenge.created_at, challenge.expires_at,
                     challenge.completed_at, challenge.target, Blob{challenge.code_hash}, challenge.code_expires_at,
                     challenge.code_attempts, challenge.delivery, sqlite::join_ids(challenge.proven),
                     challenge.client_ip);
    insert->run();
    std::int64_t id = db_.last_insert_rowid();
    transaction.commit();
    return id;
}

std::optional<Challenge> SqliteStore::find_challenge(const std::string& token_hash, ChallengePurpose purpose) {
    auto statement =
        db_.prepare("SELECT " MYA_CHALLENGE_COLUMNS " FROM challenges WHERE token_hash = ?1 AND purpose = ?2");
    statement->bind_all(Blob{token_hash}, std::string_view(to_string(purpose)));
    if (!statement->step()) return std::nullopt;
    return sqlite::read_challenge(*statement);
}

Challenge SqliteStore::challenge_by_id(std::int64_t id) {
    auto statement = db_.prepare("SELECT " MYA_CHALLENGE_COLUMNS " FROM challenges WHERE id = ?1");
    statement->bind_all(id);
    if (!statement->step()) {
        throw StoreError(StoreError::Kind::not_found, "no challenge with id " + std::to_string(id));
    }
    return sqlite::read_challenge(*statement);
}

Challenge SqliteStore::open_challenge(std::int64_t id, ChallengePurpose purpose, UnixTime now) {
    Challenge challenge = challenge_by_id(id);
    const char* problem = nullptr;
    if (challenge.purpose != purpose) {
        problem = "serves another purpose";
    } else if (challenge.completed_at != 0) {
        problem = "is completed already";
    } else if (challenge.expires_at <= now) {
        problem = "has expired";
    } else if (!challenge.account_id) {
        problem = "belongs to no account";
    }
    if (problem != nullptr) {
        throw StoreError(StoreError::Kind::conflict, "challenge " + std::to_string(id) + " " + problem);
    }
    return challenge;
}

void SqliteStore::close_challenge(std::int64_t id, UnixTime now) {
    // A completed challenge keeps no code: nothing about it can be guessed any more.
    auto update = db_.prepare(
        "UPDATE challenges SET completed_at = ?2, code_hash = x'', code_expires_at = 0 WHERE id = ?1");
    update->bind_all(id, now);
    update->run();
}

void SqliteStore::issue_code(std::int64_t challenge, const std::string& target, const std::string& code_hash,
                             UnixTime code_expires_at) {
    std::int64_t changed = write_alone(
        "UPDATE challenges SET target = ?2, code_hash = ?3, code_expires_at = ?4, code_attempts = 0, delivery = ''"
        " WHERE id = ?1",
        challenge, target, Blob{code_hash}, code_expires_at);
    sqlite::expect_changed(changed, "challenge", challenge);
}

void SqliteStore::set_delivery(std::int64_t challenge, const std::string& delivery) {
    // The schema's CHECK refuses anything but "", "sent" and "failed" (StoreError invalid).
    std::int64_t changed = write_alone("UPDATE challenges SET delivery = ?2 WHERE id = ?1", challenge, delivery);
    sqlite::expect_changed(changed, "challenge", challenge);
}

Store::CodeCheck SqliteStore::check_code(std::int64_t id, const std::string& code_hash, int max_attempts,
                                         UnixTime now) {
    // BEGIN IMMEDIATE before the read: a second process posting the same code waits for this
    // one to finish and then finds the code used up. The rules are the core's.
    Transaction transaction(db_);
    const CodeVerdict verdict = judge_code_guess(challenge_by_id(id), code_hash, max_attempts, now);
    if (verdict.next) {
        const CodeState& next = *verdict.next;
        auto write = db_.prepare(
            "UPDATE challenges SET code_hash = ?2, code_expires_at = ?3, code_attempts = ?4, proven = ?5 WHERE id = "
            "?1");
        write->bind_all(id, Blob{next.code_hash}, next.code_expires_at, next.code_attempts,
                        sqlite::join_ids(next.proven));
        write->run();
        transaction.commit();
    }
    return verdict.result;
}

bool SqliteStore::add_challenge_proof(std::int64_t id, std::int64_t method_id, UnixTime now) {
    Transaction transaction(db_);
    Challenge challenge = challenge_by_id(id);
    if (!is_open(challenge, now)) return false;
    challenge.proven.push_back(method_id);
    auto write = db_.prepare("UPDATE challenges SET proven = ?2 WHERE id = ?1");
    write->bind_all(id, sqlite::join_ids(challenge.proven));
    write->run();
    transaction.commit();
    return true;
}

std::int64_t SqliteStore::complete_email_registration(std::int64_t id, const AuditEvent& event, std::size_t at_most) {
    VerificationMethod method;
    method.kind = MethodKind::email;
    return complete_address_registration(id, ChallengePurpose::add_email, method, event, at_most);
}

std::int64_t SqliteStore::complete_phone_registration(std::int64_t id, PhoneType type, const std::string& label,
                                                      const AuditEvent& event, std::size_t at_most) {
    VerificationMethod method;
    method.kind = MethodKind::phone;
    method.phone_type = type;
    method.label = label;
    return complete_address_registration(id, ChallengePurpose::add_phone, method, event, at_most);
}

// The challenge's proven target becomes `method`'s address on the challenge's account.
std::int64_t SqliteStore::complete_address_registration(std::int64_t id, ChallengePurpose purpose,
                                                        VerificationMethod method, const AuditEvent& event,
                                                        std::size_t at_most) {
    Transaction transaction(db_);
    const Challenge challenge = accepted_challenge(id, purpose, event.at);
    if (challenge.target.empty()) {
        throw StoreError(StoreError::Kind::conflict, "challenge " + std::to_string(id) + " has no address");
    }
    const AccountId account = *challenge.account_id;
    const std::string_view kind = to_string(method.kind);
    method.account_id = account;
    method.address = challenge.target;
    method.created_at = event.at;
    method.created_ip = event.client_ip;
    {
        // The cap, again at the last moment: two registrations begun side by side were both under it.
        auto count = db_.prepare(
            "SELECT count(*), sum(address = ?3) FROM verification_methods WHERE account_id = ?1 AND kind = ?2");
        count->bind_all(account, kind, method.address);
        count->step();
        const bool known = count->column_int64(1) > 0;
        if (!known && static_cast<std::size_t>(count->column_int64(0)) >= at_most)
            throw StoreError(StoreError::Kind::conflict, "the account has " + std::to_string(at_most) + " " +
                                                             std::string(kind) + " methods already");
    }
    {
        // An address the account has already (in any letter case) stays as it is.
        auto insert = db_.prepare(
            "INSERT INTO verification_methods (account_id, kind, address, label, phone_type, created_at, created_ip)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            " ON CONFLICT (account_id, kind, address) WHERE kind IN ('email', 'phone') DO NOTHING");
        insert->bind_all(account, kind, method.address, method.label, std::string_view(to_string(method.phone_type)),
                         method.created_at, method.created_ip);
        insert->run();
    }
    std::int64_t method_id = 0;
    {
        auto select = db_.prepare(
            "SELECT id FROM verification_methods WHERE account_id = ?1 AND kind = ?2 AND address = ?3");
        select->bind_all(account, kind, method.address);
        if (!select->step()) throw StoreError(StoreError::Kind::io, "verification method vanished while adding it");
        method_id = select->column_int64(0);
    }
    {
        // The address was just proven by its owner: one that "This wasn't me" had suspended serves again.
        auto revive = db_.prepare("UPDATE verification_methods SET active = 1, suspended_at = 0"
                                  " WHERE id = ?1 AND suspended_at > 0");
        revive->bind_all(method_id);
        revive->run();
    }
    // The account's first method that may be one is the one the verify step offers first.
    default_if_none(account, method_id);
    close_challenge(id, event.at);
    insert_event(event, account);
    transaction.commit();
    return method_id;
}

void SqliteStore::complete_second_factor(std::int64_t id, UnixTime now) {
    Transaction transaction(db_);
    const Challenge challenge = accepted_challenge(id, ChallengePurpose::second_factor, now);
    for (std::int64_t method_id : challenge.proven) mark_used(*challenge.account_id, method_id, now);
    close_challenge(id, now);
    transaction.commit();
}

Challenge SqliteStore::accepted_challenge(std::int64_t id, ChallengePurpose purpose, UnixTime now) {
    Challenge challenge = open_challenge(id, purpose, now);
    if (challenge.proven.empty()) {
        throw StoreError(StoreError::Kind::conflict, "challenge " + std::to_string(id) + " has no accepted code");
    }
    return challenge;
}

void SqliteStore::complete_reset(std::int64_t id, std::int64_t expected_stamp, const std::string& new_hash,
                                 const AuditEvent& event) {
    Transaction transaction(db_);
    const Challenge challenge = open_challenge(id, ChallengePurpose::reset, event.at);
    const AccountId account = *challenge.account_id;
    {
        // Compare-and-set on the stamp: the caller says which one it expects (BEGIN IMMEDIATE holds
        // the write lock from this read to the commit).
        auto stamp = db_.prepare("SELECT security_stamp FROM accounts WHERE id = ?1");
        stamp->bind_all(account);
        if (!stamp->step() || stamp->column_int64(0) != expected_stamp) {
            throw StoreError(StoreError::Kind::conflict,
                             "challenge " + std::to_string(id) + ": the account changed since the reset began");
        }
    }
    replace_password_hash(account, new_hash, /*end_sessions=*/true, event.at);
    clear_lockout(account, event.at);
    end_active_sessions(account, "password_reset", event.at);
    close_challenge(id, event.at);
    insert_event(event, account);
    transaction.commit();
}

int SqliteStore::prune_challenges(UnixTime before) {
    Transaction transaction(db_);
    int pruned = 0;
    {
        auto remove = db_.prepare("DELETE FROM challenges WHERE expires_at < ?1");
        remove->bind_all(before);
        remove->run();
        pruned = static_cast<int>(db_.changes());
    }
    {
        auto forget = db_.prepare("DELETE FROM throttle WHERE window_end < ?1");
        forget->bind_all(before);
        forget->run();
    }
    // A lapsed lock starts a fresh count at the next failure, just as no record at all does.
    auto lapsed = db_.prepare("DELETE FROM unknown_id_lockouts WHERE locked_until > 0 AND locked_until < ?1");
    lapsed->bind_all(before);
    lapsed->run();
    transaction.commit();
    return pruned;
}

}  // namespace myaccount
