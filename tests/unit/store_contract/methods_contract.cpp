// Store contract: 2-step verification methods — pending and proven, the replay guard, labels, the
// default method, removal and re-keying.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class MethodsContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(MethodsContract);
    CPPUNIT_TEST(pending_method_is_found_but_not_listed);
    CPPUNIT_TEST(adding_a_pending_method_deletes_the_accounts_stale_ones);
    CPPUNIT_TEST(activation_proves_a_pending_method_once);
    CPPUNIT_TEST(activation_keeps_an_existing_default);
    CPPUNIT_TEST(authenticators_are_several_and_methods_list_oldest_first);
    CPPUNIT_TEST(authenticator_step_only_moves_forward);
    CPPUNIT_TEST(authenticator_step_needs_an_active_authenticator_of_the_account);
    CPPUNIT_TEST(use_of_a_method_is_recorded);
    CPPUNIT_TEST(rename_changes_only_an_active_method_of_the_account);
    CPPUNIT_TEST(one_default_at_a_time);
    CPPUNIT_TEST(recovery_codes_or_a_pending_method_cannot_be_the_default);
    CPPUNIT_TEST(removing_the_default_makes_the_oldest_remaining_one_default);
    CPPUNIT_TEST(removing_a_pending_method);
    CPPUNIT_TEST(secrets_are_replaced_for_rekeying);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void pending_method_is_found_but_not_listed() {
        VerificationMethod written = pending_authenticator(alice_, "Pixel 8", t0);
        written.active = true;  // ignored: a pending method is stored not active
        written.is_default = true;
        written.last_step = 77;
        std::int64_t id = store_->add_pending_method(written, 0);

        auto read = store_->find_method(alice_, id);
        CPPUNIT_ASSERT(read);
        CPPUNIT_ASSERT_EQUAL(id, read->id);
        CPPUNIT_ASSERT_EQUAL(alice_, read->account_id);
        CPPUNIT_ASSERT(read->kind == MethodKind::authenticator);
        CPPUNIT_ASSERT_EQUAL(std::string(), read->address);
        CPPUNIT_ASSERT_EQUAL(std::string("Pixel 8"), read->label);
        CPPUNIT_ASSERT(read->phone_type == PhoneType::none);
        CPPUNIT_ASSERT(read->secret_box == written.secret_box);  // bytes, NUL included
        CPPUNIT_ASSERT_EQUAL(std::int64_t{77}, read->last_step);
        CPPUNIT_ASSERT(!read->active);
        CPPUNIT_ASSERT(!read->is_default);
        CPPUNIT_ASSERT_EQUAL(t0, read->created_at);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.9"), read->created_ip);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, read->last_used_at);

        CPPUNIT_ASSERT(store_->methods_of(alice_).empty());
        CPPUNIT_ASSERT(!store_->find_method(bob_, id));  // another account's method id
        CPPUNIT_ASSERT(!store_->find_method(alice_, id + 100));
        // No such account: nothing added.
        CPPUNIT_ASSERT(error_kind([&] { store_->add_pending_method(pending_authenticator(9999, "x", t0), 0); }) ==
                       StoreError::Kind::not_found);
    }

    void adding_a_pending_method_deletes_the_accounts_stale_ones() {
        std::int64_t stale = store_->add_pending_method(pending_authenticator(alice_, "old", t0), 0);
        std::int64_t recent = store_->add_pending_method(pending_authenticator(alice_, "recent", t0 + 500), 0);
        std::int64_t proven = add_authenticator(alice_, "proven", t0);
        std::int64_t bobs = store_->add_pending_method(pending_authenticator(bob_, "bob's", t0), 0);

        std::int64_t fresh = store_->add_pending_method(pending_authenticator(alice_, "fresh", t0 + 600), t0 + 300);
        CPPUNIT_ASSERT(!store_->find_method(alice_, stale));
        CPPUNIT_ASSERT(store_->find_method(alice_, recent));
        CPPUNIT_ASSERT(store_->find_method(alice_, proven));  // an active one is never stale
        CPPUNIT_ASSERT(store_->find_method(alice_, fresh));
        CPPUNIT_ASSERT(store_->find_method(bob_, bobs));      // another account's are not touched
    }

    void activation_proves_a_pending_method_once() {
        std::int64_t id = store_->add_pending_method(pending_authenticator(alice_, "Pixel 8", t0), 0);
        // Not alice's: refused, nothing written.
        CPPUNIT_ASSERT(!store_->activate_method(bob_, id, 1000, event_at(t0 + 1, "method_added")));
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
        CPPUNIT_ASSERT(!store_->find_method(alice_, id)->active);

        CPPUNIT_ASSERT(store_->activate_method(alice_, id, 1000, event_at(t0 + 1, "method_added", bob_)));
        VerificationMethod active = *store_->find_method(alice_, id);
        CPPUNIT_ASSERT(active.active);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1000}, active.last_step);
        CPPUNIT_ASSERT(active.is_default);  // alice had no default
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->methods_of(alice_).size());
        CPPUNIT_ASSERT_EQUAL(std::string("method_added"), store_->events_of(alice_, 10).at(0).kind);
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());  // recorded for the method's account

        // Proven already (a request that lost the race), or gone: false, nothing written.
        CPPUNIT_ASSERT(!store_->activate_method(alice_, id, 1001, event_at(t0 + 2, "method_added")));
        CPPUNIT_ASSERT(!store_->activate_method(alice_, id + 100, 1001, event_at(t0 + 2, "method_added")));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1000}, store_->find_method(alice_, id)->last_step);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->events_of(alice_, 10).size());
    }

    void activation_keeps_an_existing_default() {
        std::int64_t email = add_email(alice_, "alice@example.org");
        CPPUNIT_ASSERT(!store_->find_method(alice_, email)->is_default);  // an address proves a reset only
        std::int64_t phone = add_phone(alice_, "+819012345678");
        CPPUNIT_ASSERT(store_->find_method(alice_, phone)->is_default);  // the first that may be
        std::int64_t app = add_authenticator(alice_, "Pixel 8", t0 + 10);
        CPPUNIT_ASSERT(!store_->find_method(alice_, app)->is_default);
        CPPUNIT_ASSERT(store_->find_method(alice_, phone)->is_default);
    }

    void authenticators_are_several_and_methods_list_oldest_first() {
        std::int64_t phone = add_phone(alice_, "+81312345678", PhoneType::office, "Desk");
        std::int64_t first = add_authenticator(alice_, "Pixel 8", t0 + 20);
        std::int64_t second = add_authenticator(alice_, "", t0 + 30);
        std::int64_t email = add_email(alice_, "alice@example.org");  // made at t0 + 2, before the apps
        std::vector<VerificationMethod> methods = store_->methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, methods.size());
        CPPUNIT_ASSERT_EQUAL(phone, methods[0].id);
        CPPUNIT_ASSERT_EQUAL(email, methods[1].id);
        CPPUNIT_ASSERT_EQUAL(first, methods[2].id);
        CPPUNIT_ASSERT_EQUAL(second, methods[3].id);
        CPPUNIT_ASSERT(methods[0].kind == MethodKind::phone && methods[0].phone_type == PhoneType::office);
        CPPUNIT_ASSERT_EQUAL(std::string("Desk"), methods[0].label);
        CPPUNIT_ASSERT(methods[1].kind == MethodKind::email && methods[1].secret_box.empty());
        CPPUNIT_ASSERT(store_->methods_of(bob_).empty());
    }

    void authenticator_step_only_moves_forward() {
        std::int64_t id = add_authenticator(alice_, "Pixel 8", t0, 1000);
        CPPUNIT_ASSERT(!store_->accept_authenticator_step(alice_, id, 1000, t0 + 5));  // the enrolment's code again
        CPPUNIT_ASSERT(!store_->accept_authenticator_step(alice_, id, 999, t0 + 5));
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, store_->find_method(alice_, id)->last_used_at);

        CPPUNIT_ASSERT(store_->accept_authenticator_step(alice_, id, 1002, t0 + 60));
        VerificationMethod used = *store_->find_method(alice_, id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1002}, used.last_step);
        CPPUNIT_ASSERT_EQUAL(t0 + 60, used.last_used_at);
        CPPUNIT_ASSERT(!store_->accept_authenticator_step(alice_, id, 1002, t0 + 61));
        CPPUNIT_ASSERT(!store_->accept_authenticator_step(alice_, id, 1001, t0 + 61));  // an earlier code
        CPPUNIT_ASSERT(store_->accept_authenticator_step(alice_, id, 1003, t0 + 90));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1003}, store_->find_method(alice_, id)->last_step);
    }

    void authenticator_step_needs_an_active_authenticator_of_the_account() {
        std::int64_t pending = store_->add_pending_method(pending_authenticator(alice_, "new", t0), 0);
        CPPUNIT_ASSERT(!store_->accept_authenticator_step(alice_, pending, 5, t0));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->find_method(alice_, pending)->last_step);
        std::int64_t app = add_authenticator(alice_, "Pixel 8", t0, 1000);
        CPPUNIT_ASSERT(!store_->accept_authenticator_step(bob_, app, 2000, t0));
        std::int64_t email = add_email(alice_, "alice@example.org");
        CPPUNIT_ASSERT(!store_->accept_authenticator_step(alice_, email, 2000, t0));
        CPPUNIT_ASSERT(!store_->accept_authenticator_step(alice_, 9999, 2000, t0));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1000}, store_->find_method(alice_, app)->last_step);
    }

    void use_of_a_method_is_recorded() {
        std::int64_t email = add_email(alice_, "alice@example.org");
        store_->mark_method_used(alice_, email, t0 + 50);
        CPPUNIT_ASSERT_EQUAL(t0 + 50, store_->find_method(alice_, email)->last_used_at);
        store_->mark_method_used(bob_, email, t0 + 60);  // not bob's: no change
        CPPUNIT_ASSERT_EQUAL(t0 + 50, store_->find_method(alice_, email)->last_used_at);
    }

    void rename_changes_only_an_active_method_of_the_account() {
        std::int64_t app = add_authenticator(alice_, "Pixel 8", t0);
        std::size_t events = store_->events_of(alice_, 50).size();
        store_->rename_method(alice_, app, "Pixel 9", event_at(t0 + 5, "method_renamed", bob_));
        CPPUNIT_ASSERT_EQUAL(std::string("Pixel 9"), store_->find_method(alice_, app)->label);
        CPPUNIT_ASSERT_EQUAL(std::string("method_renamed"), store_->events_of(alice_, 1).at(0).kind);
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());

        std::int64_t pending = store_->add_pending_method(pending_authenticator(alice_, "new", t0), 0);
        auto rename = [&](AccountId account, std::int64_t method) {
            return error_kind([&] { store_->rename_method(account, method, "x", event_at(t0 + 6, "method_renamed")); });
        };
        CPPUNIT_ASSERT(rename(alice_, pending) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT(rename(bob_, app) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT(rename(alice_, 9999) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(std::string("Pixel 9"), store_->find_method(alice_, app)->label);
        CPPUNIT_ASSERT_EQUAL(std::string("new"), store_->find_method(alice_, pending)->label);
        CPPUNIT_ASSERT_EQUAL(events + 1, store_->events_of(alice_, 50).size());
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
    }

    void one_default_at_a_time() {
        std::int64_t email = add_email(alice_, "alice@example.org");
        std::int64_t phone = add_phone(alice_, "+81312345678");
        std::int64_t app = add_authenticator(alice_, "Pixel 8", t0 + 10);
        std::int64_t bobs = add_phone(bob_, "+819087654321");
        store_->set_default_method(alice_, app, event_at(t0 + 20, "default_method_changed"));
        CPPUNIT_ASSERT_EQUAL(app, default_of(alice_));
        store_->set_default_method(alice_, phone, event_at(t0 + 21, "default_method_changed"));
        CPPUNIT_ASSERT_EQUAL(phone, default_of(alice_));
        CPPUNIT_ASSERT(!store_->find_method(alice_, email)->is_default);
        CPPUNIT_ASSERT_EQUAL(bobs, default_of(bob_));  // another account's default stays
        CPPUNIT_ASSERT_EQUAL(std::string("default_method_changed"), store_->events_of(alice_, 1).at(0).kind);

        std::size_t events = store_->events_of(alice_, 50).size();
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->set_default_method(alice_, bobs, event_at(t0 + 22, "default_method_changed"));
                       }) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(phone, default_of(alice_));  // nothing changed, nothing recorded
        CPPUNIT_ASSERT_EQUAL(events, store_->events_of(alice_, 50).size());
    }

    void recovery_codes_or_a_pending_method_cannot_be_the_default() {
        std::int64_t email = add_email(alice_, "alice@example.org");
        // Nor an e-mail address: the schema refuses it.
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->set_default_method(alice_, email, event_at(t0 + 4, "default_method_changed"));
                       }).has_value());
        std::int64_t codes = store_->replace_recovery_codes(alice_, {"c1", "c2"}, event_at(t0 + 5, "recovery_codes"));
        std::int64_t pending = store_->add_pending_method(pending_authenticator(alice_, "new", t0), 0);
        CPPUNIT_ASSERT(!store_->find_method(alice_, codes)->is_default);
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->set_default_method(alice_, codes, event_at(t0 + 6, "default_method_changed"));
                       }).has_value());
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->set_default_method(alice_, pending, event_at(t0 + 6, "default_method_changed"));
                       }) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, default_of(alice_));
    }

    void removing_the_default_makes_the_oldest_remaining_one_default() {
        std::int64_t codes = store_->replace_recovery_codes(alice_, {"c1"}, event_at(t0 - 10, "recovery_codes"));
        add_email(alice_, "alice@example.org");                                           // t0 + 1, never the default
        std::int64_t phone = add_phone(alice_, "+819012345678");                          // t0 + 2
        std::int64_t newer = add_authenticator(alice_, "Pixel 8", t0 + 40);
        std::int64_t older = add_authenticator(alice_, "Old phone", t0 + 20);
        store_->add_pending_method(pending_authenticator(alice_, "pending", t0 + 5), 0);  // never the default
        CPPUNIT_ASSERT_EQUAL(phone, default_of(alice_));

        store_->remove_method(alice_, phone, event_at(t0 + 50, "method_removed"));
        CPPUNIT_ASSERT_EQUAL(older, default_of(alice_));  // not the older recovery codes, not the pending one
        store_->remove_method(alice_, newer, event_at(t0 + 51, "method_removed"));
        CPPUNIT_ASSERT_EQUAL(older, default_of(alice_));  // removing another one changes nothing
        store_->remove_method(alice_, older, event_at(t0 + 52, "method_removed"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, default_of(alice_));  // recovery codes and the address left
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->methods_of(alice_).size());
        CPPUNIT_ASSERT_EQUAL(codes, store_->methods_of(alice_).at(0).id);
    }

    void removing_a_pending_method() {
        std::int64_t pending = store_->add_pending_method(pending_authenticator(alice_, "new", t0), 0);
        CPPUNIT_ASSERT(error_kind([&] { store_->remove_method(bob_, pending, event_at(t0, "method_removed")); }) ==
                       StoreError::Kind::not_found);
        store_->remove_method(alice_, pending, event_at(t0 + 1, "method_removed"));
        CPPUNIT_ASSERT(!store_->find_method(alice_, pending));
        CPPUNIT_ASSERT_EQUAL(std::string("method_removed"), store_->events_of(alice_, 1).at(0).kind);
    }

    void secrets_are_replaced_for_rekeying() {
        std::int64_t alices = add_authenticator(alice_, "Pixel 8", t0);
        std::int64_t pending = store_->add_pending_method(pending_authenticator(bob_, "new", t0), 0);
        std::int64_t email = add_email(alice_, "alice@example.org");
        std::vector<VerificationMethod> all = store_->all_authenticators();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, all.size());  // every account's, pending included, no e-mail
        CPPUNIT_ASSERT((all[0].id == alices && all[1].id == pending) || (all[0].id == pending && all[1].id == alices));

        const std::string rekeyed("new\0box", 7);
        store_->replace_method_secret(pending, rekeyed);
        CPPUNIT_ASSERT(store_->find_method(bob_, pending)->secret_box == rekeyed);
        CPPUNIT_ASSERT(store_->find_method(alice_, alices)->secret_box == pending_authenticator(0, "Pixel 8", 0).secret_box);
        CPPUNIT_ASSERT(error_kind([&] { store_->replace_method_secret(9999, rekeyed); }) == StoreError::Kind::not_found);
        // Only an authenticator holds a secret.
        CPPUNIT_ASSERT(error_kind([&] { store_->replace_method_secret(email, rekeyed); }).has_value());
        CPPUNIT_ASSERT(store_->find_method(alice_, email)->secret_box.empty());
    }

private:
    // The id of the account's default method; 0 when it has none.
    std::int64_t default_of(AccountId account) {
        std::int64_t found = 0;
        for (const VerificationMethod& method : store_->methods_of(account)) {
            if (!method.is_default) continue;
            CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, found);  // never two
            found = method.id;
        }
        return found;
    }
};

MYA_STORE_CONTRACT(MethodsContract);
