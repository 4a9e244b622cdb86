// Activity: the page and its JSON twin list the account's sign-ins (success or failure and why,
// how) and security events, newest first, with address and device, a page at a time, in the
// reader's language and the configured time zone (MyAccountTimeZone); a sign-in refused because the
// device was disabled is listed too; bad and huge page numbers get a clear 400; rows older than
// MyAccountActivityRetention are pruned after responses.
#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;
using nlohmann::json;

namespace {

std::string password_of(const std::string& user) { return user + " watches the activity 2026"; }

std::string account_of(const std::string& user) { return "(select id from accounts where username='" + user + "')"; }

// 2026-01-01 00:00:00 UTC: 09:00 in Tokyo.
constexpr const char* new_year = "1767225600";

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
    }

    void testPagesAndBadPageNumbers() {
        auto b = signed_in_as("ria");
        add_events(env(), "ria", 45, new_year);  // older than the sign-in: they come after it
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
