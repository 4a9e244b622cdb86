// Store contract: recovery codes — one set per account, each code usable once.
#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>
#include <vector>

#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class RecoveryCodesContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(RecoveryCodesContract);
    CPPUNIT_TEST(a_set_is_listed_as_one_method);
    CPPUNIT_TEST(a_new_set_voids_the_old_one);
    CPPUNIT_TEST(each_code_works_once);
    CPPUNIT_TEST(codes_are_the_accounts_own);
    CPPUNIT_TEST(removing_the_method_removes_its_codes);
    CPPUNIT_TEST(an_empty_set_or_no_account_writes_nothing);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void a_set_is_listed_as_one_method() {
        AuditEvent made = event_at(t0 + 5, "recovery_codes_created", bob_);
        made.client_ip = "203.0.113.8";
        std::int64_t id = store_->replace_recovery_codes(alice_, hashes("a", 10), made);
        std::vector<VerificationMethod> methods = store_->methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, methods.size());
        CPPUNIT_ASSERT_EQUAL(id, methods[0].id);
        CPPUNIT_ASSERT(methods[0].kind == MethodKind::recovery_codes);
        CPPUNIT_ASSERT(methods[0].active && !methods[0].is_default);
        CPPUNIT_ASSERT(methods[0].address.empty() && methods[0].secret_box.empty());
        CPPUNIT_ASSERT_EQUAL(t0 + 5, methods[0].created_at);
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.8"), methods[0].created_ip);
        CPPUNIT_ASSERT_EQUAL(10, store_->recovery_codes_left(alice_));
        CPPUNIT_ASSERT_EQUAL(0, store_->recovery_codes_left(bob_));
        CPPUNIT_ASSERT_EQUAL(std::string("recovery_codes_created"), store_->events_of(alice_, 1).at(0).kind);
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
    }

    void a_new_set_voids_the_old_one() {
        std::int64_t first = store_->replace_recovery_codes(alice_, hashes("old", 10), event_at(t0, "recovery_codes"));
        CPPUNIT_ASSERT(store_->use_recovery_code(alice_, "old-1", t0 + 1));
        std::int64_t second = store_->replace_recovery_codes(alice_, hashes("new", 10), event_at(t0 + 9, "recovery_codes"));
        CPPUNIT_ASSERT_EQUAL(first, second);  // still the one method per account
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->methods_of(alice_).size());
        VerificationMethod method = *store_->find_method(alice_, second);
        CPPUNIT_ASSERT_EQUAL(t0 + 9, method.created_at);  // the new set's
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, method.last_used_at);
        CPPUNIT_ASSERT_EQUAL(10, store_->recovery_codes_left(alice_));
        CPPUNIT_ASSERT(!store_->use_recovery_code(alice_, "old-2", t0 + 10));
        CPPUNIT_ASSERT(store_->use_recovery_code(alice_, "new-2", t0 + 10));
        // A set may hold a code of the old one again: it is a new code of the new set.
        store_->replace_recovery_codes(alice_, {"new-2"}, event_at(t0 + 11, "recovery_codes"));
        CPPUNIT_ASSERT(store_->use_recovery_code(alice_, "new-2", t0 + 12) == std::optional<int>(0));
    }

    void each_code_works_once() {
        std::int64_t id = store_->replace_recovery_codes(alice_, hashes("a", 3), event_at(t0, "recovery_codes"));
        CPPUNIT_ASSERT(store_->use_recovery_code(alice_, "a-2", t0 + 30) == std::optional<int>(2));
        CPPUNIT_ASSERT_EQUAL(t0 + 30, store_->find_method(alice_, id)->last_used_at);
        CPPUNIT_ASSERT(!store_->use_recovery_code(alice_, "a-2", t0 + 31));
        CPPUNIT_ASSERT(!store_->use_recovery_code(alice_, "wrong", t0 + 31));
        CPPUNIT_ASSERT_EQUAL(t0 + 30, store_->find_method(alice_, id)->last_used_at);  // a refusal is no use
        CPPUNIT_ASSERT_EQUAL(2, store_->recovery_codes_left(alice_));
        CPPUNIT_ASSERT(store_->use_recovery_code(alice_, "a-1", t0 + 40) == std::optional<int>(1));
        CPPUNIT_ASSERT(store_->use_recovery_code(alice_, "a-3", t0 + 50) == std::optional<int>(0));
        CPPUNIT_ASSERT_EQUAL(0, store_->recovery_codes_left(alice_));
        CPPUNIT_ASSERT(!store_->use_recovery_code(alice_, "a-1", t0 + 60));
    }

    void codes_are_the_accounts_own() {
        store_->replace_recovery_codes(alice_, hashes("same", 2), event_at(t0, "recovery_codes"));
        store_->replace_recovery_codes(bob_, hashes("same", 2), event_at(t0, "recovery_codes"));
        CPPUNIT_ASSERT(store_->use_recovery_code(bob_, "same-1", t0 + 1) == std::optional<int>(1));
        CPPUNIT_ASSERT_EQUAL(2, store_->recovery_codes_left(alice_));  // alice's code of that hash is unused
        CPPUNIT_ASSERT(store_->use_recovery_code(alice_, "same-1", t0 + 2) == std::optional<int>(1));
        CPPUNIT_ASSERT(!store_->use_recovery_code(9999, "same-2", t0 + 2));
    }

    void removing_the_method_removes_its_codes() {
        std::int64_t alices = store_->replace_recovery_codes(alice_, hashes("a", 4), event_at(t0, "recovery_codes"));
        store_->replace_recovery_codes(bob_, hashes("b", 3), event_at(t0, "recovery_codes"));
        store_->remove_method(alice_, alices, event_at(t0 + 5, "method_removed"));
        CPPUNIT_ASSERT(store_->methods_of(alice_).empty());
        CPPUNIT_ASSERT_EQUAL(0, store_->recovery_codes_left(alice_));
        CPPUNIT_ASSERT(!store_->use_recovery_code(alice_, "a-1", t0 + 6));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, count_rows("recovery_codes"));  // only bob's remain
        // A new set after removal is a new method.
        CPPUNIT_ASSERT(store_->replace_recovery_codes(alice_, hashes("c", 1), event_at(t0 + 7, "recovery_codes")) !=
                       alices);
    }

    void an_empty_set_or_no_account_writes_nothing() {
        store_->replace_recovery_codes(alice_, hashes("a", 2), event_at(t0, "recovery_codes"));
        std::size_t events = store_->events_of(alice_, 10).size();
        CPPUNIT_ASSERT(error_kind([&] { store_->replace_recovery_codes(alice_, {}, event_at(t0 + 1, "x")); }) ==
                       StoreError::Kind::invalid);
        CPPUNIT_ASSERT_EQUAL(2, store_->recovery_codes_left(alice_));
        CPPUNIT_ASSERT_EQUAL(events, store_->events_of(alice_, 10).size());
        // The same code twice in one set: refused whole.
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->replace_recovery_codes(alice_, {"d", "d"}, event_at(t0 + 1, "x"));
                       }) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(store_->use_recovery_code(alice_, "a-1", t0 + 2));
        CPPUNIT_ASSERT(error_kind([&] { store_->replace_recovery_codes(9999, hashes("z", 2), event_at(t0, "x")); }) ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, count_rows("recovery_codes"));
    }

private:
    // "<prefix>-1" ... "<prefix>-<count>": stand-ins for the keyed hashes the core makes.
    static std::vector<std::string> hashes(const std::string& prefix, int count) {
        std::vector<std::string> made;
        for (int n = 1; n <= count; ++n) made.push_back(prefix + "-" + std::to_string(n));
        return made;
    }
};

MYA_STORE_CONTRACT(RecoveryCodesContract);
