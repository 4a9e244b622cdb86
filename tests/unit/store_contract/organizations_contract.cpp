// Store contract: organizations and memberships.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "store_contract/contract_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class OrganizationsContract : public ContractFixture {
    CPPUNIT_TEST_SUITE(OrganizationsContract);
    CPPUNIT_TEST(organizations_and_membership_upsert);
    CPPUNIT_TEST(an_account_carries_what_its_organizations_ask);
    CPPUNIT_TEST(a_guest_leaves_where_members_may_leave);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void organizations_and_membership_upsert() {
        std::int64_t contoso = store_->create_organization(Organization{0, "Contoso", "contoso.example"});
        std::int64_t fabrikam = store_->create_organization(Organization{0, "Fabrikam", ""});
        CPPUNIT_ASSERT(thrown_by([&] { store_->create_organization(Organization{0, "CONTOSO", ""}); }).kind() ==
                       StoreError::Kind::conflict);
        auto found = store_->find_organization("contoso");
        CPPUNIT_ASSERT(found);
        CPPUNIT_ASSERT_EQUAL(contoso, found->id);
        CPPUNIT_ASSERT_EQUAL(std::string("contoso.example"), found->domain);
        CPPUNIT_ASSERT(!store_->find_organization("Northwind"));
        auto orgs = store_->list_organizations();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, orgs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Contoso"), orgs[0].name);

        AccountId id = store_->create_account(new_account("kim"), 1);
        store_->add_membership(id, fabrikam, MembershipKind::guest, "Guest");
        store_->add_membership(id, contoso, MembershipKind::guest, "Guest");
        store_->add_membership(id, contoso, MembershipKind::home, "Member");  // replaces
        auto memberships = store_->memberships_of(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, memberships.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Contoso"), memberships[0].organization.name);
        CPPUNIT_ASSERT(memberships[0].kind == MembershipKind::home);
        CPPUNIT_ASSERT_EQUAL(std::string("Member"), memberships[0].role);
        CPPUNIT_ASSERT_EQUAL(std::string("Fabrikam"), memberships[1].organization.name);
        CPPUNIT_ASSERT(memberships[1].kind == MembershipKind::guest);
        CPPUNIT_ASSERT(thrown_by([&] { store_->add_membership(id, 9999, MembershipKind::home, ""); }).kind() ==
                       StoreError::Kind::not_found);
    }

    void a_guest_leaves_where_members_may_leave() {
        std::int64_t contoso = store_->create_organization(Organization{0, "Contoso", ""});
        std::int64_t fabrikam = store_->create_organization(Organization{0, "Fabrikam", ""});
        std::int64_t litware = store_->create_organization(Organization{0, "Litware", ""});
        CPPUNIT_ASSERT(store_->find_organization("Litware")->members_may_leave);  // the default
        CPPUNIT_ASSERT(store_->set_members_may_leave(litware, false));
        CPPUNIT_ASSERT(!store_->find_organization("Litware")->members_may_leave);
        CPPUNIT_ASSERT(!store_->set_members_may_leave(9999, false));
        AccountId kim = store_->create_account(new_account("kim"), 1);
        AccountId lee = store_->create_account(new_account("lee"), 1);
        for (AccountId id : {kim, lee}) {
            store_->add_membership(id, contoso, MembershipKind::home, "");
            store_->add_membership(id, fabrikam, MembershipKind::guest, "");
            store_->add_membership(id, litware, MembershipKind::guest, "");
        }
        const std::int64_t version = store_->find_account_by_id(kim)->profile_version;
        AuditEvent left;
        left.at = 5;
        left.kind = "organization_left";
        left.detail = "Fabrikam";

        store_->leave_organization(kim, fabrikam, left);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->memberships_of(kim).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, store_->memberships_of(lee).size());
        CPPUNIT_ASSERT(store_->find_account_by_id(kim)->profile_version > version);  // the cached profile is stale
        CPPUNIT_ASSERT_EQUAL(std::string("Fabrikam"), store_->events_of(kim, 1).at(0).detail);

        const std::size_t events = store_->events_of(kim, 10).size();
        CPPUNIT_ASSERT(thrown_by([&] { store_->leave_organization(kim, fabrikam, left); }).kind() ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT(thrown_by([&] { store_->leave_organization(kim, contoso, left); }).kind() ==
                       StoreError::Kind::not_found);  // a home membership is no guest one
        CPPUNIT_ASSERT(thrown_by([&] { store_->leave_organization(kim, litware, left); }).kind() ==
                       StoreError::Kind::conflict);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->memberships_of(kim).size());
        CPPUNIT_ASSERT_EQUAL(events, store_->events_of(kim, 10).size());
    }

    // The most any organization of the account asks, on the account row and on the session lookup
    // (the gate reads it from there without a query of its own).
    void an_account_carries_what_its_organizations_ask() {
        std::int64_t contoso = store_->create_organization(Organization{0, "Contoso", ""});
        std::int64_t fabrikam = store_->create_organization(Organization{0, "Fabrikam", ""});
        AccountId kim = store_->create_account(new_account("kim"), 1);
        store_->create_account(new_account("lee"), 1);
        store_->add_membership(kim, contoso, MembershipKind::home, "");
        store_->create_session(new_session(kim, "kim-token", 1000, 3600));
        auto asked_of = [&](const std::string& user) { return store_->find_account(user)->organization_mfa; };

        CPPUNIT_ASSERT(asked_of("kim") == MfaRequirement::off);
        CPPUNIT_ASSERT(store_->set_organization_mfa(contoso, MfaRequirement::registered));
        CPPUNIT_ASSERT(asked_of("kim") == MfaRequirement::registered);
        CPPUNIT_ASSERT(store_->find_account_by_id(kim)->organization_mfa == MfaRequirement::registered);
        CPPUNIT_ASSERT(store_->find_session("kim-token")->account.organization_mfa == MfaRequirement::registered);
        CPPUNIT_ASSERT(asked_of("lee") == MfaRequirement::off);  // no organization: the site's rule alone

        // A guest membership counts too, and the most demanding organization wins.
        CPPUNIT_ASSERT(store_->set_organization_mfa(fabrikam, MfaRequirement::all));
        CPPUNIT_ASSERT(asked_of("kim") == MfaRequirement::registered);
        store_->add_membership(kim, fabrikam, MembershipKind::guest, "Guest");
        CPPUNIT_ASSERT(asked_of("kim") == MfaRequirement::all);
        CPPUNIT_ASSERT(store_->find_session("kim-token")->account.organization_mfa == MfaRequirement::all);

        auto orgs = store_->list_organizations();
        CPPUNIT_ASSERT(orgs[0].require_mfa == MfaRequirement::registered);
        CPPUNIT_ASSERT(orgs[1].require_mfa == MfaRequirement::all);
        CPPUNIT_ASSERT(store_->find_organization("fabrikam")->require_mfa == MfaRequirement::all);
        CPPUNIT_ASSERT(store_->memberships_of(kim)[1].organization.require_mfa == MfaRequirement::all);

        CPPUNIT_ASSERT(store_->set_organization_mfa(fabrikam, MfaRequirement::off));
        CPPUNIT_ASSERT(store_->set_organization_mfa(contoso, MfaRequirement::off));
        CPPUNIT_ASSERT(asked_of("kim") == MfaRequirement::off);
        CPPUNIT_ASSERT(!store_->set_organization_mfa(9999, MfaRequirement::all));
    }
};

MYA_STORE_CONTRACT(OrganizationsContract);
