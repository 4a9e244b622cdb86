// Tests of open_store's choice of store from a location: a path means a SQLite file, a
// postgresql:// URL a PostgreSQL database, which this build refuses plainly.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "store/open_store.hpp"
#include "store_contract/contract_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class OpenStoreTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpenStoreTest);
    CPPUNIT_TEST(paths_are_files);
    CPPUNIT_TEST(postgresql_urls_are_not_files);
    CPPUNIT_TEST(postgresql_is_refused_without_echoing_the_url);
    CPPUNIT_TEST_SUITE_END();

public:
    void paths_are_files() {
        for (const char* path : {"/var/lib/mod_myaccount/myaccount.db", "var/demo.db", "myaccount.db",
                                 "/srv/postgresql/accounts.db", "file:accounts.db"}) {
            StoreLocation location = StoreLocation::parse(path);
            CPPUNIT_ASSERT_MESSAGE(path, location.is_file());
            CPPUNIT_ASSERT_EQUAL(std::string(path), location.text());
        }
    }

    void postgresql_urls_are_not_files() {
        for (const char* url : {"postgresql://db.example/accounts", "postgres://user@db.example:5432/accounts",
                                "PostgreSQL://db.example/accounts", "postgresql:///accounts?host=/run/postgresql"}) {
            StoreLocation location = StoreLocation::parse(url);
            CPPUNIT_ASSERT_MESSAGE(url, !location.is_file());
            CPPUNIT_ASSERT_EQUAL(std::string(url), location.text());
        }
    }

    void postgresql_is_refused_without_echoing_the_url() {
        const StoreLocation location = StoreLocation::parse("postgresql://mya:s3cret@db.example/accounts");
        for (const StoreError& error : {thrown_by([&] { open_store(location); }),
                                        thrown_by([&] { check_schema(location); }),
                                        thrown_by([&] { migrate_store(location); })}) {
            CPPUNIT_ASSERT(error.kind() == StoreError::Kind::invalid);
            CPPUNIT_ASSERT_MESSAGE(error.what(),
                                   contains(error.what(), "PostgreSQL stores are not available in this build"));
            CPPUNIT_ASSERT_MESSAGE(error.what(), !contains(error.what(), "s3cret"));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OpenStoreTest);
