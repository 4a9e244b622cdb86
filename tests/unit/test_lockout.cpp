// The lockout rule on a fixed clock: threshold, duration, consecutive failures, unlock on success.
#include <cppunit/extensions/HelperMacros.h>

#include "core/lockout.hpp"

using namespace myaccount;

namespace {
constexpr UnixTime t0 = 1'700'000'000;
}

class LockoutTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LockoutTest);
    CPPUNIT_TEST(locks_on_the_failure_that_reaches_the_threshold);
    CPPUNIT_TEST(lock_lasts_its_duration_exactly);
    CPPUNIT_TEST(lapsed_lock_starts_a_fresh_count);
    CPPUNIT_TEST(success_clears_the_count);
    CPPUNIT_TEST(threshold_zero_never_locks);
    CPPUNIT_TEST_SUITE_END();

public:
    void locks_on_the_failure_that_reaches_the_threshold() {
        const LockoutRule rule{3, 900};
        LockoutState state;
        state = after_failure(rule, state, t0);
        state = after_failure(rule, state, t0 + 100);
        CPPUNIT_ASSERT((state == LockoutState{2, 0}));
        CPPUNIT_ASSERT(!is_locked(state, t0 + 100));
        state = after_failure(rule, state, t0 + 5000);  // consecutive, however far apart
        CPPUNIT_ASSERT((state == LockoutState{3, t0 + 5000 + 900}));
        CPPUNIT_ASSERT(is_locked(state, t0 + 5000));
    }

    void lock_lasts_its_duration_exactly() {
        const LockoutState state{3, t0 + 900};
        CPPUNIT_ASSERT(is_locked(state, t0 + 899));
        CPPUNIT_ASSERT(!is_locked(state, t0 + 900));
        CPPUNIT_ASSERT(!is_locked(LockoutState{}, t0));
    }

    void lapsed_lock_starts_a_fresh_count() {
        const LockoutRule rule{3, 900};
        LockoutState state = after_failure(rule, LockoutState{3, t0 + 900}, t0 + 900);
        CPPUNIT_ASSERT((state == LockoutState{1, 0}));
        // With a threshold of 1 the fresh count locks again at once.
        CPPUNIT_ASSERT((after_failure(LockoutRule{1, 60}, LockoutState{1, t0}, t0) == LockoutState{1, t0 + 60}));
    }

    void success_clears_the_count() {
        CPPUNIT_ASSERT((after_success(LockoutState{2, 0}) == LockoutState{0, 0}));
        // A lapsed lock's end stays as it was; it no longer locks anything.
        CPPUNIT_ASSERT((after_success(LockoutState{1, t0}) == LockoutState{0, t0}));
    }

    void threshold_zero_never_locks() {
        const LockoutRule never{0, 900};
        LockoutState state;
        for (int i = 0; i < 50; ++i) state = after_failure(never, state, t0 + i);
        CPPUNIT_ASSERT((state == LockoutState{50, 0}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LockoutTest);
