// Activity: the page and its JSON twin list the account's sign-ins (success or failure and why,
// how) and security events, newest first, with address and device, a page at a time, in the
// reader's language and the configured time zone (MyAccountTimeZone); a sign-in refused because the
// device was disabled is listed too; bad and huge page numbers get a clear 400; rows older than
// MyAccountActivityRetention are pruned after responses.
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;
using nlohmann::json;

namespace {

std::string password_of(const std::string& user) { return user + " watches the activity 2026"; }

std::string account_of(const std::string& user) { return "(select id from accounts where username='" + user + "')"; }

// 2026-01-01 00:00:00 UTC: 09:00 in Tokyo.
constexpr const char* new_year = "1767225600";

// A day ago, in SQL: rows this recent outlive MyAccountActivityRetention's default (180 days), so a
// child's hourly pruning cannot take them in the middle of a test (new_year's would, after June 2026).
constexpr const char* a_day_ago = "(cast(strftime('%s', 'now') as integer) - 86400)";

// `count` audit events for `user`, one a second from `from` on, "bulk 1" the oldest.
void add_events(Environment& env, const std::string& user, int count, const std::string& from) {
    env.sql_write("with recursive n(i) as (select 1 union all select i + 1 from n where i < " + std::to_string(count) +
                  ") insert into audit_events (account_id, at, kind, client_ip, user_agent, detail)"
                  " select " + account_of(user) + ", " + from + " + i, 'method_renamed', '192.0.2.9', '', 'bulk ' || i"
                  " from n");
}

}  // namespace

