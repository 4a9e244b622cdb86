// What of an HTML terms document survives: the elements kept, dropped or unwrapped, and the few
// attributes kept.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace myaccount {

enum class ElementRule {
    keep,    // written out, with its kept attributes
    unwrap,  // the tag goes, its content stays (div, span, font, unknown tags)
    drop,    // the tag goes with all its content (script, style, iframe, img, forms, ...)
};

// For a lower-case element name as libxml2's HTML parser reports it.
ElementRule element_rule(std::string_view element);

// br and hr: written as <br> and <hr>, never closed.
bool is_void_element(std::string_view element);

// br, hr, and the table cells that hold a table's grid; any other kept element left with nothing
// inside is not written.
bool is_kept_when_empty(std::string_view element);

// 1 to 6 for h1 to h6, 0 for every other element.
int heading_level(std::string_view element);

// The value an attribute is written with, or nullopt when it goes: a@href (safe links only),
// th@scope and td/th@colspan/rowspan.
std::optional<std::string> kept_attribute_value(std::string_view element, std::string_view attribute,
                                                std::string_view value);

// How an attribute that goes is reported ("onclick attribute", "style attribute", "javascript:
// link"), or nullopt for the harmless ones that go silently (class, id, title, ...).
std::optional<std::string> reported_attribute_removal(std::string_view element, std::string_view attribute,
                                                      std::string_view value);

}  // namespace myaccount
