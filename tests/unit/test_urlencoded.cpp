// urlencoded bodies read without httpd (web/urlencoded.hpp) and the sign-in guard's reading of a
// posted form (web/sign_in_form.hpp).
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "web/sign_in_form.hpp"
#include "web/urlencoded.hpp"

using myaccount::web::Fields;
using myaccount::web::parse_urlencoded;
using myaccount::web::scan_sign_in_form;
using myaccount::web::urldecoded;

class UrlencodedTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(UrlencodedTest);
    CPPUNIT_TEST(decodes_as_httpd_does);
    CPPUNIT_TEST(splits_fields_in_order);
    CPPUNIT_TEST(encoding_round_trips);
    CPPUNIT_TEST(sign_in_form_token_fields_are_counted);
    CPPUNIT_TEST(sign_in_form_nul_bytes_are_found);
    CPPUNIT_TEST_SUITE_END();

public:
    void decodes_as_httpd_does() {
        CPPUNIT_ASSERT(urldecoded("a+b%2Bc%3d") == std::string("a b+c="));
        CPPUNIT_ASSERT(urldecoded("%00") == std::string(1, '\0'));
        for (const char* malformed : {"%", "%4", "%G0", "abc%zz", "%%41"})
            CPPUNIT_ASSERT_MESSAGE(malformed, !urldecoded(malformed));
    }

    void splits_fields_in_order() {
        const Fields expected{{"user", "alice"}, {"empty", ""}, {"", "x"}, {"user", "bob smith"}};
        CPPUNIT_ASSERT(parse_urlencoded("user=alice&&empty=&no-equals&=x&bad=%zz&user=bob+smith&") == expected);
        CPPUNIT_ASSERT(parse_urlencoded("").empty());
    }

    void encoding_round_trips() {
        const Fields fields{{"next", "/app/?a=1&b=2"}, {"name", "山田 花子+"}, {"", ""}};
        const std::string encoded = myaccount::web::encode_urlencoded(fields);
        CPPUNIT_ASSERT_EQUAL(std::string::npos, encoded.find_first_of(" +?/"));
        CPPUNIT_ASSERT(parse_urlencoded(encoded) == fields);
    }

    void sign_in_form_token_fields_are_counted() {
        auto scan = scan_sign_in_form("httpd_username=alice&httpd_password=pw&login_csrf=abc%2Bd");
        CPPUNIT_ASSERT_EQUAL(1, scan.tokens);
        CPPUNIT_ASSERT_EQUAL(std::string("abc+d"), scan.token);
        CPPUNIT_ASSERT(!scan.has_nul);
        CPPUNIT_ASSERT_EQUAL(2, scan_sign_in_form("login_csrf=a&login_csrf=b").tokens);
        CPPUNIT_ASSERT_EQUAL(0, scan_sign_in_form("login_csrf&x=1").tokens);
    }

    void sign_in_form_nul_bytes_are_found() {
        CPPUNIT_ASSERT(scan_sign_in_form("httpd_password=secret%00x").has_nul);
        CPPUNIT_ASSERT(scan_sign_in_form(std::string("httpd_password=secret\0x", 23)).has_nul);
        CPPUNIT_ASSERT(scan_sign_in_form("httpd_password%00=x").has_nul);
        // httpd's form parser decodes a malformed escape without a check: "%G0" is a NUL to it.
        for (const char* malformed : {"httpd_password=secret%G0x", "httpd_password=secret%g0", "x=%", "x=%4&y=1"})
            CPPUNIT_ASSERT_MESSAGE(malformed, scan_sign_in_form(malformed).has_nul);
        CPPUNIT_ASSERT(!scan_sign_in_form("httpd_password=100%25+sure%21").has_nul);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(UrlencodedTest);
