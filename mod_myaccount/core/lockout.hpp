// The lockout rule: consecutive failed passwords lock for a while, a success clears the count.
#pragma once

#include <cstdint>
#include <string>

#include "core/defaults.hpp"
#include "core/model.hpp"

namespace myaccount {

class Store;

struct LockoutRule {
    std::int64_t threshold = defaults::lockout_threshold.value;  // failures that lock (0 = never)
    std::int64_t duration = defaults::lockout_duration.value;    // seconds the lock lasts
    // Smart lockout (core/password_sign_in.hpp): `threshold` counts the failures from one client
    // network, this one the consecutive failures from anywhere (0 = never).
    std::int64_t account_threshold = defaults::lockout_account_threshold.value;
    // The same rule with the account-wide threshold in place of the per-network one.
    LockoutRule account_wide() const { return {account_threshold, duration, account_threshold}; }
};

// What a store keeps per account (and per unknown sign-in ID): the consecutive failures and the
// end of the current lock (0 = none).
struct LockoutState {
    std::int64_t failures = 0;
    UnixTime locked_until = 0;
    bool operator==(const LockoutState& other) const {
        return failures == other.failures && locked_until == other.locked_until;
    }
    bool operator!=(const LockoutState& other) const { return !(*this == other); }
};

inline bool is_locked(const LockoutState& state, UnixTime now) { return state.locked_until > now; }

// One more failure. A lock that has run out starts a fresh count, so one more wrong password does
// not lock again at once; the failure that reaches the threshold locks for `duration`.
LockoutState after_failure(const LockoutRule& rule, LockoutState state, UnixTime now);

// A right password clears the count (it cannot arrive while locked: a locked sign-in is refused).
LockoutState after_success(LockoutState state);

// Applies the rule to a store's counters by compare-and-set, reading again when another process
// changed them meanwhile, so concurrent failures all count. Return the state written.
LockoutState count_failure(Store& store, AccountId id, const LockoutRule& rule, UnixTime now);
LockoutState count_success(Store& store, AccountId id);
// The same for a sign-in ID that names no account, by the keyed hash of that ID.
LockoutState count_unknown_id_failure(Store& store, const std::string& id_hash, const LockoutRule& rule,
                                      UnixTime now);
// The same for the second step's counters (wrong codes), kept apart from the password's.
LockoutState count_second_factor_failure(Store& store, AccountId id, const LockoutRule& rule, UnixTime now);
LockoutState count_second_factor_success(Store& store, AccountId id);

}  // namespace myaccount