class ActivityTest : public ServerFixture<ActivityTest> {
    CPPUNIT_TEST_SUITE(ActivityTest);
    CPPUNIT_TEST(testSignInsAndEventsNewestFirst);
    CPPUNIT_TEST(testTimesInTheConfiguredZoneAndLanguage);
    CPPUNIT_TEST(testPagesAndBadPageNumbers);
    CPPUNIT_TEST(testADisabledDevicesSignInIsListed);
    CPPUNIT_TEST(testAPasswordTypedAsTheIdIsNotKept);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "activity"; }
    static std::string extra_directives(const Environment&) { return "MyAccountTimeZone +09:00"; }
    static void prepare(Environment& env) {
        for (const char* user : {"pat", "quin", "ria", "sue"})
            env.add_user(user, password_of(user), user, std::string(user) + "@example.net");
    }

    std::unique_ptr<Browser> signed_in_as(const std::string& user, const std::string& language = "en") {
        auto b = browser_from(fresh_client_address(), language);
        assert_signed_in(b->sign_in(user, password_of(user)), *b, "sign-in of " + user);
        return b;
    }

    void testSignInsAndEventsNewestFirst() {
        allow_failed_sign_in_lines();
        auto wrong = fresh_browser();
        IT_ASSERT_STATUS(wrong->sign_in("pat", "not pat's password"), 401);
        auto b = signed_in_as("pat");
        auto other = signed_in_as("pat");
        // An event: pat signs the other browser out.
        const std::string csrf = csrf_of(*b, "/myaccount/devices");
        IT_ASSERT_STATUS(b->post_form("/myaccount/devices/sessions/end-others", {{"csrf", csrf}}), 303);

        Response page = b->get("/myaccount/activity");
        IT_ASSERT_STATUS(page, 200);
        assert_security_headers(page, "the activity page");
        const std::string& html = page.body;
        const std::size_t ended = html.find("Signed out of other sessions");
        const std::size_t signed_in = html.find("Signed in<");
        const std::size_t failed = html.find("Sign-in failed: wrong password");
        CPPUNIT_ASSERT_MESSAGE(page.describe(8000), ended != std::string::npos && signed_in != std::string::npos &&
                                                        failed != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("newest first\n" + page.describe(8000), ended < signed_in && signed_in < failed);
        CPPUNIT_ASSERT(contains(html, "Sign-in page"));  // how: the form
        CPPUNIT_ASSERT(contains(html, "(UTC+09:00)"));
        CPPUNIT_ASSERT(contains(html, " · 127."));        // the address
        CPPUNIT_ASSERT(contains(html, "href=\"/myaccount/activity\""));  // in the navigation

        Response api = b->get("/myaccount/api/v1/me/activity");
        IT_ASSERT_STATUS(api, 200);
        const json listed = json::parse(api.body);
        CPPUNIT_ASSERT_EQUAL(std::string("UTC+09:00"), listed.value("time_zone", ""));
        const json& entries = listed.at("entries");
        CPPUNIT_ASSERT_MESSAGE(api.body, entries.size() >= 4);
        CPPUNIT_ASSERT_EQUAL(std::string("other_sessions_ended"), entries[0].value("kind", ""));
        std::size_t successes = 0;
        std::size_t wrong_passwords = 0;
        for (const json& e : entries) {
            if (e.value("type", "") != "sign_in") continue;
            CPPUNIT_ASSERT_EQUAL(std::string("form"), e.value("method", ""));
            successes += e.value("result", "") == "success";
            wrong_passwords += e.value("result", "") == "bad_password";
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, successes);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, wrong_passwords);
        // Only pat's own lines: quin's sign-in is not among them.
        signed_in_as("quin");
        const std::string again = b->get("/myaccount/api/v1/me/activity").body;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(again, entries.size(), json::parse(again).at("entries").size());
    }

    void testTimesInTheConfiguredZoneAndLanguage() {
        auto b = signed_in_as("quin", "ja");
        env().sql_write("insert into audit_events (account_id, at, kind, client_ip, user_agent, detail) values (" +
                        account_of("quin") + ", " + new_year + ", 'password_changed', '192.0.2.1', '', '')");
        Response page = b->get("/myaccount/activity");
        IT_ASSERT_STATUS(page, 200);
        CPPUNIT_ASSERT_MESSAGE(page.describe(8000), contains(page.body, "2026年1月1日 9:00（UTC+09:00）"));
        CPPUNIT_ASSERT(contains(page.body, "パスワードを変更しました"));
        auto english = browser("en");
        english->set_source_address(fresh_client_address());
        assert_signed_in(english->sign_in("quin", password_of("quin")), *english, "quin in English");
        CPPUNIT_ASSERT(contains(english->get("/myaccount/activity").body, "1 Jan 2026, 9:00 (UTC+09:00)"));
        // The 2-step method a verification used, in the reader's words.
        env().sql_write("insert into audit_events (account_id, at, kind, client_ip, user_agent, detail) values (" +
                        account_of("quin") + ", " + new_year + " + 60, 'second_factor_passed', '192.0.2.1', '',"
                        " 'authenticator')");
        const std::string verified = english->get("/myaccount/activity").body;
        CPPUNIT_ASSERT_MESSAGE(verified, contains(verified, "2-step verification passed") &&
                                             contains(verified, ">Authenticator app<"));
        CPPUNIT_ASSERT(contains(b->get("/myaccount/activity").body, "2 段階認証に成功しました"));
    }

    void testPagesAndBadPageNumbers() {
        auto b = signed_in_as("ria");
        add_events(env(), "ria", 45, a_day_ago);  // older than the sign-in: they come after it
        Response first = b->get("/myaccount/activity");
        IT_ASSERT_STATUS(first, 200);
        CPPUNIT_ASSERT_MESSAGE(first.describe(8000), contains(first.body, "href=\"/myaccount/activity?page=2\""));
        CPPUNIT_ASSERT(!contains(first.body, "rel=\"prev\""));
        CPPUNIT_ASSERT(contains(first.body, "bulk 45") && !contains(first.body, "bulk 26<"));
        Response third = b->get("/myaccount/activity?page=3");
        IT_ASSERT_STATUS(third, 200);
        // 46 entries: the sign-in and 19 events, then 20, then the 6 oldest.
        CPPUNIT_ASSERT_MESSAGE(third.describe(8000), contains(third.body, "bulk 1<") && contains(third.body, "bulk 6<"));
        CPPUNIT_ASSERT(!contains(third.body, "bulk 7<"));
        CPPUNIT_ASSERT(contains(third.body, "href=\"/myaccount/activity?page=2\""));
        CPPUNIT_ASSERT(!contains(third.body, "?page=4"));

        Response far = b->get("/myaccount/activity?page=100000");
        IT_ASSERT_STATUS(far, 200);
        CPPUNIT_ASSERT(contains(far.body, "No activity on this page."));
        for (const char* bad : {"0", "-1", "abc", "1.5", "100001", "99999999999999999999", "", "1e3", "%2B1"}) {
            Response r = b->get(std::string("/myaccount/activity?page=") + bad);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string("page=") + bad + "\n" + r.describe(), 400L, r.status);
            CPPUNIT_ASSERT(contains(r.body, "whole number from 1 to 100000"));
        }
        const json api = json::parse(b->get("/myaccount/api/v1/me/activity?page=2&per_page=40").body);
        CPPUNIT_ASSERT_EQUAL(std::size_t{6}, api.at("entries").size());
        CPPUNIT_ASSERT(!api.at("has_more").get<bool>());
        for (const char* bad : {"per_page=0", "per_page=101", "per_page=18446744073709551617", "page=-5"}) {
            Response r = b->get(std::string("/myaccount/api/v1/me/activity?") + bad);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(bad) + "\n" + r.describe(), 400L, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("bad_page"), json::parse(r.body).at("error").value("code", ""));
        }
    }

    void testADisabledDevicesSignInIsListed() {
        auto shared = signed_in_as("sue");
        const std::string device = trimmed(env().sql("select id from devices where account_id=" + account_of("sue")));
        env().ctl_ok({"device", "disable", "sue", device});
        allow_failed_sign_in_lines();
        IT_ASSERT_STATUS(shared->sign_in("sue", password_of("sue")), 401);
        auto b = signed_in_as("sue");
        Response page = b->get("/myaccount/activity");
        CPPUNIT_ASSERT_MESSAGE(page.describe(8000), contains(page.body, "Sign-in refused: the device is disabled"));
        CPPUNIT_ASSERT(contains(page.body, "Device disabled"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), trimmed(env().sql("select count(*) from sign_in_attempts where account_id=" +
                                                                 account_of("sue") + " and result='device_disabled'")));
    }

    // A password typed into the user field is kept nowhere of ours: not in the sign-in records
    // (an unknown ID is a keyed hash there), not in the module's log lines.
    void testAPasswordTypedAsTheIdIsNotKept() {
        allow_failed_sign_in_lines();
        const std::string typed = "lanterns-over-the-harbor-2026";
        IT_ASSERT_STATUS(fresh_browser()->sign_in(typed, "anything"), 401);
        IT_ASSERT_STATUS(fresh_browser()->sign_in(typed, "anything else"), 401);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), trimmed(env().sql("select count(*) from sign_in_attempts where username"
                                                                 " like '%harbor%'")));
        const std::string kept = env().sql("select distinct username from sign_in_attempts where account_id is null");
        CPPUNIT_ASSERT_MESSAGE(kept, contains(kept, "unknown:") && trimmed(kept).find('\n') == std::string::npos);
        std::ifstream log(env().error_log());
        for (std::string line; std::getline(log, line);)
            if (contains(line, "MYA0")) CPPUNIT_ASSERT_MESSAGE(line, !contains(line, "harbor"));
    }
};

