// Validation of user-supplied text: UTF-8, control characters, lengths counted in code points.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myaccount {

bool is_valid_utf8(std::string_view text);
// ASCII letters lower-cased, every other byte kept (user IDs and e-mail addresses compare so).
std::string ascii_lower(std::string_view text);
// Without leading and trailing ASCII spaces.
std::string trim_spaces(const std::string& text);
// Number of Unicode code points; the text must be valid UTF-8.
std::size_t code_point_count(std::string_view text);
// True if the text has C0/C1 control characters or DEL (tab and newline included).
bool has_control_characters(std::string_view text);

enum class TextProblem { empty, too_long, invalid_utf8, control_characters };
const char* to_string(TextProblem problem);

// Checks a single-line field: non-empty when required, at most max_code_points, valid UTF-8,
// no control characters. Returns the first problem found.
std::optional<TextProblem> check_field(std::string_view text, std::size_t max_code_points,
                                       bool required = true);

// Escaped for HTML or XML text and quoted attributes (pages, the SVG avatar, QR codes). Braces and
// backticks too, so user data can never show up as "{{" in output that anything might re-parse.
std::string escaped_for_markup(const std::string& text);

// Percent-encoded (RFC 3986): unreserved ASCII and the bytes of `also_kept` stay, every other
// byte (UTF-8 included) becomes %XX. For otpauth: labels, data: URLs, query values ("/" kept).
std::string percent_encoded(std::string_view text, std::string_view also_kept = {});

// The items one after another, `separator` between them.
std::string joined(const std::vector<std::string>& items, std::string_view separator);

// Sign-in IDs: 1-64 characters of [A-Za-z0-9._@-], starting with a letter or digit.
bool is_valid_username(std::string_view username);
// A plausible e-mail address (one @, no spaces or controls, at most 254 characters, not
// starting with '-').
bool is_valid_email(std::string_view address);

}  // namespace myaccount
