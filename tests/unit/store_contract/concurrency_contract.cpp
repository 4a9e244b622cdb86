// Store contract: callers racing on connections of their own, as httpd processes and threads do.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "racing.hpp"
#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class ConcurrencyContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(ConcurrencyContract);
    CPPUNIT_TEST(same_code_posted_at_once_wins_once);
    CPPUNIT_TEST(last_use_of_a_code_goes_to_one_of_two);
    CPPUNIT_TEST(racing_throttle_hits_add_up);
    CPPUNIT_TEST(racing_throttle_takes_stop_at_the_limit);
    CPPUNIT_TEST(racing_lockout_failures_all_count);
    CPPUNIT_TEST(racing_unknown_id_failures_all_count);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void same_code_posted_at_once_wins_once() {
        constexpr int rounds = 50;
        constexpr int racers = 4;
        const std::vector<std::int64_t> ids = codes_outstanding(rounds);
        std::vector<std::atomic<int>> wins(rounds);
        int failures = race(racers, rounds, [&](Store& store, int round) {
            if (store.check_code(ids[round], "h", max_attempts, t0) == Store::CodeCheck::accepted) ++wins[round];
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        for (int round = 0; round < rounds; ++round) CPPUNIT_ASSERT_EQUAL(1, wins[round].load());
    }

    void last_use_of_a_code_goes_to_one_of_two() {
        // Each code has one guess left; two callers post the right code at once.
        constexpr int rounds = 50;
        const std::vector<std::int64_t> ids = codes_outstanding(rounds);
        for (std::int64_t id : ids) {
            for (int guess = 1; guess < max_attempts; ++guess) store_->check_code(id, "x", max_attempts, t0);
        }
        std::vector<std::atomic<int>> wins(rounds);
        std::vector<std::atomic<int>> used_up(rounds);
        int failures = race(2, rounds, [&](Store& store, int round) {
            Store::CodeCheck result = store.check_code(ids[round], "h", max_attempts, t0);
            if (result == Store::CodeCheck::accepted) ++wins[round];
            if (result == Store::CodeCheck::none) ++used_up[round];
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        for (int round = 0; round < rounds; ++round) {
            CPPUNIT_ASSERT_EQUAL(1, wins[round].load());
            CPPUNIT_ASSERT_EQUAL(1, used_up[round].load());  // the loser finds the code gone
            CPPUNIT_ASSERT((reread(ids[round]).proven == std::vector<std::int64_t>{5}));
        }
    }

    void racing_throttle_hits_add_up() {
        constexpr int racers = 4;
        constexpr int rounds = 50;
        std::mutex mutex;
        std::vector<std::int64_t> counts;
        int failures = race(racers, rounds, [&](Store& store, int) {
            std::int64_t count = store.throttle_hit("ip:192.0.2.1", 3600, t0);
            std::lock_guard<std::mutex> lock(mutex);
            counts.push_back(count);
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        // Every hit saw a count of its own: none was lost, none counted twice.
        std::sort(counts.begin(), counts.end());
        for (std::size_t i = 0; i < counts.size(); ++i) CPPUNIT_ASSERT_EQUAL(std::int64_t(i + 1), counts[i]);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{racers * rounds}, store_->throttle_hits("ip:192.0.2.1", 3600, t0));
    }

    void racing_throttle_takes_stop_at_the_limit() {
        constexpr int racers = 4;
        constexpr int rounds = 20;
        constexpr std::int64_t limit = 30;  // below the racers * rounds attempts
        const std::vector<Store::ThrottleLimit> limits = {{"user:alice", limit}, {"network", 1000}};
        std::atomic<int> taken{0};
        int failures = race(racers, rounds, [&](Store& store, int) {
            if (store.throttle_take(limits, 3600, t0)) ++taken;
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        CPPUNIT_ASSERT_EQUAL(limit, std::int64_t{taken.load()});
        CPPUNIT_ASSERT_EQUAL(limit, store_->throttle_hits("user:alice", 3600, t0));
        // A refused take counts on no key.
        CPPUNIT_ASSERT_EQUAL(limit, store_->throttle_hits("network", 3600, t0));
    }

    // Compare-and-set with the core's retry: concurrent wrong passwords are neither lost nor doubled.
    void racing_lockout_failures_all_count() {
        constexpr int racers = 4;
        constexpr int rounds = 25;
        const LockoutRule never{0, 900};
        int failures = race(racers, rounds, [&](Store& store, int) { count_failure(store, alice_, never, t0); });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        CPPUNIT_ASSERT((store_->lockout_of(alice_) == LockoutState{racers * rounds, 0}));
    }

    void racing_unknown_id_failures_all_count() {
        constexpr int racers = 4;
        constexpr int rounds = 25;
        const LockoutRule rule{racers * rounds, 900};  // the very last failure locks
        int failures = race(racers, rounds, [&](Store& store, int) {
            count_unknown_id_failure(store, "unknown-hash", rule, t0);
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        CPPUNIT_ASSERT((store_->unknown_id_lockout("unknown-hash") == LockoutState{racers * rounds, t0 + 900}));
    }

private:
    // `count` reset challenges of alice's, each with the code "h" (for method 5) outstanding.
    std::vector<std::int64_t> codes_outstanding(int count) {
        std::vector<std::int64_t> ids;
        for (int n = 0; n < count; ++n) {
            ids.push_back(store_->create_challenge(
                challenge_for(alice_, "race-" + std::to_string(n), ChallengePurpose::reset)));
            store_->issue_code(ids.back(), "5", "h", t0 + code_lifetime);
        }
        return ids;
    }

    // Calls `take(store, round)` from `racers` threads, each on a connection of its own; in each of
    // `rounds` rounds they all start together rather than one after another. Returns how many
    // calls threw.
    int race(int racers, int rounds, const std::function<void(Store&, int)>& take) {
        return testing::race([this] { return open_again(); }, racers, rounds, take);
    }
};

MYA_STORE_CONTRACT(ConcurrencyContract);
