// Store contract: the activity (sign-in attempts and audit events, merged newest first, a page at
// a time) and its pruning by age in batches.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

namespace {

SignInAttempt attempt_at(UnixTime at, AccountId account, SignInResult result) {
    SignInAttempt attempt;
    attempt.username = "someone";
    attempt.account_id = account;
    attempt.at = at;
    attempt.client_ip = "192.0.2.4";
    attempt.method = SignInMethod::form;
    attempt.result = result;
    return attempt;
}

}  // namespace

class ActivityContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(ActivityContract);
    CPPUNIT_TEST(sign_ins_and_events_newest_first_a_page_at_a_time);
    CPPUNIT_TEST(pruning_takes_old_rows_in_batches);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void sign_ins_and_events_newest_first_a_page_at_a_time() {
        store_->record_sign_in(attempt_at(t0 + 1, alice_, SignInResult::bad_password));
        store_->record_sign_in(attempt_at(t0 + 2, alice_, SignInResult::success));
        store_->record_event(event_at(t0 + 2, "second_factor_passed", alice_));  // what the sign-in went on to do
        store_->record_sign_in(attempt_at(t0 + 3, alice_, SignInResult::device_disabled));
        store_->record_event(event_at(t0 + 4, "password_changed", alice_));
        store_->record_sign_in(attempt_at(t0 + 5, bob_, SignInResult::success));  // bob's: not alice's
        const std::vector<ActivityEntry> all = store_->activity_of(alice_, 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("password_changed"), all[0].event->kind);
        CPPUNIT_ASSERT(all[1].sign_in && all[1].sign_in->result == SignInResult::device_disabled);
        CPPUNIT_ASSERT_EQUAL(std::string("second_factor_passed"), all[2].event->kind);
        CPPUNIT_ASSERT(all[3].sign_in && all[3].sign_in->result == SignInResult::success);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.4"), all[4].sign_in->client_ip);
        CPPUNIT_ASSERT_EQUAL(t0 + 1, all[4].at());
        const std::vector<ActivityEntry> second_page = store_->activity_of(alice_, 2, 2);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, second_page.size());
        CPPUNIT_ASSERT_EQUAL(all[2].id, second_page[0].id);
        CPPUNIT_ASSERT(store_->activity_of(alice_, 1000000, 10).empty());
    }

    void pruning_takes_old_rows_in_batches() {
        for (int i = 0; i < 7; ++i) {
            store_->record_event(event_at(t0 + i, "method_renamed", alice_));
            store_->record_sign_in(attempt_at(t0 + i, bob_, SignInResult::success));
        }
        store_->record_event(event_at(t0 + 100, "password_changed", alice_));
        CPPUNIT_ASSERT_EQUAL(6, store_->prune_activity(t0 + 50, 3));  // three of each
        CPPUNIT_ASSERT_EQUAL(6, store_->prune_activity(t0 + 50, 3));
        CPPUNIT_ASSERT_EQUAL(2, store_->prune_activity(t0 + 50, 3));
        CPPUNIT_ASSERT_EQUAL(0, store_->prune_activity(t0 + 50, 3));
        const std::vector<ActivityEntry> left = store_->activity_of(alice_, 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, left.size());
        CPPUNIT_ASSERT_EQUAL(std::string("password_changed"), left[0].event->kind);
        CPPUNIT_ASSERT(store_->activity_of(bob_, 0, 10).empty());
    }
};

MYA_STORE_CONTRACT(ActivityContract);

