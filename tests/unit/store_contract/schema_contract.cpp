// Store contract: creating a store and migrating it, again and again.
#include <cppunit/extensions/HelperMacros.h>

#include "store_contract/contract_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class SchemaContract : public ContractFixture {
    CPPUNIT_TEST_SUITE(SchemaContract);
    CPPUNIT_TEST(migrates_fresh_database_and_again_idempotently);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void migrates_fresh_database_and_again_idempotently() {
        StoreLocation other = backend_->location("fresh");
        const int supported = check_schema(*location_).supported;
        SchemaChange first = migrate_store(other);
        CPPUNIT_ASSERT_EQUAL(0, first.from);
        CPPUNIT_ASSERT_EQUAL(supported, first.to);
        CPPUNIT_ASSERT(supported >= 1);
        SchemaChange again = migrate_store(other);
        CPPUNIT_ASSERT_EQUAL(supported, again.from);
        CPPUNIT_ASSERT_EQUAL(supported, again.to);
        CPPUNIT_ASSERT_EQUAL(supported, check_schema(other).found);
        CPPUNIT_ASSERT_EQUAL(supported, store_->schema_version());
        // Reading the version works while another connection has the store open.
        CPPUNIT_ASSERT_EQUAL(supported, check_schema(*location_).found);
    }
};

MYA_STORE_CONTRACT(SchemaContract);
