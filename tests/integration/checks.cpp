// Shared assertions for the integration suites.
#include "checks.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <ctime>
#include <chrono>
#include <regex>
#include <thread>

#include <cppunit/TestAssert.h>

namespace it {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool contains_ci(const std::string& hay, const std::string& needle) { return contains(lower(hay), lower(needle)); }

bool is_base64url(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_';
    });
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string location_path(const Response& r) {
    std::string location = r.header("Location");
    const std::string host = "http://127.0.0.1:";
    if (location.rfind(host, 0) == 0) {
        const auto slash = location.find('/', host.size());
        location = slash == std::string::npos ? "/" : location.substr(slash);
    }
    return location;
}

namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

std::string regex_escape(const std::string& s) {
    static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
    return std::regex_replace(s, special, R"(\$&)");
}

}  // namespace

bool SetCookie::clears() const {
    if (value.empty()) return true;
    auto ma = attrs.find("max-age");
    if (ma != attrs.end()) {
        try {
            if (std::stol(ma->second) <= 0) return true;
        } catch (...) {
        }
    }
    auto ex = attrs.find("expires");
    if (ex != attrs.end()) {
        std::tm tm{};
        if (strptime(ex->second.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) != nullptr ||
            strptime(ex->second.c_str(), "%a, %d-%b-%Y %H:%M:%S", &tm) != nullptr) {
            if (timegm(&tm) < std::time(nullptr)) return true;
        }
    }
    return false;
}

std::optional<SetCookie> parse_set_cookie(const std::string& header_value) {
    SetCookie c;
    c.raw = header_value;
    std::size_t pos = 0;
    bool first = true;
    while (pos <= header_value.size()) {
        auto semi = header_value.find(';', pos);
        std::string part = trim(header_value.substr(pos, semi == std::string::npos ? std::string::npos : semi - pos));
        auto eq = part.find('=');
        if (first) {
            if (eq == std::string::npos) return std::nullopt;
            c.name = trim(part.substr(0, eq));
            c.value = trim(part.substr(eq + 1));
            first = false;
        } else if (!part.empty()) {
            std::string n = lower(trim(eq == std::string::npos ? part : part.substr(0, eq)));
            c.attrs[n] = eq == std::string::npos ? std::string() : trim(part.substr(eq + 1));
        }
        if (semi == std::string::npos) break;
        pos = semi + 1;
    }
    return c;
}

std::optional<SetCookie> find_set_cookie(const Response& r, const std::string& name) {
    std::optional<SetCookie> found;
    for (const auto& v : r.all("Set-Cookie")) {
        auto c = parse_set_cookie(v);
        if (c && c->name == name) found = c;
    }
    return found;
}

std::string input_value(const std::string& html, const std::string& name) {
    const std::regex tag("<input\\b[^>]*\\bname\\s*=\\s*[\"']" + regex_escape(name) + "[\"'][^>]*>",
                         std::regex::icase);
    std::smatch m;
    if (!std::regex_search(html, m, tag)) return {};
    const std::string t = m.str(0);
    static const std::regex value(R"(\bvalue\s*=\s*["']([^"']*)["'])", std::regex::icase);
    std::smatch v;
    return std::regex_search(t, v, value) ? v.str(1) : std::string();
}

bool has_named_field(const std::string& html, const std::string& name) {
    const std::regex attr("\\bname\\s*=\\s*[\"']" + regex_escape(name) + "[\"']", std::regex::icase);
    return std::regex_search(html, attr);
}

std::string form_action(const std::string& html) {
    static const std::regex form(R"(<form\b[^>]*>)", std::regex::icase);
    static const std::regex action(R"(\baction\s*=\s*["']([^"']*)["'])", std::regex::icase);
    static const std::regex post(R"(\bmethod\s*=\s*["']?post)", std::regex::icase);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), form); it != std::sregex_iterator(); ++it) {
        const std::string t = it->str(0);
        std::smatch a;
        if (std::regex_search(t, post) && std::regex_search(t, a, action)) return a.str(1);
    }
    return {};
}

