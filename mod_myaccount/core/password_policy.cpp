// Checks a candidate password against the configured PasswordPolicy and the user's context.
#include "core/password_policy.hpp"

#include <algorithm>

#include "core/password_guesses.hpp"
#include "core/text.hpp"

namespace myaccount {

namespace {

// Shorter words would refuse too much ("al" in "always"); NIST asks for context words, not letters.
constexpr std::size_t min_personal_word = 3;


// ASCII letters and digits join a word, and so does every byte of a non-ASCII character, so
// "José" stays one word; everything else (space, '.', '_', '-', '+', ...) separates words.
bool is_word_byte(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool long_enough(std::string_view word) {
    return is_valid_utf8(word) && code_point_count(word) >= min_personal_word;
}

void add_word(std::vector<std::string>& words, std::string_view word) {
    if (long_enough(word)) words.push_back(ascii_lower(word));
}

void add_words_of(std::vector<std::string>& words, std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && !is_word_byte(text[i])) ++i;
        const std::size_t start = i;
        while (i < text.size() && is_word_byte(text[i])) ++i;
        if (i > start) add_word(words, text.substr(start, i - start));
    }
}

bool contains_personal_info(std::string_view password, const PasswordContext& context) {
    const std::string lowered = ascii_lower(password);
    const std::vector<std::string> words = personal_words(context);
    return std::any_of(words.begin(), words.end(),
                       [&](const std::string& word) { return lowered.find(word) != std::string::npos; });
}

}  // namespace

const char* to_string(PasswordRule rule) {
    switch (rule) {
        case PasswordRule::too_short: return "too_short";
        case PasswordRule::too_long: return "too_long";
        case PasswordRule::invalid_utf8: return "invalid_utf8";
        case PasswordRule::contains_nul: return "contains_nul";
        case PasswordRule::common: return "common";
        case PasswordRule::personal_info: return "personal_info";
        case PasswordRule::guessable: return "guessable";
        case PasswordRule::same_as_current: return "same_as_current";
        case PasswordRule::breached: return "breached";
        case PasswordRule::reused: return "reused";
    }
    return "unknown";
}

std::vector<PasswordRule> violations(const PasswordPolicy& policy, std::string_view password) {
    std::vector<PasswordRule> found;
    const bool valid_utf8 = is_valid_utf8(password);
    if (!valid_utf8) found.push_back(PasswordRule::invalid_utf8);
    // NUL is valid UTF-8 but cannot survive the C-string paths (Basic auth, htpasswd), so a
    // password holding one could never be used everywhere (PW-3).
    if (password.find('\0') != std::string_view::npos) found.push_back(PasswordRule::contains_nul);
    if (valid_utf8) {
        const std::size_t length = code_point_count(password);
        if (length < policy.min_length) found.push_back(PasswordRule::too_short);
        if (length > policy.max_length) found.push_back(PasswordRule::too_long);
    }
    return found;
}

PasswordCheck check_password(const PasswordPolicy& policy, std::string_view password, const PasswordContext& context,
                             const PasswordBlocklist* blocklist) {
    PasswordCheck check;
    std::vector<PasswordRule>& found = check.violations;
    found = violations(policy, password);
    const auto unusable = [](PasswordRule rule) {
        return rule == PasswordRule::invalid_utf8 || rule == PasswordRule::contains_nul;
    };
    // Bytes that can never be a password are not compared with anything else.
    if (std::any_of(found.begin(), found.end(), unusable)) {
        found.erase(std::remove_if(found.begin(), found.end(), [&](PasswordRule rule) { return !unusable(rule); }),
                    found.end());
        return check;
    }
    if (blocklist != nullptr && blocklist->contains(password)) found.push_back(PasswordRule::common);
    if (contains_personal_info(password, context)) found.push_back(PasswordRule::personal_info);
    if (found.empty()) {
        if (std::optional<GuessFeedback> feedback = guessability(policy, password, context)) {
            found.push_back(PasswordRule::guessable);
            check.feedback = std::move(*feedback);
        }
    }
    if (!context.current_password.empty() && password == context.current_password) {
        found.push_back(PasswordRule::same_as_current);
    }
    return check;
}

std::vector<PasswordRule> violations(const PasswordPolicy& policy, std::string_view password,
                                     const PasswordContext& context, const PasswordBlocklist* blocklist) {
    return check_password(policy, password, context, blocklist).violations;
}

std::optional<GuessFeedback> guessability(const PasswordPolicy& policy, std::string_view password,
                                          const PasswordContext& context) {
    if (policy.min_guesses_log10 <= 0) return std::nullopt;
    const GuessEstimate estimate = estimate_guesses(password, personal_words(context));
    if (estimate.log10_guesses >= policy.min_guesses_log10) return std::nullopt;
    return feedback_for(password, estimate.parts);
}

std::vector<std::string> personal_words(const PasswordContext& context) {
    std::vector<std::string> words;
    add_word(words, context.username);  // whole, so "j.doe" counts as well as "doe"
    add_words_of(words, context.username);
    add_words_of(words, context.display_name);
    for (const std::string& email : context.emails) {
        const std::size_t at = email.rfind('@');
        add_words_of(words, std::string_view(email).substr(0, at));  // npos: the whole text
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
}

}  // namespace myaccount
