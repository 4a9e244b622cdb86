// Which passwords may be set: the rules checked on set, change and reset (SECURITY.md PW-1..PW-5).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace myaccount {

// Lengths are in Unicode code points (PW-1). No composition rules, on purpose (PW-5).
struct PasswordPolicy {
    std::size_t min_length = 12;
    std::size_t max_length = 128;
};

// One reason a password is refused; stable names for messages, logs and the API.
enum class PasswordRule { too_short, too_long, invalid_utf8, contains_nul };
const char* to_string(PasswordRule rule);

// Every rule the password breaks, in a stable order; empty when it may be set.
std::vector<PasswordRule> violations(const PasswordPolicy& policy, std::string_view password);

}  // namespace myaccount
