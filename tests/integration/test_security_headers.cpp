// Response hygiene on every module response: security headers, errors, methods, no disclosure.
#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;

class SecurityHeadersTest : public ServerFixture<SecurityHeadersTest> {
    CPPUNIT_TEST_SUITE(SecurityHeadersTest);
    CPPUNIT_TEST(testHeadersOnTheLoginPage);
    CPPUNIT_TEST(testHeadersOnSignedInPages);
    CPPUNIT_TEST(testHeadersOnForbidden);
    CPPUNIT_TEST(testHttpdsOwnAnswersCarryTheHeaders);
    CPPUNIT_TEST(testUnknownRoutesAreNotFound);
    CPPUNIT_TEST(testNotFoundOutsideThePortalIsThePortalsPage);
    CPPUNIT_TEST(testStylesheetIsCompressedPagesAreNot);
    CPPUNIT_TEST(testUnsupportedMethodsAreRejected);
    CPPUNIT_TEST(testMethodOverrideHeaderIsIgnored);
    CPPUNIT_TEST(testNoVersionsOrInternalsDisclosed);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "headers"; }
    // What Debian's deflate.conf does: compress HTML, text and JSON everywhere (BREACH territory).
    // A front that sends the signed-out to the sign-in page with mod_auth_form's own redirect.
    static std::string extra_directives(const Environment&) {
        return "AddOutputFilterByType DEFLATE text/html text/plain application/json\n"
               "<Location /redirected/>\n"
               "    AuthFormLoginRequiredLocation /myaccount/login\n"
               "</Location>\n";
    }

    void testHeadersOnTheLoginPage() {
        auto b = browser();
        Response r = b->get("/myaccount/");
        assert_login_page(r, "GET /myaccount/ signed out");
        assert_security_headers(r, "login page (401)");
        Response app = b->get("/app/index.html");
        assert_security_headers(app, "login page for /app (401)");
        Response photo = b->get("/myaccount/photo");
        IT_ASSERT_STATUS(photo, 401);
        assert_security_headers(photo, "GET /myaccount/photo signed out (401)");
    }

    void testHeadersOnSignedInPages() {
        auto b = signed_in("alice", kAlicePassword);
        for (const char* path : {"/myaccount/", "/myaccount/api/v1/me", "/myaccount/photo"}) {
            Response r = b->get(path);
            IT_ASSERT_STATUS(r, 200);
            assert_security_headers(r, std::string("GET ") + path);
        }
    }

    void testHeadersOnForbidden() {
        auto b = signed_in("alice", kAlicePassword);
        Response r = b->post_form("/myaccount/signout", {{"csrf", "wrong"}});
        IT_ASSERT_STATUS(r, 403);
        assert_security_headers(r, "403 sign-out");
    }

    // What httpd answers itself in the module's locations (mod_auth_form's redirect, a refused
    // TRACE, a body over the size limit, mod_auth_basic's challenge) carries the same headers,
    // each once.
    void testHttpdsOwnAnswersCarryTheHeaders() {
        auto anon = browser();
        Response redirect = anon->get("/redirected/");
        IT_ASSERT_STATUS(redirect, 302);  // mod_auth_form: HTTP_MOVED_TEMPORARILY
        CPPUNIT_ASSERT_MESSAGE(redirect.describe(), contains(redirect.header("Location"), "/myaccount/login"));
        assert_security_headers(redirect, "mod_auth_form's redirect to the sign-in page");

        Response trace = anon->request("TRACE", "/myaccount/login");
        IT_ASSERT_STATUS(trace, 405);
        assert_security_headers(trace, "httpd's 405 to TRACE");

        Response basic = anon->get("/basic-app/");
        IT_ASSERT_STATUS(basic, 401);
        CPPUNIT_ASSERT_MESSAGE(basic.describe(), contains(basic.header("WWW-Authenticate"), "Basic"));
        assert_security_headers(basic, "mod_auth_basic's 401 behind the gate");

        const std::string huge(300 * 1024, 'a');  // over what a sign-in may send
        const Headers form{{"Content-Type", "application/x-www-form-urlencoded"}};
        Response sign_in = anon->request("POST", "/login.do", "httpd_username=" + huge, form);
        IT_ASSERT_STATUS(sign_in, 413);  // mod_auth_form's AuthFormSize
        assert_security_headers(sign_in, "413 at the sign-in handler");
    }

    void testUnknownRoutesAreNotFound() {
        auto b = signed_in("alice", kAlicePassword);
        Response html = b->get("/myaccount/nope");
        IT_ASSERT_STATUS(html, 404);
        CPPUNIT_ASSERT_MESSAGE(html.describe(), contains_ci(html.header("Content-Type"), "text/html"));
        assert_security_headers(html, "404 page");

        Response api = b->get("/myaccount/api/v1/nope");
        IT_ASSERT_STATUS(api, 404);
        nlohmann::json j = nlohmann::json::parse(api.body, nullptr, false);
        CPPUNIT_ASSERT_MESSAGE("want {\"error\":{\"code\":\"not_found\",...}}\n" + api.describe(),
                               !j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_object() &&
                                   j["error"].value("code", "") == "not_found");
        CPPUNIT_ASSERT_MESSAGE(api.describe(), api.header("Content-Type").rfind("application/json", 0) == 0);
        assert_security_headers(api, "404 API");
    }

    // httpd's own 404 (a path no application has) is the portal's page in the visitor's language,
    // with the signed-in top bar (demo.conf: ErrorDocument 404).
    void testNotFoundOutsideThePortalIsThePortalsPage() {
        auto b = signed_in("alice", kAlicePassword);
        Response en = b->get("/no/such/app/page");
        IT_ASSERT_STATUS(en, 404);
        CPPUNIT_ASSERT_MESSAGE(en.describe(), contains(en.body, "action=\"/myaccount/signout\""));
        CPPUNIT_ASSERT_MESSAGE(en.describe(), contains(en.body, "<html lang=\"en\""));
        Response ja = b->get("/no/such/app/page", {{"Accept-Language", "ja"}});
        IT_ASSERT_STATUS(ja, 404);
        CPPUNIT_ASSERT_MESSAGE(ja.describe(), contains(ja.body, "<html lang=\"ja\""));
        CPPUNIT_ASSERT_MESSAGE(ja.describe(), contains(ja.body, "ページが見つかりません"));
    }

    // The stylesheet travels gzip-compressed; pages, which hold CSRF tokens beside reflected input,
    // never do (BREACH).
    void testStylesheetIsCompressedPagesAreNot() {
        auto b = signed_in("alice", kAlicePassword);
        const Headers gzip = {{"Accept-Encoding", "gzip"}};
        Response css = b->get("/myaccount/static/myaccount.css", gzip);
        IT_ASSERT_STATUS(css, 200);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(css.describe(), std::string("gzip"), css.header("Content-Encoding"));
        // The site compresses HTML and JSON (above): the portal's answers still go out as they are.
        for (const char* page : {"/myaccount/", "/myaccount/security", "/myaccount/login", "/myaccount/api/v1/me"}) {
            Response r = b->get(page, gzip);
            CPPUNIT_ASSERT_MESSAGE(r.describe(), r.header("Content-Encoding").empty());
        }
        Response app = b->get("/app/index.html", gzip);  // the site's own page: its business
        CPPUNIT_ASSERT_EQUAL_MESSAGE(app.describe(), std::string("gzip"), app.header("Content-Encoding"));
    }

    void testUnsupportedMethodsAreRejected() {
        auto b = signed_in("alice", kAlicePassword);
        Response put = b->request("PUT", "/myaccount/", "display_name=Mallory",
                                  {{"Content-Type", "application/x-www-form-urlencoded"}});
        IT_ASSERT_STATUS(put, 405);
        assert_security_headers(put, "PUT /myaccount/");
        Response del = b->request("DELETE", "/myaccount/");
        IT_ASSERT_STATUS(del, 405);
        assert_security_headers(del, "DELETE /myaccount/");
        Response del_api = b->request("DELETE", "/myaccount/api/v1/me");
        IT_ASSERT_STATUS(del_api, 405);
        // TRACE may be refused by httpd itself; it must never echo the request (and its cookie) back.
        Response trace = b->request("TRACE", "/myaccount/");
        IT_ASSERT_STATUS(trace, 405);
        CPPUNIT_ASSERT_MESSAGE("TRACE echoed the session cookie\n" + trace.describe(),
                               !contains(trace.body, b->cookie(kSessionCookie)));
        // Nothing changed.
        Response me = b->get("/myaccount/api/v1/me");
        CPPUNIT_ASSERT_MESSAGE(me.describe(), contains(me.body, "Alice Example") && !contains(me.body, "Mallory"));
    }

    void testMethodOverrideHeaderIsIgnored() {
        auto b = signed_in("alice", kAlicePassword);
        Response r = b->get("/myaccount/", {{"X-HTTP-Method-Override", "DELETE"}, {"X-HTTP-Method", "PUT"}});
        IT_ASSERT_STATUS(r, 200);
        Response signout = b->get("/myaccount/signout", {{"X-HTTP-Method-Override", "POST"}});
        IT_ASSERT_STATUS(signout, 405);
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
    }

    void testNoVersionsOrInternalsDisclosed() {
        auto anon = browser();
        auto b = signed_in("alice", kAlicePassword);
        std::vector<Response> responses;
        responses.push_back(anon->get("/myaccount/"));
        responses.push_back(b->get("/myaccount/nope"));
        responses.push_back(b->get("/myaccount/api/v1/nope"));
        responses.push_back(b->post_form("/myaccount/signout", {{"csrf", "x"}}));
        responses.push_back(b->request("PUT", "/myaccount/", "a=b", {{"Content-Type", "application/x-www-form-urlencoded"}}));
        responses.push_back(b->request("POST", "/myaccount/signout", "{\"x\":", {{"Content-Type", "application/json"}}));
        responses.push_back(b->post_json("/myaccount/api/v1/signout", "{not json"));
        for (const Response& r : responses) {
            const std::string server = r.header("Server");
            CPPUNIT_ASSERT_MESSAGE("Server header discloses a version or module\n" + r.describe(),
                                   server.find_first_of("0123456789") == std::string::npos &&
                                       !contains_ci(server, "myaccount"));
            CPPUNIT_ASSERT_MESSAGE("X-Powered-By present\n" + r.describe(), !r.has("X-Powered-By"));
            CPPUNIT_ASSERT_MESSAGE("a 5xx for a client mistake\n" + r.describe(), r.status < 500);
            for (const std::string& leak : {env().root(), std::string(source_dir()), std::string("sqlite"),
                                            std::string("exception"), std::string("std::"), std::string("what()"),
                                            std::string("Apache/2")}) {
                CPPUNIT_ASSERT_MESSAGE("response body discloses '" + leak + "'\n" + r.describe(2000),
                                       !contains_ci(r.body, leak));
            }
        }
    }
};

IT_REGISTER_SUITE(SecurityHeadersTest);
