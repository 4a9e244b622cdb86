// zxcvbn's estimate of how many guesses a password would take, and the patterns that make it weak.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace myaccount {

// What zxcvbn recognised in one part of a password.
enum class GuessPattern {
    random,             // nothing it knows: counted as brute force
    word,               // a word, name or password of its dictionaries (reversed too)
    substituted_word,   // such a word with "l33t" substitutions (@ for a, 0 for o...)
    personal_word,      // one of the user's own words (user ID, name, e-mail)
    substituted_personal_word,
    repeat,             // "aaaa"
    sequence,           // "abcd", "6543"
    keyboard,           // "qwerty", "zxcvbn", "1qaz"
    date,               // "2024-01-31", "310124"
    year,               // "1987"
};

// One part of the password, in bytes of its UTF-8 (zxcvbn reads bytes, not code points).
struct GuessPart {
    GuessPattern pattern = GuessPattern::random;
    bool repeated = false;  // the part is the pattern said more than once ("abcabc")
    std::size_t begin = 0;
    std::size_t length = 0;
};

struct GuessEstimate {
    double log10_guesses = 0;     // 8 means 10^8 guesses
    std::vector<GuessPart> parts; // the cheapest way through the password, in order
};

// libzxcvbn keeps no state between calls (its dictionaries are constant data), so httpd's threads
// may call this at once. The password must hold no NUL: zxcvbn reads a C string, so what follows
// one is not looked at (the policy refuses such passwords before asking). Only the first 100
// bytes are examined in detail; each later byte adds about as little as a step of a sequence.
GuessEstimate estimate_guesses(std::string_view password, const std::vector<std::string>& user_words);

}  // namespace myaccount
