// Store contract: organizations and memberships.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "store_contract/contract_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class OrganizationsContract : public ContractFixture {
    CPPUNIT_TEST_SUITE(OrganizationsContract);
    CPPUNIT_TEST(organizations_and_membership_upsert);
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
};

MYA_STORE_CONTRACT(OrganizationsContract);
