// Tests of the password policy: lengths in code points (PW-1, PW-2), no composition rules (PW-5),
// common passwords and context words (PW-6), and the current password.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/password_blocklist.hpp"
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

const std::string shipped_list = MYACCOUNT_SOURCE_DIR "/conf/common-passwords.txt";

PasswordContext alice() {
    PasswordContext context;
    context.username = "alice";
    context.display_name = "Alice Smith";
    context.emails = {"a.liddell+news@example.org", "wonder_land@example.net"};
    context.current_password = "my current passphrase";
    return context;
}

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
    CPPUNIT_TEST(empty_context_and_no_blocklist_add_nothing);
    CPPUNIT_TEST(common_password_alone);
    CPPUNIT_TEST(common_password_any_ascii_case);
    CPPUNIT_TEST(username_inside_is_personal_info);
    CPPUNIT_TEST(display_name_words_are_personal_info);
    CPPUNIT_TEST(email_local_part_words_are_personal_info);
    CPPUNIT_TEST(email_domain_is_not_personal_info);
    CPPUNIT_TEST(short_name_words_are_ignored);
    CPPUNIT_TEST(personal_words_are_listed);
    CPPUNIT_TEST(same_as_current_is_exact);
    CPPUNIT_TEST(several_rules_at_once);
    CPPUNIT_TEST(invalid_bytes_are_reported_alone);
    CPPUNIT_TEST(never_reports_reused);
    CPPUNIT_TEST(context_rule_names);
    CPPUNIT_TEST(default_minimum_is_10_to_the_8_guesses);
    CPPUNIT_TEST(guessable_passwords_are_refused_with_feedback);
    CPPUNIT_TEST(passphrases_are_not_guessable);
    CPPUNIT_TEST(personal_words_spelled_otherwise_are_guessable);
    CPPUNIT_TEST(guessable_is_not_added_to_another_reason);
    CPPUNIT_TEST(minimum_guesses_is_configurable);
    CPPUNIT_TEST(guessability_alone);
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
    void empty_context_and_no_blocklist_add_nothing() {
        const PasswordPolicy policy{12, 128, 0};  // nor the estimate, which finds "password1234" guessable
        const PasswordContext none;
        CPPUNIT_ASSERT(violations(policy, "password1234", none, nullptr).empty());
        CPPUNIT_ASSERT(violations(policy, "short", none, nullptr) == Rules{PasswordRule::too_short});
        CPPUNIT_ASSERT(personal_words(none).empty());
    }

    void common_password_alone() {
        const PasswordPolicy policy;
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        const PasswordContext context = alice();
        CPPUNIT_ASSERT(violations(policy, "password1234", context, &list) == Rules{PasswordRule::common});
        CPPUNIT_ASSERT(violations(policy, "123456789012", context, &list) == Rules{PasswordRule::common});
        CPPUNIT_ASSERT(violations(policy, "correct horse battery staple", context, &list).empty());
    }

    void common_password_any_ascii_case() {
        const PasswordPolicy policy;
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        CPPUNIT_ASSERT(violations(policy, "PASSWORD1234", {}, &list) == Rules{PasswordRule::common});
        // A short common password breaks both rules; both are named.
        CPPUNIT_ASSERT((violations(policy, "PassWord", {}, &list) ==
                        Rules{PasswordRule::too_short, PasswordRule::common}));
    }

    void username_inside_is_personal_info() {
        const PasswordPolicy policy;
        const PasswordContext context = alice();
        CPPUNIT_ASSERT(violations(policy, "alice2024!!xyz", context, nullptr) == Rules{PasswordRule::personal_info});
        CPPUNIT_ASSERT(violations(policy, "xyz-ALICE-2024", context, nullptr) == Rules{PasswordRule::personal_info});
        PasswordContext dotted;
        dotted.username = "j.doe";
        CPPUNIT_ASSERT(violations(policy, "my j.doe secret", dotted, nullptr) == Rules{PasswordRule::personal_info});
        CPPUNIT_ASSERT(violations(policy, "my doe-eyed secret", dotted, nullptr) == Rules{PasswordRule::personal_info});
        CPPUNIT_ASSERT(violations(policy, "my jay secret!", dotted, nullptr).empty());
    }

    void display_name_words_are_personal_info() {
        const PasswordPolicy policy;
        PasswordContext context;
        context.username = "u12345";
        context.display_name = "Alice Smith";
        CPPUNIT_ASSERT(violations(policy, "blacksmithing forever", context, nullptr) ==
                       Rules{PasswordRule::personal_info});
        CPPUNIT_ASSERT(violations(policy, "dear ALICE, hello", context, nullptr) == Rules{PasswordRule::personal_info});
        // Non-ASCII words count too (compared as given, ASCII letters folded).
        context.display_name = "Jos\xc3\xa9 Garc\xc3\xad" "a";
        CPPUNIT_ASSERT(violations(policy, "hola GARC\xc3\xad" "a amigos", context, nullptr) ==
                       Rules{PasswordRule::personal_info});
        CPPUNIT_ASSERT(violations(policy, "hola garcia amigos", context, nullptr).empty());
    }

    void email_local_part_words_are_personal_info() {
        const PasswordPolicy policy;
        PasswordContext context;
        context.username = "u12345";
        context.emails = {"a.liddell+news@example.org", "wonder_land@example.net"};
        CPPUNIT_ASSERT(violations(policy, "mr liddell's house", context, nullptr) ==
                       Rules{PasswordRule::personal_info});
        CPPUNIT_ASSERT(violations(policy, "good news everyone", context, nullptr) ==
                       Rules{PasswordRule::personal_info});
        CPPUNIT_ASSERT(violations(policy, "Wonder Woman rules", context, nullptr) ==
                       Rules{PasswordRule::personal_info});
        CPPUNIT_ASSERT(violations(policy, "a land before time", context, nullptr) ==
                       Rules{PasswordRule::personal_info});
    }

    void email_domain_is_not_personal_info() {
        const PasswordPolicy policy;
        PasswordContext context;
        context.username = "u12345";
        context.emails = {"bob@example.org"};
        CPPUNIT_ASSERT(violations(policy, "an example of a passphrase", context, nullptr).empty());
        CPPUNIT_ASSERT(violations(policy, "bobsleigh in winter", context, nullptr) ==
                       Rules{PasswordRule::personal_info});
    }

    void short_name_words_are_ignored() {
        const PasswordPolicy policy;
        PasswordContext context;
        context.username = "jo";
        context.display_name = "Jo Li Wu";
        context.emails = {"jo.li@example.org", "x@example.org"};
        CPPUNIT_ASSERT(violations(policy, "jolly lions and wugs", context, nullptr).empty());
        CPPUNIT_ASSERT(personal_words(context).empty());
        // Three code points are enough, even in three bytes more than three characters.
        context.display_name = "\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x8d";  // 李小龍
        CPPUNIT_ASSERT(violations(policy, "\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x8d fan club 2024", context, nullptr) ==
                       Rules{PasswordRule::personal_info});
    }

    void personal_words_are_listed() {
        const std::vector<std::string> words = personal_words(alice());
        const std::vector<std::string> expected{"alice", "land", "liddell", "news", "smith", "wonder"};
        CPPUNIT_ASSERT(words == expected);
    }

    void same_as_current_is_exact() {
        const PasswordPolicy policy;
        const PasswordContext context = alice();
        CPPUNIT_ASSERT(violations(policy, "my current passphrase", context, nullptr) ==
                       Rules{PasswordRule::same_as_current});
        CPPUNIT_ASSERT(violations(policy, "My current passphrase", context, nullptr).empty());
        CPPUNIT_ASSERT(violations(policy, "my current passphrase ", context, nullptr).empty());
        PasswordContext no_current;  // first password or reset: nothing to compare with
        CPPUNIT_ASSERT(violations(policy, "some new passphrase", no_current, nullptr).empty());
    }

    void several_rules_at_once() {
        const PasswordPolicy policy;
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        PasswordContext context = alice();
        context.current_password = "alice";
        // "alice" is common, too short, the username and the current password, all at once.
        CPPUNIT_ASSERT((violations(policy, "alice", context, &list) ==
                        Rules{PasswordRule::too_short, PasswordRule::common, PasswordRule::personal_info,
                              PasswordRule::same_as_current}));
        const std::string long_one = "smith " + std::string(130, 'x');
        CPPUNIT_ASSERT((violations(policy, long_one, context, &list) ==
                        Rules{PasswordRule::too_long, PasswordRule::personal_info}));
    }

    void invalid_bytes_are_reported_alone() {
        const PasswordPolicy policy;
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        PasswordContext context = alice();
        context.current_password = std::string("alice\0", 6);
        CPPUNIT_ASSERT(violations(policy, std::string("alice\0", 6), context, &list) ==
                       Rules{PasswordRule::contains_nul});
        CPPUNIT_ASSERT(violations(policy, "alice\xff", context, &list) == Rules{PasswordRule::invalid_utf8});
        CPPUNIT_ASSERT((violations(policy, std::string("\xff\0", 2), context, &list) ==
                        Rules{PasswordRule::invalid_utf8, PasswordRule::contains_nul}));
    }

    void never_reports_reused() {
        const PasswordPolicy policy;
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        for (const char* password : {"", "alice", "password1234", "my current passphrase", "a fine passphrase"}) {
            const Rules found = violations(policy, password, alice(), &list);
            CPPUNIT_ASSERT(std::find(found.begin(), found.end(), PasswordRule::reused) == found.end());
        }
    }

    void context_rule_names() {
        CPPUNIT_ASSERT_EQUAL(std::string("common"), std::string(to_string(PasswordRule::common)));
        CPPUNIT_ASSERT_EQUAL(std::string("personal_info"), std::string(to_string(PasswordRule::personal_info)));
        CPPUNIT_ASSERT_EQUAL(std::string("same_as_current"), std::string(to_string(PasswordRule::same_as_current)));
        CPPUNIT_ASSERT_EQUAL(std::string("reused"), std::string(to_string(PasswordRule::reused)));
        CPPUNIT_ASSERT_EQUAL(std::string("guessable"), std::string(to_string(PasswordRule::guessable)));
    }

    void default_minimum_is_10_to_the_8_guesses() { CPPUNIT_ASSERT_EQUAL(8, PasswordPolicy().min_guesses_log10); }

    // Issue 11: long enough and not on the common list, yet a word and a run of digits.
    void guessable_passwords_are_refused_with_feedback() {
        const PasswordPolicy policy;
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        CPPUNIT_ASSERT(!list.contains("password1234567"));
        const PasswordCheck check = check_password(policy, "password1234567", alice(), &list);
        CPPUNIT_ASSERT(check.violations == Rules{PasswordRule::guessable});
        CPPUNIT_ASSERT(check.feedback.warning == GuessWarning::common_word);
        CPPUNIT_ASSERT((check.feedback.suggestions ==
                        std::vector<GuessSuggestion>{GuessSuggestion::add_words, GuessSuggestion::avoid_sequences}));
        struct Case {
            const char* password;
            GuessWarning warning;
        };
        for (const Case& c : {Case{"qwertyuiop1234", GuessWarning::common_word}, Case{"asdfghjkl;lkjh", GuessWarning::keyboard},
                              Case{"aaaaaaaaaaaaaaa", GuessWarning::repeats}, Case{"abcdefghijklmnop", GuessWarning::sequence},
                              Case{"20240131love", GuessWarning::dates}, Case{"P@ssw0rd-Dragon1", GuessWarning::common_word}}) {
            const PasswordCheck weak = check_password(policy, c.password, alice(), &list);
            CPPUNIT_ASSERT_MESSAGE(c.password, weak.violations == Rules{PasswordRule::guessable});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.password, std::string(to_string(c.warning)),
                                         std::string(to_string(weak.feedback.warning)));
            CPPUNIT_ASSERT_MESSAGE(c.password, weak.feedback.suggestions.front() == GuessSuggestion::add_words);
        }
        const std::vector<GuessSuggestion> leet = check_password(policy, "P@ssw0rd-Dragon1", {}, nullptr).feedback.suggestions;
        CPPUNIT_ASSERT(std::find(leet.begin(), leet.end(), GuessSuggestion::substitutions) != leet.end());
        CPPUNIT_ASSERT(std::find(leet.begin(), leet.end(), GuessSuggestion::capitals) != leet.end());
    }

    void passphrases_are_not_guessable() {
        const PasswordPolicy policy;
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        const std::string emoji12 = repeat(emoji, 12);
        for (const std::string& password : {std::string("correct horse battery staple"), std::string("Trombone-Velvet-42"),
                                            std::string("Kx9#mQ2!vL7@pR4z"), emoji12, repeat(emoji, 128),
                                            std::string("\xe6\xa1\x9c\xe9\xa4\x85\xe3\x81\xaf\xe6\x98\xa5\xe3\x81\xae"
                                                        "\xe5\x91\xb3\xe3\x81\xa7\xe3\x81\x99\xe3\x81\xad\xe3\x80\x81\xe3\x81\x8d\xe3\x81\xa3"
                                                        "\xe3\x81\xa8")}) {  // 桜餅は春の味ですね、きっと
            const PasswordCheck check = check_password(policy, password, alice(), &list);
            CPPUNIT_ASSERT_MESSAGE(password, check.violations.empty());
            CPPUNIT_ASSERT(check.feedback == GuessFeedback{});
        }
    }

    // "sm1th w0nder l4nd" dodges the personal-info rule, not zxcvbn's user dictionary: about 10^11
    // guesses for anyone else, under 10^8 for Alice Smith of wonder_land@example.net.
    void personal_words_spelled_otherwise_are_guessable() {
        const PasswordPolicy policy;
        const PasswordCheck check = check_password(policy, "sm1th w0nder l4nd", alice(), nullptr);
        CPPUNIT_ASSERT(check.violations == Rules{PasswordRule::guessable});
        CPPUNIT_ASSERT(check.feedback.warning == GuessWarning::personal_word);
        const std::vector<GuessSuggestion>& s = check.feedback.suggestions;
        CPPUNIT_ASSERT(std::find(s.begin(), s.end(), GuessSuggestion::avoid_personal) != s.end());
        CPPUNIT_ASSERT(check_password(policy, "sm1th w0nder l4nd", PasswordContext{}, nullptr).violations.empty());
    }

    // One reason at a time: a password refused for its length, the list or personal words is not
    // also called guessable (and the estimate never runs on an overlong one).
    void guessable_is_not_added_to_another_reason() {
        const PasswordPolicy policy;
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        CPPUNIT_ASSERT(violations(policy, "password1234", alice(), &list) == Rules{PasswordRule::common});
        CPPUNIT_ASSERT(violations(policy, "Kx9#mQ2", alice(), &list) == Rules{PasswordRule::too_short});
        CPPUNIT_ASSERT(violations(policy, std::string(129, 'a'), alice(), &list) == Rules{PasswordRule::too_long});
        CPPUNIT_ASSERT(violations(policy, "alice1234567", alice(), &list) == Rules{PasswordRule::personal_info});
        PasswordContext same = alice();
        same.current_password = "password1234567";
        CPPUNIT_ASSERT((violations(policy, "password1234567", same, &list) ==
                        Rules{PasswordRule::guessable, PasswordRule::same_as_current}));
        CPPUNIT_ASSERT(check_password(policy, "password1234", alice(), &list).feedback == GuessFeedback{});
    }

    void minimum_guesses_is_configurable() {
        const PasswordPolicy off{12, 128, 0};
        CPPUNIT_ASSERT(violations(off, "password1234567", alice(), nullptr).empty());
        CPPUNIT_ASSERT(!guessability(off, "aaaaaaaaaaaa", {}).has_value());
        const PasswordPolicy strict{12, 128, 22};  // the passphrase is about 10^21
        CPPUNIT_ASSERT(violations(strict, "correct horse battery staple", alice(), nullptr) == Rules{PasswordRule::guessable});
        CPPUNIT_ASSERT(violations(strict, "correct horse battery staple and a violet harbor", alice(), nullptr).empty());
    }

    // The CLI's check: the estimate alone, with the context's words.
    void guessability_alone() {
        const PasswordPolicy policy;
        const std::optional<GuessFeedback> weak = guessability(policy, "password1234567", {});
        CPPUNIT_ASSERT(weak.has_value());
        CPPUNIT_ASSERT(weak->warning == GuessWarning::common_word);
        CPPUNIT_ASSERT(!guessability(policy, "correct horse battery staple", alice()).has_value());
        PasswordContext ivan;
        ivan.username = "ivan";
        ivan.display_name = "Ivan Ivanov";
        CPPUNIT_ASSERT(!guessability(policy, "ivan first password", {}).has_value());
        CPPUNIT_ASSERT(guessability(policy, "ivan first password", ivan).has_value());
    }

};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordPolicyTest);
