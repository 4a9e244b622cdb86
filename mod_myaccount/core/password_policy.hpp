// Which passwords may be set: the rules checked on set, change and reset (SECURITY.md PW-1..PW-6).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/defaults.hpp"
#include "core/password_blocklist.hpp"
#include "core/password_feedback.hpp"

namespace myaccount {

// Lengths are in Unicode code points (PW-1). No composition rules, on purpose (PW-5): how hard a
// password is to guess is zxcvbn's estimate instead, which counts what attackers try first.
struct PasswordPolicy {
    std::size_t min_length = defaults::password_min_length.as<std::size_t>();
    std::size_t max_length = defaults::password_max_length.as<std::size_t>();
    int min_guesses_log10 = defaults::password_min_guesses.as<int>();  // 0: no estimate
};

// What is known about the person choosing the password, for the context checks (PW-6).
struct PasswordContext {
    std::string username;
    std::string display_name;
    std::vector<std::string> emails;
    std::string current_password;  // empty when there is none (first password, reset)
};

// One reason a password is refused; stable names for messages, logs and the API.
// `reused` (one of the last N passwords) is checked by the caller against stored hashes, and
// `breached` against the breached-password file; violations() never returns them.
enum class PasswordRule {
    too_short,
    too_long,
    invalid_utf8,
    contains_nul,
    common,           // in the common-password list
    personal_info,    // contains the username, or a word of the name or an e-mail local part
    guessable,        // zxcvbn estimates fewer guesses than the policy's minimum
    same_as_current,  // equals the current password
    breached,         // in the breached-password hash file; checked by the caller (password_change.cpp)
    reused,           // equals one of the previous passwords
};
const char* to_string(PasswordRule rule);

// Every rule the password breaks, in a stable order; empty when it may be set. Lengths only.
std::vector<PasswordRule> violations(const PasswordPolicy& policy, std::string_view password);

// The rules a new password breaks, and when one is `guessable`, why (feedback for the person).
struct PasswordCheck {
    std::vector<PasswordRule> violations;
    GuessFeedback feedback;  // empty unless `guessable` is among the violations
};

// Every rule the password breaks, lengths and context together, in the enum's order. Invalid
// UTF-8 or a NUL is reported alone: such a password is not looked at further. `guessable` is
// asked only of a password that breaks no other rule of its own (length, common, personal): one
// reason at a time, and the estimate never runs on more than the maximum length. The blocklist
// may be null (no common-password check).
PasswordCheck check_password(const PasswordPolicy& policy, std::string_view password, const PasswordContext& context,
                             const PasswordBlocklist* blocklist);
// check_password's violations alone.
std::vector<PasswordRule> violations(const PasswordPolicy& policy, std::string_view password,
                                     const PasswordContext& context, const PasswordBlocklist* blocklist);

// Why the password is too easy to guess by zxcvbn's estimate, with the context's personal words
// in its dictionary; none when it takes at least 10^min_guesses_log10 guesses (or the policy asks
// for no estimate). For a password the length rules accept.
std::optional<GuessFeedback> guessability(const PasswordPolicy& policy, std::string_view password,
                                          const PasswordContext& context);

// The words of the context a password may not contain (lower-cased ASCII, 3+ code points each):
// the username, and the words of the username, the display name and each e-mail's local part.
std::vector<std::string> personal_words(const PasswordContext& context);

}  // namespace myaccount
