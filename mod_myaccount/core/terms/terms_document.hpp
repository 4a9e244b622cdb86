// Terms-of-use documents as administrators publish them (Markdown or HTML), turned into the small,
// safe HTML subset the terms page shows: terms are content, not code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myaccount {

enum class TermsFormat { markdown, html };

// By the file name's extension, case-insensitively: .md and .markdown are Markdown, .html and .htm
// HTML; any other name has no known format.
std::optional<TermsFormat> terms_format_of(std::string_view file_name);

struct SafeTermsHtml {
    std::string html;                  // a fragment (no <html> or <body>), every tag closed
    std::vector<std::string> removed;  // one entry a kind, with its count: "script element (2)"
};

// Renders Markdown (raw HTML in it omitted), keeps only an allow-list of elements and attributes,
// moves headings down below the page's own h1 and h2, and escapes all text. Sanitizing the result
// again gives the same HTML and removes nothing. Throws std::invalid_argument when the source is
// not valid UTF-8, nests elements more than 256 deep, or nothing visible is left once it is cleaned.
SafeTermsHtml safe_terms_html(std::string_view source, TermsFormat format);

}  // namespace myaccount
