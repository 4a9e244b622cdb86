// Tests of terms documents: Markdown and HTML turned into the safe HTML subset the terms page shows.
#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/terms/terms_document.hpp"
#include "core/text.hpp"

using namespace myaccount;

namespace {

using Removed = std::vector<std::string>;

std::string from_markdown(const std::string& source) {
    return safe_terms_html(source, TermsFormat::markdown).html;
}
std::string from_html(const std::string& source) {
    return safe_terms_html(source, TermsFormat::html).html;
}
Removed removed_from_html(const std::string& source) {
    return safe_terms_html(source, TermsFormat::html).removed;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// An HTML document comes out as `html`, with exactly `removed` reported.
void assert_html_becomes(const std::string& source, const std::string& html, const Removed& removed) {
    const SafeTermsHtml terms = safe_terms_html(source, TermsFormat::html);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(source, html, terms.html);
    CPPUNIT_ASSERT_MESSAGE(source, terms.removed == removed);
}

// The tags of the output, "<...>" in order; text is escaped, so every '<' starts one.
std::vector<std::string> tags_of(const std::string& html) {
    std::vector<std::string> tags;
    for (std::size_t open = html.find('<'); open != std::string::npos; open = html.find('<', open + 1)) {
        tags.push_back(html.substr(open, html.find('>', open) + 1 - open));
    }
    return tags;
}

std::string tag_name(const std::string& tag) {
    const std::size_t start = tag[1] == '/' ? 2 : 1;
    return tag.substr(start, tag.find_first_of(" >", start) - start);
}

// Every tag but <br> and <hr> closed, in the order opened.
bool is_balanced(const std::string& html) {
    std::vector<std::string> open;
    for (const std::string& tag : tags_of(html)) {
        const std::string name = tag_name(tag);
        if (tag[1] != '/') {
            if (name != "br" && name != "hr") open.push_back(name);
        } else if (open.empty() || open.back() != name) {
            return false;
        } else {
            open.pop_back();
        }
    }
    return open.empty();
}

bool throws_invalid_argument(const std::string& source, TermsFormat format) {
    try {
        safe_terms_html(source, format);
    } catch (const std::invalid_argument&) {
        return true;
    }
    return false;
}

}  // namespace

class TermsDocumentTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TermsDocumentTest);
    CPPUNIT_TEST(formats_by_file_name);
    CPPUNIT_TEST(markdown_renders_headings_lists_links_and_emphasis);
    CPPUNIT_TEST(markdown_headings_move_below_the_pages_own);
    CPPUNIT_TEST(markdown_raw_html_and_script_links_are_left_out);
    CPPUNIT_TEST(html_script_style_and_iframe_go_with_their_content);
    CPPUNIT_TEST(html_event_handlers_and_styles_go);
    CPPUNIT_TEST(html_links_other_than_http_https_mailto_lose_their_target);
    CPPUNIT_TEST(html_safe_links_are_kept_and_open_without_the_opener);
    CPPUNIT_TEST(html_images_svg_and_forms_go);
    CPPUNIT_TEST(html_unknown_tags_are_unwrapped_keeping_their_text);
    CPPUNIT_TEST(html_headings_move_down_only_as_far_as_needed);
    CPPUNIT_TEST(html_table_attributes_kept_only_when_plain);
    CPPUNIT_TEST(html_elements_left_empty_are_not_written);
    CPPUNIT_TEST(text_is_escaped);
    CPPUNIT_TEST(japanese_text_is_kept_byte_for_byte);
    CPPUNIT_TEST(unclosed_nested_tags_come_out_balanced);
    CPPUNIT_TEST(sanitizing_the_output_again_changes_nothing);
    CPPUNIT_TEST(invalid_utf8_is_refused);
    CPPUNIT_TEST(documents_with_nothing_visible_are_refused);
    CPPUNIT_TEST(documents_too_deep_to_read_whole_are_refused);
    CPPUNIT_TEST(removed_list_counts_each_kind);
    CPPUNIT_TEST(attack_corpus_leaves_nothing_executable);
    CPPUNIT_TEST_SUITE_END();