std::string csrf_from_html(const std::string& html) { return input_value(html, "csrf"); }

void assert_security_headers(const Response& r, const std::string& context) {
    std::vector<std::string> problems;
    const auto csps = r.all("Content-Security-Policy");
    if (csps.empty()) {
        problems.push_back("no Content-Security-Policy");
    } else {
        bool default_none = false;
        bool frame_none = false;
        for (const auto& csp : csps) {
            if (contains(csp, "default-src 'none'")) default_none = true;
            if (contains(csp, "frame-ancestors 'none'")) frame_none = true;
            if (contains(csp, "'unsafe-inline'")) problems.push_back("CSP allows 'unsafe-inline': " + csp);
        }
        if (!default_none) problems.push_back("CSP lacks default-src 'none'");
        if (!frame_none) problems.push_back("CSP lacks frame-ancestors 'none'");
    }
    if (lower(r.header("X-Frame-Options")) != "deny")
        problems.push_back("X-Frame-Options is '" + r.header("X-Frame-Options") + "', want DENY");
    if (lower(r.header("X-Content-Type-Options")) != "nosniff")
        problems.push_back("X-Content-Type-Options is '" + r.header("X-Content-Type-Options") + "', want nosniff");
    if (r.header("Referrer-Policy").empty()) problems.push_back("no Referrer-Policy");
    bool no_store = false;
    for (const auto& cc : r.all("Cache-Control"))
        if (contains_ci(cc, "no-store")) no_store = true;
    if (!no_store) problems.push_back("Cache-Control lacks no-store");
    for (const char* once : {"Cache-Control", "Content-Security-Policy", "X-Frame-Options"})
        if (r.all(once).size() > 1) problems.push_back(std::string(once) + " sent more than once");
    if (r.has("Strict-Transport-Security")) problems.push_back("Strict-Transport-Security on plain http");
    const std::string type = lower(r.header("Content-Type"));
    if (type.rfind("text/html", 0) == 0 && !contains(type, "charset=utf-8"))
        problems.push_back("HTML Content-Type without charset=utf-8: " + r.header("Content-Type"));
    if (!problems.empty()) {
        std::string msg = context + ": security headers wrong:\n";
        for (const auto& p : problems) msg += "  - " + p + "\n";
        CPPUNIT_FAIL(msg + r.describe(300));
    }
}

void assert_login_page(const Response& r, const std::string& context) {
    std::vector<std::string> problems;
    if (r.status != 401) problems.push_back("status " + std::to_string(r.status) + ", want 401");
    if (!contains_ci(r.header("Content-Type"), "text/html")) problems.push_back("not text/html");
    for (const char* field : {"httpd_username", "httpd_password", "httpd_location"})
        if (!has_named_field(r.body, field)) problems.push_back(std::string("no field named ") + field);
    const std::string action = form_action(r.body);
    if (action.size() < 9 || action.compare(action.size() - 9, 9, "/login.do") != 0)
        problems.push_back("the POST form's action is '" + action + "', want /login.do");
    if (!problems.empty()) {
        std::string msg = context + ": not the login page:\n";
        for (const auto& p : problems) msg += "  - " + p + "\n";
        CPPUNIT_FAIL(msg + r.describe(1500));
    }
}

void assert_signed_in(const Response& r, const Browser& b, const std::string& context) {
    const bool redirect = r.status == 301 || r.status == 302 || r.status == 303;
    auto c = find_set_cookie(r, kSessionCookie);
    if (!redirect || !c || c->value.empty() || b.cookie(kSessionCookie).empty())
        CPPUNIT_FAIL(context + ": want a 301/302/303 redirect with Set-Cookie " + kSessionCookie + "\n" +
                     r.describe(1500));
}

