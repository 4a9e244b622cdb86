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
    CPPUNIT_TEST(same_authenticator_step_accepted_once);
    CPPUNIT_TEST(same_recovery_code_used_once);
    CPPUNIT_TEST(pending_method_activated_once);
    CPPUNIT_TEST(session_replaced_while_all_end_never_outlives_them);
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

    // The replay guard: one time step, posted from several processes at once, is accepted once.
    void same_authenticator_step_accepted_once() {
        constexpr int rounds = 50;
        constexpr int racers = 4;
        const std::int64_t method = add_authenticator(alice_, "Pixel 8", t0, 1000);
        std::vector<std::atomic<int>> wins(rounds);
        int failures = race(racers, rounds, [&](Store& store, int round) {
            if (store.accept_authenticator_step(alice_, method, 2000 + round, t0 + round)) ++wins[round];
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        for (int round = 0; round < rounds; ++round) CPPUNIT_ASSERT_EQUAL(1, wins[round].load());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2000 + rounds - 1}, store_->find_method(alice_, method)->last_step);
    }

    void same_recovery_code_used_once() {
        constexpr int rounds = 50;
        constexpr int racers = 4;
        std::vector<std::string> hashes;
        for (int round = 0; round < rounds; ++round) hashes.push_back("code-" + std::to_string(round));
        store_->replace_recovery_codes(alice_, hashes, event_at(t0, "recovery_codes_created"));
        std::vector<std::atomic<int>> wins(rounds);
        std::vector<std::atomic<int>> left(rounds);
        int failures = race(racers, rounds, [&](Store& store, int round) {
            if (auto remaining = store.use_recovery_code(alice_, hashes[round], t0 + round)) {
                ++wins[round];
                left[round] = *remaining;
            }
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        for (int round = 0; round < rounds; ++round) {
            CPPUNIT_ASSERT_EQUAL(1, wins[round].load());
            CPPUNIT_ASSERT_EQUAL(rounds - 1 - round, left[round].load());
        }
        CPPUNIT_ASSERT_EQUAL(0, store_->recovery_codes_left(alice_));
    }

    void pending_method_activated_once() {
        constexpr int rounds = 20;
        constexpr int racers = 4;
        std::vector<std::int64_t> pending;
        for (int round = 0; round < rounds; ++round) {
            pending.push_back(store_->add_pending_method(pending_authenticator(alice_, "app", t0), 0));
        }
        std::vector<std::atomic<int>> wins(rounds);
        int failures = race(racers, rounds, [&](Store& store, int round) {
            if (store.activate_method(alice_, pending[round], 1000, event_at(t0, "method_added"))) ++wins[round];
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        for (int round = 0; round < rounds; ++round) CPPUNIT_ASSERT_EQUAL(1, wins[round].load());
        CPPUNIT_ASSERT_EQUAL(std::size_t{rounds}, store_->events_of(alice_, 100).size());  // one event each
    }

    // Passing the second step (a fresh session in place of the old) while the user signs out
    // everywhere: either the fresh session came first and was ended with the rest, or the
    // replacement is refused. Never is a fresh session left active beside an ended old one.
    void session_replaced_while_all_end_never_outlives_them() {
        constexpr int rounds = 40;
        std::vector<AccountId> accounts;
        std::vector<std::int64_t> old_sessions;
        for (int round = 0; round < rounds; ++round) {
            accounts.push_back(add_account("racer" + std::to_string(round), "hash", "Racer", t0));
            old_sessions.push_back(start_session(accounts.back(), "old-" + std::to_string(round)));
        }
        std::vector<std::atomic<int>> refused(rounds);
        int failures = race(2, rounds, [&](Store& store, int round, int racer) {
            if (racer == 1) {
                store.end_all_sessions(accounts[round], "signed_out_everywhere", t0 + 1);
                return;
            }
            Session fresh = new_session(accounts[round], "fresh-" + std::to_string(round), t0 + 1, 3600);
            fresh.second_factor_at = t0 + 1;
            try {
                store.replace_session(old_sessions[round], "second_factor", fresh);
            } catch (const StoreError& error) {
                if (error.kind() != StoreError::Kind::conflict) throw;
                ++refused[round];
            }
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        for (int round = 0; round < rounds; ++round) {
            CPPUNIT_ASSERT(store_->sessions_of(accounts[round], true, t0 + 2).empty());
            auto old = store_->find_session("old-" + std::to_string(round));
            CPPUNIT_ASSERT(old && old->session.ended_at != 0);
            auto fresh = store_->find_session("fresh-" + std::to_string(round));
            if (refused[round].load() == 1) {
                CPPUNIT_ASSERT(!fresh);  // nothing written
                CPPUNIT_ASSERT_EQUAL(std::string("signed_out_everywhere"), old->session.end_reason);
            } else {
                CPPUNIT_ASSERT(fresh);
                CPPUNIT_ASSERT_EQUAL(std::string("signed_out_everywhere"), fresh->session.end_reason);
                CPPUNIT_ASSERT_EQUAL(std::string("second_factor"), old->session.end_reason);
            }
        }
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

    // The same, telling each call which racer (0, 1, ...) makes it.
    int race(int racers, int rounds, const std::function<void(Store&, int, int)>& take) {
        return testing::race([this] { return open_again(); }, racers, rounds, take);
    }
};

MYA_STORE_CONTRACT(ConcurrencyContract);