public:
    void formats_by_file_name() {
        CPPUNIT_ASSERT(terms_format_of("terms.md") == TermsFormat::markdown);
        CPPUNIT_ASSERT(terms_format_of("TERMS.MD") == TermsFormat::markdown);
        CPPUNIT_ASSERT(terms_format_of("/etc/myaccount/terms-2024.Markdown") == TermsFormat::markdown);
        CPPUNIT_ASSERT(terms_format_of("terms.html") == TermsFormat::html);
        CPPUNIT_ASSERT(terms_format_of("Terms.HTM") == TermsFormat::html);
        CPPUNIT_ASSERT(terms_format_of("terms.v2.html") == TermsFormat::html);
        CPPUNIT_ASSERT(!terms_format_of("terms.txt"));
        CPPUNIT_ASSERT(!terms_format_of("terms.md.bak"));
        CPPUNIT_ASSERT(!terms_format_of("md"));
        CPPUNIT_ASSERT(!terms_format_of("terms"));
        CPPUNIT_ASSERT(!terms_format_of("drafts.md/terms"));
        CPPUNIT_ASSERT(!terms_format_of(""));
    }

    void markdown_renders_headings_lists_links_and_emphasis() {
        const SafeTermsHtml terms = safe_terms_html(
            "# Terms of use\n\n## Your account\n\n- one\n- two\n\n1. first\n\n"
            "See [our site](https://example.org/terms) and *this* and **that**.\n",
            TermsFormat::markdown);
        CPPUNIT_ASSERT_EQUAL(std::string("<h3>Terms of use</h3>\n<h4>Your account</h4>\n"
                                         "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n</ol>\n"
                                         "<p>See <a href=\"https://example.org/terms\" rel=\"noopener noreferrer\">our "
                                         "site</a> and <em>this</em> and <strong>that</strong>.</p>\n"),
                             terms.html);
        CPPUNIT_ASSERT(terms.removed.empty());
    }

    void markdown_headings_move_below_the_pages_own() {
        CPPUNIT_ASSERT_EQUAL(std::string("<h3>a</h3>\n<h4>b</h4>\n<h5>c</h5>\n<h6>d</h6>\n<h6>e</h6>\n<h6>f</h6>\n"),
                             from_markdown("# a\n## b\n### c\n#### d\n##### e\n###### f\n"));
    }

    void markdown_raw_html_and_script_links_are_left_out() {
        const SafeTermsHtml terms = safe_terms_html(
            "<script>alert(1)</script>\n\nText with <b onclick=\"x()\">bold</b> and [x](javascript:alert(1)).\n",
            TermsFormat::markdown);
        CPPUNIT_ASSERT_EQUAL(std::string("<p>Text with bold and x.</p>\n"), terms.html);
        CPPUNIT_ASSERT(!contains(terms.html, "<script"));
        CPPUNIT_ASSERT(!contains(terms.html, "alert"));
        CPPUNIT_ASSERT(!contains(terms.html, "javascript:"));
        // The script block, <b onclick> and </b>; cmark empties the javascript: link's target.
        CPPUNIT_ASSERT(terms.removed == (Removed{"raw HTML (3)", "unsafe link (1)"}));
    }

    void html_script_style_and_iframe_go_with_their_content() {
        assert_html_becomes(
            "<p>Keep</p><script>alert(1)</script><style>p{color:red}</style>"
            "<iframe src=\"https://evil.example\">frame text</iframe>",
            "<p>Keep</p>", {"script element (1)", "style element (1)", "iframe element (1)"});
    }

    void html_event_handlers_and_styles_go() {
        assert_html_becomes(
            "<p onclick=\"steal()\" style=\"color:red\">Hi <b onmouseover=\"x()\">there</b></p>"
            "<div onerror=\"y()\">z</div>",
            "<p>Hi <b>there</b></p>z",
            {"onclick attribute (1)", "style attribute (1)", "onmouseover attribute (1)", "onerror attribute (1)"});
    }

    void html_links_other_than_http_https_mailto_lose_their_target() {
        const std::vector<std::pair<std::string, std::string>> refused = {
            {"JaVaScRiPt:alert(1)", "javascript: link (1)"},
            {" javascript:alert(1)", "javascript: link (1)"},
            {"java&#9;script:alert(1)", "javascript: link (1)"},
            {"&#106;avascript:alert(1)", "javascript: link (1)"},
            {"&#1;javascript:alert(1)", "unsafe link (1)"},  // libxml2 ends the value at the bad reference
            {"vbscript:msgbox(1)", "vbscript: link (1)"},
            {"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data: link (1)"},
            {"/terms/old", "unsafe link (1)"},
            {"terms.html", "unsafe link (1)"},
            {"//evil.example/x", "unsafe link (1)"},
            {"ftp://example.org/terms.txt", "unsafe link (1)"},
            {"", "unsafe link (1)"},
        };
        for (const auto& [href, reported] : refused) {
            assert_html_becomes("<p><a href=\"" + href + "\">read</a></p>", "<p>read</p>", {reported});
        }
    }

    void html_safe_links_are_kept_and_open_without_the_opener() {
        CPPUNIT_ASSERT_EQUAL(std::string("<p><a href=\"HTTPS://example.org/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">"
                                         "x</a></p>"),
                             from_html("<p><a href=\"HTTPS://example.org/a?b=1&amp;c=2\" target=\"_blank\" "
                                       "rel=\"opener\" title=\"t\">x</a></p>"));
        CPPUNIT_ASSERT_EQUAL(std::string("<p><a href=\"http://example.org\" rel=\"noopener noreferrer\">x</a></p>"),
                             from_html("<p><a href=\" \nhttp://example.org \">x</a></p>"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("<p><a href=\"MailTo:legal@example.org\" rel=\"noopener noreferrer\">mail</a></p>"),
            from_html("<p><a href=\"MailTo:legal@example.org\">mail</a></p>"));
        // A link without a target (an anchor) is only its text, and nothing is reported.
        assert_html_becomes("<p><a name=\"top\">Top</a></p>", "<p>Top</p>", {});
    }

    void html_images_svg_and_forms_go() {
        assert_html_becomes(
            "<p>A<img src=x onerror=alert(1)>B</p><svg><script>alert(2)</script><text>svg text</text></svg>"
            "<form action=\"https://evil.example\"><input name=p><button>Go</button></form>",
            "<p>AB</p>", {"img element (1)", "svg element (1)", "form element (1)"});
    }

    void html_unknown_tags_are_unwrapped_keeping_their_text() {
        assert_html_becomes(
            "<p><span class=\"x\">Hello</span> <font color=red>big</font> <custom-tag>world</custom-tag></p>"
            "<section><div><center>Section text</center></div></section>",
            "<p>Hello big world</p>Section text", {});
    }

    void html_headings_move_down_only_as_far_as_needed() {
        CPPUNIT_ASSERT_EQUAL(std::string("<h3>a</h3><h4>b</h4><h5>c</h5><h6>d</h6><h6>e</h6>"),
                             from_html("<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h6>e</h6>"));
        // A document starting at h2 starts at h3, with no level skipped below the page's h2.
        CPPUNIT_ASSERT_EQUAL(std::string("<h3>a</h3><h4>b</h4>"), from_html("<h2>a</h2><h3>b</h3>"));
        CPPUNIT_ASSERT_EQUAL(std::string("<h4>a</h4><h5>b</h5>"), from_html("<h4>a</h4><h5>b</h5>"));
        // An h1 the parser leaves inside an h3 still never comes out as h1.
        CPPUNIT_ASSERT_EQUAL(std::string("<h5>a<h3>b</h3></h5>"), from_html("<h3>a<h1>b</h1></h3>"));
        // A heading that is dropped (inside an svg) does not count.
        CPPUNIT_ASSERT_EQUAL(std::string("<h3>b</h3>"), from_html("<svg><h1>a</h1></svg><h2>b</h2>"));
    }

    void html_table_attributes_kept_only_when_plain() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("<table><tr><th scope=\"col\" colspan=\"2\">Fee</th></tr>"
                        "<tr><td rowspan=\"12\">a</td><td>b</td><td>c</td></tr></table>"),
            from_html("<table border=1><tr><th scope=COL colspan=2 width=10>Fee</th></tr>"
                      "<tr><td rowspan=12>a</td><td colspan=0>b</td><td rowspan=100 scope=row>c</td></tr></table>"));
    }

    void html_elements_left_empty_are_not_written() {
        CPPUNIT_ASSERT_EQUAL(std::string("<p>Text</p><table><tr><td></td></tr></table><hr>"),
                             from_html("<p><img src=logo.png></p><p>Text</p><p><b></b></p>"
                                       "<table><tr><td></td></tr></table><hr>"));
    }

    void text_is_escaped() {
        CPPUNIT_ASSERT_EQUAL(std::string("<p>5 &lt; 6 &amp; &quot;q&quot; &#39;s&#39; &lt;script&gt; "
                                         "&#123;&#123;x&#125;&#125; &gt;</p>"),
                             from_html("<p>5 &lt; 6 &amp; &quot;q&quot; 's' &#60;script&#62; {{x}} &gt;</p>"));
        CPPUNIT_ASSERT_EQUAL(std::string("<p>a &lt; b &amp; c &gt; d &amp;copy;</p>\n"),
                             from_markdown("a < b & c > d \\&copy;\n"));
        // A named entity is its character, written out as UTF-8.
        CPPUNIT_ASSERT_EQUAL(std::string("<p>\xc2\xa9 2024</p>"), from_html("<p>&copy; 2024</p>"));
    }

    void japanese_text_is_kept_byte_for_byte() {
        const std::string title = "利用規約";
        const std::string body =
            "本サービスをご利用いただく前に、以下の規約を必ずお読みください。「同意する」を押すと、"
            "本規約に同意したものとみなされます。";
        CPPUNIT_ASSERT_EQUAL("<h3>" + title + "</h3>\n<p>" + body + "</p>\n",
                             from_markdown("# " + title + "\n\n" + body + "\n"));
        // The UTF-8 that was checked stands, whatever the document claims to be.
        assert_html_becomes("<meta charset=\"Shift_JIS\"><h1>" + title + "</h1><p>" + body + "</p>",
                            "<h3>" + title + "</h3><p>" + body + "</p>", {"meta element (1)"});
    }

    void unclosed_nested_tags_come_out_balanced() {
        for (const char* source :
             {"<ul><li><b>one<li><i>two<p>three", "<p><em><strong>x</em>y", "<table><tr><td>a<td>b",
              "<blockquote><p>quote<pre><code>code", "<h1>a<h2>b", "<dl><dt>a<dd>b<dt>c",
              "<p><span><table><tr><td>x</td></tr></table></span></p>", "</p></b>text</i>"}) {
            const std::string html = from_html(source);
            CPPUNIT_ASSERT_MESSAGE(source + std::string(" -> ") + html, is_balanced(html));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("<p><em><strong>x</strong></em>y</p>"), from_html("<p><em><strong>x</em>y"));
    }

    void sanitizing_the_output_again_changes_nothing() {
        const std::vector<std::pair<std::string, TermsFormat>> documents = {
            {"# T\n\n## S\n\n> quote\n\n```\ncode <b>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- "
             "[x](https://e.org)\n",
             TermsFormat::markdown},
            {"<div>Leading text</div><p>para</p>", TermsFormat::html},
            {"<p><span><table><tr><td>x</td></tr></table></span></p>", TermsFormat::html},
            {"<b><div><p>bold block</p></div></b>", TermsFormat::html},
            {"<ul><li><b>one<li><i>two<p>three", TermsFormat::html},
            {"<h2>a</h2><section><h5>b</h5></section>", TermsFormat::html},
            {"<pre>\n\nindented\n  text</pre>", TermsFormat::html},
            {"<a href=\"https://e.org\"><a href=\"https://f.org\">nested</a></a>", TermsFormat::html},
            {"<table><caption>c</caption><thead><tr><th scope=col>h</th></tr></thead><tbody><tr><td>d</td></tr>"
             "</tbody><tfoot><tr><td>f</td></tr></tfoot></table>",
             TermsFormat::html},
            {"text <br> more <hr> after &nbsp; {{x}} &amp;", TermsFormat::html},
        };
        for (const auto& [source, format] : documents) {
            const SafeTermsHtml once = safe_terms_html(source, format);
            const SafeTermsHtml twice = safe_terms_html(once.html, TermsFormat::html);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(source, once.html, twice.html);
            CPPUNIT_ASSERT_MESSAGE(source, twice.removed.empty());
        }
    }

    void invalid_utf8_is_refused() {
        for (const TermsFormat format : {TermsFormat::markdown, TermsFormat::html}) {
            CPPUNIT_ASSERT(throws_invalid_argument("Caf\xe9 terms", format));        // Latin-1
            CPPUNIT_ASSERT(throws_invalid_argument("<p>\xed\xa0\x80</p>", format));  // a surrogate
            CPPUNIT_ASSERT(throws_invalid_argument("\xc3", format));                 // cut short
        }
        try {
            safe_terms_html("Caf\xe9", TermsFormat::html);
            CPPUNIT_FAIL("Latin-1 is no UTF-8");
        } catch (const std::invalid_argument& error) {
            CPPUNIT_ASSERT(contains(error.what(), "UTF-8"));
        }
    }

    void documents_with_nothing_visible_are_refused() {
        for (const TermsFormat format : {TermsFormat::markdown, TermsFormat::html}) {
            for (const char* source : {"", "   \n\t\r\n", "\xc2\xa0\xe3\x80\x80", "<script>alert(1)</script>",
                                       "<img src=terms.png>", "<!-- nothing -->", "<p> </p><hr>"}) {
                CPPUNIT_ASSERT_MESSAGE(source, throws_invalid_argument(source, format));
            }
        }
        CPPUNIT_ASSERT(throws_invalid_argument("<p>&nbsp;</p><div><span> </span></div>", TermsFormat::html));
        try {
            safe_terms_html("<script>alert(1)</script>", TermsFormat::html);
            CPPUNIT_FAIL("a script alone is no terms document");
        } catch (const std::invalid_argument& error) {
            CPPUNIT_ASSERT_EQUAL(std::string("the terms document has no visible text once cleaned (removed: script "
                                             "element (1))"),
                                 std::string(error.what()));
        }
    }

    // libxml2 stops at 256 levels; what came after would be lost without a word.
    void documents_too_deep_to_read_whole_are_refused() {
        std::string deep_but_readable;
        for (int level = 0; level < 200; ++level) deep_but_readable += "<b>";
        CPPUNIT_ASSERT(contains(from_html(deep_but_readable + "end"), "end"));
        std::string too_deep;
        for (int level = 0; level < 300; ++level) too_deep += "<b>";
        CPPUNIT_ASSERT(throws_invalid_argument(too_deep + "end", TermsFormat::html));
        std::string quoted_too_deep(300, '>');
        CPPUNIT_ASSERT(throws_invalid_argument(quoted_too_deep + " end\n", TermsFormat::markdown));
    }

    void removed_list_counts_each_kind() {
        CPPUNIT_ASSERT(
            removed_from_html("<script>a</script><script>b</script><p onclick=x>text</p>"
                              "<a href=\"javascript:x\">y</a><img src=x><p onclick=z>more</p>") ==
            (Removed{"script element (2)", "onclick attribute (2)", "javascript: link (1)", "img element (1)"}));
        // The parser's own head: what was in it is reported, not the head.
        CPPUNIT_ASSERT(removed_from_html("<html><head><title>T</title><style>x</style></head><body onload=go()>"
                                         "<p>t</p></body></html>") ==
                       (Removed{"title element (1)", "style element (1)", "onload attribute (1)"}));
        // Harmless attributes, comments and a doctype go without a word.
        CPPUNIT_ASSERT(
            removed_from_html("<!DOCTYPE html><!-- c --><p class=\"lead\" id=\"x\" lang=\"en\">t</p>").empty());
    }

    // Vectors from OWASP's XSS Filter Evasion Cheat Sheet and well-known mutation XSS payloads.
    void attack_corpus_leaves_nothing_executable() {
        const std::vector<std::string> corpus = {
            "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
            "<IMG SRC=\"javascript:alert('XSS');\">",
            "<IMG SRC=JaVaScRiPt:alert('XSS')>",
            "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;"
            "&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
            "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
            "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
            "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
            "<a href=\"jav&#x09;ascript:alert('XSS');\">tab</a>",
            "<a href=\"jav&#x0A;ascript:alert('XSS');\">newline</a>",
            "<a href=\" &#14;  javascript:alert('XSS');\">control</a>",
            "<a href=\"&#x6A;avascript&colon;alert(1)\">entity colon</a>",
            "<SCRIPT/XSS SRC=\"http://xss.example/xss.js\"></SCRIPT>",
            "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>body",
            "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
            "<SCRIPT SRC=http://xss.example/xss.js?< B >",
            "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
            "<svg/onload=alert('XSS')>",
            "<BODY BACKGROUND=\"javascript:alert('XSS')\">background",
            "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">div</DIV>",
            "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TD STYLE=\"x:expression(alert(1))\">cell</TD></TABLE>",
            "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
            "<STYLE>@import'http://xss.example/xss.css';</STYLE>",
            "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.example/scriptlet.html\"></OBJECT>",
            "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
            "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
            "<xss onfocus=alert(1) autofocus tabindex=1>focus</xss>",
            "<details open ontoggle=alert(1)>toggle</details>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
            "<form><button formaction=javascript:alert(1)>go</button></form>",
            "<![CDATA[<script>alert(1)</script>]]>",
            "<p>safe</p><!--><script>alert(1)</script>-->",
            "<a href=\"https://ok.example\" onclick=\"alert(1)\" style=\"position:fixed\">styled</a>",
        };
        CPPUNIT_ASSERT(corpus.size() >= 15);
        for (const std::string& vector : corpus) {
            for (const TermsFormat format : {TermsFormat::html, TermsFormat::markdown}) {
                std::string html;
                try {
                    html = safe_terms_html(vector, format).html;
                } catch (const std::invalid_argument&) {
                    continue;  // nothing visible left: refused, nothing stored
                }
                // Markdown that is not valid raw HTML stays as escaped text, words like "javascript:"
                // included; there, only the tags are searched.
                std::string searched;
                for (const std::string& tag : tags_of(ascii_lower(html))) searched += tag;
                if (format == TermsFormat::html) searched = ascii_lower(html);
                const std::string context = vector + " -> " + html;
                for (const char* banned : {"<script", "javascript:", "style=", "<img", "<iframe", "<svg"}) {
                    CPPUNIT_ASSERT_MESSAGE(context, !contains(searched, banned));
                }
                for (const std::string& tag : tags_of(ascii_lower(html)))
                    CPPUNIT_ASSERT_MESSAGE(context, !contains(tag, " on"));
                CPPUNIT_ASSERT_MESSAGE(context, is_balanced(html));
            }
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TermsDocumentTest);
