// HTML reduced to the allow-list of html_allow_list.hpp, by libxml2's HTML parser and a writer
// that writes out nothing else.
#include "core/terms/html_sanitizer.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

#include "core/terms/html_allow_list.hpp"
#include "core/terms/markdown_html.hpp"
#include "core/text.hpp"

namespace myaccount {

namespace {

// The page around a terms document has its own h1 and h2.
constexpr int top_heading_allowed = 3;
// Parses until the output reads back as itself: random fuzzing never needed more than three.
constexpr int max_passes = 4;

struct XmlDocFree {
    void operator()(xmlDoc* document) const { xmlFreeDoc(document); }
};
using XmlDocument = std::unique_ptr<xmlDoc, XmlDocFree>;

struct HtmlParserFree {
    void operator()(htmlParserCtxt* parser) const { htmlFreeParserCtxt(parser); }
};

struct XmlStringFree {
    void operator()(xmlChar* text) const { xmlFree(text); }
};

// nullptr for a document with nothing in it (libxml2 makes none of an empty input).
XmlDocument parsed_html(std::string_view html) {
    static std::once_flag parser_initialised;
    std::call_once(parser_initialised, xmlInitParser);
    if (html.size() > INT_MAX) throw std::invalid_argument("the terms document is too large");
    // IGNORE_ENC: a <meta charset> in the document must not override the UTF-8 we checked.
    constexpr int options = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;
    const std::unique_ptr<htmlParserCtxt, HtmlParserFree> parser(htmlNewParserCtxt());
    if (!parser) throw std::bad_alloc();
    XmlDocument document(
        htmlCtxtReadMemory(parser.get(), html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", options));
    // libxml2 stops reading at 256 levels of nesting and keeps what it has: the rest of the terms
    // would be lost without a word.
    if (parser->disableSAX != 0) {
        throw std::invalid_argument(
            "the terms document could not be read to its end (elements nested more than 256 deep)");
    }
    return document;
}

std::string_view as_text(const xmlChar* text) {
    return text == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(text));
}

std::string attribute_value(const xmlAttr* attribute) {
    const std::unique_ptr<xmlChar, XmlStringFree> value(xmlNodeListGetString(attribute->doc, attribute->children, 1));
    return std::string(as_text(value.get()));
}

// Not visible: ASCII whitespace, and the no-break, ideographic, zero-width spaces and the BOM that
// editors leave behind.
bool has_visible_character(std::string_view text) {
    constexpr std::string_view invisible_sequences[] = {"\xc2\xa0", "\xe3\x80\x80", "\xe2\x80\x8b", "\xef\xbb\xbf"};
    while (!text.empty()) {
        if (std::string_view(" \t\n\r\f\v").find(text.front()) != std::string_view::npos) {
            text.remove_prefix(1);
            continue;
        }
        const auto* const invisible =
            std::find_if(std::begin(invisible_sequences), std::end(invisible_sequences),
                         [&](std::string_view sequence) { return text.rfind(sequence, 0) == 0; });
        if (invisible == std::end(invisible_sequences)) return true;
        text.remove_prefix(invisible->size());
    }
    return false;
}

// Counts a kind of removal per name, in the order first met.
class RemovalTally {
public:
    void note(std::string what) {
        const auto known =
            std::find_if(counts_.begin(), counts_.end(), [&](const auto& entry) { return entry.first == what; });
        if (known == counts_.end()) {
            counts_.emplace_back(std::move(what), 1);
        } else {
            ++known->second;
        }
    }

    std::vector<std::string> entries() const {
        std::vector<std::string> entries;
        for (const auto& [what, count] : counts_) entries.push_back(what + " (" + std::to_string(count) + ")");
        return entries;
    }

private:
    std::vector<std::pair<std::string, std::size_t>> counts_;
};

// The smallest heading level among the elements that will be written; 0 when there is none.
// Headings inside headings count too: libxml2 leaves an h1 inside an h3.
int top_heading_level(const xmlNode* first) {
    int top = 0;
    const auto take = [&top](int level) {
        if (level != 0 && (top == 0 || level < top)) top = level;
    };
    for (const xmlNode* node = first; node != nullptr; node = node->next) {
        if (node->type != XML_ELEMENT_NODE || element_rule(as_text(node->name)) == ElementRule::drop) continue;
        take(heading_level(as_text(node->name)));
        take(top_heading_level(node->children));
    }
    return top;
}

// Writes the allow-listed part of a parsed document and tallies what it leaves out.
class SafeHtmlWriter {
public:
    // Headings move down by this many levels (at most to h6).
    explicit SafeHtmlWriter(int heading_shift) : heading_shift_(heading_shift) {}

    void write_nodes(const xmlNode* first) {
        for (const xmlNode* node = first; node != nullptr; node = node->next) {
            switch (node->type) {
                case XML_ELEMENT_NODE:
                    write_element(node);
                    break;
                case XML_TEXT_NODE:
                    write_text(as_text(node->content));
                    break;
                case XML_COMMENT_NODE:
                    note_comment(as_text(node->content));
                    break;
                default:
                    break;  // doctype, processing instructions, CDATA of script and style
            }
        }
    }

    SanitizedHtml result() && { return {std::move(html_), removed_.entries(), has_visible_text_}; }

private:
    void write_text(std::string_view text) {
        html_ += escaped_for_markup(std::string(text));
        has_visible_text_ = has_visible_text_ || has_visible_character(text);
    }

    // Other comments go silently; cmark's markers tell where it left raw HTML out of Markdown.
    void note_comment(std::string_view comment) {
        if (comment == raw_html_omitted_marker) removed_.note("raw HTML");
    }

    void write_element(const xmlNode* element) {
        const std::string_view name = as_text(element->name);
        const ElementRule rule = element_rule(name);
        if (rule == ElementRule::drop) {
            note_dropped(element);
            return;
        }
        const std::string attributes = kept_attributes(element);
        // A link whose target was refused is left as its text, like any element not kept.
        if (rule == ElementRule::unwrap || (name == "a" && attributes.empty())) {
            write_nodes(element->children);
            return;
        }
        const std::string tag = tag_written_for(name);
        const std::size_t start = html_.size();
        html_ += '<' + tag + attributes + '>';
        if (is_void_element(name)) return;
        const std::size_t content_start = html_.size();
        write_nodes(element->children);
        // An element left empty (a p that held only an image) is noise.
        if (html_.size() == content_start && !is_kept_when_empty(name)) {
            html_.resize(start);
            return;
        }
        html_ += "</" + tag + '>';
    }

    // ` name="value"` for each attribute kept; the dropped ones worth it are tallied.
    std::string kept_attributes(const xmlNode* element) {
        const std::string_view name = as_text(element->name);
        std::string kept;
        for (const xmlAttr* attribute = element->properties; attribute != nullptr; attribute = attribute->next) {
            const std::string_view attribute_name = as_text(attribute->name);
            const std::string value = attribute_value(attribute);
            if (const auto kept_value = kept_attribute_value(name, attribute_name, value)) {
                kept += ' ' + std::string(attribute_name) + "=\"" + escaped_for_markup(*kept_value) + '"';
            } else if (auto removal = reported_attribute_removal(name, attribute_name, value)) {
                removed_.note(std::move(*removal));
            }
        }
        // A kept link gives the page it opens no handle on ours and no Referer.
        if (name == "a" && !kept.empty()) kept += " rel=\"noopener noreferrer\"";
        return kept;
    }

    // The parser files script, style, title and meta under a head of its own making even when the
    // source had none: what is reported is what was in it.
    void note_dropped(const xmlNode* element) {
        const std::string_view name = as_text(element->name);
        if (name != "head") {
            removed_.note(std::string(name) + " element");
            return;
        }
        for (const xmlNode* child = element->children; child != nullptr; child = child->next) {
            if (child->type == XML_ELEMENT_NODE) note_dropped(child);
        }
    }

    std::string tag_written_for(std::string_view element) const {
        const int level = heading_level(element);
        if (level == 0) return std::string(element);
        return 'h' + std::to_string(std::min(6, level + heading_shift_));
    }

    int heading_shift_;
    std::string html_;
    RemovalTally removed_;
    bool has_visible_text_ = false;
};

SanitizedHtml sanitized_once(std::string_view html) {
    const XmlDocument document = parsed_html(html);
    if (!document) return {};
    const int top_heading = top_heading_level(document->children);
    // Down just far enough: a document already starting at h3 or below keeps its levels, which is
    // also what makes a second pass change nothing.
    const int heading_shift = top_heading == 0 ? 0 : std::max(0, top_heading_allowed - top_heading);
    SafeHtmlWriter writer(heading_shift);
    writer.write_nodes(document->children);
    return std::move(writer).result();
}

}  // namespace

SanitizedHtml sanitized_html(std::string_view html) {
    SanitizedHtml result = sanitized_once(html);
    // Unwrapping can leave a nesting the parser repairs when it reads the output back (a table in a
    // p once the span between them is gone; text first gets an implied p): writing again until the
    // output reads back as itself makes it stable. What was removed is known after the first pass.
    for (int pass = 1; pass < max_passes; ++pass) {
        SanitizedHtml again = sanitized_once(result.html);
        if (again.html == result.html) return result;
        result.html = std::move(again.html);
        result.has_visible_text = again.has_visible_text;
    }
    throw std::logic_error("the sanitized terms HTML did not settle in " + std::to_string(max_passes) + " passes");
}

}  // namespace myaccount
