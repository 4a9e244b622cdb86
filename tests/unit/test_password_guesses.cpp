// Tests of zxcvbn's guess estimates through our one door to libzxcvbn: cheap patterns, passphrases,
// the user's own words, long and non-ASCII passwords, and calls from several threads at once.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "core/password_guesses.hpp"

using namespace myaccount;

namespace {

const std::vector<std::string> no_words;

double guesses(const std::string& password, const std::vector<std::string>& words = no_words) {
    return estimate_guesses(password, words).log10_guesses;
}

bool has_part(const GuessEstimate& estimate, GuessPattern pattern) {
    return std::any_of(estimate.parts.begin(), estimate.parts.end(),
                       [&](const GuessPart& part) { return part.pattern == pattern; });
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

std::string describe(const std::string& password, double log10_guesses) {
    return password + ": 10^" + std::to_string(log10_guesses);
}

}  // namespace

class PasswordGuessesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PasswordGuessesTest);
    CPPUNIT_TEST(a_word_and_a_sequence_are_cheap);
    CPPUNIT_TEST(passphrases_and_random_ones_are_dear);
    CPPUNIT_TEST(typical_patterns_are_recognised);
    CPPUNIT_TEST(user_words_lower_the_estimate);
    CPPUNIT_TEST(long_passwords_up_to_the_maximum);
    CPPUNIT_TEST(non_ascii_passwords);
    CPPUNIT_TEST(parts_cover_the_password_in_order);
    CPPUNIT_TEST(threads_may_estimate_at_once);
    CPPUNIT_TEST_SUITE_END();

