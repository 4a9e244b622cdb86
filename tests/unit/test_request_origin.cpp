// The same-site rule every state change and sign-in form is judged by (web/request_origin.hpp).
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "web/request_origin.hpp"

using myaccount::web::Provenance;
using myaccount::web::provenance_of;

class RequestOriginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RequestOriginTest);
    CPPUNIT_TEST(fetch_metadata_decides_when_present);
    CPPUNIT_TEST(origin_decides_without_fetch_metadata);
    CPPUNIT_TEST_SUITE_END();

    const std::string own = "https://intranet.example";

public:
    void fetch_metadata_decides_when_present() {
        // Chromium under Referrer-Policy no-referrer sends Origin: null on a same-origin post.
        CPPUNIT_ASSERT(provenance_of("same-origin", "null", own) == Provenance::same_origin);
        CPPUNIT_ASSERT(provenance_of("same-origin", own, own) == Provenance::same_origin);
        CPPUNIT_ASSERT(provenance_of("same-origin", "", own) == Provenance::same_origin);
        for (const char* site : {"same-site", "cross-site", "none", "garbage"}) {
            CPPUNIT_ASSERT_MESSAGE(site, provenance_of(site, own, own) == Provenance::cross_site);
            CPPUNIT_ASSERT_MESSAGE(site, provenance_of(site, "", own) == Provenance::cross_site);
        }
    }

    void origin_decides_without_fetch_metadata() {
        CPPUNIT_ASSERT(provenance_of("", own, own) == Provenance::same_origin);
        CPPUNIT_ASSERT(provenance_of("", "", own) == Provenance::unknown);
        for (const char* origin : {"null", "https://evil.example", "http://intranet.example",
                                   "https://intranet.example.evil", "https://intranet.example:8443"})
            CPPUNIT_ASSERT_MESSAGE(origin, provenance_of("", origin, own) == Provenance::cross_site);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestOriginTest);
