// Store contract: terms of use: versions and their texts, the current version, acceptances.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "store_contract/contract_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

namespace {

TermsText text_in(const std::string& language, UnixTime at, const std::string& body = "<p>terms</p>") {
    return TermsText{language, "markdown", body, at};
}

AuditEvent accepted_event(UnixTime at, const std::string& ip = "192.0.2.7") {
    AuditEvent event;
    event.at = at;
    event.kind = "terms_accepted";
    event.client_ip = ip;
    event.user_agent = "test";
    return event;
}

}  // namespace

class TermsContract : public ContractFixture {
    CPPUNIT_TEST_SUITE(TermsContract);
    CPPUNIT_TEST(the_latest_version_in_force_is_current);
    CPPUNIT_TEST(a_published_text_never_changes);
    CPPUNIT_TEST(acceptance_is_kept_once_and_only_for_the_current_version);
    CPPUNIT_TEST(only_members_owe_or_accept_an_organizations_terms);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void the_latest_version_in_force_is_current() {
        const std::int64_t contoso = store_->create_organization(Organization{0, "Contoso", ""});
        const AccountId kim = store_->create_account(new_account("kim"), 1);
        store_->add_membership(kim, contoso, MembershipKind::home, "");
        CPPUNIT_ASSERT(store_->terms_due(kim).empty());
        CPPUNIT_ASSERT(!store_->terms_pending(kim));

        const std::int64_t v1 = store_->publish_terms(contoso, "1", text_in("en", 10, "<p>one</p>"), "one");
        CPPUNIT_ASSERT_EQUAL(v1, store_->publish_terms(contoso, "1", text_in("ja", 11, "<p>一</p>"), "一"));
        CPPUNIT_ASSERT(store_->terms_pending(kim));
        std::vector<TermsDue> due = store_->terms_due(kim);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, due.size());
        CPPUNIT_ASSERT_EQUAL(v1, due[0].current.id);
        CPPUNIT_ASSERT_EQUAL(std::string("Contoso"), due[0].organization.name);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, due[0].current.texts.size());
        CPPUNIT_ASSERT_EQUAL(std::string("<p>一</p>"), due[0].current.texts[1].body_html);  // by language: en, ja
        CPPUNIT_ASSERT(!due[0].acceptance);

        const std::int64_t v2 = store_->publish_terms(contoso, "2", text_in("en", 20), "two");
        CPPUNIT_ASSERT_EQUAL(v2, store_->terms_due(kim)[0].current.id);
        store_->withdraw_terms(contoso, "2", 30);
        CPPUNIT_ASSERT_EQUAL(v1, store_->terms_due(kim)[0].current.id);  // the previous one again
        CPPUNIT_ASSERT(thrown_by([&] { store_->withdraw_terms(contoso, "2", 31); }).kind() ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT(thrown_by([&] { store_->withdraw_terms(contoso, "9", 31); }).kind() ==
                       StoreError::Kind::not_found);
        store_->withdraw_terms(contoso, "1", 32);
        CPPUNIT_ASSERT(store_->terms_due(kim).empty());
        CPPUNIT_ASSERT(!store_->terms_pending(kim));

        const std::vector<TermsVersion> versions = store_->terms_versions();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, versions.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2"), versions[0].version);  // newest first
        CPPUNIT_ASSERT_EQUAL(UnixTime{30}, versions[0].withdrawn_at);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, versions[1].texts.size());
        CPPUNIT_ASSERT(versions[1].texts[0].body_html.empty());  // the list carries no bodies
    }

    void a_published_text_never_changes() {
        const std::int64_t contoso = store_->create_organization(Organization{0, "Contoso", ""});
        store_->publish_terms(contoso, "1", text_in("en", 10, "<p>first</p>"), "first");
        CPPUNIT_ASSERT(thrown_by([&] {
                           store_->publish_terms(contoso, "1", text_in("en", 11, "<p>x</p>"), "x");
                       }).kind() == StoreError::Kind::conflict);
        store_->withdraw_terms(contoso, "1", 12);
        // A withdrawn version takes no new language either.
        CPPUNIT_ASSERT(thrown_by([&] { store_->publish_terms(contoso, "1", text_in("ja", 13), "x"); }).kind() ==
                       StoreError::Kind::conflict);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->terms_versions()[0].texts.size());
    }

    void acceptance_is_kept_once_and_only_for_the_current_version() {
        const std::int64_t contoso = store_->create_organization(Organization{0, "Contoso", ""});
        const AccountId kim = store_->create_account(new_account("kim"), 1);
        store_->add_membership(kim, contoso, MembershipKind::home, "");
        const std::int64_t v1 = store_->publish_terms(contoso, "1", text_in("en", 10), "one");
        CPPUNIT_ASSERT(thrown_by([&] { store_->accept_terms(kim, v1, "ja", accepted_event(15)); }).kind() ==
                       StoreError::Kind::invalid);  // no Japanese text to have read
        CPPUNIT_ASSERT(store_->accept_terms(kim, v1, "en", accepted_event(15)));
        CPPUNIT_ASSERT(!store_->accept_terms(kim, v1, "en", accepted_event(16, "198.51.100.1")));  // the first stands
        CPPUNIT_ASSERT(!store_->terms_pending(kim));
        const TermsDue due = store_->terms_due(kim)[0];
        CPPUNIT_ASSERT(due.acceptance);
        CPPUNIT_ASSERT_EQUAL(UnixTime{15}, due.acceptance->accepted_at);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.7"), due.acceptance->client_ip);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->events_of(kim, 10).size());

        const std::int64_t v2 = store_->publish_terms(contoso, "2", text_in("en", 20), "two");
        CPPUNIT_ASSERT(store_->terms_pending(kim));
        CPPUNIT_ASSERT(thrown_by([&] { store_->accept_terms(kim, v1, "en", accepted_event(21)); }).kind() ==
                       StoreError::Kind::conflict);
        CPPUNIT_ASSERT(store_->accept_terms(kim, v2, "en", accepted_event(22)));
        const std::vector<TermsAcceptance> accepted = store_->terms_accepted_by(kim);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, accepted.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2"), accepted[0].version);  // newest first
        CPPUNIT_ASSERT_EQUAL(std::string("Contoso"), accepted[1].organization_name);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->terms_versions()[1].acceptances);
        // Withdrawing keeps the record.
        store_->withdraw_terms(contoso, "2", 30);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->terms_accepted_by(kim).size());
    }

    void only_members_owe_or_accept_an_organizations_terms() {
        const std::int64_t contoso = store_->create_organization(Organization{0, "Contoso", ""});
        const std::int64_t fabrikam = store_->create_organization(Organization{0, "Fabrikam", ""});
        const AccountId kim = store_->create_account(new_account("kim"), 1);
        const AccountId lee = store_->create_account(new_account("lee"), 1);
        store_->add_membership(kim, contoso, MembershipKind::home, "");
        store_->add_membership(kim, fabrikam, MembershipKind::guest, "");
        const std::int64_t contoso_terms = store_->publish_terms(contoso, "1", text_in("en", 10), "c");
        store_->publish_terms(fabrikam, "1", text_in("en", 11), "f");
        CPPUNIT_ASSERT(!store_->terms_pending(lee));
        CPPUNIT_ASSERT(thrown_by([&] { store_->accept_terms(lee, contoso_terms, "en", accepted_event(12)); }).kind() ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT(thrown_by([&] { store_->accept_terms(kim, 99999, "en", accepted_event(12)); }).kind() ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->terms_due(kim).size());  // home first, then guest
        CPPUNIT_ASSERT_EQUAL(std::string("Contoso"), store_->terms_due(kim)[0].organization.name);
        CPPUNIT_ASSERT(store_->accept_terms(kim, contoso_terms, "en", accepted_event(12)));
        CPPUNIT_ASSERT(store_->terms_pending(kim));  // Fabrikam's still
        CPPUNIT_ASSERT(store_->terms_accepted_by(lee).empty());
    }
};

MYA_STORE_CONTRACT(TermsContract);
