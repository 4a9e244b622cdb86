// Every way a password can be posted in a form is guarded alike: the front's login handler, an
// inline sign-in at any AuthType form location, a site's own login page; the same-site rule of
// web/request_origin.hpp decides, as a browser's Origin and Sec-Fetch-Site headers tell it.
#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;

namespace {

const char* const kBobPassword = "bob's password 42";

Fields credentials(const std::string& user, const std::string& password, const std::string& location) {
    return {{"httpd_username", user}, {"httpd_password", password}, {"httpd_location", location}};
}

bool got_session(const Response& r) { return find_set_cookie(r, kSessionCookie).has_value(); }

}  // namespace

class FormGuardTest : public ServerFixture<FormGuardTest> {
    CPPUNIT_TEST_SUITE(FormGuardTest);
    CPPUNIT_TEST(testInlineSignInFromAnotherSiteIsRefused);
    CPPUNIT_TEST(testInlineSignInWithNulByteIsRefused);
    CPPUNIT_TEST(testInlineSignInFromThisSiteAsksToRegisterFirst);
    CPPUNIT_TEST(testSiteLoginPageWithoutTokenNeedsBrowserSameOriginWord);
    CPPUNIT_TEST(testOurTokenIsRefusedFromAnotherSite);
    CPPUNIT_TEST(testNoLogoutByCrossSiteGet);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "formguard"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("bob", kBobPassword, "Bob Builder");
    }

    std::string own_origin() { return env().base_url(); }

    // No session starts, and the browser is not signed in afterwards. (mod_auth_form sends an
    // inline sign-in to its httpd_location even when it fails; that page then asks for a sign-in.)
    void assert_refused(const Response& r, Browser& b, const std::string& context) {
        CPPUNIT_ASSERT_MESSAGE(context + ": no session may start\n" + r.describe(), !got_session(r));
        IT_ASSERT_STATUS(b.get("/myaccount/api/v1/me"), 401);
        IT_ASSERT_STATUS(b.get("/app/"), 401);
    }

    void allow_failed_inline_sign_in_lines() {
        allow_failed_sign_in_lines();
        allow_log(R"(\[auth_form:error\] .*AH01807: user '.*': authentication failure for "/(app|myaccount)/[a-z0-9/]*": password Mismatch)");
    }

    // CSRF-6. The attack: a page on another site posts the attacker's credentials to any protected
    // URL of the intranet (not the login handler), the portal and its API included; the victim's
    // browser must not end up signed in as the attacker.
    void testInlineSignInFromAnotherSiteIsRefused() {
        allow_failed_inline_sign_in_lines();
        const Headers foreign[] = {{{"Origin", "https://evil.example"}},
                                   {{"Origin", "null"}},
                                   {{"Origin", own_origin()}, {"Sec-Fetch-Site", "cross-site"}},
                                   {{"Sec-Fetch-Site", "same-site"}},
                                   {}};  // a post that states no origin at all: no proof either
        for (const char* path : {"/app/", "/myaccount/", "/myaccount/api/v1/me"}) {
            for (const Headers& headers : foreign) {
                auto victim = fresh_browser();
                Response r = victim->post_form(path, credentials("bob", kBobPassword, "/app/"), headers);
                assert_refused(r, *victim, std::string("inline sign-in at ") + path + " with " +
                                               (headers.empty() ? "no headers" : headers[0].second));
            }
        }
    }

    // mod_auth_form passes the password on as a C string: "secret%00x" would be checked as "secret".
    void testInlineSignInWithNulByteIsRefused() {
        allow_failed_inline_sign_in_lines();
        auto b = fresh_browser();
        Response r = b->post_form("/app/", credentials("bob", std::string(kBobPassword) + '\0' + "anything", "/app/"),
                                  {{"Origin", own_origin()}});
        assert_refused(r, *b, "inline sign-in with a NUL byte");
        Response at_handler = b->post_form(
            "/login.do", credentials("bob", std::string(kBobPassword) + '\0' + "x", "/app/"), {{"Origin", own_origin()}});
        assert_refused(at_handler, *b, "login handler with a NUL byte");
        // httpd's form parser decodes a malformed escape unchecked: "%G0" reaches mod_auth_form as a NUL.
        const std::string disguised = Browser::urlencode({{"httpd_username", "bob"}, {"httpd_password", kBobPassword}}) +
                                      "%G0x&httpd_location=%2Fapp%2F";
        Response malformed = b->request("POST", "/login.do", disguised,
                                        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", own_origin()}});
        assert_refused(malformed, *b, "login handler with a NUL byte in a malformed escape");
    }

    // A same-origin inline sign-in works, and gets the same after-sign-in steps as the login page's:
    // alice has no reset method yet, so she is asked to register one first.
    void testInlineSignInFromThisSiteAsksToRegisterFirst() {
        auto b = fresh_browser();
        Response r = b->post_form("/app/", credentials("alice", kAlicePassword, "/app/"),
                                  {{"Origin", "null"}, {"Sec-Fetch-Site", "same-origin"}});
        CPPUNIT_ASSERT_MESSAGE("a session starts\n" + r.describe(), got_session(r));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.describe(), std::string("/myaccount/security/register?next=%2fapp%2f"),
                                     r.header("Location"));
        assert_security_headers(r, "inline sign-in redirect");
        IT_ASSERT_STATUS(b->get("/myaccount/api/v1/me"), 200);
        // An off-site target is rewritten like the login handler's.
        auto c = fresh_browser();
        Response off_site = c->post_form("/app/", credentials("bob", kBobPassword, "https://evil.example/"),
                                         {{"Origin", own_origin()}});
        CPPUNIT_ASSERT_MESSAGE(off_site.describe(), got_session(off_site));
        CPPUNIT_ASSERT_MESSAGE(off_site.describe(), !contains(off_site.header("Location"), "evil.example"));
        allow_log(R"(MYA0104: sign-in asked to go to 'https://evil\.example/')");
    }

    // A site's own login page (no login_csrf field) keeps working when the browser says it is
    // same-origin; without that word, or from elsewhere, it is refused.
    void testSiteLoginPageWithoutTokenNeedsBrowserSameOriginWord() {
        allow_failed_sign_in_lines();
        const Headers admitted[] = {{{"Origin", own_origin()}},
                                    {{"Origin", "null"}, {"Sec-Fetch-Site", "same-origin"}},
                                    {{"Origin", own_origin()}, {"Sec-Fetch-Site", "same-origin"}}};
        for (const Headers& headers : admitted) {
            auto b = fresh_browser();
            Response r = b->post_form("/login.do", credentials("bob", kBobPassword, "/app/"), headers);
            CPPUNIT_ASSERT_MESSAGE("site login page with " + headers.back().second + "\n" + r.describe(), got_session(r));
            // bob has no reset method yet: asked to register first, /app/ stays the destination.
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.describe(), std::string("/myaccount/security/register?next=%2fapp%2f"),
                                         r.header("Location"));
            IT_ASSERT_STATUS(b->get("/app/"), 200);
        }
        const Headers refused[] = {{},
                                   {{"Origin", "null"}},
                                   {{"Origin", "https://evil.example"}},
                                   {{"Sec-Fetch-Site", "same-site"}},
                                   {{"Origin", own_origin()}, {"Sec-Fetch-Site", "cross-site"}}};
        for (const Headers& headers : refused) {
            auto b = fresh_browser();
            Response r = b->post_form("/login.do", credentials("bob", kBobPassword, "/app/"), headers);
            assert_refused(r, *b, "site login page with " + (headers.empty() ? "no headers" : headers[0].second));
            CPPUNIT_ASSERT_MESSAGE("the page says the form was not accepted\n" + r.describe(),
                                   contains_ci(r.body, "expired"));
        }
    }

    // Our own sign-in page's token admits a post that states no origin (curl, old browsers) or
    // a same-origin one, never one the browser calls cross-site.
    void testOurTokenIsRefusedFromAnotherSite() {
        allow_failed_sign_in_lines();
        auto b = fresh_browser();
        std::string token = input_value(b->get("/myaccount/login").body, "login_csrf");
        CPPUNIT_ASSERT(!token.empty());
        Fields fields = credentials("bob", kBobPassword, "/app/");
        fields.emplace_back("login_csrf", token);
        for (const Headers& headers : {Headers{{"Origin", "https://evil.example"}}, Headers{{"Origin", "null"}},
                                       Headers{{"Sec-Fetch-Site", "cross-site"}}})
            assert_refused(b->post_form("/login.do", fields, headers), *b, "token with " + headers[0].second);
        Response ok = b->post_form("/login.do", fields, {{"Origin", "null"}, {"Sec-Fetch-Site", "same-origin"}});
        CPPUNIT_ASSERT_MESSAGE(ok.describe(), got_session(ok));
    }

    // The demo used to expose mod_auth_form's form-logout-handler, which signs out on any GET,
    // from any site. Sign-out is the portal's POST with the session's CSRF token.
    void testNoLogoutByCrossSiteGet() {
        auto b = signed_in("bob", kBobPassword);
        Response r = b->get("/logout.do", {{"Sec-Fetch-Site", "cross-site"}});
        IT_ASSERT_STATUS(r, 404);
        IT_ASSERT_STATUS(b->get("/myaccount/api/v1/me"), 200);
    }
};

