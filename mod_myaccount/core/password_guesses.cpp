// The one door to libzxcvbn (the C port): its match list held by RAII, its types mapped to ours.
#include "core/password_guesses.hpp"

#include <zxcvbn.h>

#include <cmath>
#include <memory>

namespace myaccount {

namespace {

struct FreeInfo {
    void operator()(ZxcMatch_t* info) const { ZxcvbnFreeInfo(info); }
};
using MatchList = std::unique_ptr<ZxcMatch_t, FreeInfo>;

GuessPattern pattern_of(int type) {
    switch (type) {
        case DICTIONARY_MATCH: return GuessPattern::word;
        case DICT_LEET_MATCH: return GuessPattern::substituted_word;
        case USER_MATCH: return GuessPattern::personal_word;
        case USER_LEET_MATCH: return GuessPattern::substituted_personal_word;
        case REPEATS_MATCH: return GuessPattern::repeat;
        case SEQUENCE_MATCH: return GuessPattern::sequence;
        case SPATIAL_MATCH: return GuessPattern::keyboard;
        case DATE_MATCH: return GuessPattern::date;
        case YEAR_MATCH: return GuessPattern::year;
        default: return GuessPattern::random;  // brute force, and the tail of a long password
    }
}

GuessPart part_of(const ZxcMatch_t& match) {
    const int type = static_cast<int>(match.Type);
    GuessPart part;
    part.pattern = pattern_of(type & ~MULTIPLE_MATCH);
    part.repeated = (type & MULTIPLE_MATCH) != 0;
    part.begin = static_cast<std::size_t>(match.Begin);
    part.length = static_cast<std::size_t>(match.Length);
    return part;
}

}  // namespace

GuessEstimate estimate_guesses(std::string_view password, const std::vector<std::string>& user_words) {
    const std::string text(password);
    std::vector<const char*> dictionary;
    dictionary.reserve(user_words.size() + 1);
    for (const std::string& word : user_words) dictionary.push_back(word.c_str());
    dictionary.push_back(nullptr);

    ZxcMatch_t* raw = nullptr;
    const double bits = ZxcvbnMatch(text.c_str(), dictionary.data(), &raw);
    const MatchList matches(raw);

    GuessEstimate estimate;
    estimate.log10_guesses = bits * std::log10(2.0);
    for (const ZxcMatch_t* match = matches.get(); match != nullptr; match = match->Next)
        estimate.parts.push_back(part_of(*match));
    return estimate;
}

}  // namespace myaccount
