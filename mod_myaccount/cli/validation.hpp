// Checks of administrator-supplied values, with messages that name the offending field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myaccount::cli {

// Field limits in code points.
constexpr std::size_t max_name_length = 128;
constexpr std::size_t max_title_length = 128;
constexpr std::size_t max_office_length = 128;
constexpr std::size_t max_org_name_length = 128;
constexpr std::size_t max_role_length = 64;
constexpr std::size_t max_emails = 16;

// Each throws CommandError describing what is wrong.
void check_username(std::string_view username);
// `field` names it for the message, e.g. "display name (--name)".
void check_text(std::string_view field, std::string_view value, std::size_t max_code_points, bool required);
// Every address valid, no duplicates (case-insensitive); the first is the primary address.
void check_emails(const std::vector<std::string>& emails);
// A DNS name such as "contoso.example": labels of letters, digits and hyphens.
void check_domain(std::string_view domain);

// An id as the list commands print it (a positive integer, nothing around it); none for other text.
std::optional<std::int64_t> listed_id(const std::string& text);

// The value made safe to echo in a message or on a terminal: control bytes and invalid UTF-8
// become '?', and values longer than `limit` bytes are cut short.
std::string printable(std::string_view value, std::size_t limit = 80);

}  // namespace myaccount::cli
