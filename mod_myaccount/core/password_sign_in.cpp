// Sign-in decisions: one hash per attempt, no difference visible between the ways it can fail.
#include "core/password_sign_in.hpp"

#include <chrono>
#include <thread>

#include "core/familiar_clients.hpp"
#include "core/text.hpp"

namespace myaccount {

namespace {
// How many characters of an unknown ID's keyed hash the record keeps: enough to see the same ID
// come back, too few to test guesses against offline.
constexpr std::size_t recorded_hash_length = 16;
// How long a full network key is asked again (take_network_place): 5 × 50 ms, a few hash times.
// The attempt keeps its hashing admission meanwhile, so a longer wait would let locked guesses
// fill the admissions (everyone's sign-ins then read "busy") far more cheaply than a hash does.
constexpr int network_place_tries = 5;
constexpr std::chrono::milliseconds network_place_retry{50};
}  // namespace

namespace {

// A place taken under a throttle for this attempt: given back when it goes out of scope unless
// the attempt is to keep it (a wrong password), so an exception on the way (HashingBusy, a store
// error) never leaves a place taken by a password that was not checked.
class Place {
public:
    Place(Store& store, std::string key, std::int64_t window, UnixTime now)
        : store_(store), key_(std::move(key)), window_(window), now_(now) {}
    Place(const Place&) = delete;
    Place& operator=(const Place&) = delete;
    ~Place() {
        if (key_.empty() || kept_) return;
        try {
            store_.throttle_release(key_, window_, now_);
        } catch (...) {
            // A place not given back only ends with its window.
        }
    }
    void keep() { kept_ = true; }
    // A right password: the count of this key starts over (the address's place is just given back).
    void clear() {
        if (!key_.empty()) store_.throttle_forget(key_);
        kept_ = true;
    }

private:
    Store& store_;
    std::string key_;
    std::int64_t window_;
    UnixTime now_;
    bool kept_ = false;
};

}  // namespace

PasswordSignIn::Outcome PasswordSignIn::sign_in(const std::string& username, std::string_view password,
                                                const ClientInfo& client, SignInMethod method, UnixTime now) {
    // First the hashing turn: an attempt turned away as busy must not hold a throttle place or
    // leave a record (in a storm, those writes would slow the sign-ins that do get a turn).
    const PasswordHasher::Turn hashing = hasher_.turn();
    const std::string address = address_key(client);
    if (!take_place(address, throttle_.limit, throttle_.window, now)) {
        hashing.verify_dummy(password);  // the same time as any other answer
        return {SignInResult::locked, std::nullopt};
    }
    Place address_place(store_, address, throttle_.window, now);
    std::optional<Account> account;
    if (is_valid_username(username)) account = store_.find_account(username);
    if (!account) {
        hashing.verify_dummy(password);
        record(username, account, client, method, SignInResult::unknown_user, now);
        address_place.keep();
        Outcome outcome{SignInResult::unknown_user, std::nullopt};
        // An unknown ID is counted by the same two rules as an account, under its keyed hash.
        const std::string id_hash = unknown_id_hash(username);
        if (!id_hash.empty()) {
            const std::string key = network_key("signin-net:u" + id_hash.substr(0, recorded_hash_length) + ":", client);
            const bool network_open = take_network_place(key, now);
            Place network_place(store_, network_open ? key : std::string(), lockout_.duration, now);
            outcome.unknown_id_locked = !network_open || unknown_id_locked(id_hash, now);
            if (!outcome.unknown_id_locked) network_place.keep();
        }
        return outcome;
    }
    const std::string key = network_key(Store::network_lockout_prefix(account->id), client);
    const bool network_open = take_network_place(key, now);
    Place network_place(store_, network_open ? key : std::string(), lockout_.duration, now);
    SignInResult result = judge(hashing, *account, password, client, network_open, now);
    record(username, account, client, method, result, now);
    if (result == SignInResult::success) {
        count_success(store_, account->id);
        network_place.clear();
        return {result, std::move(account)};
    }
    // Every refusal counts toward the address throttle; only a wrong password toward the lockouts
    // (failures while locked would only stretch the lock; a right password or a disabled account
    // is no guess).
    address_place.keep();
    if (result == SignInResult::bad_password) {
        count_failure(store_, account->id, lockout_.account_wide(), now);
        network_place.keep();
    }
    return {result, std::nullopt};
}

PasswordSignIn::Proof PasswordSignIn::reauthenticate(const Account& account, std::string_view password,
                                                     const ClientInfo& client, SignInMethod method, UnixTime now) {
    switch (sign_in(account.username, password, client, method, now).result) {
    case SignInResult::success: return Proof::proven;
    case SignInResult::locked: return Proof::locked;
    default: return Proof::wrong;
    }
}

SignInResult PasswordSignIn::judge(const PasswordHasher::Turn& hashing, const Account& account,
                                   std::string_view password, const ClientInfo& client, bool network_open,
                                   UnixTime now) {
    // verify() of an empty hash spends a dummy verification and never matches.
    PasswordHasher::Verdict verdict = hashing.verify(account.password_hash, password);
    // The hash runs first in every case so a locked or disabled account answers in the same time.
    if (account.disabled) return SignInResult::disabled;
    if (!network_open) return SignInResult::locked;
    if (is_locked(LockoutState{account.failed_attempts, account.locked_until}, now) &&
        !is_familiar(store_, account, client, now))
        return SignInResult::locked;
    if (!verdict.match) return SignInResult::bad_password;
    // The right password, and still no: its owner said someone else signed in ("This wasn't me").
    if (account.password_reset_required) return SignInResult::password_reset_required;
    if (verdict.needs_rehash) {
        // Imported htpasswd hashes and weaker parameters move to the configured argon2id here.
        store_.upgrade_password_hash(account.id, account.password_hash, hashing.hash(password), now);
    }
    return SignInResult::success;
}

bool PasswordSignIn::locked_for(const Account& account, const ClientInfo& client, UnixTime now) {
    const std::string address = address_key(client);
    if (!address.empty() && store_.throttle_hits(address, throttle_.window, now) >= throttle_.limit) return true;
    const std::string network = network_key(Store::network_lockout_prefix(account.id), client);
    if (!network.empty() && store_.throttle_hits(network, lockout_.duration, now) >= lockout_.threshold) return true;
    return is_locked(LockoutState{account.failed_attempts, account.locked_until}, now) &&
           !is_familiar(store_, account, client, now);
}

std::string PasswordSignIn::address_key(const ClientInfo& client) const {
    return throttle_.limit <= 0 || client.ip.empty() ? std::string() : "signin-fail:" + throttled_network(client.ip);
}

std::string PasswordSignIn::network_key(const std::string& prefix, const ClientInfo& client) const {
    if (lockout_.threshold <= 0 || client.ip.empty()) return {};
    return prefix + lockout_network(client.ip);
}

// A network's places are few (the lockout threshold) and an attempt keeps its place only when its
// password was wrong: a full key may be attempts still being checked (a script's parallel requests,
// a sign-in storm) rather than failures. So a full key is asked again for a short while before the
// attempt reads "locked"; failures that filled it keep it full, and those attempts are refused
// as before, later.
bool PasswordSignIn::take_network_place(const std::string& key, UnixTime now) {
    for (int tries = 1;; ++tries) {
        if (take_place(key, lockout_.threshold, lockout_.duration, now)) return true;
        if (tries == network_place_tries) return false;
        std::this_thread::sleep_for(network_place_retry);
    }
}

bool PasswordSignIn::take_place(const std::string& key, std::int64_t limit, std::int64_t window, UnixTime now) {
    return key.empty() || store_.throttle_take({{key, limit}}, window, now);
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

bool PasswordSignIn::unknown_id_locked(const std::string& id_hash, UnixTime now) {
    const LockoutRule rule = lockout_.account_wide();
    if (rule.threshold <= 0) return false;
    if (is_locked(store_.unknown_id_lockout(id_hash), now)) return true;
    count_unknown_id_failure(store_, id_hash, rule, now);
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
