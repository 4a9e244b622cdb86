// Terms-of-use documents as administrators publish them (Markdown or HTML), turned into the small,
// safe HTML subset the terms page shows: terms are content, not code.
#include "core/terms/terms_document.hpp"

#include <stdexcept>
#include <utility>

#include "core/terms/html_sanitizer.hpp"
#include "core/terms/markdown_html.hpp"
#include "core/text.hpp"

namespace myaccount {

std::optional<TermsFormat> terms_format_of(std::string_view file_name) {
    const std::size_t dot = file_name.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string extension = ascii_lower(file_name.substr(dot + 1));
    if (extension == "md" || extension == "markdown") return TermsFormat::markdown;
    if (extension == "html" || extension == "htm") return TermsFormat::html;
    return std::nullopt;
}

SafeTermsHtml safe_terms_html(std::string_view source, TermsFormat format) {
    if (!is_valid_utf8(source)) throw std::invalid_argument("the terms document is not valid UTF-8");
    // One sanitizer for both: Markdown becomes HTML first, which cmark writes without raw HTML.
    SanitizedHtml sanitized =
        format == TermsFormat::markdown ? sanitized_html(html_from_markdown(source)) : sanitized_html(source);
    if (!sanitized.has_visible_text) {
        std::string message = "the terms document has no visible text once cleaned";
        if (!sanitized.removed.empty()) message += " (removed: " + joined(sanitized.removed, ", ") + ")";
        throw std::invalid_argument(message);
    }
    return {std::move(sanitized.html), std::move(sanitized.removed)};
}

}  // namespace myaccount
