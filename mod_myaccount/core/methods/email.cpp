// Checks and comparisons of e-mail method addresses, shared by registration, reset and notices.
#include "core/methods/email.hpp"

#include "core/text.hpp"

namespace myaccount {

std::string normalized_email_address(const std::string& typed) { return trim_spaces(typed); }

bool is_email_method_address(std::string_view address) {
    return !check_field(address, max_email_method_length) && is_valid_email(address);
}

bool same_email_address(std::string_view left, std::string_view right) {
    return ascii_lower(left) == ascii_lower(right);
}

}  // namespace myaccount
