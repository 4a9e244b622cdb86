// Store contract: challenges and the one-time codes checked against them.
#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>
#include <vector>

#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class CodesContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(CodesContract);
    CPPUNIT_TEST(challenge_round_trips_by_token_and_purpose);
    CPPUNIT_TEST(challenge_token_is_unique);
    CPPUNIT_TEST(no_code_outstanding_is_none);
    CPPUNIT_TEST(right_code_is_accepted_once);
    CPPUNIT_TEST(reset_collects_proven_methods_without_repeats);
    CPPUNIT_TEST(wrong_codes_count_and_kill_the_code_at_max);
    CPPUNIT_TEST(right_code_after_wrong_guesses_below_max_is_accepted);
    CPPUNIT_TEST(expired_code_or_challenge_is_expired);
    CPPUNIT_TEST(new_code_resets_attempts_and_delivery);
    CPPUNIT_TEST(delivery_takes_only_known_values);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void challenge_round_trips_by_token_and_purpose() {
        Challenge written = challenge_for(alice_, "token-a", ChallengePurpose::reset);
        written.username = "Alice";
        written.security_stamp = 7;
        written.completed_at = 0;
        written.target = "12";
        written.code_hash = std::string("\0\x01\xff", 3);
        written.code_expires_at = t0 + 60;
        written.code_attempts = 2;
        written.delivery = "sent";
        written.proven = {4, 9};
        written.client_ip = "203.0.113.5";
        written.id = store_->create_challenge(written);

        auto read = store_->find_challenge("token-a", ChallengePurpose::reset);
        CPPUNIT_ASSERT(read);
        CPPUNIT_ASSERT_EQUAL(written.id, read->id);
        CPPUNIT_ASSERT(read->token_hash == "token-a");
        CPPUNIT_ASSERT(read->purpose == ChallengePurpose::reset);
        CPPUNIT_ASSERT(read->account_id == std::optional<AccountId>(alice_));
        CPPUNIT_ASSERT_EQUAL(std::string("Alice"), read->username);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{7}, read->security_stamp);
        CPPUNIT_ASSERT_EQUAL(t0, read->created_at);
        CPPUNIT_ASSERT_EQUAL(t0 + flow_lifetime, read->expires_at);
        CPPUNIT_ASSERT_EQUAL(std::string("12"), read->target);
        CPPUNIT_ASSERT(read->code_hash == written.code_hash);
        CPPUNIT_ASSERT_EQUAL(t0 + 60, read->code_expires_at);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, read->code_attempts);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), read->delivery);
        CPPUNIT_ASSERT((read->proven == std::vector<std::int64_t>{4, 9}));
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.5"), read->client_ip);

        CPPUNIT_ASSERT(!store_->find_challenge("token-a", ChallengePurpose::add_email));
        CPPUNIT_ASSERT(!store_->find_challenge("token-b", ChallengePurpose::reset));

        // A reset for nobody: no account id, and it reads back as none.
        Challenge nobody = challenge_for(alice_, "token-n", ChallengePurpose::reset);
        nobody.account_id.reset();
        store_->create_challenge(nobody);
        CPPUNIT_ASSERT(!store_->find_challenge("token-n", ChallengePurpose::reset)->account_id);
    }

    void challenge_token_is_unique() {
        store_->create_challenge(challenge_for(alice_, "same", ChallengePurpose::reset));
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->create_challenge(challenge_for(bob_, "same", ChallengePurpose::add_email));
                       }) == StoreError::Kind::conflict);
    }

    void no_code_outstanding_is_none() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        CPPUNIT_ASSERT(store_->check_code(id, "", max_attempts, t0 + 1) == Store::CodeCheck::none);
        CPPUNIT_ASSERT(store_->check_code(id, "anything", max_attempts, t0 + 1) == Store::CodeCheck::none);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, reread(id).code_attempts);
        CPPUNIT_ASSERT(error_kind([&] { store_->check_code(9999, "x", max_attempts, t0); }) ==
                       StoreError::Kind::not_found);
    }

    void right_code_is_accepted_once() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "41", "code-hash", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(id, "code-hash", max_attempts, t0 + 10) == Store::CodeCheck::accepted);
        Challenge after = reread(id);
        CPPUNIT_ASSERT(after.code_hash.empty());
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, after.code_expires_at);
        CPPUNIT_ASSERT((after.proven == std::vector<std::int64_t>{41}));
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, after.completed_at);  // the flow goes on
        CPPUNIT_ASSERT(store_->check_code(id, "code-hash", max_attempts, t0 + 11) == Store::CodeCheck::none);
    }

    void reset_collects_proven_methods_without_repeats() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        for (const char* target : {"3", "8", "3"}) {
            store_->issue_code(id, target, "h", t0 + code_lifetime);
            CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + 1) == Store::CodeCheck::accepted);
        }
        CPPUNIT_ASSERT((reread(id).proven == std::vector<std::int64_t>{3, 8}));
    }

    void wrong_codes_count_and_kill_the_code_at_max() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "right", t0 + code_lifetime);
        for (int guess = 1; guess < max_attempts; ++guess) {
            CPPUNIT_ASSERT(store_->check_code(id, "wrong", max_attempts, t0 + guess) == Store::CodeCheck::wrong);
            Challenge counted = reread(id);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{guess}, counted.code_attempts);
            CPPUNIT_ASSERT(!counted.code_hash.empty());
        }
        CPPUNIT_ASSERT(store_->check_code(id, "wrong", max_attempts, t0 + 10) == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT(reread(id).code_hash.empty());
        // The right code is of no use any more.
        CPPUNIT_ASSERT(store_->check_code(id, "right", max_attempts, t0 + 11) == Store::CodeCheck::none);
        CPPUNIT_ASSERT(reread(id).proven.empty());
    }

    void right_code_after_wrong_guesses_below_max_is_accepted() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "right", t0 + code_lifetime);
        for (int guess = 1; guess < max_attempts; ++guess) store_->check_code(id, "wrong", max_attempts, t0);
        CPPUNIT_ASSERT(store_->check_code(id, "right", max_attempts, t0) == Store::CodeCheck::accepted);
        // A limit lowered below the attempts made refuses even the right code.
        store_->issue_code(id, "2", "right", t0 + code_lifetime);
        store_->check_code(id, "wrong", max_attempts, t0);
        store_->check_code(id, "wrong", max_attempts, t0);
        CPPUNIT_ASSERT(store_->check_code(id, "right", 2, t0) == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT((reread(id).proven == std::vector<std::int64_t>{1}));
    }

    void expired_code_or_challenge_is_expired() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "h", t0 + 100);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + 100) == Store::CodeCheck::expired);
        CPPUNIT_ASSERT(reread(id).proven.empty());

        // A fresh code in a flow that has ended is no good either.
        store_->issue_code(id, "1", "h", t0 + flow_lifetime + 500);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + flow_lifetime) == Store::CodeCheck::expired);

        // Nor in a completed one.
        std::int64_t done = store_->create_challenge(challenge_for(alice_, "done", ChallengePurpose::reset));
        store_->complete_reset(done, reread(done).security_stamp, "hash-2", event_at(t0 + 5, "password_reset"));
        store_->issue_code(done, "1", "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(done, "h", max_attempts, t0 + 6) == Store::CodeCheck::expired);
    }

    void new_code_resets_attempts_and_delivery() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "first", t0 + code_lifetime);
        store_->set_delivery(id, "failed");
        store_->check_code(id, "wrong", max_attempts, t0);
        store_->check_code(id, "wrong", max_attempts, t0);
        store_->issue_code(id, "2", "second", t0 + code_lifetime + 60);
        Challenge fresh = reread(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, fresh.code_attempts);
        CPPUNIT_ASSERT_EQUAL(std::string(), fresh.delivery);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), fresh.target);
        CPPUNIT_ASSERT_EQUAL(t0 + code_lifetime + 60, fresh.code_expires_at);
        // The replaced code is wrong now.
        CPPUNIT_ASSERT(store_->check_code(id, "first", max_attempts, t0) == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT(store_->check_code(id, "second", max_attempts, t0) == Store::CodeCheck::accepted);
        CPPUNIT_ASSERT(error_kind([&] { store_->issue_code(9999, "1", "h", t0); }) == StoreError::Kind::not_found);
    }

    void delivery_takes_only_known_values() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "h", t0 + code_lifetime);
        store_->set_delivery(id, "sent");
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), reread(id).delivery);
        CPPUNIT_ASSERT(error_kind([&] { store_->set_delivery(id, "lost"); }) == StoreError::Kind::invalid);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), reread(id).delivery);
        CPPUNIT_ASSERT(error_kind([&] { store_->set_delivery(9999, "sent"); }) == StoreError::Kind::not_found);
    }
};

MYA_STORE_CONTRACT(CodesContract);
