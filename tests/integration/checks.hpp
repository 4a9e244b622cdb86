// Assertions shared by the integration suites: cookies, security headers, login page, HTML bits.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness.hpp"
#include "http_client.hpp"

namespace it {

constexpr const char* kSessionCookie = "myaccount_session";

bool contains(const std::string& hay, const std::string& needle);
bool contains_ci(const std::string& hay, const std::string& needle);
std::string lower(std::string s);
bool is_base64url(const std::string& s);
double median(std::vector<double> v);
bool ends_with(const std::string& s, const std::string& tail);
// Without the line breaks at its end (what sqlite3 prints after a value).
std::string trimmed(std::string text);

struct SetCookie {
    std::string raw;
    std::string name;
    std::string value;
    std::map<std::string, std::string> attrs;  // lower-cased attribute name -> value ("" for flags)
    bool has(const std::string& attr) const { return attrs.count(attr) > 0; }
    bool clears() const;  // empty value, Max-Age<=0 or an Expires in the past
};

std::optional<SetCookie> parse_set_cookie(const std::string& header_value);
// The last Set-Cookie for name in the response, if any.
std::optional<SetCookie> find_set_cookie(const Response& r, const std::string& name);

// The value of <input ... name="NAME" ... value="..."> (either attribute order), or "".
std::string input_value(const std::string& html, const std::string& name);
// Whether the HTML has an element with attribute name="NAME".
bool has_named_field(const std::string& html, const std::string& name);
// The action="..." of the first <form> that posts, or "".
std::string form_action(const std::string& html);
std::string csrf_from_html(const std::string& html);

// HD-1, CSRF-4, SS-9: CSP (default-src 'none', frame-ancestors 'none', no 'unsafe-inline'),
// X-Frame-Options DENY, nosniff, Referrer-Policy, Cache-Control no-store. Throws a CppUnit
// failure naming every missing piece.
void assert_security_headers(const Response& r, const std::string& context);
// 401 with the mod_auth_form login form (fields httpd_username/password/location -> /login.do).
void assert_login_page(const Response& r, const std::string& context);
// A sign-in answered with a redirect and a fresh myaccount_session cookie in the browser's jar.
void assert_signed_in(const Response& r, const Browser& b, const std::string& context);

// A redirect's Location as a path: "http://127.0.0.1:PORT" dropped when it is absolute on this host.
std::string location_path(const Response& r);
// GET path (asserting 200) for the form token on it (asserting there is one).
std::string csrf_of(Browser& b, const std::string& path);
// The JSON API's token for X-CSRF-Token, from GET /myaccount/api/v1/me (asserting 200).
std::string api_token(Browser& b);

// --- Security info (the e-mail methods a self-service reset proves), through its pages.

// The reset flow's cookie (Path=/myaccount/reset).
constexpr const char* kResetCookie = "myaccount_reset";

// Markup without the optional line breaks (<wbr>) that addresses and user IDs carry: an address
// as a reader sees it, to look for it (or make sure it is gone).
std::string without_wbr(std::string html);

// GET /myaccount/security for its form token, then POST /security/email {csrf, address,
// current_password}: the page with the code form (200), or the refusal.
Response add_email(Browser& b, const std::string& address, const std::string& password);
// POST /security/email/verify with the csrf and challenge of `code_page` (add_email's 200 page).
Response verify_email(Browser& b, const Response& code_page, const std::string& code);
// add_email, the code the notifier got for address, verify_email: asserts each step
// (200, a message with a code, 303 to /myaccount/security?added=1, the address listed).
void register_email(Environment& env, Browser& b, const std::string& address, const std::string& password);
// The value of the remove form's "method" field that follows `address` on the security page, or "".
std::string method_id_on_page(const std::string& html, const std::string& address);

// CSRF-1/CSRF-3: POST `fields` to `path` without a token, with a wrong one, and with the right
// one (`csrf`) sent by another site (Sec-Fetch-Site, Origin): each is refused with 403.
void assert_post_needs_token(Browser& b, const std::string& path, const Fields& fields, const std::string& csrf);

// --- 2-step verification.

// What an authenticator app shows for this base32 secret `offset` seconds from now, from the
// `oathtool` command (never our own TOTP code); asserts it printed six digits.
std::string oathtool_code(const std::string& secret, long offset = 0);
// The secret an authenticator's set-up page shows for typing ("ABCD EFGH ..."), without its
// spaces; "" when the page shows none.
std::string totp_secret_on(const std::string& html);

// POST /security/phone {number as typed, mobile}, the code the notifier got for `e164`, POST
// /security/phone/verify: asserts each step (200, a text message, 303 to ?added=phone).
void register_phone(Environment& env, Browser& b, const std::string& typed, const std::string& e164);

// What a person enrolled: the authenticator's secret, and recovery codes (and an app password)
// when asked for.
struct Enrolled {
    std::string secret;
    std::vector<std::string> recovery_codes;
    std::string app_password;
};
// With a signed-in browser: adds an authenticator app through the security pages, proven with
// oathtool, and (when asked) a set of recovery codes; asserts each step.
Enrolled enrol_authenticator(Browser& b, bool recovery_codes);
// Sleeps into the next 30-second step (plus a second), so that codes of the step a set-up used
// are behind every authenticator.
void wait_for_next_step();

// Every http(s) URL in text.
std::vector<std::string> urls_in(const std::string& text);

// --- The self-service reset flow, step by step (the browser keeps the flow's cookie).

// A 303 whose Location is `path` (relative, or absolute on this server).
void assert_see_other(const Response& r, const std::string& path, const std::string& context);
// The flow's form token as its verify page (or, once proven, its password page) shows it; "" when
// neither shows one (a start-again page).
std::string flow_csrf(Browser& b, const Headers& headers = {});
// GET /myaccount/reset for the form's token, POST the user ID.
Response start_reset(Browser& b, const std::string& username, const Headers& headers = {});
Response send_code(Browser& b, const std::string& address, const Headers& headers = {});
Response enter_code(Browser& b, const std::string& code);
Response choose_password(Browser& b, const std::string& next, const std::string& confirmation);
// POST /reset/send for address (a registered one): asserts the 303 and returns the code mailed.
std::string request_code(Environment& env, Browser& b, const std::string& address);
// Start, send, enter the code: the browser stands at /reset/password. Returns the code.
std::string prove(Environment& env, Browser& b, const std::string& user, const std::string& address);

// One request from each browser at the same moment (a thread each, released together);
// `meanwhile` runs on this thread as they go. The answers, in the browsers' order.
std::vector<Response> all_at_once(std::vector<std::unique_ptr<Browser>>& browsers,
                                  const std::function<Response(Browser&, int)>& request,
                                  const std::function<void()>& meanwhile = [] {});

// The demo's Basic pages once more at /basic-cached/, through httpd's credential cache
// (mod_authn_socache, AuthnCacheProvideFor myaccount), as the README shows it.
inline constexpr const char* kCachedBasicPage = "/basic-cached/index.html";
std::string credential_cache_directives();

}  // namespace it
