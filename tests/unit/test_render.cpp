// Page rendering with the shipped templates: escaping, no template injection, CSP-safe markup,
// the sign-in form contract, thread safety and load-time errors.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "web/profile_view.hpp"
#include "web/render.hpp"

using myaccount::web::break_points;
using myaccount::web::Renderer;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

const std::string kTemplatesDir = MYACCOUNT_SOURCE_DIR "/templates";

json layout_view(const std::string& lang, bool signed_in) {
    return {{"lang", lang},
            {"issuer", "Example Corp"},
            {"page_title", "Profile"},
            {"base", "/myaccount"},
            {"signed_in", signed_in},
            {"user_display_name", "Alice Example"},
            {"username", "alice"},
            {"csrf_token", "tok123"},
            {"nav_profile", true},
            {"nav_security", false},
            {"nav_password", false},
            {"nav_devices", false},
            {"nav_organizations", false},
            {"nav_terms", false}};
}

json profile_view(const std::string& lang, const std::string& display_name) {
    auto view = layout_view(lang, true);
    view["user_display_name"] = display_name;
    view["display_name"] = display_name;
    view["initials"] = "AE";
    view["job_title"] = "Engineer";
    view["office"] = "Tokyo 12F";
    view["username_parts"] = break_points("alice");
    view["emails"] = json::array({{{"address_parts", break_points("alice@example.com")}, {"primary", true}},
                                  {{"address_parts", break_points("a.example@example.org")}, {"primary", false}}});
    view["organizations"] = json::array(
        {{{"name", "Example Corp"}, {"domain", "example.com"}, {"home", true}, {"guest", false},
          {"role_member", true}, {"role_guest", false}, {"role_custom", ""}},
         {{"name", "Partner KK"}, {"domain", "partner.example"}, {"home", false}, {"guest", true},
          {"role_member", false}, {"role_guest", false}, {"role_custom", ""}}});
    view["features"] = myaccount::web::portal_features();
    view["has_organizations"] = true;
    view["photo_url"] = "/myaccount/photo";
    return view;
}

json login_view(const std::string& lang) {
    auto view = layout_view(lang, false);
    view["page_title"] = "Sign in";
    view["action"] = "/login.do";
    view["location"] = "/myaccount/";
    view["failed"] = true;
    view["signed_out"] = true;
    view["expired"] = true;
    return view;
}

json error_view(const std::string& lang) {
    auto view = layout_view(lang, true);
    view["status"] = 404;
    view["title"] = "Page not found";
    view["message"] = "The page you are looking for doesn't exist.";
    return view;
}

// The self-service reset page at one stage; every stage uses the same form token.
json reset_view(const std::string& lang, const std::string& stage) {
    auto view = layout_view(lang, false);
    view["page_title"] = "Reset your password";
    view["form_token"] = "flowtok";
    view["stage_" + stage] = true;
    return view;
}

json security_view(const std::string& lang) {
    auto view = layout_view(lang, true);
    view["nav_profile"] = false;
    view["nav_security"] = true;
    const std::string email = lang == "ja" ? "メール" : "E-mail";
    view["methods"] = json::array(
        {{{"id", 7}, {"kind_text", email}, {"described_by", "method-kind-7 method-7"}, {"is_email", true}, {"can_rename", true},
          {"name_parts", break_points("alice@example.com")}, {"added_text", "Added 2024-05-01"}},
         {{"id", 9}, {"kind_text", email}, {"described_by", "method-kind-9 method-9"}, {"is_email", true}, {"can_rename", true},
          {"name_parts", break_points("alice@home.example")}, {"added_text", "Added 2024-06-02"}}});
    view["has_methods"] = true;
    view["reset_enabled"] = true;
    view["can_add"] = true;
    view["reset_ready"] = true;
    view["reset_status_text"] = "1 of 1 required methods registered";
    return view;
}

