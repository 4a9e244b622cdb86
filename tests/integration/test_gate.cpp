// 2-step verification at sign-in and the gate, against the real httpd with conf/demo.conf
// (MyAccountRequireMFA Registered, /app/ and /basic-app/ gated): authenticators enrolled through
// the security pages with codes from `oathtool`, the verify step (replays, old codes, lockout,
// recovery codes, remembered browsers, where it returns to), the gate's answers to browsers,
// scripts and HTTP Basic, and the recent proof security info needs. A second suite runs with
// MyAccountRequireMFA All (register a method first).
#include <ctime>
#include <map>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;

namespace {

const char* const kAppPage = "/app/index.html";
const char* const kAppText = "You are signed in to the intranet app";
const char* const kRememberCookie = "myaccount_remember";

std::string password_of(const std::string& user) {
    return user + "'s gate password 2026";
}

// The first match of `pattern`'s group 1 in html, "".
std::string first_match(const std::string& html, const std::regex& pattern) {
    std::smatch m;
    return std::regex_search(html, m, pattern) ? m.str(1) : std::string();
}

// Signs user in and adds an authenticator app through the security pages, proven with oathtool
// (and, when asked, recovery codes and an app password).
Enrolled enrol(Environment& env, const std::string& user, bool recovery_codes, bool app_password) {
    Browser b(env.base_url());
    b.set_source_address(fresh_client_address());
    assert_signed_in(b.sign_in(user, password_of(user)), b, "sign-in of " + user);
    Enrolled enrolled = enrol_authenticator(b, recovery_codes);
    if (app_password) {
        Response shown = b.post_form("/myaccount/security/app-passwords",
                                     {{"csrf", csrf_of(b, "/myaccount/security")}, {"label", "backup script"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.describe(3000), 200L, shown.status);
        enrolled.app_password = first_match(shown.body, std::regex(R"re(<code class="secret">([a-z ]+)</code>)re"));
        CPPUNIT_ASSERT_MESSAGE("no app password shown\n" + shown.describe(4000), !enrolled.app_password.empty());
    }
    return enrolled;
}

// GET /myaccount/verify?... for its form: csrf, method and the page.
struct VerifyForm {
    Response page;
    std::string csrf;
    std::string method;
};

VerifyForm verify_form(Browser& b, const std::string& path) {
    VerifyForm form{b.get(path), "", ""};
    CPPUNIT_ASSERT_EQUAL_MESSAGE(form.page.describe(3000), 200L, form.page.status);
    form.csrf = csrf_from_html(form.page.body);
    form.method = input_value(form.page.body, "method");
    CPPUNIT_ASSERT_MESSAGE("no verify form\n" + form.page.describe(5000), !form.csrf.empty() && !form.method.empty());
    return form;
}

Response post_code(Browser& b, const VerifyForm& form, const std::string& code, const std::string& back,
                   Fields extra = {}) {
    Fields fields{{"csrf", form.csrf}, {"return", back}, {"method", form.method}, {"code", code}};
    fields.insert(fields.end(), extra.begin(), extra.end());
    return b.post_form("/myaccount/verify", fields);
}

void assert_redirect(const Response& r, long status, const std::string& path, const std::string& context) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + "\n" + r.describe(2000), status, r.status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + "\n" + r.describe(2000), path, location_path(r));
}

const char* const kOttoAddress = "otto@example.net";

const std::string kVerifyApp = "/myaccount/verify?return=/app/index.html";

}  // namespace