IT_REGISTER_SUITE(ActivityTest);

// MyAccountActivityRetention 30: rows older than 30 days go after the first responses of a process;
// newer ones stay.
class ActivityRetentionTest : public ServerFixture<ActivityRetentionTest> {
    CPPUNIT_TEST_SUITE(ActivityRetentionTest);
    CPPUNIT_TEST(testOldRowsArePrunedAfterResponses);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "activity-retention"; }
    static std::string extra_directives(const Environment&) { return "MyAccountActivityRetention 30"; }
    static void prepare(Environment& env) {
        env.add_user("old", password_of("old"));
        const std::string now = "cast(strftime('%s','now') as integer)";
        add_events(env, "old", 1200, now + " - 40 * 86400");  // more than one batch
        add_events(env, "old", 3, now + " - 10 * 86400");
        env.sql_write("insert into sign_in_attempts (username, account_id, at, client_ip, user_agent, method, result)"
                      " values ('old', " + account_of("old") + ", " + now + " - 40 * 86400, '192.0.2.3', '', 'form',"
                      " 'success')");
    }

    void testOldRowsArePrunedAfterResponses() {
        const std::string old_rows = "select (select count(*) from audit_events where at < strftime('%s','now') - 30 * 86400)"
                                     " + (select count(*) from sign_in_attempts where at < strftime('%s','now') - 30 * 86400)";
        std::string left;
        for (int i = 0; i < 100; ++i) {
            IT_ASSERT_STATUS(browser()->get("/static/hello.txt"), 200);
            left = trimmed(env().sql(old_rows));
            if (left == "0") break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("old rows left", std::string("0"), left);
        CPPUNIT_ASSERT_EQUAL(std::string("3"), trimmed(env().sql("select count(*) from audit_events")));
    }
};

