// Checks a candidate password against the configured PasswordPolicy.
#include "core/password_policy.hpp"

#include "core/text.hpp"

namespace myaccount {

const char* to_string(PasswordRule rule) {
    switch (rule) {
        case PasswordRule::too_short: return "too_short";
        case PasswordRule::too_long: return "too_long";
        case PasswordRule::invalid_utf8: return "invalid_utf8";
        case PasswordRule::contains_nul: return "contains_nul";
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

}  // namespace myaccount
