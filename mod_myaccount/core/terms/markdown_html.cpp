// Markdown rendered to HTML by cmark, in its safe mode.
#include "core/terms/markdown_html.hpp"

#include <cmark.h>

#include <cstdlib>
#include <memory>
#include <new>

namespace myaccount {

namespace {

struct CFree {
    void operator()(char* text) const { std::free(text); }
};

}  // namespace

std::string html_from_markdown(std::string_view markdown) {
    // CMARK_OPT_DEFAULT is safe since cmark 0.29; CMARK_OPT_UNSAFE would let raw HTML through.
    const std::unique_ptr<char, CFree> html(
        cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
    if (!html) throw std::bad_alloc();
    return html.get();
}

}  // namespace myaccount
