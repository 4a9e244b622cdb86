// Sign-in decisions: one hash per attempt, no difference visible between the ways it can fail.
#include "core/password_sign_in.hpp"

#include "core/text.hpp"

namespace myaccount {

namespace {
// How many characters of an unknown ID's keyed hash the record keeps: enough to see the same ID
// come back, too few to test guesses against offline.
constexpr std::size_t recorded_hash_length = 16;
}  // namespace

PasswordSignIn::Outcome PasswordSignIn::sign_in(const std::string& username, std::string_view password,
                                                const ClientInfo& client, SignInMethod method, UnixTime now) {
    if (address_throttled(client, now)) {
        hasher_.verify_dummy(password);  // the same time as any other answer
        return {SignInResult::locked, std::nullopt};
    }
    std::optional<Account> account;
    if (is_valid_username(username)) account = store_.find_account(username);
    if (!account) {
        hasher_.verify_dummy(password);
        record(username, account, client, method, SignInResult::unknown_user, now);
        count_address_failure(client, now);
        Outcome outcome{SignInResult::unknown_user, std::nullopt};
        outcome.unknown_id_locked = unknown_id_locked(username, now);
        return outcome;
    }
    SignInResult result = judge(*account, password, now);
    record(username, account, client, method, result, now);
    // Failures while locked do not count (they would only stretch the lock).
    if (result == SignInResult::bad_password) count_failure(store_, account->id, lockout_, now);
    if (result == SignInResult::success) count_success(store_, account->id);
    if (result != SignInResult::success) {
        count_address_failure(client, now);
        return {result, std::nullopt};
    }
    return {result, std::move(account)};
}

PasswordSignIn::Proof PasswordSignIn::reauthenticate(const Account& account, std::string_view password,
                                                     const ClientInfo& client, SignInMethod method, UnixTime now) {
    switch (sign_in(account.username, password, client, method, now).result) {
    case SignInResult::success: return Proof::proven;
    case SignInResult::locked: return Proof::locked;
    default: return Proof::wrong;
    }
}

SignInResult PasswordSignIn::judge(const Account& account, std::string_view password, UnixTime now) {
    // verify() of an empty hash spends a dummy verification and never matches.
    PasswordHasher::Verdict verdict = hasher_.verify(account.password_hash, password);
    // The hash runs first in every case so a locked or disabled account answers in the same time.
    if (account.disabled) return SignInResult::disabled;
    if (is_locked(LockoutState{account.failed_attempts, account.locked_until}, now)) return SignInResult::locked;
    if (!verdict.match) return SignInResult::bad_password;
    // The right password, and still no: its owner said someone else signed in ("This wasn't me").
    if (account.password_reset_required) return SignInResult::password_reset_required;
    if (verdict.needs_rehash) {
        // Imported htpasswd hashes and weaker parameters move to the configured argon2id here.
        store_.upgrade_password_hash(account.id, account.password_hash, hasher_.hash(password), now);
    }
    return SignInResult::success;
}

namespace {
std::string address_key(const ClientInfo& client) { return "signin-fail:" + throttled_network(client.ip); }
}  // namespace

bool PasswordSignIn::address_throttled(const ClientInfo& client, UnixTime now) {
    if (throttle_.limit <= 0 || client.ip.empty()) return false;
    return store_.throttle_hits(address_key(client), throttle_.window, now) >= throttle_.limit;
}

void PasswordSignIn::count_address_failure(const ClientInfo& client, UnixTime now) {
    if (throttle_.limit <= 0 || client.ip.empty()) return;
    store_.throttle_hit(address_key(client), throttle_.window, now);
}

// An unknown ID keeps a lockout record of its own (by a keyed hash of the ID) that follows the very
// rule an account's does, so the two read alike whatever the timing of the failures. Locked answers
// do not count, as they do not for real accounts.
std::string PasswordSignIn::unknown_id_hash(const std::string& username) const {
    return id_key_ ? id_key_->mac("signin-id", ascii_lower(username)) : std::string();
}

std::string PasswordSignIn::unknown_id_record(const std::string& username) const {
    const std::string hash = unknown_id_hash(username);
    return hash.empty() ? "unknown" : "unknown:" + hash.substr(0, recorded_hash_length);
}

bool PasswordSignIn::unknown_id_locked(const std::string& username, UnixTime now) {
    if (!id_key_ || lockout_.threshold <= 0) return false;
    const std::string id_hash = unknown_id_hash(username);
    if (is_locked(store_.unknown_id_lockout(id_hash), now)) return true;
    count_unknown_id_failure(store_, id_hash, lockout_, now);
    return false;
}

void PasswordSignIn::record(const std::string& username, const std::optional<Account>& account,
                            const ClientInfo& client, SignInMethod method, SignInResult result, UnixTime now) {
    SignInAttempt attempt;
    // An ID that names no account is often a password typed into the wrong field: it is never
    // kept as typed, only as a keyed hash of it (the lockout of unknown IDs uses the same one).
    attempt.username = account ? account->username : unknown_id_record(username);
    if (account) attempt.account_id = account->id;
    attempt.at = now;
    attempt.client_ip = client.ip;
    attempt.user_agent = client.user_agent;
    attempt.method = method;
    attempt.result = result;
    store_.record_sign_in(attempt);
}

}  // namespace myaccount
