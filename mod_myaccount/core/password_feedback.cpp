// zxcvbn's matches turned into a warning and suggestions, as the original zxcvbn words them: the
// C port gives none of its own.
#include "core/password_feedback.hpp"

#include <algorithm>

namespace myaccount {

namespace {

// Shorter parts are incidental ("!!" read as a substituted "ii"): advice about them is noise.
constexpr std::size_t min_advised_part = 3;

GuessWarning warning_of(const GuessPart& part) {
    if (part.repeated) return GuessWarning::repeats;
    switch (part.pattern) {
        case GuessPattern::word:
        case GuessPattern::substituted_word: return GuessWarning::common_word;
        case GuessPattern::personal_word:
        case GuessPattern::substituted_personal_word: return GuessWarning::personal_word;
        case GuessPattern::repeat: return GuessWarning::repeats;
        case GuessPattern::sequence: return GuessWarning::sequence;
        case GuessPattern::keyboard: return GuessWarning::keyboard;
        case GuessPattern::date:
        case GuessPattern::year: return GuessWarning::dates;
        case GuessPattern::random: break;
    }
    return GuessWarning::none;
}

bool has_capital(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The suggestions one part calls for, beside "add a word or two".
std::vector<GuessSuggestion> suggestions_of(const GuessPart& part, std::string_view text) {
    std::vector<GuessSuggestion> found;
    if (part.repeated) found.push_back(GuessSuggestion::avoid_repeats);
    switch (part.pattern) {
        case GuessPattern::substituted_word: found.push_back(GuessSuggestion::substitutions); [[fallthrough]];
        case GuessPattern::word:
            if (has_capital(text)) found.push_back(GuessSuggestion::capitals);
            break;
        // No "substitutions" here: libzxcvbn calls every digit of a user word ("u12345") substituted.
        case GuessPattern::substituted_personal_word:
        case GuessPattern::personal_word: found.push_back(GuessSuggestion::avoid_personal); break;
        case GuessPattern::repeat: found.push_back(GuessSuggestion::avoid_repeats); break;
        case GuessPattern::sequence: found.push_back(GuessSuggestion::avoid_sequences); break;
        case GuessPattern::keyboard: found.push_back(GuessSuggestion::avoid_keyboard); break;
        case GuessPattern::date:
        case GuessPattern::year: found.push_back(GuessSuggestion::avoid_dates); break;
        case GuessPattern::random: break;
    }
    return found;
}

std::string_view text_of(std::string_view password, const GuessPart& part) {
    if (part.begin >= password.size()) return {};
    return password.substr(part.begin, part.length);
}

}  // namespace

const char* to_string(GuessWarning warning) {
    switch (warning) {
        case GuessWarning::none: return "none";
        case GuessWarning::common_word: return "common_word";
        case GuessWarning::personal_word: return "personal_word";
        case GuessWarning::keyboard: return "keyboard";
        case GuessWarning::repeats: return "repeats";
        case GuessWarning::sequence: return "sequence";
        case GuessWarning::dates: return "dates";
    }
    return "none";
}

const char* to_string(GuessSuggestion suggestion) {
    switch (suggestion) {
        case GuessSuggestion::add_words: return "add_words";
        case GuessSuggestion::capitals: return "capitals";
        case GuessSuggestion::substitutions: return "substitutions";
        case GuessSuggestion::avoid_personal: return "avoid_personal";
        case GuessSuggestion::avoid_keyboard: return "avoid_keyboard";
        case GuessSuggestion::avoid_repeats: return "avoid_repeats";
        case GuessSuggestion::avoid_sequences: return "avoid_sequences";
        case GuessSuggestion::avoid_dates: return "avoid_dates";
    }
    return "add_words";
}

GuessFeedback feedback_for(std::string_view password, const std::vector<GuessPart>& parts) {
    GuessFeedback feedback;
    feedback.suggestions.push_back(GuessSuggestion::add_words);
    // The warning is about the recognised part that covers the most of the password: what an
    // attacker's guesses get for free. The first of equals wins, as people read left to right.
    std::size_t warned_length = 0;
    for (const GuessPart& part : parts) {
        const GuessWarning warning = warning_of(part);
        if (warning != GuessWarning::none && part.length > warned_length) {
            feedback.warning = warning;
            warned_length = part.length;
        }
        if (part.length < min_advised_part) continue;
        for (GuessSuggestion suggestion : suggestions_of(part, text_of(password, part)))
            if (std::find(feedback.suggestions.begin(), feedback.suggestions.end(), suggestion) ==
                feedback.suggestions.end())
                feedback.suggestions.push_back(suggestion);
    }
    return feedback;
}

}  // namespace myaccount
