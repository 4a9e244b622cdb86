// Session lifecycle: CSRF-protected sign-out, server-side ends (disable, password reset), forged ids,
// and no secrets left in logs or the database.
#include <set>

#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;

namespace {

const char* const kBobPassword = "bob's password 42";

}  // namespace

class SessionsTest : public ServerFixture<SessionsTest> {
    CPPUNIT_TEST_SUITE(SessionsTest);
    CPPUNIT_TEST(testSignoutWithoutTokenIsForbidden);
    CPPUNIT_TEST(testSignoutWithWrongTokenIsForbidden);
    CPPUNIT_TEST(testSignoutFromAnotherSiteIsForbidden);
    CPPUNIT_TEST(testSignoutWithAnotherUsersTokenIsForbidden);
    CPPUNIT_TEST(testSignoutWithTokenEndsTheSession);
    CPPUNIT_TEST(testTokenFromAPreviousSessionIsForbidden);
    CPPUNIT_TEST(testSignoutByGetIsNotAllowed);
    CPPUNIT_TEST(testSignoutAsTextPlainIsUnsupported);
    CPPUNIT_TEST(testSignoutWithOtherContentTypesIsUnsupported);
    CPPUNIT_TEST(testDisablingAnAccountEndsItsSessions);
    CPPUNIT_TEST(testAdminPasswordResetEndsSessions);
    CPPUNIT_TEST(testForgedSessionIdIsRejected);
    CPPUNIT_TEST(testNoSecretsInLogsOrDatabase);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "sessions"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("bob", kBobPassword, "Bob Builder");
        env.add_user("carol", "carol's password 1", "Carol Disabled");
        env.add_user("dave", "dave's first password", "Dave Reset");
        env.add_user("frank", "Sup3r-Secret frank pass LG1", "Frank Logs");
    }

    std::string profile_csrf(Browser& b) {
        Response r = b.get("/myaccount/");
        IT_ASSERT_STATUS(r, 200);
        const std::string token = csrf_from_html(r.body);
        CPPUNIT_ASSERT_MESSAGE("no <input name=\"csrf\" value=...> on the profile page\n" + r.describe(4000),
                               !token.empty());
        return token;
    }

    void assert_still_signed_in(Browser& b, const std::string& after) {
        Response r = b.get("/myaccount/");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("session should survive " + after + "\n" + r.describe(), 200L, r.status);
    }

    void testSignoutWithoutTokenIsForbidden() {
        auto b = signed_in("alice", kAlicePassword);
        Response r = b->post_form("/myaccount/signout", {{"submit", "Sign out"}});
        IT_ASSERT_STATUS(r, 403);
        assert_security_headers(r, "signout without csrf");
        assert_still_signed_in(*b, "a refused sign-out");
    }

    void testSignoutWithWrongTokenIsForbidden() {
        auto b = signed_in("alice", kAlicePassword);
        const std::string good = profile_csrf(*b);
        for (const std::string& bad : {std::string(), std::string(43, 'A'), good + "x", good.substr(1)}) {
            Response r = b->post_form("/myaccount/signout", {{"csrf", bad}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE("csrf='" + bad + "'\n" + r.describe(), 403L, r.status);
        }
        // One value per field: a good token next to a bad one is not a pass.
        Response twice = b->post_form("/myaccount/signout", {{"csrf", "bad"}, {"csrf", good}});
        CPPUNIT_ASSERT_MESSAGE("two csrf fields accepted\n" + twice.describe(), twice.status == 403 || twice.status == 400);
        assert_still_signed_in(*b, "refused sign-outs");
    }

    // CSRF-3: the browser's word that a request comes from another site refuses it even with
    // the right token; it never admits one without.
    void testSignoutFromAnotherSiteIsForbidden() {
        auto b = signed_in("alice", kAlicePassword);
        const std::string token = profile_csrf(*b);
        IT_ASSERT_STATUS(b->post_form("/myaccount/signout", {{"csrf", token}}, {{"Origin", "https://evil.example"}}), 403);
        IT_ASSERT_STATUS(b->post_form("/myaccount/signout", {{"csrf", token}}, {{"Sec-Fetch-Site", "cross-site"}}), 403);
        IT_ASSERT_STATUS(b->post_form("/myaccount/signout", {{"csrf", "wrong"}}, {{"Origin", env().base_url()}}), 403);
        assert_still_signed_in(*b, "cross-site sign-outs");
        IT_ASSERT_STATUS(b->post_form("/myaccount/signout", {{"csrf", token}}, {{"Origin", env().base_url()}}), 303);
    }

    void testSignoutWithAnotherUsersTokenIsForbidden() {
        auto alice = signed_in("alice", kAlicePassword);
        auto bob = signed_in("bob", kBobPassword);
        const std::string bob_token = profile_csrf(*bob);
        Response r = alice->post_form("/myaccount/signout", {{"csrf", bob_token}});
        IT_ASSERT_STATUS(r, 403);
        assert_still_signed_in(*alice, "a sign-out with bob's token");
        assert_still_signed_in(*bob, "alice's sign-out attempt with bob's token");
    }

    void testSignoutWithTokenEndsTheSession() {
        auto b = signed_in("alice", kAlicePassword);
        const std::string cookie = b->cookie(kSessionCookie);
        const std::string token = profile_csrf(*b);
        Response r = b->post_form("/myaccount/signout", {{"csrf", token}});
        IT_ASSERT_STATUS(r, 303);
        CPPUNIT_ASSERT_MESSAGE("Location should lead to /myaccount/login\n" + r.describe(),
                               contains(r.header("Location"), "/myaccount/login"));
        auto cleared = find_set_cookie(r, kSessionCookie);
        CPPUNIT_ASSERT_MESSAGE("sign-out should clear myaccount_session\n" + r.describe(), cleared && cleared->clears());
        assert_security_headers(r, "signout redirect");
        IT_ASSERT_STATUS(b->get("/myaccount/"), 401);
        // SS-4: the old cookie is dead on the server, not just forgotten by the browser.
        auto replay = browser();
        Response old = replay->get("/myaccount/", {{"Cookie", std::string(kSessionCookie) + "=" + cookie}});
        IT_ASSERT_STATUS(old, 401);
        Response old_app = replay->get("/app/index.html", {{"Cookie", std::string(kSessionCookie) + "=" + cookie}});
        IT_ASSERT_STATUS(old_app, 401);
    }

    // CSRF-1 (c): signing in again rotates the session, and the old session's token dies with it.
    void testTokenFromAPreviousSessionIsForbidden() {
        auto b = signed_in("alice", kAlicePassword);
        const std::string old_token = profile_csrf(*b);
        const std::string old_cookie = b->cookie(kSessionCookie);
        Response again = b->sign_in("alice", kAlicePassword);
        assert_signed_in(again, *b, "second sign-in in the same browser");
        CPPUNIT_ASSERT_MESSAGE("no new session id at the second sign-in", b->cookie(kSessionCookie) != old_cookie);
        Response r = b->post_form("/myaccount/signout", {{"csrf", old_token}});
        IT_ASSERT_STATUS(r, 403);
        assert_still_signed_in(*b, "a sign-out with the previous session's token");
        Response ok = b->post_form("/myaccount/signout", {{"csrf", profile_csrf(*b)}});
        IT_ASSERT_STATUS(ok, 303);
    }

    // CSRF-1 (d): no state change by GET/HEAD.
    void testSignoutByGetIsNotAllowed() {
        auto b = signed_in("alice", kAlicePassword);
        Response r = b->get("/myaccount/signout");
        IT_ASSERT_STATUS(r, 405);
        assert_security_headers(r, "GET signout");
        IT_ASSERT_STATUS(b->request("HEAD", "/myaccount/signout"), 405);
        IT_ASSERT_STATUS(b->get("/myaccount/api/v1/signout"), 405);
        assert_still_signed_in(*b, "GET/HEAD /myaccount/signout");
    }

    void testSignoutAsTextPlainIsUnsupported() {
        auto b = signed_in("alice", kAlicePassword);
        const std::string token = profile_csrf(*b);
        Response r = b->request("POST", "/myaccount/signout", "csrf=" + token, {{"Content-Type", "text/plain"}});
        IT_ASSERT_STATUS(r, 415);
        assert_security_headers(r, "text/plain signout");
        assert_still_signed_in(*b, "a text/plain sign-out");
    }

    // HD-3: the form route takes only application/x-www-form-urlencoded, the API only JSON.
    void testSignoutWithOtherContentTypesIsUnsupported() {
        auto b = signed_in("alice", kAlicePassword);
        const std::string token = profile_csrf(*b);
        Response json = b->post_json("/myaccount/signout", nlohmann::json{{"csrf", token}}.dump());
        IT_ASSERT_STATUS(json, 415);
        Response none = b->request("POST", "/myaccount/signout", "csrf=" + token, {{"Content-Type", ""}});
        CPPUNIT_ASSERT_MESSAGE("no Content-Type: want 415 or 400\n" + none.describe(),
                               none.status == 415 || none.status == 400);
        Response api_form = b->post_form("/myaccount/api/v1/signout", {{"csrf", token}}, {{"X-CSRF-Token", token}});
        IT_ASSERT_STATUS(api_form, 415);
        assert_still_signed_in(*b, "sign-outs with the wrong Content-Type");
    }

    void testDisablingAnAccountEndsItsSessions() {
        allow_failed_sign_in_lines();
        auto b = signed_in("carol", "carol's password 1");
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
        env().ctl_ok({"user", "disable", "carol"});
        Response r = b->get("/myaccount/");
        IT_ASSERT_STATUS(r, 401);
        IT_ASSERT_STATUS(b->get("/app/index.html"), 401);
        auto again = browser();
        Response in = again->sign_in("carol", "carol's password 1");
        IT_ASSERT_STATUS(in, 401);
        IT_ASSERT_STATUS(again->get_basic("/basic/index.html", "carol", "carol's password 1"), 401);

        env().ctl_ok({"user", "enable", "carol"});
        auto back = signed_in("carol", "carol's password 1");
        IT_ASSERT_STATUS(back->get("/myaccount/"), 200);
        // Re-enabling does not resurrect the sessions that were ended.
        IT_ASSERT_STATUS(b->get("/myaccount/"), 401);
    }

    void testAdminPasswordResetEndsSessions() {
        allow_failed_sign_in_lines();
        auto one = signed_in("dave", "dave's first password");
        auto two = signed_in("dave", "dave's first password");
        env().set_password("dave", "dave's second password");
        IT_ASSERT_STATUS(one->get("/myaccount/"), 401);
        IT_ASSERT_STATUS(two->get("/myaccount/api/v1/me"), 401);
        auto b = browser();
        IT_ASSERT_STATUS(b->sign_in("dave", "dave's first password"), 401);
        auto fresh = signed_in("dave", "dave's second password");
        IT_ASSERT_STATUS(fresh->get("/myaccount/"), 200);
    }

    void testForgedSessionIdIsRejected() {
        const std::vector<std::string> forged = {std::string(43, 'A'), "Zm9yZ2VkLXNlc3Npb24taWQtdGhhdC1uZXZlci1leGlzdGVk",
                                                 "", "x", std::string(4096, 'B')};
        for (const auto& value : forged) {
            auto b = browser();
            Response r = b->get("/myaccount/", {{"Cookie", std::string(kSessionCookie) + "=" + value}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE("forged cookie '" + value.substr(0, 50) + "'\n" + r.describe(), 401L, r.status);
            Response api = b->get("/myaccount/api/v1/me", {{"Cookie", std::string(kSessionCookie) + "=" + value}});
            IT_ASSERT_STATUS(api, 401);
        }
        // Signing in from a browser that carries a forged id yields a new id.
        auto b = browser();
        b->set_cookie(kSessionCookie, std::string(43, 'A'));
        Response in = b->sign_in("alice", kAlicePassword);
        assert_signed_in(in, *b, "sign-in with a forged cookie");
        CPPUNIT_ASSERT_MESSAGE("forged id accepted as the session id", b->cookie(kSessionCookie) != std::string(43, 'A'));
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
    }

    // LG-1: a full scenario, then no cleartext password in the logs or the database dump, and no
    // session id in the database or the access log.
    void testNoSecretsInLogsOrDatabase() {
        allow_failed_sign_in_lines();
        const std::string first = "Sup3r-Secret frank pass LG1";
        const std::string wrong = "Wr0ng-Secret frank guess LG1";
        const std::string second = "Sec0nd-Secret frank pass LG1";
        std::set<std::string> cookies;

        auto anon = browser();
        IT_ASSERT_STATUS(anon->sign_in("frank", wrong), 401);
        IT_ASSERT_STATUS(anon->get_basic("/basic/index.html", "frank", wrong), 401);
        auto b = signed_in("frank", first);
        cookies.insert(b->cookie(kSessionCookie));
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
        IT_ASSERT_STATUS(b->get("/app/index.html"), 200);
        Response me = b->get("/myaccount/api/v1/me");
        IT_ASSERT_STATUS(me, 200);
        IT_ASSERT_STATUS(anon->get_basic("/basic/index.html", "frank", first), 200);
        const std::string token = profile_csrf(*b);
        IT_ASSERT_STATUS(b->post_form("/myaccount/signout", {{"csrf", token}}), 303);

        auto b2 = signed_in("frank", first);
        cookies.insert(b2->cookie(kSessionCookie));
        env().set_password("frank", second);
        auto b3 = signed_in("frank", second);
        cookies.insert(b3->cookie(kSessionCookie));
        IT_ASSERT_STATUS(b3->get("/myaccount/"), 200);
        IT_ASSERT_STATUS(anon->get_basic("/basic/index.html", "frank", second), 200);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the access log catch up

        const std::string error_log = env().error_log_text();
        const std::string access_log = read_file(env().access_log());
        const std::string dump = env().dump();
        for (const std::string& secret : {first, wrong, second}) {
            std::string plus = secret;
            std::replace(plus.begin(), plus.end(), ' ', '+');
            for (const std::string& form : {secret, plus, Browser::urlencode({{"p", secret}}).substr(2)}) {
                CPPUNIT_ASSERT_MESSAGE("password '" + form + "' in error.log", !contains(error_log, form));
                CPPUNIT_ASSERT_MESSAGE("password '" + form + "' in access.log", !contains(access_log, form));
                CPPUNIT_ASSERT_MESSAGE("password '" + form + "' in the database dump", !contains(dump, form));
            }
        }
        const std::string rows = env().sql("select count(*) from sessions");
        CPPUNIT_ASSERT_MESSAGE("no rows in the sessions table: the dump check would prove nothing (" + rows + ")",
                               std::atoi(rows.c_str()) > 0);
        for (const auto& cookie : cookies) {
            CPPUNIT_ASSERT_MESSAGE("empty session cookie in the scenario", !cookie.empty());
            CPPUNIT_ASSERT_MESSAGE("session id " + cookie + " stored in the database in the clear", !contains(dump, cookie));
            CPPUNIT_ASSERT_MESSAGE("session id " + cookie + " in access.log", !contains(access_log, cookie));
            CPPUNIT_ASSERT_MESSAGE("session id " + cookie + " in error.log", !contains(error_log, cookie));
        }
    }
};

IT_REGISTER_SUITE(SessionsTest);
