// Phone numbers as people type them, read with libphonenumber and kept as E.164.
#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>

#include "core/methods/phone_number.hpp"

using namespace myaccount;

class PhoneNumberTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PhoneNumberTest);
    CPPUNIT_TEST(national_formats_with_the_default_country);
    CPPUNIT_TEST(international_formats_whatever_the_default_country);
    CPPUNIT_TEST(full_width_digits_and_punctuation);
    CPPUNIT_TEST(invalid_numbers_are_refused);
    CPPUNIT_TEST(letters_and_extensions_are_refused);
    CPPUNIT_TEST(readable_form);
    CPPUNIT_TEST(masked_form);
    CPPUNIT_TEST(known_regions);
    CPPUNIT_TEST_SUITE_END();

public:
    void national_formats_with_the_default_country() {
        CPPUNIT_ASSERT_EQUAL(std::string("+81312345678"), e164("03-1234-5678", "JP"));
        CPPUNIT_ASSERT_EQUAL(std::string("+819012345678"), e164("090-1234-5678", "JP"));
        CPPUNIT_ASSERT_EQUAL(std::string("+819012345678"), e164("090 1234 5678", "JP"));
        CPPUNIT_ASSERT_EQUAL(std::string("+819012345678"), e164("09012345678", "JP"));
        CPPUNIT_ASSERT_EQUAL(std::string("+819012345678"), e164("(090) 1234-5678", "JP"));
        CPPUNIT_ASSERT_EQUAL(std::string("+819012345678"), e164("090-1234-5678", "jp"));
        CPPUNIT_ASSERT_EQUAL(std::string("+16502530000"), e164("(650) 253-0000", "US"));
        CPPUNIT_ASSERT_EQUAL(std::string("+442079460958"), e164("020 7946 0958", "GB"));
    }

    void international_formats_whatever_the_default_country() {
        CPPUNIT_ASSERT_EQUAL(std::string("+16502530000"), e164("+1 650-253-0000", "JP"));
        CPPUNIT_ASSERT_EQUAL(std::string("+81312345678"), e164("+81 3-1234-5678", "US"));
        CPPUNIT_ASSERT_EQUAL(std::string("+81312345678"), e164("+81312345678", "JP"));
        // The international call prefix of the default country works too.
        CPPUNIT_ASSERT_EQUAL(std::string("+16502530000"), e164("010 1 650 253 0000", "JP"));
    }

    void full_width_digits_and_punctuation() {
        CPPUNIT_ASSERT_EQUAL(std::string("+81312345678"), e164("０３－１２３４－５６７８", "JP"));
        CPPUNIT_ASSERT_EQUAL(std::string("+819012345678"), e164("＋８１ ９０ １２３４ ５６７８", "JP"));
    }

    void invalid_numbers_are_refused() {
        for (const char* bad : {"", "123", "+81 0000", "03-1234", "0000000000", "+999 1234 5678",
                                "+81 3-1234-5678-9012", "03-1234-5678\n", "  "})
            CPPUNIT_ASSERT_MESSAGE(bad, !e164_of(bad, "JP"));
        CPPUNIT_ASSERT(!e164_of(std::string("03-1234-5678\0", 13), "JP"));
        CPPUNIT_ASSERT(!e164_of(std::string(200, '1'), "JP"));
        CPPUNIT_ASSERT(!e164_of("\xff\xfe", "JP"));
        // A national number without a country to read it in is not one.
        CPPUNIT_ASSERT(!e164_of("03-1234-5678", ""));
        CPPUNIT_ASSERT(!e164_of("03-1234-5678", "ZZ"));
    }

    void letters_and_extensions_are_refused() {
        for (const char* bad : {"abc", "1-800-FLOWERS", "+1 800 FLOWERS", "03-1234-5678 ext. 12", "03-1234-5678 x12",
                                "03-1234-5678#12", "03-1234-ＡＢＣＤ"})
            CPPUNIT_ASSERT_MESSAGE(bad, !e164_of(bad, "JP"));
    }

    void readable_form() {
        CPPUNIT_ASSERT_EQUAL(std::string("+81 3-1234-5678"), readable_phone("+81312345678"));
        CPPUNIT_ASSERT_EQUAL(std::string("+81 90-1234-5678"), readable_phone("+819012345678"));
        CPPUNIT_ASSERT_EQUAL(std::string("+1 650-253-0000"), readable_phone("+16502530000"));
        // Not a number: shown as stored rather than not at all.
        CPPUNIT_ASSERT_EQUAL(std::string("not a number"), readable_phone("not a number"));
    }

    // The country code and the last four digits stay; the rest are dots, the layout kept.
    void masked_form() {
        CPPUNIT_ASSERT_EQUAL(std::string("+81 \u2022\u2022-\u2022\u2022\u2022\u2022-5678"), masked_phone("+819012345678"));
        CPPUNIT_ASSERT_EQUAL(std::string("+81 \u2022-\u2022\u2022\u2022\u2022-5678"), masked_phone("+81312345678"));
        CPPUNIT_ASSERT_EQUAL(std::string("+1 \u2022\u2022\u2022-\u2022\u2022\u2022-0000"), masked_phone("+16502530000"));
    }

    void known_regions() {
        CPPUNIT_ASSERT(is_known_region("JP"));
        CPPUNIT_ASSERT(is_known_region("US"));
        CPPUNIT_ASSERT(is_known_region("gb"));
        for (const char* bad : {"", "XX", "ZZ", "JPN", "J", "日本"}) CPPUNIT_ASSERT_MESSAGE(bad, !is_known_region(bad));
    }

private:
    static std::string e164(const std::string& typed, const std::string& region) {
        std::optional<std::string> number = e164_of(typed, region);
        CPPUNIT_ASSERT_MESSAGE(typed, number.has_value());
        return *number;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PhoneNumberTest);
