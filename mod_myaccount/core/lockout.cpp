// The lockout rule, and its application to a store's counters by compare-and-set.
#include "core/lockout.hpp"

#include <functional>

#include "core/store.hpp"

namespace myaccount {

LockoutState after_failure(const LockoutRule& rule, LockoutState state, UnixTime now) {
    if (state.locked_until > 0 && state.locked_until <= now) state = LockoutState{};
    ++state.failures;
    if (rule.threshold > 0 && state.failures >= rule.threshold) state.locked_until = now + rule.duration;
    return state;
}

LockoutState after_success(LockoutState state) {
    state.failures = 0;
    return state;
}

namespace {
// Each retry means another caller's write landed in between; a handful is plenty even under load.
constexpr int max_compare_and_set_tries = 64;

// One set of counters in a store: how to read them, and how to replace them by compare-and-set.
struct Counters {
    std::function<LockoutState()> read;
    std::function<bool(const LockoutState& expected, const LockoutState& next)> replace;
};

LockoutState apply(const Counters& counters, const std::function<LockoutState(const LockoutState&)>& rule) {
    for (int attempt = 0; attempt < max_compare_and_set_tries; ++attempt) {
        LockoutState seen = counters.read();
        LockoutState next = rule(seen);
        if (next == seen || counters.replace(seen, next)) return next;
    }
    throw StoreError(StoreError::Kind::busy, "lockout counters kept changing under concurrent sign-ins");
}

LockoutState failure(const Counters& counters, const LockoutRule& rule, UnixTime now) {
    return apply(counters, [&](const LockoutState& seen) { return after_failure(rule, seen, now); });
}

LockoutState success(const Counters& counters) {
    return apply(counters, [](const LockoutState& seen) { return after_success(seen); });
}

Counters password_counters(Store& store, AccountId id) {
    return {[&store, id] { return store.lockout_of(id); },
            [&store, id](const LockoutState& seen, const LockoutState& next) {
                return store.replace_lockout(id, seen, next);
            }};
}

Counters unknown_id_counters(Store& store, const std::string& id_hash) {
    return {[&store, &id_hash] { return store.unknown_id_lockout(id_hash); },
            [&store, &id_hash](const LockoutState& seen, const LockoutState& next) {
                return store.replace_unknown_id_lockout(id_hash, seen, next);
            }};
}

Counters second_factor_counters(Store& store, AccountId id) {
    return {[&store, id] { return store.second_factor_lockout_of(id); },
            [&store, id](const LockoutState& seen, const LockoutState& next) {
                return store.replace_second_factor_lockout(id, seen, next);
            }};
}
}  // namespace

LockoutState count_failure(Store& store, AccountId id, const LockoutRule& rule, UnixTime now) {
    return failure(password_counters(store, id), rule, now);
}

LockoutState count_success(Store& store, AccountId id) { return success(password_counters(store, id)); }

LockoutState count_unknown_id_failure(Store& store, const std::string& id_hash, const LockoutRule& rule, UnixTime now) {
    return failure(unknown_id_counters(store, id_hash), rule, now);
}

LockoutState count_second_factor_failure(Store& store, AccountId id, const LockoutRule& rule, UnixTime now) {
    return failure(second_factor_counters(store, id), rule, now);
}

LockoutState count_second_factor_success(Store& store, AccountId id) {
    return success(second_factor_counters(store, id));
}

}  // namespace myaccount
