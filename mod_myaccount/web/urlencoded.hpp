// application/x-www-form-urlencoded text read and written without httpd: the sign-in guard's view
// of a posted form and the session entries we keep.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "web/http.hpp"

namespace myaccount::web {

// One name or value decoded as httpd's ap_unescape_urlencoded does: '+' is a space, %XX a byte
// (%00 included). None when a '%' is not followed by two hex digits.
std::optional<std::string> urldecoded(std::string_view text);

// The name=value pairs between '&'s, in order. A piece without '=' or with a malformed escape is
// left out, as the module always did with httpd's decoder.
Fields parse_urlencoded(std::string_view body);
// The fields as name=value&name=value, percent-encoded (core/text); parse_urlencoded gives them
// back unchanged.
std::string encode_urlencoded(const Fields& fields);

}  // namespace myaccount::web
