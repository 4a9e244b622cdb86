// Store contract: changes to an account that other flows race with, and the audit trail they leave.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class AccountChangesContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(AccountChangesContract);
    CPPUNIT_TEST(registration_postponed_counts_and_survives_reload);
    CPPUNIT_TEST(rehash_never_undoes_a_newer_password);
    CPPUNIT_TEST(change_password_keeps_history_ends_sessions_and_records);
    CPPUNIT_TEST(events_newest_first_per_account);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void registration_postponed_counts_and_survives_reload() {
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account(alice_).registration_postponed);
        store_->postpone_registration(alice_);
        store_->postpone_registration(alice_);
        start_session(alice_, "alice-session");

        store_.reset();
        store_ = open_again();
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->find_account("alice")->registration_postponed);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->find_account_by_id(alice_)->registration_postponed);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->find_session("alice-session")->account.registration_postponed);
        for (const Account& listed : store_->list_accounts()) {
            CPPUNIT_ASSERT_EQUAL(std::int64_t{listed.id == alice_ ? 2 : 0}, listed.registration_postponed);
        }
        CPPUNIT_ASSERT(error_kind([&] { store_->postpone_registration(9999); }) == StoreError::Kind::not_found);

        // Cleared on request only: registering a method (the core's rule) no longer does it here.
        add_email(alice_, "alice@example.org");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, account(alice_).registration_postponed);
        store_->clear_postponed_registration(alice_);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account(alice_).registration_postponed);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account(bob_).registration_postponed);
        CPPUNIT_ASSERT(error_kind([&] { store_->clear_postponed_registration(9999); }) ==
                       StoreError::Kind::not_found);
    }

    void rehash_never_undoes_a_newer_password() {
        store_->set_password_hash(alice_, "old-hash", false, t0);
        std::int64_t stamp = account(alice_).security_stamp;
        CPPUNIT_ASSERT(store_->upgrade_password_hash(alice_, "old-hash", "stronger-old-hash", t0 + 1));
        CPPUNIT_ASSERT_EQUAL(std::string("stronger-old-hash"), account(alice_).password_hash);
        CPPUNIT_ASSERT_EQUAL(stamp, account(alice_).security_stamp);  // no session ends for a rehash
        CPPUNIT_ASSERT(store_->previous_password_hashes(alice_, 24).empty() ||
                       store_->previous_password_hashes(alice_, 24).front() != "old-hash");

        // A reset won the race: the rehash of the old password must not bring it back.
        store_->set_password_hash(alice_, "reset-hash", true, t0 + 2);
        CPPUNIT_ASSERT(!store_->upgrade_password_hash(alice_, "stronger-old-hash", "rehash-of-old", t0 + 3));
        CPPUNIT_ASSERT_EQUAL(std::string("reset-hash"), account(alice_).password_hash);
    }

    void change_password_keeps_history_ends_sessions_and_records() {
        start_session(alice_, "alice-session");
        store_->change_password(alice_, "hash-2", event_at(t0 + 5, "password_changed", bob_));
        Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-2"), after.password_hash);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, after.security_stamp);
        CPPUNIT_ASSERT(store_->previous_password_hashes(alice_, 5) == std::vector<std::string>{"hash-1"});
        CPPUNIT_ASSERT_EQUAL(std::string("password_changed"),
                             store_->find_session("alice-session")->session.end_reason);
        CPPUNIT_ASSERT_EQUAL(std::string("password_changed"), store_->events_of(alice_, 1).at(0).kind);
        CPPUNIT_ASSERT(store_->events_of(bob_, 1).empty());
        CPPUNIT_ASSERT(error_kind([&] { store_->change_password(9999, "x", event_at(t0, "password_changed")); }) ==
                       StoreError::Kind::not_found);
    }

    void events_newest_first_per_account() {
        store_->record_event(event_at(t0 + 1, "password_changed", alice_));
        store_->record_event(event_at(t0 + 3, "method_removed", alice_));
        store_->record_event(event_at(t0 + 2, "method_added", alice_));
        store_->record_event(event_at(t0 + 3, "password_reset", alice_));  // same second: later insert first
        store_->record_event(event_at(t0 + 4, "password_changed", bob_));
        auto events = store_->events_of(alice_, 10);
        std::vector<std::string> kinds;
        for (const AuditEvent& event : events) kinds.push_back(event.kind);
        CPPUNIT_ASSERT((
            kinds == std::vector<std::string>{"password_reset", "method_removed", "method_added", "password_changed"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->events_of(alice_, 2).size());
        CPPUNIT_ASSERT(store_->events_of(alice_, 0).empty());
        CPPUNIT_ASSERT(error_kind([&] { store_->record_event(event_at(t0, "x", 9999)); }) ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT(error_kind([&] { store_->record_event(event_at(t0, "", alice_)); }) ==
                       StoreError::Kind::invalid);
    }
};

MYA_STORE_CONTRACT(AccountChangesContract);
