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
    CPPUNIT_TEST(release_gives_back_one_hit_of_the_current_window);
    CPPUNIT_TEST(forget_and_unlock_clear_network_lockouts);
    CPPUNIT_TEST(sign_in_addresses_are_the_successful_ones_since);
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

    void release_gives_back_one_hit_of_the_current_window() {
        const UnixTime start = 900 * 1000;
        store_->throttle_hit("k", 900, start);
        store_->throttle_hit("k", 900, start + 1);
        store_->throttle_release("k", 900, start + 2);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hits("k", 900, start + 2));
        store_->throttle_release("k", 900, start + 3);
        store_->throttle_release("k", 900, start + 3);  // never below zero
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->throttle_hits("k", 900, start + 3));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hit("k", 900, start + 4));
        store_->throttle_release("absent", 900, start);  // nothing to give back: no error
    }

    void forget_and_unlock_clear_network_lockouts() {
        const std::string alice_office = Store::network_lockout_prefix(alice_) + "198.51.100.0/24";
        const std::string alice_home = Store::network_lockout_prefix(alice_) + "2001:db8::/64";
        const std::string bob_office = Store::network_lockout_prefix(bob_) + "198.51.100.0/24";
        for (const std::string& key : {alice_office, alice_home, bob_office}) store_->throttle_hit(key, 900, t0);
        store_->throttle_forget(alice_home);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->throttle_hits(alice_home, 900, t0));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hits(alice_office, 900, t0));
        store_->unlock(alice_, t0);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->throttle_hits(alice_office, 900, t0));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("another account's count stays", std::int64_t{1},
                                     store_->throttle_hits(bob_office, 900, t0));
    }

    void sign_in_addresses_are_the_successful_ones_since() {
        auto attempt = [&](const char* ip, SignInResult result, UnixTime at) {
            SignInAttempt a;
            a.username = "alice";
            a.account_id = alice_;
            a.at = at;
            a.client_ip = ip;
            a.method = SignInMethod::form;
            a.result = result;
            store_->record_sign_in(a);
        };
        attempt("192.0.2.1", SignInResult::success, t0 - 100);  // before `since`
        attempt("192.0.2.2", SignInResult::success, t0 + 1);
        attempt("192.0.2.3", SignInResult::bad_password, t0 + 2);
        attempt("192.0.2.4", SignInResult::success, t0 + 3);
        attempt("192.0.2.2", SignInResult::success, t0 + 4);
        std::vector<std::string> addresses = store_->sign_in_addresses(alice_, t0, 10);
        CPPUNIT_ASSERT((addresses == std::vector<std::string>{"192.0.2.2", "192.0.2.4"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->sign_in_addresses(alice_, t0, 1).size());
        CPPUNIT_ASSERT(store_->sign_in_addresses(bob_, t0, 10).empty());
    }
};

MYA_STORE_CONTRACT(ThrottleContract);
