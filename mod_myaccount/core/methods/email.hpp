// E-mail as a verification method: which typed addresses may be one, and when two are the same.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace myaccount {

// The longest address a method may have: RFC 5321's limit for a path.
constexpr std::size_t max_email_method_length = 254;

// The address as it is registered and looked up: surrounding spaces dropped, letter case kept.
std::string normalized_email_address(const std::string& typed);

// A plausible e-mail address in valid single-line text of at most max_email_method_length.
bool is_email_method_address(std::string_view address);

// One mailbox as methods count them: ASCII letters compare case-insensitively (so does the
// store's "already registered" check).
bool same_email_address(std::string_view left, std::string_view right);

}  // namespace myaccount
