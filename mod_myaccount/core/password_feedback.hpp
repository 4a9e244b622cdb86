// Why a password is easy to guess and what would help, as stable ids the pages put into words.
#pragma once

#include <string_view>
#include <vector>

#include "core/password_guesses.hpp"

namespace myaccount {

// The weakness of the largest recognised part (the original zxcvbn's warnings, in our words).
enum class GuessWarning {
    none,           // nothing recognised: just too little of it
    common_word,    // a common word, name or password (of zxcvbn's lists)
    personal_word,  // the user ID, name or e-mail address
    keyboard,       // a row or pattern of keys
    repeats,        // "aaa", "abcabc"
    sequence,       // "abc", "6543"
    dates,          // dates and years
};

// What would make it stronger; add_words always comes first.
enum class GuessSuggestion {
    add_words,        // another word or two, uncommon ones
    capitals,         // capital letters in a word add little
    substitutions,    // "@" for "a" adds little
    avoid_personal,
    avoid_keyboard,
    avoid_repeats,
    avoid_sequences,
    avoid_dates,
};

struct GuessFeedback {
    GuessWarning warning = GuessWarning::none;
    std::vector<GuessSuggestion> suggestions;  // each once, add_words first

    bool operator==(const GuessFeedback& other) const {
        return warning == other.warning && suggestions == other.suggestions;
    }
};

const char* to_string(GuessWarning warning);
const char* to_string(GuessSuggestion suggestion);

// The feedback for a password zxcvbn found too easy to guess, from the parts it recognised.
GuessFeedback feedback_for(std::string_view password, const std::vector<GuessPart>& parts);

}  // namespace myaccount