IT_REGISTER_SUITE(FormGuardTest);

// A site that keeps its own login page and httpd's stock session storage (mod_session_cookie with
// mod_session_crypto), with only `AuthFormProvider myaccount` from us: sign-in, the portal, and
// the portal's sign-out work; a cross-site post of the same form is refused.
class SiteLoginPageTest : public ServerFixture<SiteLoginPageTest> {
    CPPUNIT_TEST_SUITE(SiteLoginPageTest);
    CPPUNIT_TEST(testOwnLoginPageSignsInAndPortalSignsOut);
    CPPUNIT_TEST(testOwnLoginPageFromAnotherSiteIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "sitelogin"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("bob", kBobPassword, "Bob Builder");
        // The site's page: no login_csrf field, nothing of ours.
        write_file(env.docroot() + "/login.html",
                   "<!doctype html><title>Intranet sign-in</title><h1>Intranet sign-in</h1>"
                   "<form method=post action=/login.do><input name=httpd_username><input type=password "
                   "name=httpd_password><input type=hidden name=httpd_location value=/app/><button>Go</button></form>\n");
    }
    static std::string extra_directives(const Environment&) {
        const std::string modules = httpd_moduledir();
        return "LoadModule session_cookie_module " + modules + "/mod_session_cookie.so\n"
               "LoadModule session_crypto_module " + modules + "/mod_session_crypto.so\n"
               "<Location />\n"
               "    MyAccountSession Off\n"
               "    SessionCookieName intranet_session path=/;httponly;samesite=lax\n"
               "    SessionCryptoPassphrase \"a test passphrase only\"\n"
               "    ErrorDocument 401 /login.html\n"
               "</Location>\n"
               "<Location /login.html>\n"
               "    Require all granted\n"
               "</Location>\n";
    }