public:
    // Issue 11: 15 characters, not on the common list, yet a word and a run of digits.
    void a_word_and_a_sequence_are_cheap() {
        const GuessEstimate e = estimate_guesses("password1234567", no_words);
        CPPUNIT_ASSERT_MESSAGE(describe("password1234567", e.log10_guesses), e.log10_guesses < 3);
        CPPUNIT_ASSERT(has_part(e, GuessPattern::word));
        CPPUNIT_ASSERT(has_part(e, GuessPattern::sequence));
    }

    void passphrases_and_random_ones_are_dear() {
        for (const char* password : {"correct horse battery staple", "Trombone-Velvet-42", "Kx9#mQ2!vL7@pR4z",
                                     "violet harbor lantern 7", "plum orchard 1 lantern"}) {
            const double g = guesses(password);
            CPPUNIT_ASSERT_MESSAGE(describe(password, g), g >= 8);
        }
        CPPUNIT_ASSERT(guesses("correct horse battery staple") > 20);
    }

    void typical_patterns_are_recognised() {
        struct Case {
            const char* password;
            GuessPattern pattern;
        };
        const std::vector<Case> cases = {{"asdfghjkl;lkjh", GuessPattern::keyboard},
                                         {"abcdefghijklmnop", GuessPattern::sequence},
                                         {"20240131love", GuessPattern::date},
                                         {"p@ssw0rd-monkey", GuessPattern::substituted_word},
                                         {"sunshine-monkey", GuessPattern::word}};
        for (const Case& c : cases) {
            const GuessEstimate e = estimate_guesses(c.password, no_words);
            CPPUNIT_ASSERT_MESSAGE(describe(c.password, e.log10_guesses), e.log10_guesses < 8);
            CPPUNIT_ASSERT_MESSAGE(c.password, has_part(e, c.pattern));
        }
        // A pattern said over and over is one repeated part ("aa", a word of zxcvbn's, seven times).
        for (const char* password : {"abcabcabcabcabc", "aaaaaaaaaaaaaa"}) {
            const GuessEstimate e = estimate_guesses(password, no_words);
            CPPUNIT_ASSERT_MESSAGE(describe(password, e.log10_guesses), e.log10_guesses < 8);
            CPPUNIT_ASSERT_MESSAGE(password, e.parts.size() == 1 && e.parts[0].repeated);
        }
        CPPUNIT_ASSERT(has_part(estimate_guesses("xq7zzzzzz", no_words), GuessPattern::repeat));
    }

    // The user ID, the words of the name and of the e-mail's local part join zxcvbn's dictionary.
    void user_words_lower_the_estimate() {
        const std::vector<std::string> words{"liddell", "smith", "u12345"};
        for (const char* password : {"Liddell-Smith-77", "liddell smith 77", "u12345 garden party"}) {
            const double alone = guesses(password);
            const GuessEstimate with_words = estimate_guesses(password, words);
            CPPUNIT_ASSERT_MESSAGE(describe(password, alone), alone >= 8);
            CPPUNIT_ASSERT_MESSAGE(describe(password, with_words.log10_guesses), with_words.log10_guesses < alone - 1);
            CPPUNIT_ASSERT_MESSAGE(password, has_part(with_words, GuessPattern::personal_word) ||
                                                 has_part(with_words, GuessPattern::substituted_personal_word));
        }
        CPPUNIT_ASSERT(guesses("liddell smith 77", words) < 8);
        // In any case, and spelled with substitutions.
        CPPUNIT_ASSERT(has_part(estimate_guesses("L1DDELL-xyz", words), GuessPattern::substituted_personal_word));
    }

    // Only the first 100 bytes are examined in detail; the rest adds little, so a weak start stays weak.
    void long_passwords_up_to_the_maximum() {
        std::string phrase;
        for (int i = 0; phrase.size() < 128; ++i) phrase += std::string("river stone ") + std::to_string(i * 7) + " ";
        phrase.resize(128);
        CPPUNIT_ASSERT(guesses(phrase) > 20);
        CPPUNIT_ASSERT(guesses(std::string(64, 'x')) < 8);
        CPPUNIT_ASSERT(guesses(std::string(128, 'a')) < 8);
        CPPUNIT_ASSERT(guesses(repeat("1234567890", 13)) < 8);
        CPPUNIT_ASSERT(guesses(std::string(100, 'a') + "Kx9#mQ2!vL7@pR4zKx9#mQ2!vL7@") < 8);
        CPPUNIT_ASSERT(guesses("Kx9#mQ2!vL7@pR4zKx9#mQ2!vL7@" + std::string(100, 'a')) >= 8);
    }

    // zxcvbn reads bytes: every byte of a non-ASCII character counts as one of 100 symbols, so a
    // Japanese password of the minimum length is far above 10^8, while repeats are still found.
    void non_ascii_passwords() {
        const std::string kana = "\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc\xe3\x83\x89\xe3\x81\xaf"
                                 "\xe7\xa7\x98\xe5\xaf\x86\xe3\x81\xa7\xe3\x81\x99\xe3\x82\x88\xe3\x81\xad";  // パスワードは秘密ですよね
        CPPUNIT_ASSERT(guesses(kana) > 20);
        const std::string emoji = "\xf0\x9f\x98\x80";
        const GuessEstimate twelve = estimate_guesses(repeat(emoji, 12), no_words);
        CPPUNIT_ASSERT_MESSAGE(describe("12 emoji", twelve.log10_guesses), twelve.log10_guesses >= 8);
        CPPUNIT_ASSERT(twelve.parts.size() == 1 && twelve.parts[0].repeated);
        CPPUNIT_ASSERT(guesses(repeat(emoji, 128)) >= 8);
        CPPUNIT_ASSERT(guesses("  a b\tc \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80 \xef\xac\x81") >= 8);
        CPPUNIT_ASSERT_EQUAL(0.0, guesses(""));
    }

    void parts_cover_the_password_in_order() {
        const std::string password = "xq-password-2024-qwerty";
        const GuessEstimate e = estimate_guesses(password, no_words);
        std::size_t next = 0;
        for (const GuessPart& part : e.parts) {
            CPPUNIT_ASSERT_EQUAL(next, part.begin);
            next = part.begin + part.length;
        }
        CPPUNIT_ASSERT_EQUAL(password.size(), next);
    }

    // httpd's worker threads check passwords at once: the same answers as one at a time.
    void threads_may_estimate_at_once() {
        const std::vector<std::string> passwords{"password1234567", "correct horse battery staple", "asdfghjkl;lkjh",
                                                 "u12345 garden party", std::string(128, 'a')};
        const std::vector<std::string> words{"u12345"};
        std::vector<double> expected;
        for (const std::string& p : passwords) expected.push_back(guesses(p, words));
        std::vector<int> mismatches(4, 0);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < mismatches.size(); ++t) {
            threads.emplace_back([&, t] {
                for (int round = 0; round < 20; ++round)
                    for (std::size_t i = 0; i < passwords.size(); ++i)
                        if (guesses(passwords[i], words) != expected[i]) ++mismatches[t];
            });
        }
        for (std::thread& thread : threads) thread.join();
        for (int count : mismatches) CPPUNIT_ASSERT_EQUAL(0, count);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordGuessesTest);
