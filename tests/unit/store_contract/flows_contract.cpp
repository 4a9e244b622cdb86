// Store contract: verification methods, and completing the add-address and reset flows.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class FlowsContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(FlowsContract);
    CPPUNIT_TEST(add_email_registers_the_proven_address);
    CPPUNIT_TEST(add_email_needs_an_accepted_code_and_an_open_challenge);
    CPPUNIT_TEST(duplicate_address_is_not_added_twice);
    CPPUNIT_TEST(the_cap_is_checked_when_a_method_is_added);
    CPPUNIT_TEST(removing_another_accounts_method_is_not_found);
    CPPUNIT_TEST(complete_reset_unlocks_ends_sessions_and_records);
    CPPUNIT_TEST(complete_reset_twice_is_conflict);
    CPPUNIT_TEST(complete_reset_after_stamp_moved_is_conflict);
    CPPUNIT_TEST(complete_reset_is_conditional_on_the_expected_stamp);
    CPPUNIT_TEST(complete_reset_refuses_expired_foreign_or_accountless_challenges);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void add_email_registers_the_proven_address() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::add_email));
        store_->issue_code(id, "alice@example.org", "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + 1) == Store::CodeCheck::accepted);
        CPPUNIT_ASSERT((reread(id).proven == std::vector<std::int64_t>{0}));

        std::int64_t method = store_->complete_email_registration(id, event_at(t0 + 2, "method_added", bob_), any_number);
        auto methods = store_->methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, methods.size());
        CPPUNIT_ASSERT_EQUAL(method, methods[0].id);
        CPPUNIT_ASSERT_EQUAL(alice_, methods[0].account_id);
        CPPUNIT_ASSERT(methods[0].kind == MethodKind::email);
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), methods[0].address);
        CPPUNIT_ASSERT_EQUAL(t0 + 2, methods[0].created_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 2, reread(id).completed_at);
        // The event belongs to the challenge's account, whatever the caller put in it.
        auto events = store_->events_of(alice_, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("method_added"), events[0].kind);
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
        CPPUNIT_ASSERT(store_->methods_of(bob_).empty());
        // A second completion is refused.
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_email_registration(id, event_at(t0 + 3, "method_added"), any_number); }) ==
                       StoreError::Kind::conflict);
    }

    void add_email_needs_an_accepted_code_and_an_open_challenge() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::add_email));
        store_->issue_code(id, "alice@example.org", "h", t0 + code_lifetime);
        auto complete = [&](std::int64_t challenge, UnixTime at) {
            return error_kind([&] { store_->complete_email_registration(challenge, event_at(at, "method_added"), any_number); });
        };
        CPPUNIT_ASSERT(complete(id, t0 + 1) == StoreError::Kind::conflict);  // code not yet accepted
        store_->check_code(id, "h", max_attempts, t0 + 1);
        CPPUNIT_ASSERT(complete(id, t0 + flow_lifetime) == StoreError::Kind::conflict);  // flow over

        std::int64_t reset = store_->create_challenge(challenge_for(alice_, "r", ChallengePurpose::reset));
        store_->issue_code(reset, "1", "h", t0 + code_lifetime);
        store_->check_code(reset, "h", max_attempts, t0 + 1);
        CPPUNIT_ASSERT(complete(reset, t0 + 2) == StoreError::Kind::conflict);  // not an add_email challenge
        CPPUNIT_ASSERT(complete(9999, t0 + 2) == StoreError::Kind::not_found);

        CPPUNIT_ASSERT(store_->methods_of(alice_).empty());
        CPPUNIT_ASSERT(store_->events_of(alice_, 10).empty());
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, reread(id).completed_at);
    }

    // Two registrations begun under the cap both reach their code: the second to finish is refused.
    void the_cap_is_checked_when_a_method_is_added() {
        add_email(alice_, "one@example.com", 2);
        const std::int64_t two = add_email(alice_, "two@example.com", 2);
        CPPUNIT_ASSERT(error_kind([&] { add_email(alice_, "three@example.com", 2); }) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->methods_of(alice_).size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("an address it has already is no new method", two,
                                     add_email(alice_, "two@example.com", 2));
        add_email(bob_, "bob@example.com", 2);  // each account has its own
    }

    void duplicate_address_is_not_added_twice() {
        std::int64_t first = add_email(alice_, "alice@example.org");
        std::int64_t other = add_email(alice_, "alice.other@example.org");
        CPPUNIT_ASSERT_EQUAL(first, add_email(alice_, "Alice@Example.ORG"));
        auto methods = store_->methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, methods.size());
        CPPUNIT_ASSERT_EQUAL(first, methods[0].id);  // oldest first
        CPPUNIT_ASSERT_EQUAL(other, methods[1].id);
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), methods[0].address);
        // Another account may register the same address.
        CPPUNIT_ASSERT(add_email(bob_, "alice@example.org") != first);
    }

    void removing_another_accounts_method_is_not_found() {
        std::int64_t alices = add_email(alice_, "alice@example.org");
        std::int64_t bobs = add_email(bob_, "bob@example.org");
        std::size_t bob_events = store_->events_of(bob_, 10).size();
        CPPUNIT_ASSERT(error_kind([&] { store_->remove_method(bob_, alices, event_at(t0 + 9, "method_removed")); }) ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->methods_of(alice_).size());
        CPPUNIT_ASSERT_EQUAL(bob_events, store_->events_of(bob_, 10).size());  // nothing recorded

        store_->remove_method(bob_, bobs, event_at(t0 + 9, "method_removed"));
        CPPUNIT_ASSERT(store_->methods_of(bob_).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("method_removed"), store_->events_of(bob_, 1).at(0).kind);
        CPPUNIT_ASSERT(error_kind([&] { store_->remove_method(bob_, bobs, event_at(t0 + 9, "method_removed")); }) ==
                       StoreError::Kind::not_found);
    }

    void complete_reset_unlocks_ends_sessions_and_records() {
        CPPUNIT_ASSERT(store_->replace_lockout(alice_, LockoutState{0, 0}, LockoutState{1, t0 + 3600}));
        CPPUNIT_ASSERT(account(alice_).locked_until > t0);
        std::int64_t session_id = start_session(alice_, "alice-session");

        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        AuditEvent reset = event_at(t0 + 30, "password_reset");
        reset.detail = "1 method";
        store_->complete_reset(id, reread(id).security_stamp, "hash-2", reset);

        Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-2"), after.password_hash);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, after.failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, after.locked_until);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, after.security_stamp);
        CPPUNIT_ASSERT(store_->previous_password_hashes(alice_, 5) == std::vector<std::string>{"hash-1"});
        auto ended = store_->find_session("alice-session")->session;
        CPPUNIT_ASSERT_EQUAL(session_id, ended.id);
        CPPUNIT_ASSERT_EQUAL(t0 + 30, ended.ended_at);
        CPPUNIT_ASSERT_EQUAL(std::string("password_reset"), ended.end_reason);
        CPPUNIT_ASSERT_EQUAL(t0 + 30, reread(id).completed_at);
        auto events = store_->events_of(alice_, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, events.size());
        CPPUNIT_ASSERT_EQUAL(alice_, events[0].account_id);
        CPPUNIT_ASSERT_EQUAL(t0 + 30, events[0].at);
        CPPUNIT_ASSERT_EQUAL(std::string("password_reset"), events[0].kind);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.9"), events[0].client_ip);
        CPPUNIT_ASSERT_EQUAL(std::string("unit"), events[0].user_agent);
        CPPUNIT_ASSERT_EQUAL(std::string("1 method"), events[0].detail);
        CPPUNIT_ASSERT_EQUAL(std::string("bob-hash"), account(bob_).password_hash);
    }

    void complete_reset_twice_is_conflict() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->complete_reset(id, reread(id).security_stamp, "hash-2", event_at(t0 + 1, "password_reset"));
        const std::int64_t stamp = reread(id).security_stamp;
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->complete_reset(id, stamp, "hash-3", event_at(t0 + 2, "password_reset"));
                       }) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-2"), account(alice_).password_hash);
        CPPUNIT_ASSERT_EQUAL(t0 + 1, reread(id).completed_at);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->events_of(alice_, 10).size());
    }

    void complete_reset_after_stamp_moved_is_conflict() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->set_disabled(alice_, true, t0 + 1);
        store_->set_disabled(alice_, false, t0 + 2);
        const std::int64_t stamp = reread(id).security_stamp;
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->complete_reset(id, stamp, "hash-2", event_at(t0 + 3, "password_reset"));
                       }) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-1"), account(alice_).password_hash);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, reread(id).completed_at);
        CPPUNIT_ASSERT(store_->events_of(alice_, 10).empty());
        CPPUNIT_ASSERT(store_->previous_password_hashes(alice_, 5).empty());
    }

    // The store compares the stamp it is given, whatever the challenge recorded: the rule of which
    // stamp counts is the caller's.
    void complete_reset_is_conditional_on_the_expected_stamp() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        const std::int64_t stamp = account(alice_).security_stamp;
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->complete_reset(id, stamp + 1, "hash-2", event_at(t0 + 1, "password_reset"));
                       }) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, reread(id).completed_at);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-1"), account(alice_).password_hash);
        store_->complete_reset(id, stamp, "hash-2", event_at(t0 + 2, "password_reset"));
        CPPUNIT_ASSERT_EQUAL(std::string("hash-2"), account(alice_).password_hash);
        CPPUNIT_ASSERT_EQUAL(stamp + 1, account(alice_).security_stamp);
    }

    void complete_reset_refuses_expired_foreign_or_accountless_challenges() {
        auto reset = [&](std::int64_t challenge, UnixTime at) {
            return error_kind([&] { store_->complete_reset(challenge, 1, "hash-2", event_at(at, "password_reset")); });
        };
        std::int64_t expired = store_->create_challenge(challenge_for(alice_, "e", ChallengePurpose::reset));
        CPPUNIT_ASSERT(reset(expired, t0 + flow_lifetime) == StoreError::Kind::conflict);
        std::int64_t add = store_->create_challenge(challenge_for(alice_, "a", ChallengePurpose::add_email));
        CPPUNIT_ASSERT(reset(add, t0 + 1) == StoreError::Kind::conflict);
        Challenge nobody = challenge_for(alice_, "n", ChallengePurpose::reset);
        nobody.account_id.reset();
        CPPUNIT_ASSERT(reset(store_->create_challenge(nobody), t0 + 1) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(reset(9999, t0 + 1) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-1"), account(alice_).password_hash);
    }
};

MYA_STORE_CONTRACT(FlowsContract);