    void testOwnLoginPageSignsInAndPortalSignsOut() {
        auto b = fresh_browser();
        Response page = b->get("/app/");
        IT_ASSERT_STATUS(page, 401);
        CPPUNIT_ASSERT_MESSAGE(page.describe(), contains(page.body, "Intranet sign-in"));
        Response r = b->post_form("/login.do", credentials("bob", kBobPassword, "/app/"), {{"Origin", env().base_url()}});
        CPPUNIT_ASSERT_MESSAGE(r.describe(), find_set_cookie(r, "intranet_session").has_value());
        CPPUNIT_ASSERT_MESSAGE("no session of ours beside the site's\n" + r.describe(), !got_session(r));
        IT_ASSERT_STATUS(b->get("/app/"), 200);
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
        // The portal's own sign-out (its CSRF token is bound to the account without a session of ours).
        Response me = b->get("/myaccount/api/v1/me");
        IT_ASSERT_STATUS(me, 200);
        const std::string token = nlohmann::json::parse(me.body)["csrf_token"].get<std::string>();
        Response out = b->post_form("/myaccount/signout", {{"csrf", token}}, {{"Origin", env().base_url()}});
        IT_ASSERT_STATUS(out, 303);
        IT_ASSERT_STATUS(b->get("/app/"), 401);
        IT_ASSERT_STATUS(b->get("/myaccount/api/v1/me"), 401);
    }

    void testOwnLoginPageFromAnotherSiteIsRefused() {
        allow_failed_sign_in_lines();
        for (const Headers& headers : {Headers{{"Origin", "https://evil.example"}}, Headers{{"Origin", "null"}}, Headers{}}) {
            auto b = fresh_browser();
            Response r = b->post_form("/login.do", credentials("bob", kBobPassword, "/app/"), headers);
            CPPUNIT_ASSERT_MESSAGE(r.describe(), !find_set_cookie(r, "intranet_session").has_value() ||
                                                     find_set_cookie(r, "intranet_session")->value.empty());
            IT_ASSERT_STATUS(b->get("/app/"), 401);
        }
    }
};

IT_REGISTER_SUITE(SiteLoginPageTest);

// A form sign-in that reaches the login handler only after an internal redirect (here a rewrite
// from a public path, the body still unread) passes the same guard: httpd rebuilds a redirected
// request's input filters, so the guard goes with each request of the chain. (mod_auth_form reads
// inline sign-ins only in the initial request.)
class InternalRedirectGuardTest : public ServerFixture<InternalRedirectGuardTest> {
    CPPUNIT_TEST_SUITE(InternalRedirectGuardTest);
    CPPUNIT_TEST(testSignInAfterARewriteIsGuarded);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "detour"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("bob", kBobPassword, "Bob Builder");
    }
    static std::string extra_directives(const Environment&) {
        return "LoadModule rewrite_module " + std::string(httpd_moduledir()) + "/mod_rewrite.so\n"
               "<Location /detour>\n"
               "    Require all granted\n"
               "    RewriteEngine On\n"
               "    RewriteRule .* /login.do [PT,L]\n"
               "</Location>\n";
    }

    void testSignInAfterARewriteIsGuarded() {
        allow_failed_sign_in_lines();
        for (const Headers& headers : {Headers{{"Origin", "https://evil.example"}}, Headers{{"Sec-Fetch-Site", "cross-site"}}}) {
            auto victim = fresh_browser();
            Response r = victim->post_form("/detour", credentials("bob", kBobPassword, "/app/"), headers);
            CPPUNIT_ASSERT_MESSAGE("a cross-site sign-in through the rewrite started a session\n" + r.describe(),
                                   !got_session(r));
            IT_ASSERT_STATUS(victim->get("/app/"), 401);
        }
        // The same detour from this site's own page signs in: the rewrite does reach mod_auth_form.
        auto b = fresh_browser();
        Response ok = b->post_form("/detour", credentials("bob", kBobPassword, "/app/"), {{"Origin", env().base_url()}});
        CPPUNIT_ASSERT_MESSAGE(ok.describe(), got_session(ok));
        IT_ASSERT_STATUS(b->get("/app/"), 200);
    }
};

IT_REGISTER_SUITE(InternalRedirectGuardTest);