// "This wasn't me": sessions end, recent methods are suspended (and prove nothing) until confirmed,
// the password must be replaced; a new password clears that.
class NotMeContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(NotMeContract);
    CPPUNIT_TEST(not_me_ends_sessions_suspends_recent_methods_and_asks_a_new_password);
    CPPUNIT_TEST(a_suspended_method_proves_nothing_until_confirmed_or_renewed);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void not_me_ends_sessions_suspends_recent_methods_and_asks_a_new_password() {
        const std::int64_t old_method = add_authenticator(alice_, "old phone", t0 - 10 * 86400);
        const std::int64_t new_method = add_authenticator(alice_, "new phone", t0 - 3600);
        add_authenticator(bob_, "bob's phone", t0 - 3600);
        store_->create_session(new_session(alice_, "alice-token", t0 - 60, 3600));
        const Store::NotMe done = store_->report_not_me(alice_, t0 - 7 * 86400, event_at(t0, "not_me", alice_), t0);
        CPPUNIT_ASSERT_EQUAL(1, done.sessions_ended);
        CPPUNIT_ASSERT_EQUAL(1, done.methods_suspended);
        CPPUNIT_ASSERT(store_->find_account_by_id(alice_)->password_reset_required);
        CPPUNIT_ASSERT(!store_->find_account_by_id(bob_)->password_reset_required);
        const std::vector<VerificationMethod> active = store_->methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, active.size());
        CPPUNIT_ASSERT_EQUAL(old_method, active[0].id);
        const std::vector<VerificationMethod> suspended = store_->suspended_methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, suspended.size());
        CPPUNIT_ASSERT_EQUAL(new_method, suspended[0].id);
        CPPUNIT_ASSERT_EQUAL(t0, suspended[0].suspended_at);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->methods_of(bob_).size());  // bob's untouched
        // A pending method added later does not sweep the suspended one away as unproven.
        store_->add_pending_method(pending_authenticator(alice_, "later", t0 + 10), t0 + 5);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->suspended_methods_of(alice_).size());

        CPPUNIT_ASSERT(thrown_by([&] { store_->confirm_method(bob_, new_method, event_at(t0, "x", bob_)); }).kind() ==
                       StoreError::Kind::not_found);
        store_->confirm_method(alice_, new_method, event_at(t0 + 20, "method_confirmed", alice_));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->methods_of(alice_).size());
        CPPUNIT_ASSERT(store_->suspended_methods_of(alice_).empty());
        CPPUNIT_ASSERT(thrown_by([&] {
                           store_->confirm_method(alice_, new_method, event_at(t0, "method_confirmed", alice_));
                       }).kind() == StoreError::Kind::not_found);

        store_->set_password_hash(alice_, "new-hash", true, t0 + 30);
        CPPUNIT_ASSERT(!store_->find_account_by_id(alice_)->password_reset_required);
    }

    void a_suspended_method_proves_nothing_until_confirmed_or_renewed() {
        const std::int64_t old_phone = add_authenticator(alice_, "old", t0 - 10 * 86400);
        const std::int64_t new_phone = add_authenticator(alice_, "new", t0 - 60);
        store_->set_default_method(alice_, new_phone, event_at(t0 - 50, "default_method_set", alice_));
        store_->replace_recovery_codes(alice_, {"code-1", "code-2"}, event_at(t0 - 40, "recovery_codes_created", alice_));
        AppPassword recent;
        recent.account_id = alice_;
        recent.label = "made by someone";
        recent.hash = "recent-hash";
        recent.created_at = t0 - 30;
        store_->create_app_password(recent, event_at(t0 - 30, "app_password_created", alice_));
        AppPassword old = recent;
        old.label = "the user's mail client";
        old.hash = "old-hash";
        old.created_at = t0 - 20 * 86400;
        store_->create_app_password(old, event_at(t0 - 20 * 86400, "app_password_created", alice_));

        const Store::NotMe done = store_->report_not_me(alice_, t0 - 7 * 86400, event_at(t0, "not_me", alice_), t0);
        CPPUNIT_ASSERT_EQUAL(2, done.methods_suspended);  // the new authenticator and the recovery codes
        CPPUNIT_ASSERT_EQUAL(1, done.app_passwords_revoked);
        const std::vector<AppPassword> kept = store_->app_passwords_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, kept.size());
        CPPUNIT_ASSERT_EQUAL(std::string("the user's mail client"), kept[0].label);
        // The default moved to the method that remains.
        const std::vector<VerificationMethod> active = store_->methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, active.size());
        CPPUNIT_ASSERT(active[0].id == old_phone && active[0].is_default);
        // Neither a code of the suspended authenticator nor a suspended recovery code is accepted.
        CPPUNIT_ASSERT(!store_->accept_authenticator_step(alice_, new_phone, 99999, t0 + 1));
        CPPUNIT_ASSERT(!store_->activate_method(alice_, new_phone, 99999, event_at(t0 + 1, "method_added", alice_)));
        CPPUNIT_ASSERT(!store_->use_recovery_code(alice_, "code-1", t0 + 1));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->suspended_methods_of(alice_).size());
        // A new set of recovery codes (after a recent proof) serves at once.
        store_->replace_recovery_codes(alice_, {"code-3"}, event_at(t0 + 2, "recovery_codes_created", alice_));
        CPPUNIT_ASSERT(store_->use_recovery_code(alice_, "code-3", t0 + 3));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->suspended_methods_of(alice_).size());
        store_->confirm_method(alice_, new_phone, event_at(t0 + 4, "method_confirmed", alice_));
        CPPUNIT_ASSERT(store_->accept_authenticator_step(alice_, new_phone, 99999, t0 + 5));
    }
};

MYA_STORE_CONTRACT(NotMeContract);