Response add_email(Browser& b, const std::string& address, const std::string& password) {
    Response page = b.get("/myaccount/security");
    CPPUNIT_ASSERT_EQUAL_MESSAGE("GET /myaccount/security\n" + page.describe(), 200L, page.status);
    const std::string csrf = csrf_from_html(page.body);
    CPPUNIT_ASSERT_MESSAGE("no csrf field on the security page\n" + page.describe(4000), !csrf.empty());
    return b.post_form("/myaccount/security/email",
                       {{"csrf", csrf}, {"address", address}, {"current_password", password}});
}

Response verify_email(Browser& b, const Response& code_page, const std::string& code) {
    return b.post_form("/myaccount/security/email/verify", {{"csrf", csrf_from_html(code_page.body)},
                                                            {"challenge", input_value(code_page.body, "challenge")},
                                                            {"code", code}});
}

void register_email(Environment& env, Browser& b, const std::string& address, const std::string& password) {
    const std::size_t known = env.code_count(address);
    Response page = add_email(b, address, password);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("add " + address + "\n" + page.describe(3000), 200L, page.status);
    CPPUNIT_ASSERT_MESSAGE("no challenge field on the code page\n" + page.describe(4000),
                           !input_value(page.body, "challenge").empty());
    // The add-address code is sent before the page answers: no waiting should be needed.
    const std::string code = env.wait_for_code(address, known, 1);
    CPPUNIT_ASSERT_MESSAGE("no message with a code to " + address + " in " + env.notifications_file(), !code.empty());
    Response done = verify_email(b, page, code);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("verify " + address + "\n" + done.describe(3000), 303L, done.status);
    CPPUNIT_ASSERT_MESSAGE(done.describe(), contains(done.header("Location"), "/myaccount/security?added=1"));
    Response after = b.get("/myaccount/security");
    CPPUNIT_ASSERT_MESSAGE(address + " not listed after adding\n" + after.describe(6000),
                           !method_id_on_page(after.body, address).empty());
}

