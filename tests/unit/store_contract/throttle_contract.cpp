// Store contract: throttle counters in fixed windows, and pruning what has run out.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class ThrottleContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(ThrottleContract);
    CPPUNIT_TEST(prune_removes_expired_challenges_and_old_windows);
    CPPUNIT_TEST(throttle_counts_within_a_window);
    CPPUNIT_TEST(throttle_starts_over_in_the_next_window);
    CPPUNIT_TEST(throttle_refuses_empty_window);
    CPPUNIT_TEST(throttle_take_counts_all_or_nothing);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void prune_removes_expired_challenges_and_old_windows() {
        Challenge old = challenge_for(alice_, "old", ChallengePurpose::reset);
        old.expires_at = t0 + 10;
        store_->create_challenge(old);
        store_->create_challenge(challenge_for(alice_, "live", ChallengePurpose::reset));
        store_->throttle_hit("old-window", 60, t0);
        store_->throttle_hit("live-window", 3600, t0);

        CPPUNIT_ASSERT_EQUAL(1, store_->prune_challenges(t0 + 100));
        CPPUNIT_ASSERT(!store_->find_challenge("old", ChallengePurpose::reset));
        CPPUNIT_ASSERT(store_->find_challenge("live", ChallengePurpose::reset));
        std::vector<std::string> windows = column("SELECT key FROM throttle ORDER BY key");
        CPPUNIT_ASSERT(windows == std::vector<std::string>{"live-window"});
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hits("live-window", 3600, t0 + 100));
        CPPUNIT_ASSERT_EQUAL(0, store_->prune_challenges(t0 + 100));
    }

    void throttle_counts_within_a_window() {
        const UnixTime start = 900 * 1000;
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->throttle_hits("ip:192.0.2.1", 900, start));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hit("ip:192.0.2.1", 900, start));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->throttle_hit("ip:192.0.2.1", 900, start + 400));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hit("ip:192.0.2.1", 900, start + 899));
        // Reading does not count.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hits("ip:192.0.2.1", 900, start + 899));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hits("ip:192.0.2.1", 900, start + 899));
        // Keys are counted apart.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->throttle_hits("ip:192.0.2.2", 900, start));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hit("ip:192.0.2.2", 900, start));
    }

    void throttle_starts_over_in_the_next_window() {
        const UnixTime start = 900 * 1000;
        for (int hit = 0; hit < 4; ++hit) store_->throttle_hit("user:alice", 900, start + 10);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->throttle_hits("user:alice", 900, start + 900));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hit("user:alice", 900, start + 900));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->throttle_hit("user:alice", 900, start + 1799));
        // A process whose clock is behind counts into the newer window rather than resetting it.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hit("user:alice", 900, start + 899));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hits("user:alice", 900, start + 1000));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hit("user:alice", 900, start + 5 * 900 + 1));
    }

    void throttle_refuses_empty_window() {
        CPPUNIT_ASSERT(error_kind([&] { store_->throttle_hit("k", 0, t0); }) == StoreError::Kind::invalid);
        CPPUNIT_ASSERT(error_kind([&] { store_->throttle_hits("k", -5, t0); }) == StoreError::Kind::invalid);
    }

    void throttle_take_counts_all_or_nothing() {
        const std::vector<Store::ThrottleLimit> both = {{"user", 2}, {"network", 3}};
        CPPUNIT_ASSERT(store_->throttle_take(both, 3600, t0));
        CPPUNIT_ASSERT(store_->throttle_take(both, 3600, t0 + 1));
        // "user" is used up: refused, and "network" is not counted for the refusal.
        CPPUNIT_ASSERT(!store_->throttle_take(both, 3600, t0 + 2));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->throttle_hits("user", 3600, t0 + 2));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->throttle_hits("network", 3600, t0 + 2));
        CPPUNIT_ASSERT(store_->throttle_take({{"network", 3}}, 3600, t0 + 3));
        CPPUNIT_ASSERT(!store_->throttle_take({{"network", 3}}, 3600, t0 + 4));
    }
};

MYA_STORE_CONTRACT(ThrottleContract);
