// Which passwords may be set: the rules checked on set, change and reset (SECURITY.md PW-1..PW-6).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/defaults.hpp"
#include "core/password_blocklist.hpp"

namespace myaccount {

// Lengths are in Unicode code points (PW-1). No composition rules, on purpose (PW-5).
struct PasswordPolicy {
    std::size_t min_length = defaults::password_min_length.as<std::size_t>();
    std::size_t max_length = defaults::password_max_length.as<std::size_t>();
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
    same_as_current,  // equals the current password
    breached,         // in the breached-password hash file; checked by the caller (password_change.cpp)
    reused,           // equals one of the previous passwords
};
const char* to_string(PasswordRule rule);

// Every rule the password breaks, in a stable order; empty when it may be set. Lengths only.
std::vector<PasswordRule> violations(const PasswordPolicy& policy, std::string_view password);

// Every rule the password breaks, lengths and context together, in the enum's order. Invalid
// UTF-8 or a NUL is reported alone: such a password is not looked at further. The blocklist may
// be null (no common-password check).
std::vector<PasswordRule> violations(const PasswordPolicy& policy, std::string_view password,
                                     const PasswordContext& context, const PasswordBlocklist* blocklist);

// The words of the context a password may not contain (lower-cased ASCII, 3+ code points each):
// the username, and the words of the username, the display name and each e-mail's local part.
std::vector<std::string> personal_words(const PasswordContext& context);

}  // namespace myaccount