json register_view(const std::string& lang) {
    auto view = layout_view(lang, true);
    view["nav_profile"] = false;
    view["can_postpone"] = true;
    view["next"] = "/myaccount/devices";
    view["interrupt"] = true;
    view["postpones_left_text"] = "You can put this off 2 more times.";
    return view;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// The security page's "we sent a code to {address}" sentence, as the page handler shapes it.
json code_sent(const std::string& before, const std::string& address, const std::string& after) {
    return {{"before", before}, {"address_parts", break_points(address)}, {"after", after}};
}

// An address as the pages show it: a line may break after each '@' and '.'.
std::string wrapped(const std::string& address) {
    return std::regex_replace(address, std::regex("([@.])"), "$1<wbr>");
}

// The opening tag of the form posting to action, through its closing tag.
std::string form_for(const std::string& html, const std::string& action) {
    const auto start = html.find("action=\"" + action + "\"");
    if (start == std::string::npos) return {};
    const auto end = html.find("</form>", start);
    return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
    return n;
}

// A copy of the shipped templates that a test may break.
class TemplateCopy {
public:
    TemplateCopy() {
        std::string pattern = (fs::temp_directory_path() / "myaccount-tmpl-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
        fs::copy(kTemplatesDir, path_, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    }
    ~TemplateCopy() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TemplateCopy(const TemplateCopy&) = delete;
    TemplateCopy& operator=(const TemplateCopy&) = delete;
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
    }
    void remove(const std::string& name) const { fs::remove(path_ / name); }
    std::string path() const { return path_.string(); }

private:
    fs::path path_;
};

std::string load_error(const std::string& dir) {
    try {
        Renderer::load(dir);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return {};
}

// The template a named view of japanese_views() renders: "reset:verify" -> "reset".
std::string page_of(const std::string& name) { return name.substr(0, name.find(':')); }

// The literal runs of a catalog message between its {placeholders}, trimmed.
std::vector<std::string> literal_fragments(const std::string& message) {
    std::vector<std::string> fragments;
    for (const std::string& piece : {std::regex_replace(message, std::regex(R"(\{[a-z_]+\})"), "\x1f")}) {
        std::size_t start = 0;
        while (start <= piece.size()) {
            std::size_t end = piece.find('\x1f', start);
            if (end == std::string::npos) end = piece.size();
            std::string part = piece.substr(start, end - start);
            const auto first = part.find_first_not_of(" \n");
            const auto last = part.find_last_not_of(" \n");
            if (first != std::string::npos) fragments.push_back(part.substr(first, last - first + 1));
            start = end + 1;
        }
    }
    return fragments;
}

// What a reader gets from a page: its text and the texts of alt, aria-label, title and
// placeholder attributes, with character references decoded.
std::string visible_text(const std::string& html) {
    std::string text;
    static const std::regex spoken(R"re(\s(?:alt|aria-label|title|placeholder)="([^"]*)")re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), spoken); it != std::sregex_iterator(); ++it)
        text += (*it)[1].str() + "\n";
    text += std::regex_replace(html, std::regex("<[^>]*>"), "\n");
    for (const auto& [reference, character] : std::vector<std::pair<std::string, std::string>>{
             {"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&#123;", "{"}, {"&#125;", "}"}, {"&amp;", "&"}}) {
        for (auto at = text.find(reference); at != std::string::npos; at = text.find(reference, at + 1))
            text.replace(at, reference.size(), character);
    }
    return text;
}

}  // namespace

class RenderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RenderTest);
    CPPUNIT_TEST(loads_shipped_templates_and_static_files);
    CPPUNIT_TEST(profile_shows_the_view);
    CPPUNIT_TEST(profile_escapes_markup_in_user_data);
    CPPUNIT_TEST(user_data_is_never_template_syntax);
    CPPUNIT_TEST(attribute_values_are_escaped);
    CPPUNIT_TEST(layout_signed_in_has_nav_and_signout_form);
    CPPUNIT_TEST(login_has_the_form_contract);
    CPPUNIT_TEST(login_shows_only_requested_messages);
    CPPUNIT_TEST(pages_are_csp_safe_and_self_contained);
    CPPUNIT_TEST(japanese_pages_are_japanese);
    CPPUNIT_TEST(error_page_renders_status);
    CPPUNIT_TEST(error_page_shows_an_optional_link);
    CPPUNIT_TEST(login_offers_reset_when_enabled);
    CPPUNIT_TEST(reset_start_has_the_form_contract);
    CPPUNIT_TEST(reset_verify_shows_the_code_form_once_requested);
    CPPUNIT_TEST(reset_password_stage_has_the_form_contract);
    CPPUNIT_TEST(reset_expired_and_limited_stages);
    CPPUNIT_TEST(reset_escapes_hostile_values);
    CPPUNIT_TEST(security_lists_methods_with_remove_forms);
    CPPUNIT_TEST(security_shows_add_or_code_form);
    CPPUNIT_TEST(security_escapes_hostile_values);
    CPPUNIT_TEST(register_offers_setup_and_postponing);
    CPPUNIT_TEST(register_says_when_not_now_runs_out);
    CPPUNIT_TEST(register_page_has_no_side_navigation);
    CPPUNIT_TEST(profile_links_only_to_pages_that_exist);
    CPPUNIT_TEST(profile_roles_in_the_readers_language);
    CPPUNIT_TEST(error_page_offers_to_reload_the_form);
    CPPUNIT_TEST(reset_steps_and_typed_values);
    CPPUNIT_TEST(favicon_is_served_and_linked);
    CPPUNIT_TEST(japanese_pages_have_no_english_from_the_catalog);
    CPPUNIT_TEST(templates_use_only_catalog_keys);
    CPPUNIT_TEST(avatar_svg_renders);
    CPPUNIT_TEST(unknown_template_or_bad_view_throws);
    CPPUNIT_TEST(concurrent_rendering_is_identical);
    CPPUNIT_TEST(missing_template_is_named);
    CPPUNIT_TEST(broken_template_is_named);
    CPPUNIT_TEST(unsafe_constructs_are_refused);
    CPPUNIT_TEST(missing_directory_is_named);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { renderer_ = Renderer::load(kTemplatesDir); }
    void tearDown() override { renderer_.reset(); }

    void loads_shipped_templates_and_static_files() {
        const auto* css = renderer_->static_file("myaccount.css");
        CPPUNIT_ASSERT(css != nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("text/css; charset=utf-8"), css->content_type);
        CPPUNIT_ASSERT(contains(css->bytes, "Hiragino Sans"));
        CPPUNIT_ASSERT(renderer_->static_file("../i18n/en.json") == nullptr);
        CPPUNIT_ASSERT(renderer_->static_file("nope.css") == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("Sign out"), renderer_->catalogs().text("en", "sign_out"));
    }

    void profile_shows_the_view() {
        const auto html = renderer_->render_page("profile", "en", profile_view("en", "Alice Example"));
        CPPUNIT_ASSERT(contains(html, "<!DOCTYPE html>"));
        CPPUNIT_ASSERT(contains(html, "<html lang=\"en\">"));
        CPPUNIT_ASSERT(contains(html, "href=\"/myaccount/static/myaccount.css\""));
        CPPUNIT_ASSERT(contains(html, "Example Corp"));
        CPPUNIT_ASSERT(contains(html, ">" + wrapped("alice@example.com") + "<"));
        CPPUNIT_ASSERT(contains(html, ">" + wrapped("a.example@example.org") + "<"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, ">Primary<"));
        CPPUNIT_ASSERT(contains(html, "Tokyo 12F"));
        CPPUNIT_ASSERT(contains(html, "Engineer"));
        CPPUNIT_ASSERT(contains(html, "Partner KK"));
        CPPUNIT_ASSERT(contains(html, ">Guest<"));
        CPPUNIT_ASSERT(contains(html, "src=\"/myaccount/photo\" alt=\"Profile photo\""));
        for (const char* link : {"/myaccount/password\"", "/myaccount/security\"", "/myaccount/\""}) {
            CPPUNIT_ASSERT_MESSAGE(link, contains(html, std::string("href=\"") + link));
        }
        CPPUNIT_ASSERT(contains(html, "managed by your organization"));
        // The page body sits inside the layout's main landmark exactly once.
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, "<main"));
        CPPUNIT_ASSERT(html.find("<main") < html.find("class=\"page-title\""));

        auto view = profile_view("en", "Alice Example");
        view["job_title"] = "";
        view["office"] = nullptr;
        view["has_organizations"] = false;
        view["organizations"] = json::array();
        const auto sparse = renderer_->render_page("profile", "en", view);
        CPPUNIT_ASSERT(!contains(sparse, ">Job title<"));
        CPPUNIT_ASSERT(!contains(sparse, ">Office<"));
        CPPUNIT_ASSERT(contains(sparse, "not a member of any organization"));
    }

    void profile_escapes_markup_in_user_data() {
        const std::string evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        auto view = profile_view("en", evil);
        view["job_title"] = "</p><b>boss</b>";
        view["emails"][0]["address_parts"] = break_points("\"><svg onload=alert(3)>@example.com");
        view["emails"][1]["address_parts"] = break_points("a<wbr>b{{t.app_name}}@x.y");
        view["username_parts"] = break_points("<u>x</u>.y");
        view["organizations"][0]["name"] = "<iframe src=//evil>";
        const auto html = renderer_->render_page("profile", "en", view);
        CPPUNIT_ASSERT(!contains(html, "<script"));
        CPPUNIT_ASSERT(!contains(html, "<img src=x"));
        CPPUNIT_ASSERT(!contains(html, "<b>boss"));
        CPPUNIT_ASSERT(!contains(html, "<svg onload"));
        CPPUNIT_ASSERT(!contains(html, "<iframe"));
        CPPUNIT_ASSERT(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
        CPPUNIT_ASSERT(contains(html, "&quot;&gt;&lt;svg onload=alert(3)&gt;@<wbr>example.<wbr>com"));
        // Only the template's own <wbr> is markup: the same text in user data stays text.
        CPPUNIT_ASSERT(contains(html, ">a&lt;wbr&gt;b&#123;&#123;t.<wbr>app_name&#125;&#125;@<wbr>x.<wbr>y<"));
        CPPUNIT_ASSERT(contains(html, ">&lt;u&gt;x&lt;/u&gt;.<wbr>y<"));
        CPPUNIT_ASSERT(!contains(html, "<u>"));
    }

    void user_data_is_never_template_syntax() {
        const std::string name = "{{t.app_name}} {{{body}}} {{#signed_in}}x{{/signed_in}} {{>layout}}";
        const auto plain = renderer_->render_page("profile", "en", profile_view("en", "Alice"));
        const auto html = renderer_->render_page("profile", "en", profile_view("en", name));
        // Shown literally (braces as character references), never expanded.
        CPPUNIT_ASSERT(contains(html, "&#123;&#123;t.app_name&#125;&#125; &#123;&#123;&#123;body&#125;&#125;&#125;"));
        CPPUNIT_ASSERT(!contains(html, "{{"));
        CPPUNIT_ASSERT_EQUAL(count(plain, "My Account"), count(html, "My Account"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, "<!DOCTYPE"));
        // Nor in the login page's attribute values or the SVG avatar.
        auto login = login_view("en");
        login["location"] = "{{t.sign_in}}";
        const auto login_html = renderer_->render_page("login", "en", login);
        CPPUNIT_ASSERT(contains(login_html, "value=\"&#123;&#123;t.sign_in&#125;&#125;\""));
        const auto svg = renderer_->render("avatar.svg", "en",
                                           {{"initials", "{{t.app_name}}"}, {"background", "#000000"}, {"foreground", "#ffffff"}});
        CPPUNIT_ASSERT(!contains(svg, "My Account"));
    }

    void attribute_values_are_escaped() {
        auto view = profile_view("en", "Alice");
        view["csrf_token"] = "\" autofocus onfocus=\"alert(1)";
        view["base"] = "/my'account";
        const auto html = renderer_->render_page("profile", "en", view);
        CPPUNIT_ASSERT(contains(html, "value=\"&quot; autofocus onfocus=&quot;alert(1)\""));
        CPPUNIT_ASSERT(!contains(html, "onfocus=\"alert"));
        CPPUNIT_ASSERT(contains(html, "href=\"/my&#39;account/password\""));
    }

    void layout_signed_in_has_nav_and_signout_form() {
        auto view = profile_view("en", "Alice Example");
        view["nav_profile"] = false;
        view["nav_security"] = true;
        const auto html = renderer_->render_page("profile", "en", view);
        CPPUNIT_ASSERT(contains(html, "<nav"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, "aria-current=\"page\""));
        CPPUNIT_ASSERT(contains(html, "href=\"/myaccount/security\" aria-current=\"page\""));
        const std::regex signout(R"re(<form[^>]*method="post"[^>]*action="/myaccount/signout"[^>]*>\s*<input type="hidden" name="csrf" value="tok123">)re");
        CPPUNIT_ASSERT(std::regex_search(html, signout));
        CPPUNIT_ASSERT(contains(html, "Alice Example"));
        CPPUNIT_ASSERT(contains(html, "href=\"#main\""));
        CPPUNIT_ASSERT(contains(html, "id=\"main\""));

        const auto login = renderer_->render_page("login", "en", login_view("en"));
        CPPUNIT_ASSERT(!contains(login, "<nav"));
        CPPUNIT_ASSERT(!contains(login, "/signout"));
        CPPUNIT_ASSERT(!contains(login, "tok123"));
    }

    void login_has_the_form_contract() {
        const auto html = renderer_->render_page("login", "en", login_view("en"));
        CPPUNIT_ASSERT(contains(html, "method=\"post\" action=\"/login.do\""));
        const std::regex user(R"re(<input[^>]*name="httpd_username"[^>]*autocomplete="username"[^>]*autofocus)re");
        const std::regex pass(R"re(<input[^>]*name="httpd_password"[^>]*type="password"[^>]*autocomplete="current-password")re");
        const std::regex location(R"re(<input type="hidden" name="httpd_location" value="/myaccount/">)re");
        CPPUNIT_ASSERT(std::regex_search(html, user));
        CPPUNIT_ASSERT(std::regex_search(html, pass));
        CPPUNIT_ASSERT(std::regex_search(html, location));
        CPPUNIT_ASSERT(contains(html, "<label for=\"httpd_username\">User ID</label>"));
        CPPUNIT_ASSERT(contains(html, "<label for=\"httpd_password\">Password</label>"));
        CPPUNIT_ASSERT(!contains(html, "autocomplete=\"off\""));
        CPPUNIT_ASSERT(!contains(html, "onpaste"));
    }

    void login_shows_only_requested_messages() {
        auto view = login_view("en");
        auto html = renderer_->render_page("login", "en", view);
        CPPUNIT_ASSERT(contains(html, "The user ID or password is incorrect, or the account cannot sign in right now."));
        CPPUNIT_ASSERT(contains(html, "You have signed out."));
        CPPUNIT_ASSERT(contains(html, "Your session has ended. Please sign in again."));
        view["failed"] = false;
        view["signed_out"] = false;
        view["expired"] = false;
        html = renderer_->render_page("login", "en", view);
        CPPUNIT_ASSERT(!contains(html, "incorrect"));
        CPPUNIT_ASSERT(!contains(html, "signed out"));
        CPPUNIT_ASSERT(!contains(html, "session has ended"));
        CPPUNIT_ASSERT(!contains(html, "role=\"alert\""));
    }

    void pages_are_csp_safe_and_self_contained() {
        std::vector<std::string> pages;
        for (const char* lang : {"en", "ja"}) {
            pages.push_back(renderer_->render_page("profile", lang, profile_view(lang, "Alice")));
            pages.push_back(renderer_->render_page("login", lang, login_view(lang)));
            pages.push_back(renderer_->render_page("error", lang, error_view(lang)));
            auto signed_out_error = error_view(lang);
            signed_out_error["signed_in"] = false;
            pages.push_back(renderer_->render_page("error", lang, signed_out_error));
            for (const char* stage : {"start", "verify", "password", "expired", "limited"}) {
                auto view = reset_view(lang, stage);
                view["code_requested"] = true;
                pages.push_back(renderer_->render_page("reset", lang, view));
            }
            auto security = security_view(lang);
            pages.push_back(renderer_->render_page("security", lang, security));
            security["stage_code"] = true;
            pages.push_back(renderer_->render_page("security", lang, security));
            pages.push_back(renderer_->render_page("register", lang, register_view(lang)));
        }
        const std::regex inline_handler(R"re(\son[a-z]+\s*=)re", std::regex::icase);
        for (const auto& html : pages) {
            CPPUNIT_ASSERT(!contains(html, "style="));
            CPPUNIT_ASSERT(!contains(html, "<style"));
            CPPUNIT_ASSERT(!contains(html, "<script"));
            CPPUNIT_ASSERT(!contains(html, "http://"));
            CPPUNIT_ASSERT(!contains(html, "https://"));
            CPPUNIT_ASSERT(!contains(html, "javascript:"));
            CPPUNIT_ASSERT(!std::regex_search(html, inline_handler));
            CPPUNIT_ASSERT(contains(html, "<meta name=\"viewport\""));
            CPPUNIT_ASSERT(contains(html, "<meta charset=\"utf-8\">"));
        }
        // The stylesheet loads only icons that ship beside it: every url() is a relative
        // "icons/NAME.svg" that the renderer serves, never another host or a data: URL.
        const auto& css = renderer_->static_file("myaccount.css")->bytes;
        CPPUNIT_ASSERT(!contains(css, "@import"));
        static const std::regex any_url(R"(url\(\s*([^)]*)\))");
        static const std::regex local_icon(R"re("icons/[a-z-]+\.svg")re");
        std::size_t urls = 0;
        for (auto it = std::sregex_iterator(css.begin(), css.end(), any_url); it != std::sregex_iterator(); ++it) {
            const std::string target = (*it)[1].str();
            CPPUNIT_ASSERT_MESSAGE("url(" + target + ") is not a local icon", std::regex_match(target, local_icon));
            const std::string file = target.substr(1, target.size() - 2);
            CPPUNIT_ASSERT_MESSAGE(file + " is not served", renderer_->static_file(file) != nullptr);
            ++urls;
        }
        CPPUNIT_ASSERT(urls > 0);
    }

    void japanese_pages_are_japanese() {
        const auto profile = renderer_->render_page("profile", "ja", profile_view("ja", "山田 太郎"));
        CPPUNIT_ASSERT(contains(profile, "<html lang=\"ja\">"));
        CPPUNIT_ASSERT(contains(profile, "山田 太郎"));
        for (const char* text : {"プロファイル", "セキュリティ情報", "パスワードの変更", "アカウントの管理", "サインアウト"}) {
            CPPUNIT_ASSERT_MESSAGE(text, contains(profile, text));
        }
        CPPUNIT_ASSERT(!contains(profile, "プロフィール"));  // the seed's word is プロファイル
        CPPUNIT_ASSERT(!contains(profile, "Sign out"));
        const auto login = renderer_->render_page("login", "ja", login_view("ja"));
        CPPUNIT_ASSERT(contains(login, "サインイン"));
        CPPUNIT_ASSERT(contains(login, "ユーザー ID"));
        auto security = security_view("ja");
        security["reset_ready"] = false;
        const auto security_html = renderer_->render_page("security", "ja", security);
        for (const char* text : {"本人確認の方法", "メール アドレスの追加", "現在のパスワード", "削除", "未設定"}) {
            CPPUNIT_ASSERT_MESSAGE(text, contains(security_html, text));
        }
        const auto reset = renderer_->render_page("reset", "ja", reset_view("ja", "start"));
        CPPUNIT_ASSERT(contains(reset, "パスワードのリセット"));
        for (const auto* html : {&security_html, &reset}) {
            for (const char* english : {">Remove<", ">Send code<", ">Next<", "Verification methods", "Not set up"}) {
                CPPUNIT_ASSERT_MESSAGE(english, !contains(*html, english));
            }
        }
        // An unknown language renders English.
        const auto fallback = renderer_->render_page("login", "fr", login_view("fr"));
        CPPUNIT_ASSERT(contains(fallback, ">Sign in<"));
    }

    void error_page_renders_status() {
        const auto html = renderer_->render_page("error", "en", error_view("en"));
        CPPUNIT_ASSERT(contains(html, "404"));
        CPPUNIT_ASSERT(contains(html, "Page not found"));
        CPPUNIT_ASSERT(contains(html, "doesn&#39;t exist"));
        CPPUNIT_ASSERT(contains(html, "href=\"/myaccount/\""));
    }

    void error_page_shows_an_optional_link() {
        auto view = error_view("en");
        auto html = renderer_->render_page("error", "en", view);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, "class=\"btn btn-primary\""));
        view["link_url"] = "/myaccount/security";
        view["link_text"] = "Try another <address>";
        html = renderer_->render_page("error", "en", view);
        CPPUNIT_ASSERT(contains(html, "href=\"/myaccount/security\">Try another &lt;address&gt;</a>"));
        CPPUNIT_ASSERT(contains(html, "class=\"btn btn-secondary\" href=\"/myaccount/\""));
    }

    void login_offers_reset_when_enabled() {
        auto view = login_view("en");
        auto html = renderer_->render_page("login", "en", view);
        CPPUNIT_ASSERT(!contains(html, "/myaccount/reset"));
        CPPUNIT_ASSERT(!contains(html, "password was reset"));
        view["reset_enabled"] = true;
        view["password_reset"] = true;
        html = renderer_->render_page("login", "en", view);
        CPPUNIT_ASSERT(contains(html, "<a href=\"/myaccount/reset\">Forgot your password?</a>"));
        CPPUNIT_ASSERT(contains(html, "Your password was reset. Sign in with your new password."));
        // The link sits under the form, not inside it.
        CPPUNIT_ASSERT(html.find("/myaccount/reset") > html.find("</form>"));
        const auto ja = renderer_->render_page("login", "ja", view);
        CPPUNIT_ASSERT(contains(ja, "パスワードをお忘れの場合"));
    }

    void reset_start_has_the_form_contract() {
        const auto html = renderer_->render_page("reset", "en", reset_view("en", "start"));
        CPPUNIT_ASSERT(!contains(html, "<nav"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, "<form"));
        const auto form = form_for(html, "/myaccount/reset");
        CPPUNIT_ASSERT(contains(form, "<input type=\"hidden\" name=\"csrf\" value=\"flowtok\">"));
        const std::regex user(R"re(<input[^>]*name="username"[^>]*autocomplete="username"[^>]*required autofocus)re");
        CPPUNIT_ASSERT(std::regex_search(form, user));
        CPPUNIT_ASSERT(contains(html, ">Reset your password<"));
        CPPUNIT_ASSERT(!contains(html, "role=\"alert\""));
    }

    void reset_verify_shows_the_code_form_once_requested() {
        auto view = reset_view("en", "verify");
        view["step_text"] = "Step 1 of 2";
        auto html = renderer_->render_page("reset", "en", view);
        CPPUNIT_ASSERT(contains(html, "Step 1 of 2"));
        CPPUNIT_ASSERT(form_for(html, "/myaccount/reset/code").empty());
        auto send = form_for(html, "/myaccount/reset/send");
        CPPUNIT_ASSERT(contains(send, "name=\"csrf\" value=\"flowtok\""));
        const std::regex address(R"re(<input[^>]*name="address"[^>]*type="email"[^>]*autocomplete="email"[^>]*required autofocus>)re");
        CPPUNIT_ASSERT(std::regex_search(send, address));
        CPPUNIT_ASSERT(contains(html, "href=\"/myaccount/reset\">Start again<"));
        CPPUNIT_ASSERT(!contains(html, "role=\"alert\""));
        CPPUNIT_ASSERT(!contains(html, "role=\"status\""));

        view["code_requested"] = true;
        view["sent_text"] = "If a@example.com is registered for this account, we have sent a code to it.";
        view["delivery_failed"] = true;
        view["error_text"] = "That code is wrong or has expired.";
        html = renderer_->render_page("reset", "en", view);
        const auto code_form = form_for(html, "/myaccount/reset/code");
        CPPUNIT_ASSERT(contains(code_form, "name=\"csrf\" value=\"flowtok\""));
        const std::regex code(R"re(<input[^>]*name="code"[^>]*inputmode="numeric"[^>]*autocomplete="one-time-code"[^>]*pattern="\[0-9\]\{8\}"[^>]*maxlength="8"[^>]*required autofocus)re");
        CPPUNIT_ASSERT(std::regex_search(code_form, code));
        // Only the code field takes the focus once a code is on its way; the send form stays.
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, "autofocus"));
        CPPUNIT_ASSERT(contains(form_for(html, "/myaccount/reset/send"), "name=\"csrf\" value=\"flowtok\""));
        CPPUNIT_ASSERT(contains(html, "we have sent a code"));
        CPPUNIT_ASSERT(contains(html, "We could not send a code."));
        CPPUNIT_ASSERT(contains(html, "<p id=\"reset-error\" class=\"alert alert-error\" role=\"alert\">That code is wrong"));
    }

    void reset_password_stage_has_the_form_contract() {
        auto view = reset_view("en", "password");
        view["username"] = "alice";
        view["min_length_hint"] = "At least 12 characters.";
        auto html = renderer_->render_page("reset", "en", view);
        const auto form = form_for(html, "/myaccount/reset/password");
        CPPUNIT_ASSERT(contains(form, "<input type=\"hidden\" name=\"csrf\" value=\"flowtok\">"));
        CPPUNIT_ASSERT(contains(form, "value=\"alice\" autocomplete=\"username\" readonly"));
        const std::regex pass(R"re(<input[^>]*name="new_password"[^>]*type="password"[^>]*autocomplete="new-password")re");
        const std::regex confirm(R"re(<input[^>]*name="confirm_password"[^>]*type="password"[^>]*autocomplete="new-password")re");
        CPPUNIT_ASSERT(std::regex_search(form, pass));
        CPPUNIT_ASSERT(std::regex_search(form, confirm));
        CPPUNIT_ASSERT(contains(html, "At least 12 characters."));
        CPPUNIT_ASSERT(!contains(html, "role=\"alert\""));
        view["has_errors"] = true;
        view["errors"] = json::array({{{"text", "Too short."}}, {{"text", "Too common."}}});
        html = renderer_->render_page("reset", "en", view);
        CPPUNIT_ASSERT(contains(html, "<li>Too short.</li>"));
        CPPUNIT_ASSERT(contains(html, "<li>Too common.</li>"));
        CPPUNIT_ASSERT(contains(html, "aria-describedby=\"new-password-hint reset-errors\""));
    }

    void reset_expired_and_limited_stages() {
        const auto expired = renderer_->render_page("reset", "en", reset_view("en", "expired"));
        CPPUNIT_ASSERT(contains(expired, "has expired or was already used"));
        CPPUNIT_ASSERT(contains(expired, "href=\"/myaccount/reset\""));
        CPPUNIT_ASSERT(!contains(expired, "<form"));
        const auto limited = renderer_->render_page("reset", "en", reset_view("en", "limited"));
        CPPUNIT_ASSERT(contains(limited, "Too many requests. Try again later."));
        CPPUNIT_ASSERT(!contains(limited, "<form"));
        const auto ja = renderer_->render_page("reset", "ja", reset_view("ja", "limited"));
        CPPUNIT_ASSERT(contains(ja, "しばらくしてから"));
    }

    void reset_escapes_hostile_values() {
        const std::string evil = "\"><script>alert(1)</script>{{t.app_name}}";
        auto view = reset_view("en", "password");
        view["username"] = evil;
        view["form_token"] = evil;
        auto html = renderer_->render_page("reset", "en", view);
        CPPUNIT_ASSERT(!contains(html, "<script"));
        CPPUNIT_ASSERT(!contains(html, "{{"));
        CPPUNIT_ASSERT(contains(html, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#123;&#123;t.app_name&#125;&#125;\" autocomplete=\"username\""));
        view = reset_view("en", "verify");
        view["code_requested"] = true;
        view["sent_text"] = "If " + evil + "@example.com is registered";
        view["error_text"] = evil;
        view["step_text"] = evil;
        html = renderer_->render_page("reset", "en", view);
        CPPUNIT_ASSERT(!contains(html, "<script"));
        CPPUNIT_ASSERT(!contains(html, "{{"));
        CPPUNIT_ASSERT(contains(html, "If &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    void security_lists_methods_with_remove_forms() {
        auto html = renderer_->render_page("security", "en", security_view("en"));
        CPPUNIT_ASSERT(contains(html, "href=\"/myaccount/security\" aria-current=\"page\""));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, "aria-current=\"page\""));
        const std::regex remove(
            R"re(<form class="method-remove" method="post" action="/myaccount/security/methods/remove">\s*<input type="hidden" name="csrf" value="tok123">\s*<input type="hidden" name="method" value="(7|9)">)re");
        std::size_t forms = 0;
        for (auto it = std::sregex_iterator(html.begin(), html.end(), remove); it != std::sregex_iterator(); ++it) ++forms;
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, forms);
        CPPUNIT_ASSERT(contains(html, "<span id=\"method-7\" class=\"method-address email\">" + wrapped("alice@example.com") + "</span>"));
        CPPUNIT_ASSERT(contains(html, wrapped("alice@home.example")));
        CPPUNIT_ASSERT(contains(html, "Added 2024-06-02"));
        CPPUNIT_ASSERT(contains(html, "1 of 1 required methods registered"));
        CPPUNIT_ASSERT(contains(html, "class=\"badge badge-success\">Ready<"));
        CPPUNIT_ASSERT(!contains(html, "role=\"alert\""));
        CPPUNIT_ASSERT(!contains(html, "was added"));
        CPPUNIT_ASSERT(!contains(html, "turned off"));

        auto view = security_view("en");
        view["reset_ready"] = false;
        view["done_text"] = "The e-mail address was added.";
        html = renderer_->render_page("security", "en", view);
        CPPUNIT_ASSERT(contains(html, "class=\"badge badge-warning\">Not set up<"));
        CPPUNIT_ASSERT(contains(html, "role=\"status\">The e-mail address was added.</p>"));

        // With reset off the list stays, the status goes and a note says why the list matters.
        view = security_view("en");
        view["reset_enabled"] = false;
        view["reset_off"] = true;
        html = renderer_->render_page("security", "en", view);
        CPPUNIT_ASSERT(contains(html, "turned off"));
        CPPUNIT_ASSERT(!contains(html, "required methods registered"));
        CPPUNIT_ASSERT(contains(html, wrapped("alice@home.example")));

        view["methods"] = json::array();
        view["has_methods"] = false;
        html = renderer_->render_page("security", "en", view);
        CPPUNIT_ASSERT(contains(html, "No verification method is registered yet."));
        CPPUNIT_ASSERT(form_for(html, "/myaccount/security/methods/remove").empty());
    }

    void security_shows_add_or_code_form() {
        auto view = security_view("en");
        auto html = renderer_->render_page("security", "en", view);
        const auto add = form_for(html, "/myaccount/security/email");
        CPPUNIT_ASSERT(contains(add, "<input type=\"hidden\" name=\"csrf\" value=\"tok123\">"));
        const std::regex address(R"re(<input[^>]*name="address"[^>]*type="email"[^>]*autocomplete="email"[^>]*required)re");
        const std::regex pass(R"re(<input[^>]*name="current_password"[^>]*type="password"[^>]*autocomplete="current-password"[^>]*required)re");
        CPPUNIT_ASSERT(std::regex_search(add, address));
        CPPUNIT_ASSERT(std::regex_search(add, pass));

        // No notifier configured: no form that could only fail, and a word why.
        view["can_add"] = false;
        const auto unavailable = renderer_->render_page("security", "en", view);
        CPPUNIT_ASSERT(!contains(unavailable, "action=\"/myaccount/security/email\""));
        CPPUNIT_ASSERT(contains(unavailable, "Adding an address is not available here"));
        CPPUNIT_ASSERT(contains(add, "needs your current password"));
        CPPUNIT_ASSERT(form_for(html, "/myaccount/security/email/verify").empty());

        view["stage_code"] = true;
        view["challenge"] = "ch-42";
        view["code_sent"] = code_sent("Enter the code we sent to ", "new@example.com", ". It expires in 15 minutes.");
        view["has_errors"] = true;
        view["errors"] = json::array({{{"text", "That code is wrong or has expired."}}});
        html = renderer_->render_page("security", "en", view);
        CPPUNIT_ASSERT(form_for(html, "/myaccount/security/email").empty());
        const auto verify = form_for(html, "/myaccount/security/email/verify");
        const std::regex hidden(
            R"re(<input type="hidden" name="csrf" value="tok123">\s*<input type="hidden" name="challenge" value="ch-42">)re");
        CPPUNIT_ASSERT(std::regex_search(verify, hidden));
        const std::regex code(R"re(<input[^>]*name="code"[^>]*inputmode="numeric"[^>]*autocomplete="one-time-code"[^>]*pattern="\[0-9\]\{8\}"[^>]*maxlength="8"[^>]*required)re");
        CPPUNIT_ASSERT(std::regex_search(verify, code));
        CPPUNIT_ASSERT(contains(html, "<p>Enter the code we sent to <span class=\"email\">" + wrapped("new@example.com") +
                                          "</span>. It expires in 15 minutes.</p>"));
        CPPUNIT_ASSERT(contains(html, "<li>That code is wrong or has expired.</li>"));
        // The list of methods stays visible beside the code form.
        CPPUNIT_ASSERT(contains(html, wrapped("alice@example.com")));
    }

    void security_escapes_hostile_values() {
        const std::string evil = "\"><svg onload=alert(1)>{{t.app_name}}@example.com";
        auto view = security_view("en");
        view["methods"][0]["name_parts"] = break_points(evil);
        view["methods"][0]["id"] = "1\" onclick=\"x";
        view["entered_address"] = evil;
        auto html = renderer_->render_page("security", "en", view);
        CPPUNIT_ASSERT(!contains(html, "<svg onload"));
        CPPUNIT_ASSERT(!contains(html, "{{"));
        CPPUNIT_ASSERT(!contains(html, "onclick=\""));
        CPPUNIT_ASSERT(contains(html, "&quot;&gt;&lt;svg onload=alert(1)&gt;&#123;&#123;t.<wbr>app_name&#125;&#125;@<wbr>example.<wbr>com"));
        CPPUNIT_ASSERT(contains(html, "value=\"&quot;&gt;&lt;svg onload=alert(1)&gt;&#123;&#123;t.app_name&#125;&#125;@example.com\""));
        CPPUNIT_ASSERT(contains(html, "name=\"method\" value=\"1&quot; onclick=&quot;x\""));
        view["stage_code"] = true;
        view["challenge"] = evil;
        view["code_sent"] = code_sent("Enter the code we sent to ", evil, "<b>");
        html = renderer_->render_page("security", "en", view);
        CPPUNIT_ASSERT(!contains(html, "<svg onload"));
        CPPUNIT_ASSERT(contains(html, "name=\"challenge\" value=\"&quot;&gt;&lt;svg"));
        CPPUNIT_ASSERT(contains(html, "Enter the code we sent to <span class=\"email\">&quot;&gt;&lt;svg"));
        CPPUNIT_ASSERT(contains(html, "</span>&lt;b&gt;</p>"));
    }

    void register_offers_setup_and_postponing() {
        auto view = register_view("en");
        auto html = renderer_->render_page("register", "en", view);
        CPPUNIT_ASSERT(contains(html, "<a class=\"btn btn-primary\" href=\"/myaccount/security\">Set up now</a>"));
        const auto postpone = form_for(html, "/myaccount/security/postpone");
        const std::regex hidden(
            R"re(<input type="hidden" name="csrf" value="tok123">\s*<input type="hidden" name="next" value="/myaccount/devices">)re");
        CPPUNIT_ASSERT(std::regex_search(postpone, hidden));
        CPPUNIT_ASSERT(contains(postpone, ">Not now</button>"));
        CPPUNIT_ASSERT(contains(html, "<p class=\"hint\">You can put this off 2 more times.</p>"));
        CPPUNIT_ASSERT(!contains(html, "no longer put this off"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, "action=\"/myaccount/signout\""));  // the top bar's only

        view["next"] = "\"><script>alert(1)</script>";
        html = renderer_->render_page("register", "en", view);
        CPPUNIT_ASSERT(!contains(html, "<script"));
        CPPUNIT_ASSERT(contains(html, "name=\"next\" value=\"&quot;&gt;&lt;script&gt;"));
        const auto ja = renderer_->render_page("register", "ja", register_view("ja"));
        CPPUNIT_ASSERT(contains(ja, "今すぐ設定"));
    }

    // Before the last "Not now" is used the page says it is the last; with none left it offers
    // only registering and signing out.
    void register_says_when_not_now_runs_out() {
        auto view = register_view("en");
        view["last_postpone"] = true;
        view["postpones_left_text"] = "This is the last time you can put this off.";
        auto html = renderer_->render_page("register", "en", view);
        CPPUNIT_ASSERT(contains(html, "<p class=\"alert alert-warning\">This is the last time you can put this off.</p>"));
        CPPUNIT_ASSERT(contains(form_for(html, "/myaccount/security/postpone"), ">Not now</button>"));

        view = register_view("en");
        view["can_postpone"] = false;
        view.erase("postpones_left_text");
        html = renderer_->render_page("register", "en", view);
        CPPUNIT_ASSERT(form_for(html, "/myaccount/security/postpone").empty());
        CPPUNIT_ASSERT(!contains(html, "Not now"));
        CPPUNIT_ASSERT(contains(html, "You can no longer put this off."));
        CPPUNIT_ASSERT(contains(html, "href=\"/myaccount/security\">Set up now</a>"));
        // Sign out twice: in the top bar and beside "Set up now"; both carry the token.
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, count(html, "action=\"/myaccount/signout\""));
        const std::regex signout(R"re(<form class="form-inline" method="post" action="/myaccount/signout">\s*<input type="hidden" name="csrf" value="tok123">\s*<button type="submit" class="btn btn-secondary">Sign out</button>)re");
        CPPUNIT_ASSERT(std::regex_search(html, signout));
    }

    // The prompt interrupts: no side navigation whose links would only lead back to it.
    void register_page_has_no_side_navigation() {
        const auto html = renderer_->render_page("register", "en", register_view("en"));
        CPPUNIT_ASSERT(!contains(html, "<nav"));
        CPPUNIT_ASSERT(contains(html, "class=\"content content-centered content-interrupt\""));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, count(html, "<main"));
        CPPUNIT_ASSERT(contains(html, "class=\"topbar-signout\""));
        auto with_nav = register_view("en");
        with_nav["interrupt"] = false;
        CPPUNIT_ASSERT(contains(renderer_->render_page("register", "en", with_nav), "<nav"));
    }

    // The manage area and the side navigation link every page of the account area; a page whose
    // feature flag is off has no link (the shipped flags are all on).
    void profile_links_only_to_pages_that_exist() {
        const auto html = renderer_->render_page("profile", "en", profile_view("en", "Alice Example"));
        for (const char* link : {"/devices\"", "/organizations\"", "/activity\"", "/terms\"", "/sign-out-everywhere\""})
            CPPUNIT_ASSERT_MESSAGE(link, contains(html, std::string("href=\"/myaccount") + link));
        CPPUNIT_ASSERT_EQUAL(std::size_t{7}, count(html, "class=\"tile\""));
        CPPUNIT_ASSERT_EQUAL(std::size_t{7}, count(html, "<li><a href=\"/myaccount/"));  // side navigation
        CPPUNIT_ASSERT(contains(html, ">View organizations</a>"));

        auto without_terms = profile_view("en", "Alice Example");
        without_terms["features"]["terms"] = false;
        const auto fewer = renderer_->render_page("profile", "en", without_terms);
        CPPUNIT_ASSERT(!contains(fewer, "href=\"/myaccount/terms"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{6}, count(fewer, "class=\"tile\""));

        const json shipped = myaccount::web::portal_features();
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, shipped.size());
        for (const char* feature : {"sign_out_everywhere", "devices", "organizations", "activity", "terms"})
            CPPUNIT_ASSERT_MESSAGE(feature, shipped.value(feature, false));
    }

    // Roles the admin CLI gives by default are words of the catalog; others are shown as typed.
    void profile_roles_in_the_readers_language() {
        auto view = profile_view("ja", "山田 花子");
        view["organizations"][1]["role_custom"] = "Team <lead>";
        auto html = renderer_->render_page("profile", "ja", view);
        CPPUNIT_ASSERT(contains(html, "example.com · メンバー<"));
        CPPUNIT_ASSERT(contains(html, "partner.example · Team &lt;lead&gt;<"));
        CPPUNIT_ASSERT(!contains(html, "Member"));
        view["organizations"][1]["role_custom"] = "";
        view["organizations"][1]["role_guest"] = true;
        html = renderer_->render_page("profile", "ja", view);
        CPPUNIT_ASSERT(contains(html, "partner.example · ゲスト<"));
        CPPUNIT_ASSERT(contains(renderer_->render_page("profile", "en", profile_view("en", "A")), "example.com · Member<"));
    }

    void error_page_offers_to_reload_the_form() {
        auto view = error_view("en");
        view["status"] = 403;
        view["title"] = "Access denied";
        view["message"] = renderer_->catalogs().text("en", "error_csrf");
        view["retry_url"] = "/myaccount/security?x=\"1\"";
        auto html = renderer_->render_page("error", "en", view);
        CPPUNIT_ASSERT(contains(html, "<a class=\"btn btn-primary\" href=\"/myaccount/security?x=&quot;1&quot;\">Reload the form</a>"));
        CPPUNIT_ASSERT(contains(html, "<a class=\"btn btn-secondary\" href=\"/myaccount/\">Back to My Account</a>"));
        CPPUNIT_ASSERT(contains(html, "Nothing was changed."));
        view.erase("retry_url");
        html = renderer_->render_page("error", "en", view);
        CPPUNIT_ASSERT(!contains(html, ">Reload the form</a>"));
        CPPUNIT_ASSERT(contains(html, "<a class=\"btn btn-primary\" href=\"/myaccount/\">Back to My Account</a>"));
        // The wording does not blame the reader.
        for (const char* key : {"error_csrf", "error_forbidden"}) {
            for (const char* blame : {"You don't have permission", "your fault", "You sent"}) {
                CPPUNIT_ASSERT_MESSAGE(key, !contains(renderer_->catalogs().text("en", key), blame));
            }
        }
    }

    // Every screen of the reset says which step it is; what was typed stays after an error.
    void reset_steps_and_typed_values() {
        auto start = reset_view("en", "start");
        start["step_text"] = "Step 1 of 3";
        start["error_text"] = "Enter your user ID.";
        start["entered_username"] = "al\"ice";
        auto html = renderer_->render_page("reset", "en", start);
        CPPUNIT_ASSERT(contains(html, "<p class=\"step\">Step 1 of 3</p>"));
        CPPUNIT_ASSERT(contains(form_for(html, "/myaccount/reset"), "value=\"al&quot;ice\""));
        CPPUNIT_ASSERT(contains(html, "aria-invalid=\"true\" aria-describedby=\"reset-error\""));

        auto verify = reset_view("en", "verify");
        verify["step_text"] = "Step 2 of 3";
        verify["error_text"] = "Enter a valid e-mail address.";
        verify["address_error"] = true;
        verify["entered_address"] = "alice@example";
        html = renderer_->render_page("reset", "en", verify);
        CPPUNIT_ASSERT(contains(html, "<p class=\"step\">Step 2 of 3</p>"));
        const std::regex kept(R"re(<input[^>]*name="address"[^>]*value="alice@example"[^>]*aria-invalid="true" aria-describedby="reset-error">)re");
        CPPUNIT_ASSERT(std::regex_search(form_for(html, "/myaccount/reset/send"), kept));

        auto password = reset_view("en", "password");
        password["step_text"] = "Step 3 of 3";
        password["username"] = "alice";
        CPPUNIT_ASSERT(contains(renderer_->render_page("reset", "en", password), "<p class=\"step\">Step 3 of 3</p>"));
        // No value attribute at all when nothing was typed.
        CPPUNIT_ASSERT(!contains(renderer_->render_page("reset", "en", reset_view("en", "start")), "value=\"\""));
    }

    void favicon_is_served_and_linked() {
        const auto* icon = renderer_->static_file("favicon.svg");
        CPPUNIT_ASSERT(icon != nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("image/svg+xml"), icon->content_type);
        CPPUNIT_ASSERT(icon->bytes.rfind("<svg", 0) == 0);
        CPPUNIT_ASSERT(!contains(icon->bytes, "<script"));
        for (const auto& html : {renderer_->render_page("profile", "en", profile_view("en", "A")),
                                 renderer_->render_page("login", "ja", login_view("ja"))}) {
            CPPUNIT_ASSERT(contains(html, "<link rel=\"icon\" href=\"/myaccount/static/favicon.svg\" type=\"image/svg+xml\">"));
        }
    }

    // The Japanese pages carry no English sentence of the catalog: every English message of four
    // characters or more that differs from its Japanese one is absent from the page's text.
    void japanese_pages_have_no_english_from_the_catalog() {
        const auto& catalogs = renderer_->catalogs();
        std::vector<std::pair<std::string, std::string>> pages;  // name, html
        for (const auto& [name, view] : japanese_views()) pages.emplace_back(name, renderer_->render_page(page_of(name), "ja", view));
        CPPUNIT_ASSERT(pages.size() >= 15);
        std::size_t checked = 0;
        for (const auto& [key, english] : catalogs.messages("en").items()) {
            const std::string ja = catalogs.text("ja", key);
            for (const std::string& fragment : literal_fragments(english.get<std::string>())) {
                if (fragment.size() < 4 || contains(ja, fragment)) continue;
                ++checked;
                for (const auto& [name, html] : pages) {
                    CPPUNIT_ASSERT_MESSAGE(name + " shows English \"" + fragment + "\" (" + key + ")",
                                           !contains(visible_text(html), fragment));
                }
            }
        }
        CPPUNIT_ASSERT(checked > 100);
    }

    // A {{t.key}} with no catalog entry renders as nothing, so check every template's keys here.
    void templates_use_only_catalog_keys() {
        const auto& en = renderer_->catalogs().messages("en");
        static const std::regex key(R"(\{\{[#^/]?\s*t\.([A-Za-z0-9_]+)\s*\}\})");
        std::size_t checked = 0;
        for (const auto& entry : fs::directory_iterator(kTemplatesDir)) {
            if (entry.path().extension() != ".mustache") continue;
            std::ifstream in(entry.path(), std::ios::binary);
            const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            for (auto it = std::sregex_iterator(text.begin(), text.end(), key); it != std::sregex_iterator(); ++it) {
                const std::string name = (*it)[1].str();
                CPPUNIT_ASSERT_MESSAGE(entry.path().filename().string() + ": t." + name, en.contains(name));
                ++checked;
            }
        }
        CPPUNIT_ASSERT(checked > 50);
    }

    void avatar_svg_renders() {
        const auto svg = renderer_->render("avatar.svg", "en",
                                           {{"initials", "山<"}, {"background", "#0f6cbd"}, {"foreground", "#ffffff"}});
        CPPUNIT_ASSERT(svg.rfind("<svg", 0) == 0);
        CPPUNIT_ASSERT(contains(svg, "viewBox=\"0 0 96 96\""));
        CPPUNIT_ASSERT(contains(svg, "fill=\"#0f6cbd\""));
        CPPUNIT_ASSERT(contains(svg, "fill=\"#ffffff\""));
        CPPUNIT_ASSERT(contains(svg, ">山&lt;</text>"));
        CPPUNIT_ASSERT(!contains(svg, "<!DOCTYPE"));
    }

    void unknown_template_or_bad_view_throws() {
        CPPUNIT_ASSERT_THROW(renderer_->render_page("nope", "en", layout_view("en", true)), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(renderer_->render("profile", "en", json::array()), std::invalid_argument);
    }

    void concurrent_rendering_is_identical() {
        const auto view = profile_view("ja", "山田 <太郎> {{t.app_name}}");
        const auto expected = renderer_->render_page("profile", "ja", view);
        const auto expected_login = renderer_->render_page("login", "en", login_view("en"));
        std::vector<int> mismatches(8, 0);
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < mismatches.size(); ++i) {
            threads.emplace_back([&, i] {
                for (int n = 0; n < 100; ++n) {
                    if (renderer_->render_page("profile", "ja", view) != expected) ++mismatches[i];
                    if (renderer_->render_page("login", "en", login_view("en")) != expected_login) ++mismatches[i];
                }
            });
        }
        for (auto& t : threads) t.join();
        for (const int m : mismatches) CPPUNIT_ASSERT_EQUAL(0, m);
    }

    void missing_template_is_named() {
        TemplateCopy copy;
        copy.remove("login.mustache");
        const auto error = load_error(copy.path());
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "login.mustache"));
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "missing"));
    }

    void broken_template_is_named() {
        TemplateCopy copy;
        copy.write("error.mustache", "<p>{{#x}}</p>\n");
        const auto error = load_error(copy.path());
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "error.mustache"));
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "does not parse"));
    }

    void unsafe_constructs_are_refused() {
        for (const char* text : {"{{>layout}}", "{{{display_name}}}", "{{& display_name}}", "{{=<% %>=}}"}) {
            TemplateCopy copy;
            copy.write("profile.mustache", text);
            const auto error = load_error(copy.path());
            CPPUNIT_ASSERT_MESSAGE(text, contains(error, "profile.mustache"));
            CPPUNIT_ASSERT_MESSAGE(text, contains(error, "not allowed") || contains(error, "allowed only"));
        }
        TemplateCopy copy;
        copy.write("static/evil.js", "alert(1)");
        CPPUNIT_ASSERT(contains(load_error(copy.path()), "evil.js"));
    }

    void missing_directory_is_named() {
        const auto error = load_error("/nonexistent/templates");
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "/nonexistent/templates"));
        TemplateCopy copy;
        fs::remove(fs::path(copy.path()) / "i18n" / "ja.json");
        CPPUNIT_ASSERT(contains(load_error(copy.path()), "ja.json"));
    }

