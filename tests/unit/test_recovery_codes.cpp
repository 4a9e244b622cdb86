// Recovery codes and app passwords: what they look like, how typed ones are read, and their hashes.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/app_passwords.hpp"
#include "core/methods/recovery_codes.hpp"

using namespace myaccount;

namespace {
const SecretKey key = SecretKey::from_bytes(std::string(32, '\x5a'));
const SecretKey other_key = SecretKey::from_bytes(std::string(32, '\x5b'));
}  // namespace

class RecoveryCodesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RecoveryCodesTest);
    CPPUNIT_TEST(ten_distinct_codes_without_look_alikes);
    CPPUNIT_TEST(sets_differ_every_time);
    CPPUNIT_TEST(typed_codes_are_read_without_spaces_dashes_or_case);
    CPPUNIT_TEST(what_cannot_be_a_code_reads_as_nothing);
    CPPUNIT_TEST(hashes_are_keyed_and_bound_to_the_account);
    CPPUNIT_TEST(download_text_lists_every_code);
    CPPUNIT_TEST_SUITE_END();

public:
    void ten_distinct_codes_without_look_alikes() {
        const std::vector<std::string> codes = new_recovery_codes();
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, codes.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, std::set<std::string>(codes.begin(), codes.end()).size());
        const std::regex shape("[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}");
        for (const std::string& code : codes) {
            CPPUNIT_ASSERT_MESSAGE(code, std::regex_match(code, shape));
            CPPUNIT_ASSERT_MESSAGE(code, code.find_first_of("01ilo") == std::string::npos);
        }
    }

    void sets_differ_every_time() {
        std::set<std::string> seen;
        for (int set = 0; set < 20; ++set)
            for (const std::string& code : new_recovery_codes()) seen.insert(code);
        CPPUNIT_ASSERT_EQUAL(std::size_t{200}, seen.size());
    }

    void typed_codes_are_read_without_spaces_dashes_or_case() {
        CPPUNIT_ASSERT_EQUAL(std::string("abcd2345wxyz"), normalized_recovery_code("abcd-2345-wxyz"));
        CPPUNIT_ASSERT_EQUAL(std::string("abcd2345wxyz"), normalized_recovery_code("ABCD-2345-WXYZ"));
        CPPUNIT_ASSERT_EQUAL(std::string("abcd2345wxyz"), normalized_recovery_code(" abcd 2345 wxyz "));
        CPPUNIT_ASSERT_EQUAL(std::string("abcd2345wxyz"), normalized_recovery_code("abcd2345wxyz"));
        CPPUNIT_ASSERT_EQUAL(std::string("abcd2345wxyz"), normalized_recovery_code("ab-cd--2345 WX-yz"));
        for (const std::string& code : new_recovery_codes()) {
            std::string bare = code;
            bare.erase(std::remove(bare.begin(), bare.end(), '-'), bare.end());
            CPPUNIT_ASSERT_EQUAL(bare, normalized_recovery_code(code));
        }
    }

    void what_cannot_be_a_code_reads_as_nothing() {
        for (const char* bad : {"", "abcd-2345-wxy", "abcd-2345-wxyz2", "abcd-2345-wxy0", "abcd-2345-wxyl",
                                "abcd_2345_wxyz", "abcd.2345.wxyz", "ａｂｃｄ-2345-wxyz", "abcd-2345-wxy\n"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string(), normalized_recovery_code(bad));
        CPPUNIT_ASSERT_EQUAL(std::string(), normalized_recovery_code(std::string("abcd-2345-wxyz\0", 15)));
        CPPUNIT_ASSERT_EQUAL(std::string(), normalized_recovery_code(std::string(100, ' ') + "abcd2345wxyz"));
    }

    void hashes_are_keyed_and_bound_to_the_account() {
        const std::string code = "abcd2345wxyz";
        const std::string hash = recovery_code_hash(key, 1, code);
        CPPUNIT_ASSERT_EQUAL(hash, recovery_code_hash(key, 1, code));
        CPPUNIT_ASSERT(hash != recovery_code_hash(key, 2, code));
        CPPUNIT_ASSERT(hash != recovery_code_hash(other_key, 1, code));
        CPPUNIT_ASSERT(hash != recovery_code_hash(key, 1, "abcd2345wxy2"));
        CPPUNIT_ASSERT(hash.find(code) == std::string::npos);
        // Not the app passwords' hash of the same text either: each purpose has its own sub-key.
        CPPUNIT_ASSERT(hash != app_password_hash(key, 1, code));
    }

    void download_text_lists_every_code() {
        const std::vector<std::string> codes = new_recovery_codes();
        const std::string text = recovery_codes_text(codes, "社内 SSO", "alice", "Recovery codes");
        CPPUNIT_ASSERT_EQUAL(std::string("Recovery codes\n社内 SSO: alice\n\n"), text.substr(0, text.find("\n\n") + 2));
        for (const std::string& code : codes) CPPUNIT_ASSERT(text.find("\n" + code + "\n") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL('\n', text.back());
    }
};

class AppPasswordsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AppPasswordsTest);
    CPPUNIT_TEST(sixteen_letters_in_groups_of_four);
    CPPUNIT_TEST(typed_passwords_are_read_without_spaces_or_case);
    CPPUNIT_TEST(what_cannot_be_an_app_password_reads_as_nothing);
    CPPUNIT_TEST(hashes_are_keyed_and_bound_to_the_account);
    CPPUNIT_TEST_SUITE_END();

