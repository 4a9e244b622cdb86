// HTML reduced to the allow-list of html_allow_list.hpp, by libxml2's HTML parser and a writer
// that writes out nothing else.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace myaccount {

struct SanitizedHtml {
    std::string html;                  // a fragment, every tag closed, all text escaped
    std::vector<std::string> removed;  // "script element (2)", in the order first met
    bool has_visible_text = false;     // more than spaces, line breaks and their invisible kin
};

// Parses the HTML (UTF-8, whatever it declares; no network) and writes out only what the allow-list
// keeps, headings moved down so that the top one is at least h3. The result reads back as itself:
// sanitizing it again gives the same HTML and removes nothing. Throws std::invalid_argument when
// the parser cannot read it to its end (elements nested more than 256 deep).
SanitizedHtml sanitized_html(std::string_view html);

}  // namespace myaccount
