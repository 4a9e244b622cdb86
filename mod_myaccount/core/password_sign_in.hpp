// Checks a sign-in ID and password against the store: lockout, disabled accounts, audit, rehash.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/client_info.hpp"
#include "core/crypto.hpp"
#include "core/defaults.hpp"
#include "core/lockout.hpp"
#include "core/model.hpp"
#include "core/password_hasher.hpp"
#include "core/store.hpp"

namespace myaccount {

// Failed passwords one client address may make in a window, all accounts together. Past the
// limit the address's passwords are refused unchecked until the window ends, and count toward
// no account's lockout: one address cannot lock everyone out cheaply. Each attempt takes its place
// under the limit before its password is checked (given back when it was right), so a burst of
// parallel guesses cannot slip past it.
struct AddressThrottle {
    std::int64_t limit = defaults::address_throttle_limit.value;    // 0 = no per-address limit
    std::int64_t window = defaults::address_throttle_window.value;  // seconds
};

// The password step of signing in. Named for what it checks: further ways to prove who one is
// (an authenticator app, a phone, recovery codes) get classes of their own beside it.
//
// Smart lockout: wrong passwords are counted per account and client network (lockout_network);
// `lockout.threshold` of them within `lockout.duration` lock the account for that network only.
// `lockout.account_threshold` consecutive failures from anywhere lock it for every client that is
// not familiar (core/familiar_clients.hpp): the owner's own browser and networks still sign in.
class PasswordSignIn {
public:
    // With `id_key`, unknown sign-in IDs count failures and lock exactly as a real account does
    // (a lockout record per keyed hash of the ID), so a "temporarily locked" message tells nobody
    // which IDs exist.
    PasswordSignIn(Store& store, const PasswordHasher& hasher, LockoutRule lockout, AddressThrottle throttle = {},
                   const SecretKey* id_key = nullptr)
        : store_(store), hasher_(hasher), lockout_(lockout), throttle_(throttle), id_key_(id_key) {}

    struct Outcome {
        SignInResult result = SignInResult::error;
        std::optional<Account> account;  // set on success
        // What the person is told: a locked account, a throttled address, or an unknown ID past
        // the lockout threshold all read "temporarily locked".
        bool looks_locked() const { return result == SignInResult::locked || unknown_id_locked; }
        bool unknown_id_locked = false;
    };

    // Every path spends one password hash, whether or not the account exists, is disabled or
    // locked, so responses cannot tell them apart. Records the attempt for the activity page.
    // A throttled address gets `locked` without its password being looked at.
    Outcome sign_in(const std::string& username, std::string_view password, const ClientInfo& client,
                    SignInMethod method, UnixTime now);

    // The signed-in user's password once more, before a sensitive change (password, methods):
    // checked and recorded like any sign-in, so wrong ones count toward the lockout.
    enum class Proof { proven, wrong, locked };
    Proof reauthenticate(const Account& account, std::string_view password, const ClientInfo& client,
                         SignInMethod method, UnixTime now);

    // Whether a right password of the account would be refused from this client now (a lock or a
    // throttle), for a password proven right without a hash (a credential cache): its address or
    // network is over its limit, or the account is locked account-wide and the client is not familiar.
    bool locked_for(const Account& account, const ClientInfo& client, UnixTime now);

    // Records an attempt for the activity page: those above do it themselves; a refusal decided
    // before the password (a disabled device) is recorded by whoever refused it. An account's
    // attempt is kept under its user ID; an ID that names no account only as a keyed hash.
    void record(const std::string& username, const std::optional<Account>& account, const ClientInfo& client,
                SignInMethod method, SignInResult result, UnixTime now);

private:
    SignInResult judge(const PasswordHasher::Turn& hashing, const Account& account, std::string_view password,
                       const ClientInfo& client, bool network_open, UnixTime now);
    // Takes this attempt's place under a throttle key (the address's, or the account's or unknown
    // ID's for the client network) atomically with the check; false when it was full. An empty
    // key is not limited.
    bool take_place(const std::string& key, std::int64_t limit, std::int64_t window, UnixTime now);
    bool take_network_place(const std::string& key, UnixTime now);
    std::string address_key(const ClientInfo& client) const;
    // The key under `prefix` (the account's Store::network_lockout_prefix, or an unknown ID's) for
    // the client's network; "" when nothing is counted.
    std::string network_key(const std::string& prefix, const ClientInfo& client) const;
    bool unknown_id_locked(const std::string& id_hash, UnixTime now);
    // The keyed hash an unknown ID is known by ("" without a key), and what the record keeps of it:
    // "unknown:<first characters of the hash>", or "unknown" without a key.
    std::string unknown_id_hash(const std::string& username) const;
    std::string unknown_id_record(const std::string& username) const;

    Store& store_;
    const PasswordHasher& hasher_;
    LockoutRule lockout_;
    AddressThrottle throttle_;
    const SecretKey* id_key_;
};

}  // namespace myaccount