public:
    void sixteen_letters_in_groups_of_four() {
        std::set<std::string> seen;
        for (int i = 0; i < 50; ++i) {
            const std::string password = new_app_password();
            CPPUNIT_ASSERT_MESSAGE(password, std::regex_match(password, std::regex("[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}")));
            seen.insert(password);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{50}, seen.size());
    }

    void typed_passwords_are_read_without_spaces_or_case() {
        CPPUNIT_ASSERT_EQUAL(std::string("abcdefghijklmnop"), normalized_app_password("abcd efgh ijkl mnop"));
        CPPUNIT_ASSERT_EQUAL(std::string("abcdefghijklmnop"), normalized_app_password("ABCDEFGHIJKLMNOP"));
        CPPUNIT_ASSERT_EQUAL(std::string("abcdefghijklmnop"), normalized_app_password("  abcd efghijkl  MNOP "));
        const std::string password = new_app_password();
        std::string bare = password;
        bare.erase(std::remove(bare.begin(), bare.end(), ' '), bare.end());
        CPPUNIT_ASSERT_EQUAL(bare, normalized_app_password(password));
    }

    void what_cannot_be_an_app_password_reads_as_nothing() {
        for (const char* bad : {"", "abcd efgh ijkl mno", "abcd efgh ijkl mnopq", "abcd-efgh-ijkl-mnop",
                                "abcd efgh ijkl mn0p", "Glacier-Walnut-Orbit-42", "abcd\tefgh ijkl mnop"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string(), normalized_app_password(bad));
        CPPUNIT_ASSERT_EQUAL(std::string(), normalized_app_password(std::string(100, ' ') + "abcdefghijklmnop"));
    }

    void hashes_are_keyed_and_bound_to_the_account() {
        const std::string password = "abcdefghijklmnop";
        const std::string hash = app_password_hash(key, 1, password);
        CPPUNIT_ASSERT_EQUAL(hash, app_password_hash(key, 1, password));
        CPPUNIT_ASSERT(hash != app_password_hash(key, 2, password));
        CPPUNIT_ASSERT(hash != app_password_hash(other_key, 1, password));
        CPPUNIT_ASSERT(hash != app_password_hash(key, 1, "abcdefghijklmnoq"));
        CPPUNIT_ASSERT(hash.find(password) == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecoveryCodesTest);
CPPUNIT_TEST_SUITE_REGISTRATION(AppPasswordsTest);
