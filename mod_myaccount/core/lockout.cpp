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

LockoutState apply(const std::function<LockoutState()>& read,
                   const std::function<bool(const LockoutState&, const LockoutState&)>& replace,
                   const std::function<LockoutState(const LockoutState&)>& rule) {
    for (int attempt = 0; attempt < max_compare_and_set_tries; ++attempt) {
        LockoutState seen = read();
        LockoutState next = rule(seen);
        if (next == seen || replace(seen, next)) return next;
    }
    throw StoreError(StoreError::Kind::busy, "lockout counters kept changing under concurrent sign-ins");
}
}  // namespace

LockoutState count_failure(Store& store, AccountId id, const LockoutRule& rule, UnixTime now) {
    return apply(
        [&] { return store.lockout_of(id); },
        [&](const LockoutState& seen, const LockoutState& next) { return store.replace_lockout(id, seen, next); },
        [&](const LockoutState& seen) { return after_failure(rule, seen, now); });
}

LockoutState count_success(Store& store, AccountId id) {
    return apply(
        [&] { return store.lockout_of(id); },
        [&](const LockoutState& seen, const LockoutState& next) { return store.replace_lockout(id, seen, next); },
        [](const LockoutState& seen) { return after_success(seen); });
}

LockoutState count_unknown_id_failure(Store& store, const std::string& id_hash, const LockoutRule& rule, UnixTime now) {
    return apply([&] { return store.unknown_id_lockout(id_hash); },
                 [&](const LockoutState& seen, const LockoutState& next) {
                     return store.replace_unknown_id_lockout(id_hash, seen, next);
                 },
                 [&](const LockoutState& seen) { return after_failure(rule, seen, now); });
}

}  // namespace myaccount