private:
    // A Japanese catalog message with its placeholders filled.
    std::string ja(const std::string& key, const std::vector<std::pair<std::string, std::string>>& values = {}) const {
        std::string text = renderer_->catalogs().text("ja", key);
        for (const auto& [name, value] : values) {
            const std::string marker = "{" + name + "}";
            for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
                text.replace(at, marker.size(), value);
        }
        return text;
    }

    json ja_layout(json view, const std::string& title_key) const {
        view["page_title"] = ja(title_key);
        view["user_display_name"] = "山田 花子";
        view["issuer"] = "コントソ";
        return view;
    }

    json ja_errors(std::initializer_list<const char*> keys) const {
        json errors = json::array();
        for (const char* key : keys) errors.push_back({{"text", ja(key, {{"min", "12"}, {"max", "128"}})}});
        return {{"has_errors", true}, {"errors", errors}};
    }

    // Every page in every state, with the texts a handler would put in the view in Japanese.
    std::vector<std::pair<std::string, json>> japanese_views() const {
        std::vector<std::pair<std::string, json>> views;
        auto profile = ja_layout(profile_view("ja", "山田 花子"), "profile_title");
        profile["job_title"] = "人事部 マネージャー";
        profile["office"] = "東京本社 12F";
        profile["organizations"][1]["role_guest"] = true;
        for (const char* feature : {"devices", "organizations", "terms", "sign_out_everywhere"}) profile["features"][feature] = true;
        views.emplace_back("profile", profile);
        profile["emails"] = json::array();
        profile["organizations"] = json::array();
        profile["has_organizations"] = false;
        views.emplace_back("profile:empty", profile);

        auto login = ja_layout(login_view("ja"), "sign_in_title");
        for (const char* flag : {"password_changed", "password_reset", "form_expired", "reset_enabled"}) login[flag] = true;
        views.emplace_back("login", login);

        const std::vector<std::pair<const char*, const char*>> failures = {
            {"error_bad_request_title", "error_bad_request"}, {"error_unauthorized_title", "error_unauthorized"},
            {"error_forbidden_title", "error_forbidden"}, {"error_csrf_title", "error_csrf"},
            {"error_not_found_title", "error_not_found"}, {"error_method_title", "error_method"},
            {"error_unsupported_media_title", "error_unsupported_media"}, {"error_too_large_title", "error_too_large"},
            {"error_server_title", "error_server"}, {"password_external_title", "password_external"}};
        for (const auto& [title, message] : failures) {
            auto error = ja_layout(error_view("ja"), title);
            error["title"] = ja(title);
            error["message"] = ja(message);
            if (std::string(message) == "error_csrf") error["retry_url"] = "/myaccount/password";
            if (std::string(message) == "password_external") {
                error["link_url"] = "/idp/password";
                error["link_text"] = ja("password_external_link");
            }
            views.emplace_back(std::string("error:") + message, error);
            error["signed_in"] = false;
            views.emplace_back(std::string("error:") + message + ":signed-out", error);
        }

        auto password = ja_layout(layout_view("ja", true), "change_password");
        password.update(ja_errors({"password_error_required", "password_error_wrong_current", "password_error_locked",
                                   "password_error_mismatch", "password_rule_too_short", "password_rule_too_long",
                                   "password_rule_invalid_utf8", "password_rule_contains_nul", "password_rule_common",
                                   "password_rule_personal_info", "password_rule_same_as_current", "password_rule_reused"}));
        password["min_length_hint"] = ja("password_min_hint", {{"min", "12"}, {"max", "128"}});
        views.emplace_back("password", password);

        auto start = ja_layout(reset_view("ja", "start"), "reset_title");
        start["step_text"] = ja("reset_step", {{"step", "1"}, {"steps", "3"}});
        start["error_text"] = ja("reset_error_required");
        views.emplace_back("reset:start", start);
        auto verify = ja_layout(reset_view("ja", "verify"), "reset_title");
        verify["step_text"] = ja("reset_step", {{"step", "2"}, {"steps", "3"}});
        verify["code_requested"] = true;
        verify["delivery_failed"] = true;
        verify["sent_text"] = ja("reset_code_sent", {{"minutes", "15"}});
        verify["error_text"] = ja("reset_error_code");
        views.emplace_back("reset:verify", verify);
        auto reset_password = ja_layout(reset_view("ja", "password"), "reset_title");
        reset_password.update(ja_errors({"password_rule_common"}));
        reset_password["step_text"] = ja("reset_step", {{"step", "3"}, {"steps", "3"}});
        reset_password["username"] = "hanako";
        reset_password["min_length_hint"] = ja("password_min_hint", {{"min", "12"}, {"max", "128"}});
        views.emplace_back("reset:password", reset_password);
        for (const char* stage : {"expired", "limited"})
            views.emplace_back(std::string("reset:") + stage, ja_layout(reset_view("ja", stage), "reset_title"));

        auto security = ja_layout(security_view("ja"), "security_title");
        security["added"] = true;
        security["removed"] = true;
        security["reset_status_text"] = ja("security_reset_status", {{"have", "1"}, {"need", "1"}});
        for (auto& method : security["methods"]) method["added_text"] = ja("security_added_text", {{"date", "2024-05-01"}});
        views.emplace_back("security", security);
        auto code = security;
        security["reset_ready"] = false;
        security["reset_enabled"] = false;
        security["reset_off"] = true;
        security["can_add"] = false;
        views.emplace_back("security:off", security);
        code.update(ja_errors({"security_error_code", "security_error_limit", "security_error_duplicate"}));
        code["stage_code"] = true;
        const std::string sent = ja("security_code_sent", {{"minutes", "15"}});
        const auto at = sent.find("{address}");
        code["code_sent"] = code_sent(sent.substr(0, at), "hanako@example.com", sent.substr(at + 9));
        views.emplace_back("security:code", code);

        auto register_page = ja_layout(register_view("ja"), "register_title");
        register_page["postpones_left_text"] = ja("register_postpones_left", {{"count", "2"}});
        views.emplace_back("register", register_page);
        register_page["last_postpone"] = true;
        register_page["postpones_left_text"] = ja("register_postpone_last");
        views.emplace_back("register:last", register_page);
        register_page["can_postpone"] = false;
        views.emplace_back("register:required", register_page);
        return views;
    }

    std::shared_ptr<const Renderer> renderer_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RenderTest);
