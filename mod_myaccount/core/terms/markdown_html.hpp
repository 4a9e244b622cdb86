// Markdown rendered to HTML by cmark, in its safe mode.
#pragma once

#include <string>
#include <string_view>

namespace myaccount {

// CommonMark to HTML. Raw HTML becomes "<!-- raw HTML omitted -->" and links to javascript:,
// vbscript:, file: and data: (but images) get an empty href: cmark's safe mode, never unsafe.
std::string html_from_markdown(std::string_view markdown);

// The comment cmark leaves where it omitted raw HTML (its text, without "<!--" and "-->").
inline constexpr std::string_view raw_html_omitted_marker = " raw HTML omitted ";

}  // namespace myaccount