class GateTest : public ServerFixture<GateTest> {
    CPPUNIT_TEST_SUITE(GateTest);
    CPPUNIT_TEST(testWithoutAMethodNothingIsAsked);
    CPPUNIT_TEST(testAnOrganizationCanAskMoreThanTheSite);
    CPPUNIT_TEST(testUnverifiedSessionIsStoppedAndVerifiedOneGoesThrough);
    CPPUNIT_TEST(testScriptsAndOtherMethodsAreRefused);
    CPPUNIT_TEST(testOldCodesAndWrongCodesLockWithoutJudging);
    CPPUNIT_TEST(testRecoveryCodeWorksOnce);
    CPPUNIT_TEST(testAReplayedCodeIsToldToTheOwner);
    CPPUNIT_TEST(testACodeAtTheEdgeOfTheWindowWarnsOfTheClock);
    CPPUNIT_TEST(testReturnGoesOnlyToThisServer);
    CPPUNIT_TEST(testBasicNeedsAnAppPasswordAtTheGate);
    CPPUNIT_TEST(testSecurityChangesNeedARecentProof);
    CPPUNIT_TEST(testPasswordIsTheRecentProofWithoutAMethod);
    CPPUNIT_TEST(testVerifyPostsNeedTheirToken);
    CPPUNIT_TEST(testRememberedBrowserSkipsTheStep);
    CPPUNIT_TEST(testPhoneCodeAtTheVerifyStep);
    CPPUNIT_TEST(testEmailAloneAsksNoStep);
    CPPUNIT_TEST(testAHeldSessionStaysHeldWhenTheMethodsChange);
    CPPUNIT_TEST(testSignInAfterAResetStillPassesTheGate);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "gate"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        for (const char* user : {"gina", "lou", "rae", "dan", "bea", "fay", "remy", "cleo", "carl", "pam", "eve", "ray", "ivy", "kim"})
            env.add_user(user, password_of(user));
        env.add_user("otto", password_of("otto"), "Otto", kOttoAddress);
        env.add_user("nora", password_of("nora"));
        env.ctl_ok({"org", "add", "Northwind"});
        env.ctl_ok({"org", "add-member", "Northwind", "nora", "--guest"});
        env.ctl_ok({"org", "require-mfa", "Northwind", "all"});
    }

    // The people with an authenticator, enrolled once for the whole suite (then one step is waited
    // out, so every test starts with a fresh code).
    static const Enrolled& enrolled(const std::string& user) {
        static std::map<std::string, Enrolled> people;
        if (people.empty()) {
            for (const char* name : {"gina", "lou", "dan", "fay", "remy", "cleo", "otto"})
                people[name] = enrol(env(), name, false, false);
            people["rae"] = enrol(env(), "rae", true, false);
            people["bea"] = enrol(env(), "bea", false, true);
            wait_for_next_step();
        }
        return people.at(user);
    }

    std::unique_ptr<Browser> signed_in_as(const std::string& user, const std::string& location = kAppPage) {
        return fresh_signed_in(user, password_of(user), location);
    }

    void testWithoutAMethodNothingIsAsked() {
        auto b = signed_in_as("carl");
        Response app = b->get(kAppPage);
        IT_ASSERT_STATUS(app, 200);
        CPPUNIT_ASSERT(contains(app.body, kAppText));
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
        // Not signed in at all: the front's sign-in page, as before.
        assert_login_page(browser()->get(kAppPage), "GET /app/ signed out");
    }

    // The site asks only those who registered (demo.conf); Northwind asks everyone of its people,
    // guests included, and a change by myaccountctl holds from the next request on.
    void testAnOrganizationCanAskMoreThanTheSite() {
        auto nora = signed_in_as("nora");
        assert_redirect(nora->get(kAppPage), 302, "/myaccount/security/register?next=/app/index.html",
                        "a Northwind guest without a method");
        Response json = nora->get(kAppPage, {{"Accept", "application/json"}});
        IT_ASSERT_STATUS(json, 401);
        CPPUNIT_ASSERT_EQUAL(std::string("MyAccount error=\"second_factor_registration_required\", "
                                         "register_url=\"/myaccount/security/register?next=/app/index.html\""),
                             json.header("WWW-Authenticate"));
        Response asked = nora->get("/myaccount/security/register?next=/app/index.html");
        IT_ASSERT_STATUS(asked, 200);
        CPPUNIT_ASSERT_MESSAGE(asked.describe(3000), contains(asked.body, "/myaccount/security/authenticator"));

        const std::string said = env().ctl_ok({"org", "require-mfa", "Northwind", "off"});
        CPPUNIT_ASSERT_MESSAGE(said, contains(said, "Northwind asks nothing beyond MyAccountRequireMFA"));
        IT_ASSERT_STATUS(nora->get(kAppPage), 200);
        env().ctl_ok({"org", "require-mfa", "Northwind", "all"});
        assert_redirect(nora->get(kAppPage), 302, "/myaccount/security/register?next=/app/index.html",
                        "Northwind asks again");
    }

    void testUnverifiedSessionIsStoppedAndVerifiedOneGoesThrough() {
        const Enrolled& gina = enrolled("gina");
        auto b = signed_in_as("gina");
        Response stopped = b->get(kAppPage);
        assert_redirect(stopped, 302, kVerifyApp, "GET /app/ before the second step");
        assert_security_headers(stopped, "the gate's redirect");
        CPPUNIT_ASSERT_MESSAGE(stopped.describe(), !contains(stopped.body, kAppText));
        // The portal's own pages send it there too.
        assert_redirect(b->get("/myaccount/password"), 303, "/myaccount/verify?return=/myaccount/password",
                        "GET /myaccount/password before the second step");

        VerifyForm form = verify_form(*b, kVerifyApp);
        CPPUNIT_ASSERT_MESSAGE(form.page.describe(4000), contains(form.page.body, "autocomplete=\"one-time-code\""));
        const std::string before = b->cookie(kSessionCookie);
        const std::string code = oathtool_code(gina.secret);
        assert_redirect(post_code(*b, form, code, kAppPage), 303, kAppPage, "the right code");
        const std::string after = b->cookie(kSessionCookie);
        CPPUNIT_ASSERT_MESSAGE("the session id must change when verified", !after.empty() && after != before);
        Response app = b->get(kAppPage);
        IT_ASSERT_STATUS(app, 200);
        CPPUNIT_ASSERT(contains(app.body, kAppText));
        IT_ASSERT_STATUS(b->get("/myaccount/password"), 200);
        CPPUNIT_ASSERT_EQUAL(
            std::string("second_factor"),
            trimmed(env().sql("select end_reason from sessions where ended_at > 0 and account_id="
                              "(select id from accounts where username='gina') order by id desc limit 1")));

        // The old session id is dead; the same code from another browser is refused.
        auto old = fresh_browser();
        old->set_cookie(kSessionCookie, before);
        assert_login_page(old->get(kAppPage), "the replaced session's cookie");
        auto other = signed_in_as("gina");
        Response replay = post_code(*other, verify_form(*other, kVerifyApp), code, kAppPage);
        IT_ASSERT_STATUS(replay, 400);
        CPPUNIT_ASSERT_MESSAGE(replay.describe(4000), contains(replay.body, "already used"));
        assert_redirect(other->get(kAppPage), 302, kVerifyApp, "after a replayed code");
    }

    void testScriptsAndOtherMethodsAreRefused() {
        enrolled("gina");
        auto b = signed_in_as("gina");
        Response json = b->get(kAppPage, {{"Accept", "application/json"}});
        IT_ASSERT_STATUS(json, 401);
        CPPUNIT_ASSERT_MESSAGE(json.describe(), contains(json.header("Content-Type"), "application/json"));
        nlohmann::json body = nlohmann::json::parse(json.body, nullptr, false);
        CPPUNIT_ASSERT_MESSAGE(json.describe(), !body.is_discarded());
        CPPUNIT_ASSERT_EQUAL(std::string("second_factor_required"), body.value("error", ""));
        CPPUNIT_ASSERT_EQUAL(kVerifyApp, body.value("verify_url", ""));
        CPPUNIT_ASSERT_EQUAL(std::string("MyAccount error=\"second_factor_required\", verify_url=\"" + kVerifyApp + "\""),
                             json.header("WWW-Authenticate"));
        Response post = b->post_form(kAppPage, {{"q", "1"}});
        IT_ASSERT_STATUS(post, 403);
        CPPUNIT_ASSERT_MESSAGE(post.describe(), !contains(post.body, kAppText));
        IT_ASSERT_STATUS(b->request("PUT", kAppPage, "x", {{"Content-Type", "text/plain"}}), 403);
        // The portal's API answers in JSON as well.
        Response api = b->get("/myaccount/api/v1/me");
        IT_ASSERT_STATUS(api, 401);
        CPPUNIT_ASSERT_MESSAGE(api.describe(), contains(api.header("WWW-Authenticate"), "MyAccount error=\"second_factor_required\""));
        CPPUNIT_ASSERT_EQUAL(std::string("second_factor_required"), nlohmann::json::parse(api.body).value("error", ""));
    }

    void testOldCodesAndWrongCodesLockWithoutJudging() {
        const Enrolled& lou = enrolled("lou");
        auto b = signed_in_as("lou");
        VerifyForm form = verify_form(*b, kVerifyApp);
        Response old = post_code(*b, form, oathtool_code(lou.secret, -60), kAppPage);
        IT_ASSERT_STATUS(old, 400);
        CPPUNIT_ASSERT_MESSAGE(old.describe(4000), contains(old.body, "Check it and try again"));
        Response wrong;
        for (int i = 0; i < 6 && wrong.status != 423; ++i) {
            std::string code = oathtool_code(lou.secret);
            code[0] = code[0] == '9' ? '0' : static_cast<char>(code[0] + 1);
            wrong = post_code(*b, form, code, kAppPage);
        }
        IT_ASSERT_STATUS(wrong, 423);
        CPPUNIT_ASSERT_MESSAGE(wrong.describe(4000), contains(wrong.body, "Too many wrong codes"));
        Response right = post_code(*b, form, oathtool_code(lou.secret), kAppPage);
        IT_ASSERT_STATUS(right, 423);
        CPPUNIT_ASSERT_MESSAGE(right.describe(4000), contains(right.body, "Too many wrong codes"));
        assert_redirect(b->get(kAppPage), 302, kVerifyApp, "locked, still unverified");
        // Another browser of the same person is locked as well (the count is in the store).
        auto other = signed_in_as("lou");
        IT_ASSERT_STATUS(post_code(*other, verify_form(*other, kVerifyApp), oathtool_code(lou.secret), kAppPage), 423);
    }

    void testRecoveryCodeWorksOnce() {
        const Enrolled& rae = enrolled("rae");
        auto b = signed_in_as("rae");
        VerifyForm form = verify_form(*b, kVerifyApp + "&method=recovery");
        CPPUNIT_ASSERT_EQUAL(std::string("recovery"), form.method);
        const std::string code = rae.recovery_codes.front();
        // A page says how many are left, fetched after the new session id (so its forms work).
        assert_redirect(post_code(*b, form, code, kAppPage), 303,
                        "/myaccount/verify/done?return=/app/index.html&recovery=1", "a recovery code");
        Response done = b->get("/myaccount/verify/done?return=/app/index.html&recovery=1");
        IT_ASSERT_STATUS(done, 200);
        CPPUNIT_ASSERT_MESSAGE(done.describe(4000), contains(done.body, "You have 9 left"));
        CPPUNIT_ASSERT_MESSAGE(done.describe(4000), contains(done.body, "href=\"/app/index.html\""));
        IT_ASSERT_STATUS(b->get(kAppPage), 200);
        // The top bar's sign-out works from that page.
        assert_redirect(b->post_form("/myaccount/signout", {{"csrf", csrf_from_html(done.body)}}), 303,
                        "/myaccount/login?signed_out=1", "sign-out from the done page");
        assert_login_page(b->get(kAppPage), "after signing out from the done page");
        auto other = signed_in_as("rae");
        Response again = post_code(*other, verify_form(*other, kVerifyApp + "&method=recovery"), code, kAppPage);
        IT_ASSERT_STATUS(again, 400);
        assert_redirect(other->get(kAppPage), 302, kVerifyApp, "a used recovery code");
    }

    void testReturnGoesOnlyToThisServer() {
        const Enrolled& dan = enrolled("dan");
        auto b = signed_in_as("dan");
        VerifyForm form = verify_form(*b, kVerifyApp);
        assert_redirect(post_code(*b, form, oathtool_code(dan.secret), "https://evil.example/"), 303, "/myaccount/",
                        "return=https://evil.example/");
        for (const char* evil : {"//evil.example/", "https://evil.example/", "/\\evil.example", "evil.example/x",
                                 "/%2F%2Fevil.example", "/\tevil"}) {
            Response r = b->get("/myaccount/verify?return=" + Browser::urlencode({{"", evil}}).substr(1));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(evil) + "\n" + r.describe(), 303L, r.status);
            const std::string to = location_path(r);
            CPPUNIT_ASSERT_MESSAGE(std::string(evil) + " led to " + to,
                                   to == "/myaccount/" || to == "/%2F%2Fevil.example");
        }
    }

    void testBasicNeedsAnAppPasswordAtTheGate() {
        const Enrolled& bea = enrolled("bea");
        allow_failed_sign_in_lines();
        Response account = browser()->get_basic("/basic-app/", "bea", password_of("bea"));
        IT_ASSERT_STATUS(account, 403);
        CPPUNIT_ASSERT_MESSAGE(account.describe(), contains(account.body, "use an app password"));
        CPPUNIT_ASSERT_MESSAGE(account.describe(), !contains(account.body, "basic area"));
        Response in_japanese = browser("ja")->get_basic("/basic-app/", "bea", password_of("bea"));
        IT_ASSERT_STATUS(in_japanese, 403);
        CPPUNIT_ASSERT_MESSAGE(in_japanese.describe(), contains(in_japanese.body, "アプリ パスワード") &&
                                                           contains(in_japanese.body, "/myaccount/security"));
        Response app = browser()->get_basic("/basic-app/", "bea", bea.app_password);
        IT_ASSERT_STATUS(app, 200);
        CPPUNIT_ASSERT(contains(app.body, "basic area"));
        // The activity page shows the program's sign-in, once an hour however often it comes.
        IT_ASSERT_STATUS(browser()->get_basic("/basic-app/", "bea", bea.app_password), 200);
        CPPUNIT_ASSERT_EQUAL(std::string("1"),
                             trimmed(env().sql("select count(*) from sign_in_attempts where method='app_password' and"
                                               " result='success' and account_id=(select id from accounts where"
                                               " username='bea')")));
        // Ungated Basic still takes the account password; a wrong app password is a wrong password.
        IT_ASSERT_STATUS(browser()->get_basic("/basic/", "bea", password_of("bea")), 200);
        IT_ASSERT_STATUS(browser()->get_basic("/basic-app/", "bea", "abcd efgh ijkl mnop"), 401);
        // Someone without a 2-step method is not asked for one.
        IT_ASSERT_STATUS(browser()->get_basic("/basic-app/", "carl", password_of("carl")), 200);
        CPPUNIT_ASSERT_MESSAGE("last use of the app password not recorded",
                               trimmed(env().sql("select last_used_at > 0 from app_passwords where account_id="
                                                 "(select id from accounts where username='bea')")) == "1");
    }

    void testSecurityChangesNeedARecentProof() {
        const Enrolled& fay = enrolled("fay");
        auto b = signed_in_as("fay");
        assert_redirect(post_code(*b, verify_form(*b, kVerifyApp), oathtool_code(fay.secret), kAppPage), 303, kAppPage,
                        "verified");
        // No page can age a verification; ten minutes and more pass here in the database instead.
        env().sql_write(
            "update sessions set second_factor_at = second_factor_at - 700 where ended_at = 0 and "
            "account_id = (select id from accounts where username = 'fay')");
        IT_ASSERT_STATUS(b->get("/myaccount/security"), 200);
        IT_ASSERT_STATUS(b->get(kAppPage), 200);
        Response add = b->get("/myaccount/security/add");
        assert_redirect(add, 303, "/myaccount/verify?return=/myaccount/security/add&recent=1", "a stale proof");
        const std::string csrf = csrf_of(*b, "/myaccount/security");
        Response posted = b->post_form("/myaccount/security/app-passwords", {{"csrf", csrf}, {"label", "x"}});
        assert_redirect(posted, 303, "/myaccount/verify?return=/myaccount/security&recent=1",
                        "a POST with a stale proof");
        CPPUNIT_ASSERT_EQUAL(std::string("0"), trimmed(env().sql("select count(*) from app_passwords where account_id="
                                                                 "(select id from accounts where username='fay')")));
        VerifyForm form = verify_form(*b, "/myaccount/verify?return=/myaccount/security/add&recent=1");
        CPPUNIT_ASSERT_MESSAGE(form.page.describe(3000), contains(form.page.body, "Confirm it"));
        wait_for_next_step();  // the code of the first verification's step is used
        assert_redirect(post_code(*b, form, oathtool_code(fay.secret), "/myaccount/security/add", {{"recent", "1"}}),
                        303, "/myaccount/security/add", "a fresh proof");
        IT_ASSERT_STATUS(b->get("/myaccount/security/add"), 200);
    }

    void testPasswordIsTheRecentProofWithoutAMethod() {
        allow_failed_sign_in_lines();
        auto b = signed_in_as("pam", "/myaccount/");
        IT_ASSERT_STATUS(b->get("/myaccount/security/add"), 200);
        // No page can age a sign-in: ten minutes and more pass here in the database instead.
        env().sql_write(
            "update sessions set signed_in_at = signed_in_at - 700 where ended_at = 0 and "
            "account_id = (select id from accounts where username = 'pam')");
        const std::string verify = "/myaccount/verify?return=/myaccount/security/add&recent=1";
        assert_redirect(b->get("/myaccount/security/add"), 303, verify, "a stale password");
        Response form = b->get(verify);
        IT_ASSERT_STATUS(form, 200);
        CPPUNIT_ASSERT_MESSAGE(form.describe(4000), contains(form.body, "autocomplete=\"current-password\""));
        const Fields base{{"csrf", csrf_from_html(form.body)}, {"return", "/myaccount/security/add"}, {"recent", "1"}};
        Fields wrong = base;
        wrong.emplace_back("current_password", "not pam's password");
        IT_ASSERT_STATUS(b->post_form("/myaccount/verify/password", wrong), 400);
        Fields right = base;
        right.emplace_back("current_password", password_of("pam"));
        assert_redirect(b->post_form("/myaccount/verify/password", right), 303, "/myaccount/security/add",
                        "the password again");
        IT_ASSERT_STATUS(b->get("/myaccount/security/add"), 200);
    }

    void testVerifyPostsNeedTheirToken() {
        enrolled("gina");
        auto b = signed_in_as("gina");
        VerifyForm form = verify_form(*b, kVerifyApp);
        for (const char* route : {"/myaccount/verify", "/myaccount/verify/send", "/myaccount/verify/password"}) {
            IT_ASSERT_STATUS(b->post_form(route, {{"return", kAppPage}, {"method", form.method}, {"code", "123456"}}),
                             403);
            IT_ASSERT_STATUS(b->post_form(route, {{"csrf", form.csrf}, {"method", form.method}, {"code", "123456"}},
                                          {{"Sec-Fetch-Site", "cross-site"}}),
                             403);
        }
        // Another person's method id is nobody's.
        auto carl = signed_in_as("carl");
        IT_ASSERT_STATUS(carl->get("/myaccount/verify?return=/&method=" + form.method), 303);
    }

    // OTP-11: a code accepted once and typed again is refused, kept in the audit trail, and the
    // owner is told (once an hour, however often it happens).
    void testAReplayedCodeIsToldToTheOwner() {
        const Enrolled& otto = enrolled("otto");
        const auto is_replay_notice = [](const Notification& n) {
            return n.header("Subject") == "A used sign-in code was typed again";
        };
        const std::size_t known = env().notification_count(kOttoAddress);
        auto first = signed_in_as("otto");
        const std::string code = oathtool_code(otto.secret);
        assert_redirect(post_code(*first, verify_form(*first, kVerifyApp), code, kAppPage), 303, kAppPage,
                        "otto's code, first time");
        auto second = signed_in_as("otto");
        Response replay = post_code(*second, verify_form(*second, kVerifyApp), code, kAppPage);
        IT_ASSERT_STATUS(replay, 400);
        CPPUNIT_ASSERT_MESSAGE(replay.describe(4000), contains(replay.body, "already used"));

        std::optional<Notification> told = env().wait_for_notification(kOttoAddress, known, 5, is_replay_notice);
        CPPUNIT_ASSERT_MESSAGE("no replay notice to " + std::string(kOttoAddress), told.has_value());
        CPPUNIT_ASSERT_MESSAGE(told->body(), contains(told->body(), "Authenticator app"));
        CPPUNIT_ASSERT_MESSAGE(told->body(), contains(told->body(), "change your password"));
        CPPUNIT_ASSERT_MESSAGE("the code itself must not be in the notice", !contains(told->message, code));
        CPPUNIT_ASSERT_EQUAL(std::string("1"),
                             trimmed(env().sql("select count(*) from audit_events where kind='second_factor_replay' "
                                               "and account_id=(select id from accounts where username='otto')")));

        // Typed again from a third browser: refused, recorded, but no second notice within the hour.
        auto third = signed_in_as("otto");
        IT_ASSERT_STATUS(post_code(*third, verify_form(*third, kVerifyApp), code, kAppPage), 400);
        CPPUNIT_ASSERT_EQUAL(std::string("2"),
                             trimmed(env().sql("select count(*) from audit_events where kind='second_factor_replay' "
                                               "and account_id=(select id from accounts where username='otto')")));
        std::this_thread::sleep_for(std::chrono::seconds(2));  // notices go out after the response
        std::size_t replay_notices = 0;
        for (const Notification& n : env().notifications_for(kOttoAddress)) replay_notices += is_replay_notice(n);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), replay_notices);
    }

    // A code of the next step is inside the window but says the phone runs ahead.
    void testACodeAtTheEdgeOfTheWindowWarnsOfTheClock() {
        const Enrolled& cleo = enrolled("cleo");
        auto b = signed_in_as("cleo");
        const std::string done = "/myaccount/verify/done?return=/app/index.html&clock=1";
        assert_redirect(post_code(*b, verify_form(*b, kVerifyApp), oathtool_code(cleo.secret, 30), kAppPage), 303,
                        done, "a code of the next step");
        Response page = b->get(done);
        IT_ASSERT_STATUS(page, 200);
        CPPUNIT_ASSERT_MESSAGE(page.describe(4000), contains(page.body, "your phone&#39;s clock seems to be off"));
        CPPUNIT_ASSERT_MESSAGE(page.describe(4000), contains(page.body, "href=\"/app/index.html\""));
        IT_ASSERT_STATUS(b->get(kAppPage), 200);
    }

    void testRememberedBrowserSkipsTheStep() {
        const Enrolled& remy = enrolled("remy");
        auto b = signed_in_as("remy");
        Response passed =
            post_code(*b, verify_form(*b, kVerifyApp), oathtool_code(remy.secret), kAppPage, {{"remember", "1"}});
        assert_redirect(passed, 303, kAppPage, "verified, remember this browser");
        std::optional<SetCookie> cookie = find_set_cookie(passed, kRememberCookie);
        CPPUNIT_ASSERT_MESSAGE(passed.describe(), cookie && !cookie->value.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("2592000"), cookie->attrs["max-age"]);
        CPPUNIT_ASSERT(cookie->has("httponly"));
        CPPUNIT_ASSERT_EQUAL(std::string("lax"), lower(cookie->attrs["samesite"]));
        // The token is kept only as a hash.
        CPPUNIT_ASSERT(!contains(env().dump(), cookie->value));

        Response out = b->post_form("/myaccount/signout", {{"csrf", csrf_of(*b, "/myaccount/")}});
        CPPUNIT_ASSERT_MESSAGE(out.describe(), out.status == 303 || out.status == 200);
        assert_signed_in(b->sign_in("remy", password_of("remy"), kAppPage), *b, "remy again, same browser");
        IT_ASSERT_STATUS(b->get(kAppPage), 200);
        // Applications behind the front never see the cookie; another browser is still asked.
        auto other = signed_in_as("remy");
        assert_redirect(other->get(kAppPage), 302, kVerifyApp, "another browser");
    }

    // An e-mail address is a 2-step method too: a code is sent to it at the verify step.
    // A phone's code, sent by text message at the verify step, opens the gate once.
    void testPhoneCodeAtTheVerifyStep() {
        const std::string number = "+819011112222";
        {
            auto first = signed_in_as("eve", "/myaccount/");
            register_phone(env(), *first, "090-1111-2222", number);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a sign-in of a later second
        auto b = signed_in_as("eve");
        assert_redirect(b->get(kAppPage), 302, kVerifyApp, "eve with a phone");
        VerifyForm form = verify_form(*b, kVerifyApp);
        // The number only by its last digits: this browser has proven no more than the password.
        CPPUNIT_ASSERT_MESSAGE(form.page.describe(4000),
                               contains(without_wbr(form.page.body), "+81 \u2022\u2022-\u2022\u2022\u2022\u2022-2222") &&
                                   !contains(form.page.body, "1111"));
        const std::size_t known = env().code_count(number);
        Response sent = b->post_form("/myaccount/verify/send",
                                     {{"csrf", form.csrf}, {"return", kAppPage}, {"method", form.method}});
        IT_ASSERT_STATUS(sent, 200);
        const std::string challenge = input_value(sent.body, "challenge");
        CPPUNIT_ASSERT_MESSAGE(sent.describe(4000), !challenge.empty());
        const std::string code = env().wait_for_code(number, known);
        CPPUNIT_ASSERT_MESSAGE("no code texted to " + number, !code.empty());
        Response wrong =
            post_code(*b, form, code == "00000000" ? "11111111" : "00000000", kAppPage, {{"challenge", challenge}});
        IT_ASSERT_STATUS(wrong, 400);
        assert_redirect(post_code(*b, form, code, kAppPage, {{"challenge", challenge}}), 303, kAppPage,
                        "the texted code");
        IT_ASSERT_STATUS(b->get(kAppPage), 200);
        // The code is used up.
        auto other = signed_in_as("eve");
        IT_ASSERT_STATUS(post_code(*other, verify_form(*other, kVerifyApp), code, kAppPage, {{"challenge", challenge}}),
                         400);
    }

    // An e-mail address is a way back in (reset), not a second factor: it opens the gate without a step.
    void testEmailAloneAsksNoStep() {
        {
            auto first = signed_in_as("ivy", "/myaccount/");
            register_email(env(), *first, "ivy@example.net", password_of("ivy"));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        auto b = signed_in_as("ivy");
        IT_ASSERT_STATUS(b->get(kAppPage), 200);
    }

    // Someone with the password only is held at the verify step; the owner, verified elsewhere,
    // replaces the authenticator: the held session owes the step for the new one all the same.
    void testAHeldSessionStaysHeldWhenTheMethodsChange() {
        const Enrolled first = enrol(env(), "kim", false, false);
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a sign-in of a later second
        auto held = signed_in_as("kim");
        assert_redirect(held->get(kAppPage), 302, kVerifyApp, "the password alone");
        auto owner = signed_in_as("kim", "/myaccount/");
        wait_for_next_step();  // the set-up's code is spent
        VerifyForm form = verify_form(*owner, kVerifyApp);
        assert_redirect(post_code(*owner, form, oathtool_code(first.secret), kAppPage), 303, kAppPage, "the owner");
        const std::string old_id = trimmed(env().sql(
            "select id from verification_methods where account_id=(select id from accounts where username='kim')"));
        enrol_authenticator(*owner, false);
        Response removed = owner->post_form("/myaccount/security/methods/remove",
                                            {{"csrf", csrf_of(*owner, "/myaccount/security")}, {"method", old_id}});
        IT_ASSERT_STATUS(removed, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("1\n"), env().sql("select count(*) from verification_methods where account_id="
                                                           "(select id from accounts where username='kim')"));
        assert_redirect(held->get(kAppPage), 302, kVerifyApp, "the held session after the change");
        IT_ASSERT_STATUS(owner->get(kAppPage), 200);
    }

    // A password reset of someone with a phone proves it too, and makes no session: the first
    // sign-in after it owes the second step all the same (RS-4).
    void testSignInAfterAResetStillPassesTheGate() {
        const std::string address = "ray@example.net";
        {
            auto first = signed_in_as("ray", "/myaccount/");
            register_email(env(), *first, address, password_of("ray"));
            register_phone(env(), *first, "090-3333-4444", "+819033334444");
        }
        auto b = fresh_browser();
        Response started =
            b->post_form("/myaccount/reset", {{"csrf", csrf_of(*b, "/myaccount/reset")}, {"username", "ray"}});
        assert_redirect(started, 303, "/myaccount/reset/verify", "reset started");
        const std::size_t known = env().code_count(address);
        assert_redirect(b->post_form("/myaccount/reset/send",
                                     {{"csrf", csrf_of(*b, "/myaccount/reset/verify")}, {"address", address}}),
                        303, "/myaccount/reset/verify", "code sent");
        const std::string code = env().wait_for_code(address, known);
        CPPUNIT_ASSERT_MESSAGE("no reset code for " + address, !code.empty());
        assert_redirect(
            b->post_form("/myaccount/reset/code", {{"csrf", csrf_of(*b, "/myaccount/reset/verify")}, {"code", code}}),
            303, "/myaccount/reset/verify", "the inbox, and a step more for the phone");
        const std::string number = "+819033334444";
        const std::size_t texted = env().code_count(number);
        assert_redirect(b->post_form("/myaccount/reset/send",
                                     {{"csrf", csrf_of(*b, "/myaccount/reset/verify")}, {"phone", "090-3333-4444"}}),
                        303, "/myaccount/reset/verify", "code texted");
        const std::string phone_code = env().wait_for_code(number, texted);
        CPPUNIT_ASSERT_MESSAGE("no reset code for " + number, !phone_code.empty());
        assert_redirect(b->post_form("/myaccount/reset/code",
                                     {{"csrf", csrf_of(*b, "/myaccount/reset/verify")}, {"code", phone_code}}),
                        303, "/myaccount/reset/password", "the phone's code");
        const std::string next = "a new harbour lantern 2027";
        Response reset = b->post_form(
            "/myaccount/reset/password",
            {{"csrf", csrf_of(*b, "/myaccount/reset/password")}, {"new_password", next}, {"confirm_password", next}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reset.describe(4000), 303L, reset.status);
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a sign-in of a later second
        auto in = fresh_browser();
        assert_signed_in(in->sign_in("ray", next, kAppPage), *in, "ray with the reset password");
        assert_redirect(in->get(kAppPage), 302, kVerifyApp, "the first sign-in after the reset");
    }
};

IT_REGISTER_SUITE(GateTest);

// MyAccountRequireMFA All: whoever has no method registers one before any gated page opens.
class GateAllTest : public ServerFixture<GateAllTest> {
    CPPUNIT_TEST_SUITE(GateAllTest);
    CPPUNIT_TEST(testMustRegisterAMethodFirst);
    CPPUNIT_TEST(testAPhoneCanBeTheFirstMethod);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "gate-all"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("nora", password_of("nora"));
        env.add_user("otto", password_of("otto"));
    }
    static std::string extra_directives(const Environment&) { return "MyAccountRequireMFA All"; }

    void testMustRegisterAMethodFirst() {
        allow_failed_sign_in_lines();
        auto b = fresh_browser();
        assert_signed_in(b->sign_in("nora", password_of("nora"), kAppPage), *b, "nora");
        const std::string register_first = "/myaccount/security/register?next=/app/index.html";
        assert_redirect(b->get(kAppPage), 302, register_first, "GET /app/ without a method");
        Response json = b->get(kAppPage, {{"Accept", "application/json"}});
        IT_ASSERT_STATUS(json, 401);
        CPPUNIT_ASSERT_EQUAL(register_first, nlohmann::json::parse(json.body).value("register_url", ""));
        assert_redirect(b->get("/myaccount/"), 303, "/myaccount/security/register?next=/myaccount/", "the portal");
        IT_ASSERT_STATUS(browser()->get_basic("/basic-app/", "nora", password_of("nora")), 403);

        Response page = b->get(register_first);
        IT_ASSERT_STATUS(page, 200);
        CPPUNIT_ASSERT_MESSAGE(page.describe(4000), contains(page.body, "Add an authenticator app"));
        Response setup = b->post_form("/myaccount/security/authenticator", {{"csrf", csrf_from_html(page.body)}});
        IT_ASSERT_STATUS(setup, 200);
        const std::string secret = totp_secret_on(setup.body);
        Response done =
            b->post_form("/myaccount/security/authenticator/confirm", {{"csrf", csrf_from_html(setup.body)},
                                                                       {"method", input_value(setup.body, "method")},
                                                                       {"code", oathtool_code(secret)}});
        IT_ASSERT_STATUS(done, 303);
        // Proven with a code as it was added: this session goes on; the next sign-in is asked.
        IT_ASSERT_STATUS(b->get(kAppPage), 200);
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a sign-in of a later second
        auto next = fresh_browser();
        assert_signed_in(next->sign_in("nora", password_of("nora"), kAppPage), *next, "nora again");
        assert_redirect(next->get(kAppPage), 302, kVerifyApp, "the next sign-in");
    }

    // Without an authenticator app: the phone form of the add page is open too, nothing else is.
    void testAPhoneCanBeTheFirstMethod() {
        auto b = fresh_browser();
        assert_signed_in(b->sign_in("otto", password_of("otto"), kAppPage), *b, "otto");
        Response page = b->get("/myaccount/security/register?next=/app/index.html");
        IT_ASSERT_STATUS(page, 200);
        CPPUNIT_ASSERT_MESSAGE(page.describe(4000), contains(page.body, "Use a phone instead"));
        assert_redirect(b->post_form("/myaccount/security/recovery-codes", {{"csrf", csrf_from_html(page.body)}}), 303,
                        "/myaccount/security/register?next=/myaccount/security/add", "recovery codes before a method");
        CPPUNIT_ASSERT_EQUAL(std::string("0\n"), env().sql("select count(*) from verification_methods where "
                                                           "account_id=(select id from accounts where username='otto')"));
        register_phone(env(), *b, "090-5555-6666", "+819055556666");
        IT_ASSERT_STATUS(b->get(kAppPage), 200);
    }
};

IT_REGISTER_SUITE(GateAllTest);
