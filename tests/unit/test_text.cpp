// Tests of UTF-8 validation, code point counting, control characters and field checks.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/text.hpp"

using namespace myaccount;

class TextTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TextTest);
    CPPUNIT_TEST(accepts_well_formed_utf8);
    CPPUNIT_TEST(rejects_overlong_forms);
    CPPUNIT_TEST(rejects_surrogates);
    CPPUNIT_TEST(rejects_above_max_code_point);
    CPPUNIT_TEST(rejects_broken_sequences);
    CPPUNIT_TEST(counts_code_points_not_bytes);
    CPPUNIT_TEST(finds_c0_del_and_c1_controls);
    CPPUNIT_TEST(check_field_reports_first_problem);
    CPPUNIT_TEST(check_field_counts_code_points);
    CPPUNIT_TEST(usernames);
    CPPUNIT_TEST(email_addresses);
    CPPUNIT_TEST(problem_names);
    CPPUNIT_TEST(percent_encoding);
    CPPUNIT_TEST_SUITE_END();

public:
    void accepts_well_formed_utf8() {
        CPPUNIT_ASSERT(is_valid_utf8(""));
        CPPUNIT_ASSERT(is_valid_utf8("plain ASCII"));
        CPPUNIT_ASSERT(is_valid_utf8(std::string("nul\0inside", 10)));
        CPPUNIT_ASSERT(is_valid_utf8("\xc2\x80"));               // U+0080, smallest 2-byte
        CPPUNIT_ASSERT(is_valid_utf8("\xdf\xbf"));               // U+07FF
        CPPUNIT_ASSERT(is_valid_utf8("\xe0\xa0\x80"));           // U+0800, smallest 3-byte
        CPPUNIT_ASSERT(is_valid_utf8("\xed\x9f\xbf"));           // U+D7FF, just below surrogates
        CPPUNIT_ASSERT(is_valid_utf8("\xee\x80\x80"));           // U+E000, just above surrogates
        CPPUNIT_ASSERT(is_valid_utf8("\xef\xbf\xbf"));           // U+FFFF
        CPPUNIT_ASSERT(is_valid_utf8("\xf0\x90\x80\x80"));       // U+10000, smallest 4-byte
        CPPUNIT_ASSERT(is_valid_utf8("\xf4\x8f\xbf\xbf"));       // U+10FFFF, the largest
        CPPUNIT_ASSERT(is_valid_utf8("J\xc3\xbcrgen \xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x98\x80"));
    }

    void rejects_overlong_forms() {
        CPPUNIT_ASSERT(!is_valid_utf8("\xc0\xaf"));              // '/' in 2 bytes
        CPPUNIT_ASSERT(!is_valid_utf8("\xc0\x80"));              // NUL in 2 bytes (modified UTF-8)
        CPPUNIT_ASSERT(!is_valid_utf8("\xc1\xbf"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xe0\x80\xaf"));          // '/' in 3 bytes
        CPPUNIT_ASSERT(!is_valid_utf8("\xe0\x9f\xbf"));          // U+07FF in 3 bytes
        CPPUNIT_ASSERT(!is_valid_utf8("\xf0\x80\x80\xaf"));      // '/' in 4 bytes
        CPPUNIT_ASSERT(!is_valid_utf8("\xf0\x8f\xbf\xbf"));      // U+FFFF in 4 bytes
    }

    void rejects_surrogates() {
        CPPUNIT_ASSERT(!is_valid_utf8("\xed\xa0\x80"));          // U+D800
        CPPUNIT_ASSERT(!is_valid_utf8("\xed\xbf\xbf"));          // U+DFFF
        CPPUNIT_ASSERT(!is_valid_utf8("\xed\xa0\xbd\xed\xb8\x80"));  // CESU-8 pair for U+1F600
    }

    void rejects_above_max_code_point() {
        CPPUNIT_ASSERT(!is_valid_utf8("\xf4\x90\x80\x80"));      // U+110000
        CPPUNIT_ASSERT(!is_valid_utf8("\xf5\x80\x80\x80"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xf7\xbf\xbf\xbf"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xf8\x88\x80\x80\x80"));  // old 5-byte form
        CPPUNIT_ASSERT(!is_valid_utf8("\xfc\x84\x80\x80\x80\x80"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xfe"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xff"));
    }

    void rejects_broken_sequences() {
        CPPUNIT_ASSERT(!is_valid_utf8("\x80"));                  // lone continuation
        CPPUNIT_ASSERT(!is_valid_utf8("a\xbf"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xc3"));                  // truncated at end
        CPPUNIT_ASSERT(!is_valid_utf8("\xe6\xbc"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xf0\x9f\x98"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xc3" "a"));              // continuation missing
        CPPUNIT_ASSERT(!is_valid_utf8("\xe6\xbc" "a"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xf0\x9f\x98" "a"));
        CPPUNIT_ASSERT(!is_valid_utf8("\xc3\xbc\xbc"));          // one continuation too many
        CPPUNIT_ASSERT(!is_valid_utf8("Latin-1 caf\xe9"));
    }

    void counts_code_points_not_bytes() {
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, code_point_count(""));
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, code_point_count("hello"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, code_point_count("\xc3\xbc"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, code_point_count("\xe6\xbc\xa2"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, code_point_count("\xf0\x9f\x98\x80"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, code_point_count(std::string("a\0b", 3)));
        // "e" + combining acute: two code points, though one visible character
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, code_point_count("e\xcc\x81"));
    }

    void finds_c0_del_and_c1_controls() {
        CPPUNIT_ASSERT(!has_control_characters(""));
        CPPUNIT_ASSERT(!has_control_characters("Name with spaces ~!"));
        CPPUNIT_ASSERT(!has_control_characters("\xc2\xa0\xc3\xbc\xf0\x9f\x98\x80"));  // NBSP, ü, emoji
        CPPUNIT_ASSERT(has_control_characters(std::string("a\0b", 3)));
        CPPUNIT_ASSERT(has_control_characters("a\tb"));
        CPPUNIT_ASSERT(has_control_characters("a\nb"));
        CPPUNIT_ASSERT(has_control_characters("a\rb"));
        CPPUNIT_ASSERT(has_control_characters("\x1b[31m"));
        CPPUNIT_ASSERT(has_control_characters("\x1f"));
        CPPUNIT_ASSERT(has_control_characters("a\x7f"));
        CPPUNIT_ASSERT(has_control_characters("\xc2\x80"));      // U+0080
        CPPUNIT_ASSERT(has_control_characters("x\xc2\x85y"));    // U+0085 NEL
        CPPUNIT_ASSERT(has_control_characters("\xc2\x9f"));      // U+009F
        CPPUNIT_ASSERT(!has_control_characters("\xc2\xa0"));     // U+00A0 is not a control
    }

    void check_field_reports_first_problem() {
        CPPUNIT_ASSERT(check_field("", 10) == TextProblem::empty);
        CPPUNIT_ASSERT(!check_field("", 10, false).has_value());
        CPPUNIT_ASSERT(!check_field("Alice Example", 64).has_value());
        CPPUNIT_ASSERT(check_field("caf\xe9", 64) == TextProblem::invalid_utf8);
        CPPUNIT_ASSERT(check_field("caf\xe9\n", 64) == TextProblem::invalid_utf8);
        CPPUNIT_ASSERT(check_field("line\nbreak", 64) == TextProblem::control_characters);
        CPPUNIT_ASSERT(check_field("tab\there", 64) == TextProblem::control_characters);
        CPPUNIT_ASSERT(check_field("elevenchars", 10) == TextProblem::too_long);
        CPPUNIT_ASSERT(check_field("caf\xe9", 64, false) == TextProblem::invalid_utf8);
    }

    void check_field_counts_code_points() {
        std::string ten_emoji;
        for (int i = 0; i < 10; ++i) ten_emoji += "\xf0\x9f\x98\x80";
        CPPUNIT_ASSERT(!check_field(ten_emoji, 10).has_value());
        CPPUNIT_ASSERT(check_field(ten_emoji + "x", 10) == TextProblem::too_long);
        CPPUNIT_ASSERT(!check_field(std::string(10, 'x'), 10).has_value());
    }

    void usernames() {
        CPPUNIT_ASSERT(is_valid_username("alice"));
        CPPUNIT_ASSERT(is_valid_username("a"));
        CPPUNIT_ASSERT(is_valid_username("7of9"));
        CPPUNIT_ASSERT(is_valid_username("j.doe_2-x@example.org"));
        CPPUNIT_ASSERT(is_valid_username(std::string(64, 'a')));
        CPPUNIT_ASSERT(!is_valid_username(std::string(65, 'a')));
        CPPUNIT_ASSERT(!is_valid_username(""));
        CPPUNIT_ASSERT(!is_valid_username(".alice"));
        CPPUNIT_ASSERT(!is_valid_username("-alice"));
        CPPUNIT_ASSERT(!is_valid_username("_alice"));
        CPPUNIT_ASSERT(!is_valid_username("@alice"));
        CPPUNIT_ASSERT(!is_valid_username("al ice"));
        CPPUNIT_ASSERT(!is_valid_username("al:ice"));
        CPPUNIT_ASSERT(!is_valid_username("al/ice"));
        CPPUNIT_ASSERT(!is_valid_username("j\xc3\xbcrgen"));
        CPPUNIT_ASSERT(!is_valid_username(std::string("alice\0", 6)));
        CPPUNIT_ASSERT(!is_valid_username("alice\n"));
    }

    void email_addresses() {
        CPPUNIT_ASSERT(is_valid_email("alice@example.org"));
        CPPUNIT_ASSERT(is_valid_email("a.b+tag@sub.example.co.uk"));
        CPPUNIT_ASSERT(is_valid_email("root@localhost"));
        CPPUNIT_ASSERT(is_valid_email("j\xc3\xbcrgen@b\xc3\xbc" "cher.example"));
        CPPUNIT_ASSERT(!is_valid_email(""));
        CPPUNIT_ASSERT(!is_valid_email("alice"));
        CPPUNIT_ASSERT(!is_valid_email("@example.org"));
        CPPUNIT_ASSERT(!is_valid_email("alice@"));
        CPPUNIT_ASSERT(!is_valid_email("a@b@example.org"));
        CPPUNIT_ASSERT(!is_valid_email("alice @example.org"));
        CPPUNIT_ASSERT(!is_valid_email("alice@example.org\r\nBcc: x@evil.example"));
        CPPUNIT_ASSERT(!is_valid_email("alice@example.org\n"));
        CPPUNIT_ASSERT(!is_valid_email("alice@example.org,bob@example.org"));
        CPPUNIT_ASSERT(!is_valid_email("Alice <alice@example.org>"));
        CPPUNIT_ASSERT(!is_valid_email("alice@.example.org"));
        CPPUNIT_ASSERT(!is_valid_email("alice@example.org."));
        CPPUNIT_ASSERT(!is_valid_email("alice@example..org"));
        CPPUNIT_ASSERT(!is_valid_email("al\xe9@example.org"));
        CPPUNIT_ASSERT(!is_valid_email(std::string("alice@example.org\0", 18)));
        const std::string domain = "@" + std::string(240, 'd') + ".org";  // 245 bytes
        CPPUNIT_ASSERT(is_valid_email(std::string(9, 'a') + domain));        // 254
        CPPUNIT_ASSERT(!is_valid_email(std::string(10, 'a') + domain));      // 255
    }

    void percent_encoding() {
        CPPUNIT_ASSERT_EQUAL(std::string("Contoso%20Ltd.%3Aalice-_~"), percent_encoded("Contoso Ltd.:alice-_~"));
        CPPUNIT_ASSERT_EQUAL(std::string("%E6%9D%B1%E4%BA%AC"), percent_encoded("東京"));  // UTF-8 byte by byte
        CPPUNIT_ASSERT_EQUAL(std::string("%2Fapp%2F%3Fa%3D1%26b"), percent_encoded("/app/?a=1&b"));
        CPPUNIT_ASSERT_EQUAL(std::string("/app/%3Fa%3D1%26b"), percent_encoded("/app/?a=1&b", "/"));
        CPPUNIT_ASSERT_EQUAL(std::string(), percent_encoded(""));
    }

    void problem_names() {
        CPPUNIT_ASSERT_EQUAL(std::string("empty"), std::string(to_string(TextProblem::empty)));
        CPPUNIT_ASSERT_EQUAL(std::string("too_long"), std::string(to_string(TextProblem::too_long)));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_utf8"), std::string(to_string(TextProblem::invalid_utf8)));
        CPPUNIT_ASSERT_EQUAL(std::string("control_characters"),
                             std::string(to_string(TextProblem::control_characters)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TextTest);
