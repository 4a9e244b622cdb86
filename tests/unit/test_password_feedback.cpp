// Tests of the feedback for guessable passwords: which warning and suggestions a set of zxcvbn
// parts calls for (made-up parts here; test_password_guesses.cpp has the real estimates).
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "core/password_feedback.hpp"

using namespace myaccount;

namespace {

using Suggestions = std::vector<GuessSuggestion>;

GuessPart part(GuessPattern pattern, std::size_t begin, std::size_t length, bool repeated = false) {
    GuessPart p;
    p.pattern = pattern;
    p.begin = begin;
    p.length = length;
    p.repeated = repeated;
    return p;
}

}  // namespace

class PasswordFeedbackTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PasswordFeedbackTest);
    CPPUNIT_TEST(the_largest_part_gives_the_warning);
    CPPUNIT_TEST(every_part_adds_its_suggestion_once);
    CPPUNIT_TEST(capitals_in_a_word_are_pointed_out);
    CPPUNIT_TEST(substitutions_are_pointed_out);
    CPPUNIT_TEST(personal_words_say_leave_them_out);
    CPPUNIT_TEST(a_repeated_part_is_a_repeat);
    CPPUNIT_TEST(tiny_parts_give_no_advice);
    CPPUNIT_TEST(nothing_recognised_still_asks_for_words);
    CPPUNIT_TEST(names_are_stable);
    CPPUNIT_TEST_SUITE_END();

public:
    void the_largest_part_gives_the_warning() {
        // "password1234567": a word of 8, a sequence of 7.
        GuessFeedback f = feedback_for("password1234567", {part(GuessPattern::word, 0, 8),
                                                           part(GuessPattern::sequence, 8, 7)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::common_word);
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words, GuessSuggestion::avoid_sequences}));
        // "pass12345678": the sequence is larger.
        f = feedback_for("pass12345678", {part(GuessPattern::word, 0, 4), part(GuessPattern::sequence, 4, 8)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::sequence);
        // Of equals, the first (people read from the left).
        f = feedback_for("qwerasdf1987", {part(GuessPattern::keyboard, 0, 4), part(GuessPattern::keyboard, 4, 4),
                                          part(GuessPattern::year, 8, 4)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::keyboard);
        CPPUNIT_ASSERT((f.suggestions ==
                        Suggestions{GuessSuggestion::add_words, GuessSuggestion::avoid_keyboard, GuessSuggestion::avoid_dates}));
        f = feedback_for("31122024xyz", {part(GuessPattern::date, 0, 8), part(GuessPattern::random, 8, 3)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::dates);
    }

    void every_part_adds_its_suggestion_once() {
        const GuessFeedback f = feedback_for("abcd1234wxyz", {part(GuessPattern::sequence, 0, 4),
                                                             part(GuessPattern::sequence, 4, 4),
                                                             part(GuessPattern::sequence, 8, 4)});
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words, GuessSuggestion::avoid_sequences}));
    }

    void capitals_in_a_word_are_pointed_out() {
        GuessFeedback f = feedback_for("Monkey-Dragon", {part(GuessPattern::word, 0, 6), part(GuessPattern::random, 6, 1),
                                                         part(GuessPattern::word, 7, 6)});
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words, GuessSuggestion::capitals}));
        f = feedback_for("monkey-dragon", {part(GuessPattern::word, 0, 6), part(GuessPattern::random, 6, 1),
                                           part(GuessPattern::word, 7, 6)});
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words}));
    }

    void substitutions_are_pointed_out() {
        const GuessFeedback f = feedback_for("p@ssw0rd-xyz", {part(GuessPattern::substituted_word, 0, 8),
                                                             part(GuessPattern::random, 8, 4)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::common_word);
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words, GuessSuggestion::substitutions}));
    }

    void personal_words_say_leave_them_out() {
        const GuessFeedback f = feedback_for("u12345-liddell", {part(GuessPattern::substituted_personal_word, 0, 6),
                                                               part(GuessPattern::random, 6, 1),
                                                               part(GuessPattern::personal_word, 7, 7)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::personal_word);
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words, GuessSuggestion::avoid_personal}));
    }

    void a_repeated_part_is_a_repeat() {
        // "abcabcabc...": a sequence said five times.
        GuessFeedback f = feedback_for("abcabcabcabcabc", {part(GuessPattern::sequence, 0, 15, true)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::repeats);
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words, GuessSuggestion::avoid_repeats,
                                                     GuessSuggestion::avoid_sequences}));
        f = feedback_for("aaaaaaaaaaaa", {part(GuessPattern::repeat, 0, 12)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::repeats);
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words, GuessSuggestion::avoid_repeats}));
    }

    void tiny_parts_give_no_advice() {
        // "!!" read as a repeated, substituted "ii": a warning could not come from it, nor advice.
        const GuessFeedback f = feedback_for("iloveyou!!", {part(GuessPattern::word, 0, 8),
                                                            part(GuessPattern::substituted_word, 8, 2, true)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::common_word);
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words}));
    }

    void nothing_recognised_still_asks_for_words() {
        const GuessFeedback f = feedback_for("xq7", {part(GuessPattern::random, 0, 3)});
        CPPUNIT_ASSERT(f.warning == GuessWarning::none);
        CPPUNIT_ASSERT((f.suggestions == Suggestions{GuessSuggestion::add_words}));
        CPPUNIT_ASSERT(feedback_for("", {}).warning == GuessWarning::none);
    }

    // The names are catalog keys (password_warning_<name>, password_suggestion_<name>) and API codes.
    void names_are_stable() {
        const std::vector<std::string> warnings{"none", "common_word", "personal_word", "keyboard",
                                                "repeats", "sequence", "dates"};
        for (int i = 0; i <= static_cast<int>(GuessWarning::dates); ++i)
            CPPUNIT_ASSERT_EQUAL(warnings[static_cast<std::size_t>(i)], std::string(to_string(static_cast<GuessWarning>(i))));
        const std::vector<std::string> suggestions{"add_words",      "capitals",      "substitutions",
                                                   "avoid_personal", "avoid_keyboard", "avoid_repeats",
                                                   "avoid_sequences", "avoid_dates"};
        for (int i = 0; i <= static_cast<int>(GuessSuggestion::avoid_dates); ++i)
            CPPUNIT_ASSERT_EQUAL(suggestions[static_cast<std::size_t>(i)],
                                 std::string(to_string(static_cast<GuessSuggestion>(i))));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordFeedbackTest);
