// Checks of administrator-supplied values, with messages that name the offending field.
#include "cli/validation.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <system_error>

#include "cli/errors.hpp"
#include "core/text.hpp"

namespace myaccount::cli {

namespace {

std::string describe(TextProblem problem, std::size_t max_code_points) {
    switch (problem) {
        case TextProblem::empty:
            return "must not be empty";
        case TextProblem::too_long:
            return "is too long: at most " + std::to_string(max_code_points) + " characters";
        case TextProblem::invalid_utf8:
            return "is not valid UTF-8";
        case TextProblem::control_characters:
            return "must not contain control characters (tabs, newlines, ...)";
    }
    return "is invalid";
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

void check_username(std::string_view username) {
    if (!is_valid_username(username)) {
        throw CommandError("invalid username '" + printable(username) +
                           "': use 1-64 characters of A-Z a-z 0-9 . _ @ -, starting with a letter or digit");
    }
}

void check_text(std::string_view field, std::string_view value, std::size_t max_code_points, bool required) {
    if (const auto problem = check_field(value, max_code_points, required)) {
        throw CommandError(std::string(field) + " " + describe(*problem, max_code_points));
    }
}

void check_emails(const std::vector<std::string>& emails) {
    if (emails.size() > max_emails) {
        throw CommandError("too many e-mail addresses (--email): at most " + std::to_string(max_emails));
    }
    std::set<std::string> seen;
    for (const std::string& address : emails) {
        if (!is_valid_email(address)) {
            throw CommandError("invalid e-mail address (--email) '" + printable(address) + "'");
        }
        if (!seen.insert(lowercase(address)).second) {
            throw CommandError("e-mail address (--email) '" + printable(address) + "' given twice");
        }
    }
}

void check_domain(std::string_view domain) {
    const auto fail = [&] {
        throw CommandError("invalid domain (--domain) '" + printable(domain) +
                           "': expected a DNS name such as contoso.example");
    };
    if (domain.empty() || domain.size() > 253 || domain.front() == '.' || domain.back() == '.') fail();
    std::size_t start = 0;
    while (start <= domain.size()) {
        std::size_t end = domain.find('.', start);
        if (end == std::string_view::npos) end = domain.size();
        const std::string_view label = domain.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') fail();
        for (const char c : label) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') fail();
        }
        start = end + 1;
    }
}

std::string printable(std::string_view value, std::size_t limit) {
    std::string out;
    std::size_t i = 0;
    while (i < value.size() && out.size() < limit) {
        const auto b = static_cast<unsigned char>(value[i]);
        if (b < 0x80) {
            out += (b < 0x20 || b == 0x7F) ? '?' : static_cast<char>(b);
            ++i;
            continue;
        }
        // Copy a whole multi-byte character if it is well formed and not a C1 control.
        std::size_t length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        const std::string_view ch = value.substr(i, length);
        if (length > 1 && ch.size() == length && is_valid_utf8(ch) && !has_control_characters(ch)) {
            out.append(ch);
            i += length;
        } else {
            out += '?';
            ++i;
        }
    }
    if (i < value.size()) out += "...";
    return out;
}

std::optional<std::int64_t> listed_id(const std::string& text) {
    std::int64_t id = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, id);
    if (error != std::errc() || stop != end || id <= 0) return std::nullopt;
    return id;
}

}  // namespace myaccount::cli
