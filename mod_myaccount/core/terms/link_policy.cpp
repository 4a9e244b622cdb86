// Which link targets a terms document may keep: absolute http, https and mailto URLs only.
#include "core/terms/link_policy.hpp"

#include <initializer_list>

#include "core/text.hpp"

namespace myaccount {

namespace {

bool is_space_or_control(char c) {
    const auto b = static_cast<unsigned char>(c);
    return b <= 0x20 || b == 0x7F;
}

// What a browser reads: leading and trailing spaces and C0 controls trimmed, tabs and line breaks
// anywhere removed (so "java\tscript:" is javascript:).
std::string as_browsers_read(std::string_view href) {
    while (!href.empty() && is_space_or_control(href.front())) href.remove_prefix(1);
    while (!href.empty() && is_space_or_control(href.back())) href.remove_suffix(1);
    std::string target;
    target.reserve(href.size());
    for (const char c : href) {
        if (c != '\t' && c != '\n' && c != '\r') target += c;
    }
    return target;
}

bool has_prefix(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::optional<std::string> safe_link_target(std::string_view href) {
    std::string target = as_browsers_read(href);
    for (const char c : target) {
        if (is_space_or_control(c) && c != ' ') return std::nullopt;
    }
    const std::string lowered = ascii_lower(target);
    for (const std::string_view scheme : {"http://", "https://", "mailto:"}) {
        if (has_prefix(lowered, scheme)) return target;
    }
    return std::nullopt;
}

std::string refused_link_description(std::string_view href) {
    std::string squeezed;  // no spaces or controls at all: "java\x01script:" still names its scheme
    for (const char c : href) {
        if (!is_space_or_control(c)) squeezed += c;
    }
    const std::string lowered = ascii_lower(squeezed);
    for (const std::string_view scheme : {"javascript:", "vbscript:", "data:"}) {
        if (has_prefix(lowered, scheme)) return std::string(scheme) + " link";
    }
    return "unsafe link";
}

}  // namespace myaccount