std::string csrf_of(Browser& b, const std::string& path) {
    Response page = b.get(path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(page.describe(3000), 200L, page.status);
    std::string csrf = csrf_from_html(page.body);
    CPPUNIT_ASSERT_MESSAGE("no csrf field on " + path, !csrf.empty());
    return csrf;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

std::string api_token(Browser& b) {
    Response me = b.get("/myaccount/api/v1/me");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(me.describe(), 200L, me.status);
    return nlohmann::json::parse(me.body).value("csrf_token", "");
}

void register_phone(Environment& env, Browser& b, const std::string& typed, const std::string& e164) {
    const std::size_t known = env.code_count(e164);
    Response page = b.post_form("/myaccount/security/phone", {{"csrf", csrf_of(b, "/myaccount/security/add")},
                                                              {"number", typed},
                                                              {"phone_type", "mobile"},
                                                              {"label", ""}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE("add " + typed + "\n" + page.describe(3000), 200L, page.status);
    const std::string code = env.wait_for_code(e164, known, 1);
    CPPUNIT_ASSERT_MESSAGE("no text message with a code to " + e164, !code.empty());
    Response done = b.post_form("/myaccount/security/phone/verify", {{"csrf", csrf_from_html(page.body)},
                                                                     {"challenge", input_value(page.body, "challenge")},
                                                                     {"phone_type", "mobile"},
                                                                     {"label", ""},
                                                                     {"code", code}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE("verify " + e164 + "\n" + done.describe(3000), 303L, done.status);
    CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security?added=phone"), location_path(done));
}

Enrolled enrol_authenticator(Browser& b, bool recovery_codes) {
    Response setup = b.post_form("/myaccount/security/authenticator",
                                 {{"csrf", csrf_of(b, "/myaccount/security/add")}, {"label", "Phone"}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(setup.describe(3000), 200L, setup.status);
    Enrolled enrolled;
    enrolled.secret = totp_secret_on(setup.body);
    CPPUNIT_ASSERT_MESSAGE("no secret on the set-up page\n" + setup.describe(6000), enrolled.secret.size() == 32);
    Response done =
        b.post_form("/myaccount/security/authenticator/confirm", {{"csrf", csrf_from_html(setup.body)},
                                                                  {"method", input_value(setup.body, "method")},
                                                                  {"code", oathtool_code(enrolled.secret)}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(done.describe(3000), 303L, done.status);
    if (!recovery_codes) return enrolled;
    Response shown = b.post_form("/myaccount/security/recovery-codes", {{"csrf", csrf_of(b, "/myaccount/security/add")}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.describe(3000), 200L, shown.status);
    static const std::regex code(R"re(<li><code class="secret" translate="no">([^<]+)</code></li>)re");
    for (auto it = std::sregex_iterator(shown.body.begin(), shown.body.end(), code); it != std::sregex_iterator(); ++it)
        enrolled.recovery_codes.push_back(it->str(1));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.describe(3000), std::size_t{10}, enrolled.recovery_codes.size());
    return enrolled;
}

void wait_for_next_step() {
    const std::time_t now = std::time(nullptr);
    std::this_thread::sleep_for(std::chrono::seconds(30 - now % 30 + 1));
}

std::string without_wbr(std::string html) {
    for (auto at = html.find("<wbr>"); at != std::string::npos; at = html.find("<wbr>", at)) html.erase(at, 5);
    return html;
}

std::string method_id_on_page(const std::string& html, const std::string& address) {
    const std::string page = without_wbr(html);
    const std::size_t at = page.find(">" + address + "<");
    if (at == std::string::npos) return {};
    static const std::regex method_field(R"(<input\b[^>]*\bname\s*=\s*["']method["'][^>]*>)", std::regex::icase);
    std::smatch m;
    const std::string rest = page.substr(at);
    if (!std::regex_search(rest, m, method_field)) return {};
    static const std::regex value(R"(\bvalue\s*=\s*["']([^"']*)["'])", std::regex::icase);
    const std::string tag = m.str(0);
    std::smatch v;
    return std::regex_search(tag, v, value) ? v.str(1) : std::string();
}

void assert_post_needs_token(Browser& b, const std::string& path, const Fields& fields, const std::string& csrf) {
    auto refused = [](const Response& r) { CPPUNIT_ASSERT_EQUAL_MESSAGE(r.describe(), 403L, r.status); };
    refused(b.post_form(path, fields));
    Fields wrong = fields;
    wrong.emplace_back("csrf", csrf + "x");
    refused(b.post_form(path, wrong));
    Fields with = fields;
    with.emplace_back("csrf", csrf);
    refused(b.post_form(path, with, {{"Sec-Fetch-Site", "cross-site"}}));
    refused(b.post_form(path, with, {{"Origin", "https://evil.example"}}));
}

std::vector<std::string> urls_in(const std::string& text) {
    static const std::regex url(R"(https?://[^\s<>"']+)", std::regex::icase);
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), url); it != std::sregex_iterator(); ++it)
        out.push_back(it->str(0));
    return out;
}

std::string oathtool_code(const std::string& secret, long offset) {
    std::vector<std::string> argv = {"oathtool", "--totp", "-b"};
    if (offset != 0) {
        std::time_t at = std::time(nullptr) + offset;
        char when[32];
        std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&at));
        argv.push_back(std::string("--now=") + when);
    }
    argv.push_back(secret);
    ProcessResult r = run_process(argv);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("oathtool: " + r.combined(), 0, r.exit_code);
    std::string code = r.out.substr(0, r.out.find_first_of("\r\n"));
    CPPUNIT_ASSERT_MESSAGE("oathtool printed '" + code + "'", std::regex_match(code, std::regex("[0-9]{6}")));
    return code;
}

std::string totp_secret_on(const std::string& html) {
    static const std::regex shown(R"re(<code class="secret" translate="no">([A-Z2-7 ]+)</code>)re");
    std::smatch m;
    if (!std::regex_search(html, m, shown)) return {};
    std::string secret = m.str(1);
    secret.erase(std::remove(secret.begin(), secret.end(), ' '), secret.end());
    return secret;
}

// A 303 whose Location is `path` (relative, or absolute on this server).
void assert_see_other(const Response& r, const std::string& path, const std::string& context) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + ": want 303 to " + path + "\n" + r.describe(2000), 303L, r.status);
    CPPUNIT_ASSERT_MESSAGE(context + ": Location should be " + path + "\n" + r.describe(), location_path(r) == path);
}

// The flow's form token as its verify page (or, once proven, its password page) shows it; "" when
// neither shows one (a start-again page).
std::string flow_csrf(Browser& b, const Headers& headers) {
    std::string token = csrf_from_html(b.get("/myaccount/reset/verify", headers).body);
    if (token.empty()) token = csrf_from_html(b.get("/myaccount/reset/password", headers).body);
    return token;
}

// GET /myaccount/reset for the form's token, POST the user ID.
Response start_reset(Browser& b, const std::string& username, const Headers& headers) {
    Response form = b.get("/myaccount/reset", headers);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("GET /myaccount/reset\n" + form.describe(), 200L, form.status);
    return b.post_form("/myaccount/reset", {{"csrf", csrf_from_html(form.body)}, {"username", username}}, headers);
}

Response send_code(Browser& b, const std::string& address, const Headers& headers) {
    return b.post_form("/myaccount/reset/send", {{"csrf", flow_csrf(b, headers)}, {"address", address}}, headers);
}

Response enter_code(Browser& b, const std::string& code) {
    return b.post_form("/myaccount/reset/code", {{"csrf", flow_csrf(b)}, {"code", code}});
}

Response choose_password(Browser& b, const std::string& next, const std::string& confirmation) {
    Response page = b.get("/myaccount/reset/password");
    const std::string csrf = page.status == 200 ? csrf_from_html(page.body) : flow_csrf(b);
    return b.post_form("/myaccount/reset/password",
                       {{"csrf", csrf}, {"new_password", next}, {"confirm_password", confirmation}});
}

// POST /reset/send for address (a registered one): asserts the 303 and returns the code mailed.
std::string request_code(Environment& env, Browser& b, const std::string& address) {
    const std::size_t known = env.code_count(address);
    assert_see_other(send_code(b, address), "/myaccount/reset/verify", "send a code to " + address);
    const std::string code = env.wait_for_code(address, known);
    CPPUNIT_ASSERT_MESSAGE("no code for " + address + " within 5 s in " + env.notifications_file(), !code.empty());
    return code;
}

// Start, send, enter the code: the browser stands at /reset/password. Returns the code.
std::string prove(Environment& env, Browser& b, const std::string& user, const std::string& address) {
    assert_see_other(start_reset(b, user), "/myaccount/reset/verify", "start a reset for " + user);
    const std::string code = request_code(env, b, address);
    assert_see_other(enter_code(b, code), "/myaccount/reset/password", "enter the code of " + user);
    return code;
}

std::vector<Response> all_at_once(std::vector<std::unique_ptr<Browser>>& browsers,
                                  const std::function<Response(Browser&, int)>& request,
                                  const std::function<void()>& meanwhile) {
    std::vector<Response> answers(browsers.size());
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < browsers.size(); ++i)
        threads.emplace_back([&, i] {
            while (!go) std::this_thread::yield();
            answers[i] = request(*browsers[i], static_cast<int>(i));
        });
    go = true;
    meanwhile();
    for (std::thread& t : threads) t.join();
    return answers;
}

std::string credential_cache_directives() {
    return "LoadModule socache_shmcb_module ${MYACCOUNT_HTTPD_MODULES}/mod_socache_shmcb.so\n"
           "LoadModule authn_socache_module ${MYACCOUNT_HTTPD_MODULES}/mod_authn_socache.so\n"
           "Alias /basic-cached/ \"${MYACCOUNT_DOCROOT}/basic/\"\n"
           "<Location /basic-cached/>\n"
           "    AuthType Basic\n"
           "    AuthName \"intranet (cached)\"\n"
           "    AuthBasicProvider myaccount\n"
           "    AuthnCacheProvideFor myaccount\n"
           "    AuthnCacheTimeout 300\n"
           "    Require valid-user\n"
           "</Location>\n";
}

}  // namespace it