IT_REGISTER_SUITE(ActivityRetentionTest);

// "This wasn't me": from one browser, about a sign-in of another; every session ends, the methods
// added in the last 7 days are suspended (an older one still proves a reset), the password no longer
// signs in until the reset flow sets a new one, the user is told; afterwards the suspended method
// can be confirmed. Someone else's entry, or a forged one, is 404.
class NotMeTest : public ServerFixture<NotMeTest> {
    CPPUNIT_TEST_SUITE(NotMeTest);
    CPPUNIT_TEST(testThisWasntMeSecuresTheAccountUntilANewPassword);
    CPPUNIT_TEST(testOtherPeoplesAndForgedEntriesAre404);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "not-me"; }
    static void prepare(Environment& env) {
        for (const char* user : {"una", "val", "wim"}) env.add_user(user, password_of(user), user, std::string(user) + "@example.net");
    }

    std::unique_ptr<Browser> signed_in_as(const std::string& user) {
        auto b = fresh_browser();
        assert_signed_in(b->sign_in(user, password_of(user)), *b, "sign-in of " + user);
        return b;
    }

    // The "This wasn't me" link of the newest entry whose title is `title` on the activity page.
    static std::string not_me_link(const std::string& html, const std::string& title) {
        const std::size_t at = html.find(">" + title + "<");
        CPPUNIT_ASSERT_MESSAGE(title + " not listed", at != std::string::npos);
        const std::string marker = "href=\"/myaccount/activity/not-me?entry=";
        const std::size_t link = html.find(marker, at);
        CPPUNIT_ASSERT(link != std::string::npos);
        return html.substr(link + 6, html.find('"', link + 6) - link - 6);
    }

    void testThisWasntMeSecuresTheAccountUntilANewPassword() {
        auto mine = signed_in_as("una");
        register_email(env(), *mine, "una.old@example.net", password_of("una"));
        // Added long ago: it stays usable; the one added now is suspended.
        env().sql_write("update verification_methods set created_at = created_at - 8 * 86400 where account_id=" +
                        account_of("una"));
        register_email(env(), *mine, "una.new@example.net", password_of("una"));
        // An app password made now (by the intruder, for all una knows): it works, until "not me".
        Response shown = mine->post_form("/myaccount/security/app-passwords",
                                         {{"csrf", csrf_of(*mine, "/myaccount/security")}, {"label", "sync"}});
        std::smatch found;
        CPPUNIT_ASSERT_MESSAGE(shown.describe(4000),
                               std::regex_search(shown.body, found, std::regex(R"re(<code class="secret">([a-z ]+)</code>)re")));
        const std::string app_password = found[1];
        IT_ASSERT_STATUS(fresh_browser()->get_basic("/basic/", "una", app_password), 200);
        auto theirs = signed_in_as("una");  // the sign-in una does not recognize
        const std::size_t notices = env().notification_count("una.old@example.net");

        Response activity = mine->get("/myaccount/activity");
        const std::string question_path = not_me_link(activity.body, "Signed in");
        Response question = mine->get(question_path);
        IT_ASSERT_STATUS(question, 200);
        CPPUNIT_ASSERT_MESSAGE(question.describe(6000), contains(question.body, "You don&#39;t recognize this: Signed in"));
        CPPUNIT_ASSERT(contains(question.body, "suspend the sign-in methods added in the last 7 days"));
        const std::string entry = question_path.substr(question_path.find("entry=") + 6);
        const std::string csrf = csrf_from_html(question.body);
        assert_post_needs_token(*mine, "/myaccount/activity/not-me", {{"entry", entry}}, csrf);
        IT_ASSERT_STATUS(theirs->get("/myaccount/"), 200);  // refused posts changed nothing

        Response yes = mine->post_form("/myaccount/activity/not-me", {{"csrf", csrf}, {"entry", entry}});
        IT_ASSERT_STATUS(yes, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/login?not_me=1"), location_path(yes));
        CPPUNIT_ASSERT(contains(mine->get("/myaccount/login?not_me=1").body, "Your account is secured"));
        for (Browser* b : {mine.get(), theirs.get()}) assert_login_page(b->get("/myaccount/"), "a browser after 'not me'");
        CPPUNIT_ASSERT_EQUAL(std::string("1|una.old@example.net|una.new@example.net|not_me"),
                             trimmed(env().sql(
                                 "select a.password_reset_required,"
                                 " (select address from verification_methods where account_id=a.id and active=1),"
                                 " (select address from verification_methods where account_id=a.id and suspended_at>0),"
                                 " (select end_reason from sessions where account_id=a.id order by id desc limit 1)"
                                 " from accounts a where username='una'")));
        std::optional<Notification> told = env().wait_for_notification(
            "una.old@example.net", notices, 5,
            [](const Notification& n) { return contains(n.message, "that wasn't you"); });
        CPPUNIT_ASSERT_MESSAGE("no notice of 'not me'", told.has_value());
        CPPUNIT_ASSERT_MESSAGE(told->message, contains(told->message, "Signed in"));
        // Every notice says when, from where and on what, and where to say "This wasn't me".
        for (const char* part : {"When: ", "(UTC)", "From: 127.", "/myaccount/activity"})
            CPPUNIT_ASSERT_MESSAGE(std::string(part) + "\n" + told->message, contains(told->message, part));

        // The password alone no longer signs in, nor does the app password made before.
        allow_failed_sign_in_lines();
        IT_ASSERT_STATUS(fresh_browser()->get_basic("/basic/", "una", app_password), 401);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), trimmed(env().sql("select count(*) from app_passwords where account_id=" +
                                                                 account_of("una"))));
        auto again = fresh_browser();
        Response refused = again->sign_in("una", password_of("una"));
        IT_ASSERT_STATUS(refused, 401);
        CPPUNIT_ASSERT_MESSAGE(refused.describe(6000), contains(refused.body, "choose a new password before you sign in"));
        // The suspended address proves nothing in the reset flow; the old one does.
        auto reset = fresh_browser();
        assert_see_other(start_reset(*reset, "una"), "/myaccount/reset/verify", "start una's reset");
        CPPUNIT_ASSERT(!contains(reset->get("/myaccount/reset/verify").body, "una.new"));
        const std::string code = request_code(env(), *reset, "una.old@example.net");
        assert_see_other(enter_code(*reset, code), "/myaccount/reset/password", "una's code");
        const std::string fresh = "lanterns over the quiet harbor 2026";
        IT_ASSERT_STATUS(choose_password(*reset, fresh, fresh), 303);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), trimmed(env().sql("select password_reset_required from accounts"
                                                                 " where username='una'")));
        auto back = fresh_browser();
        assert_signed_in(back->sign_in("una", fresh), *back, "una with her new password");
        // The suspended method is listed for her to confirm (a recent sign-in is proof enough).
        Response security = back->get("/myaccount/security");
        CPPUNIT_ASSERT_MESSAGE(security.describe(8000), contains(security.body, "Suspended sign-in methods"));
        const std::string method = trimmed(env().sql("select id from verification_methods where suspended_at > 0"
                                                     " and account_id=" + account_of("una")));
        assert_post_needs_token(*back, "/myaccount/security/methods/confirm", {{"method", method}},
                                csrf_from_html(security.body));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), trimmed(env().sql("select count(*) from verification_methods"
                                                                 " where suspended_at > 0 and id=" + method)));
        Response confirmed = back->post_form("/myaccount/security/methods/confirm",
                                             {{"csrf", csrf_from_html(security.body)}, {"method", method}});
        IT_ASSERT_STATUS(confirmed, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("1|0"), trimmed(env().sql("select active, suspended_at from verification_methods"
                                                                   " where id=" + method)));
        IT_ASSERT_STATUS(back->post_form("/myaccount/security/methods/confirm",
                                         {{"csrf", csrf_from_html(security.body)}, {"method", method}}),
                         404);
        const std::string kinds = env().sql("select group_concat(kind) from audit_events where account_id=" +
                                            account_of("una"));
        CPPUNIT_ASSERT_MESSAGE(kinds, contains(kinds, "not_me") && contains(kinds, "method_confirmed"));
    }

    void testOtherPeoplesAndForgedEntriesAre404() {
        auto val = signed_in_as("val");
        auto wim = signed_in_as("wim");
        const std::string wims_entry =
            "s" + trimmed(env().sql("select max(id) from sign_in_attempts where account_id=" + account_of("wim")));
        const std::string csrf = csrf_of(*val, "/myaccount/activity");
        for (const std::string& forged : {wims_entry, std::string("s"), std::string("x1"), std::string("s-1"),
                                          std::string("e99999999"), std::string("s1 "), std::string()}) {
            IT_ASSERT_STATUS(val->get("/myaccount/activity/not-me?" + Browser::urlencode({{"entry", forged}})), 404);
            Response r = val->post_form("/myaccount/activity/not-me", {{"csrf", csrf}, {"entry", forged}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE("entry '" + forged + "'\n" + r.describe(), 404L, r.status);
        }
        // The JSON twin: a token is required, and another account's entry is 404 there too.
        const std::string body = json{{"id", wims_entry}}.dump();
        IT_ASSERT_STATUS(val->post_json("/myaccount/api/v1/me/activity/not-me", body), 403);
        IT_ASSERT_STATUS(val->post_json("/myaccount/api/v1/me/activity/not-me", body, {{"X-CSRF-Token", api_token(*val)}}),
                         404);
        IT_ASSERT_STATUS(val->post_json("/myaccount/api/v1/me/activity/not-me", "{\"id\": 5}",
                                        {{"X-CSRF-Token", api_token(*val)}}),
                         400);
        IT_ASSERT_STATUS(val->get("/myaccount/"), 200);
        IT_ASSERT_STATUS(wim->get("/myaccount/"), 200);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), trimmed(env().sql("select count(*) from audit_events where kind='not_me'"
                                                                 " and account_id=" + account_of("val"))));
    }
};

