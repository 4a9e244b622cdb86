// Tests of the password policy: lengths in code points (PW-1, PW-2), no composition rules (PW-5).
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "core/password_policy.hpp"

using namespace myaccount;

namespace {

const std::string emoji = "\xf0\x9f\x98\x80";  // U+1F600, four bytes

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

using Rules = std::vector<PasswordRule>;

}  // namespace

class PasswordPolicyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PasswordPolicyTest);
    CPPUNIT_TEST(defaults_are_12_to_128);
    CPPUNIT_TEST(minimum_in_ascii);
    CPPUNIT_TEST(minimum_counts_code_points_not_bytes);
    CPPUNIT_TEST(maximum_counts_code_points);
    CPPUNIT_TEST(no_composition_rules);
    CPPUNIT_TEST(rejects_invalid_utf8);
    CPPUNIT_TEST(rejects_nul);
    CPPUNIT_TEST(accepts_spaces_tabs_and_unicode);
    CPPUNIT_TEST(custom_limits);
    CPPUNIT_TEST(rule_names);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaults_are_12_to_128() {
        const PasswordPolicy policy;
        CPPUNIT_ASSERT_EQUAL(std::size_t{12}, policy.min_length);
        CPPUNIT_ASSERT_EQUAL(std::size_t{128}, policy.max_length);
    }

    void minimum_in_ascii() {
        const PasswordPolicy policy;
        CPPUNIT_ASSERT(violations(policy, std::string(11, 'x')) == Rules{PasswordRule::too_short});
        CPPUNIT_ASSERT(violations(policy, std::string(12, 'x')).empty());
        CPPUNIT_ASSERT(violations(policy, "") == Rules{PasswordRule::too_short});
    }

    void minimum_counts_code_points_not_bytes() {
        const PasswordPolicy policy;
        // 11 emoji are 44 bytes, still only 11 characters.
        CPPUNIT_ASSERT(violations(policy, repeat(emoji, 11)) == Rules{PasswordRule::too_short});
        CPPUNIT_ASSERT(violations(policy, repeat(emoji, 12)).empty());
        CPPUNIT_ASSERT(violations(policy, repeat("\xc3\xbc", 11)) == Rules{PasswordRule::too_short});
    }

    void maximum_counts_code_points() {
        const PasswordPolicy policy;
        CPPUNIT_ASSERT(violations(policy, std::string(64, 'x')).empty());
        CPPUNIT_ASSERT(violations(policy, std::string(128, 'x')).empty());
        CPPUNIT_ASSERT(violations(policy, std::string(129, 'x')) == Rules{PasswordRule::too_long});
        // 128 emoji are 512 bytes: allowed, since the limit is in characters.
        CPPUNIT_ASSERT(violations(policy, repeat(emoji, 128)).empty());
        CPPUNIT_ASSERT(violations(policy, repeat(emoji, 129)) == Rules{PasswordRule::too_long});
    }

    void no_composition_rules() {
        const PasswordPolicy policy;
        CPPUNIT_ASSERT(violations(policy, "correct horse battery staple").empty());
        CPPUNIT_ASSERT(violations(policy, "aaaaaaaaaaaa").empty());
        CPPUNIT_ASSERT(violations(policy, "123456789012").empty());  // blocklisting comes later
    }

    void rejects_invalid_utf8() {
        const PasswordPolicy policy;
        CPPUNIT_ASSERT(violations(policy, "caf\xe9 au lait, long enough") == Rules{PasswordRule::invalid_utf8});
        CPPUNIT_ASSERT(violations(policy, std::string(20, '\xff')) == Rules{PasswordRule::invalid_utf8});
        CPPUNIT_ASSERT(violations(policy, "\xed\xa0\x80 surrogate inside") == Rules{PasswordRule::invalid_utf8});
    }

    void rejects_nul() {
        const PasswordPolicy policy;
        CPPUNIT_ASSERT(violations(policy, std::string("secret\0tail-long", 16)) == Rules{PasswordRule::contains_nul});
        CPPUNIT_ASSERT((violations(policy, std::string("a\0b", 3)) ==
                        Rules{PasswordRule::contains_nul, PasswordRule::too_short}));
        CPPUNIT_ASSERT((violations(policy, std::string("\xff\0", 2)) ==
                        Rules{PasswordRule::invalid_utf8, PasswordRule::contains_nul}));
    }

    void accepts_spaces_tabs_and_unicode() {
        const PasswordPolicy policy;
        CPPUNIT_ASSERT(violations(policy, "  a b\tc \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80 \xef\xac\x81").empty());
        CPPUNIT_ASSERT(violations(policy, "            ").empty());  // twelve spaces
    }

    void custom_limits() {
        const PasswordPolicy policy{8, 64};
        CPPUNIT_ASSERT(violations(policy, std::string(7, 'x')) == Rules{PasswordRule::too_short});
        CPPUNIT_ASSERT(violations(policy, std::string(8, 'x')).empty());
        CPPUNIT_ASSERT(violations(policy, std::string(64, 'x')).empty());
        CPPUNIT_ASSERT(violations(policy, std::string(65, 'x')) == Rules{PasswordRule::too_long});
    }

    void rule_names() {
        CPPUNIT_ASSERT_EQUAL(std::string("too_short"), std::string(to_string(PasswordRule::too_short)));
        CPPUNIT_ASSERT_EQUAL(std::string("too_long"), std::string(to_string(PasswordRule::too_long)));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_utf8"), std::string(to_string(PasswordRule::invalid_utf8)));
        CPPUNIT_ASSERT_EQUAL(std::string("contains_nul"), std::string(to_string(PasswordRule::contains_nul)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordPolicyTest);
