// What of an HTML terms document survives: the elements kept, dropped or unwrapped, and the few
// attributes kept.
#include "core/terms/html_allow_list.hpp"

#include <algorithm>
#include <initializer_list>

#include "core/terms/link_policy.hpp"
#include "core/text.hpp"

namespace myaccount {

namespace {

constexpr std::string_view kept_elements[] = {
    "p",   "br",  "hr",    "h1",         "h2",      "h3",    "h4",     "h5",    "h6", "ul", "ol", "li",
    "dl",  "dt",  "dd",    "blockquote", "pre",     "code",  "strong", "em",    "b",  "i",  "u",  "s",
    "sub", "sup", "small", "table",      "caption", "thead", "tbody",  "tfoot", "tr", "th", "td", "a",
};

// Elements whose content is code, a resource, a form or page metadata: nothing in them is terms text.
constexpr std::string_view dropped_elements[] = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed",    "applet", "noscript", "template",
    "svg",    "math",  "form",   "input", "button",   "select", "textarea", "option", "head",     "title",
    "meta",   "link",  "base",   "img",   "video",    "audio",  "source",   "canvas", "picture",
};

template <std::size_t N>
bool is_one_of(std::string_view name, const std::string_view (&names)[N]) {
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// colspan and rowspan: 1 to 99, in plain digits.
bool is_small_span(std::string_view value) {
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    return (value.size() == 1 || value.size() == 2) && value[0] != '0' &&
           std::all_of(value.begin(), value.end(), is_digit);
}

bool is_table_cell(std::string_view element) {
    return element == "td" || element == "th";
}

}  // namespace

ElementRule element_rule(std::string_view element) {
    if (is_one_of(element, kept_elements)) return ElementRule::keep;
    if (is_one_of(element, dropped_elements)) return ElementRule::drop;
    return ElementRule::unwrap;
}

bool is_void_element(std::string_view element) {
    return element == "br" || element == "hr";
}

bool is_kept_when_empty(std::string_view element) {
    return is_void_element(element) || is_table_cell(element);
}

int heading_level(std::string_view element) {
    if (element.size() == 2 && element[0] == 'h' && element[1] >= '1' && element[1] <= '6') return element[1] - '0';
    return 0;
}

std::optional<std::string> kept_attribute_value(std::string_view element, std::string_view attribute,
                                                std::string_view value) {
    if (element == "a" && attribute == "href") return safe_link_target(value);
    if (element == "th" && attribute == "scope") {
        std::string scope = ascii_lower(value);
        if (is_one_of(scope, {"row", "col", "rowgroup", "colgroup"})) return scope;
    }
    if (is_table_cell(element) && (attribute == "colspan" || attribute == "rowspan") && is_small_span(value)) {
        return std::string(value);
    }
    return std::nullopt;
}

std::optional<std::string> reported_attribute_removal(std::string_view element, std::string_view attribute,
                                                      std::string_view value) {
    if (element == "a" && attribute == "href") return refused_link_description(value);
    const std::string name = ascii_lower(attribute);
    if (name == "style" || name.rfind("on", 0) == 0) return name + " attribute";
    return std::nullopt;
}

}  // namespace myaccount