IT_REGISTER_SUITE(NotMeTest);

// MyAccountSecurityAlerts password: a password change is told, signing out everywhere is not (it is
// still done and recorded).
class SecurityAlertsTest : public ServerFixture<SecurityAlertsTest> {
    CPPUNIT_TEST_SUITE(SecurityAlertsTest);
    CPPUNIT_TEST(testOnlyTheKindsTurnedOnAreTold);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "security-alerts"; }
    static std::string extra_directives(const Environment&) {
        return "MyAccountSecurityAlerts password\nMyAccountAlertNewDevice Off";
    }
    static void prepare(Environment& env) { env.add_user("xan", password_of("xan"), "xan", "xan@example.net"); }

    void testOnlyTheKindsTurnedOnAreTold() {
        auto b = fresh_browser();
        assert_signed_in(b->sign_in("xan", password_of("xan")), *b, "sign-in of xan");
        const std::size_t before = env().notification_count("xan@example.net");
        Response out = b->post_form("/myaccount/sign-out-everywhere",
                                    {{"csrf", csrf_of(*b, "/myaccount/sign-out-everywhere")}});
        IT_ASSERT_STATUS(out, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), trimmed(env().sql("select count(*) from audit_events where"
                                                                 " kind='signed_out_everywhere'")));
        auto c = fresh_browser();
        assert_signed_in(c->sign_in("xan", password_of("xan")), *c, "xan again");
        const std::string fresh = "a quieter harbor of lanterns 2026";
        Response changed = c->post_form("/myaccount/password", {{"csrf", csrf_of(*c, "/myaccount/password")},
                                                                {"current_password", password_of("xan")},
                                                                {"new_password", fresh},
                                                                {"confirm_password", fresh}});
        IT_ASSERT_STATUS(changed, 303);
        std::optional<Notification> told = env().wait_for_notification("xan@example.net", before, 5);
        CPPUNIT_ASSERT_MESSAGE("no notice of the password change", told.has_value());
        CPPUNIT_ASSERT_MESSAGE(told->message, contains(told->header("Subject"), "password"));
        // The only one: the sign-out everywhere before it was not told.
        CPPUNIT_ASSERT_EQUAL(before + 1, env().notification_count("xan@example.net"));
    }
};

IT_REGISTER_SUITE(SecurityAlertsTest);
