// Where a person is signed in (SS-5, ASVS 3.3.4): several cookie jars as several browsers of one
// person; each sees the sessions, ends one of the others, or all others but itself; the JSON twins;
// other people's and forged ids change nothing. Devices: the cookie that names a browser outlives
// sign-out; disabling one ends its sessions and refuses its sign-ins (not another person's on it)
// until myaccountctl enables it again.
#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;
using nlohmann::json;

namespace {

std::string password_of(const std::string& user) {
    return user + "'s devices password 2026";
}

json sessions_of(Browser& b) {
    Response r = b.get("/myaccount/api/v1/me/sessions");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.describe(), 200L, r.status);
    return json::parse(r.body).at("sessions");
}

// The id of the one session in `list` that is (or is not) the asking browser's.
std::string session_id(const json& list, bool current) {
    for (const json& s : list)
        if (s.value("current", false) == current) return std::to_string(s.value("id", 0));
    CPPUNIT_FAIL("no such session in " + list.dump());
    return {};
}

json devices_of(Browser& b) {
    Response r = b.get("/myaccount/api/v1/me/devices");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.describe(), 200L, r.status);
    return json::parse(r.body).at("devices");
}

// The id of the asking browser's device (current) or of the one other device.
std::string device_id(const json& list, bool current) { return session_id(list, current); }

// The Set-Cookie line that sets `name`, "" when none.
std::string set_cookie_line(const Response& r, const std::string& name) {
    for (const std::string& line : r.raw_header_lines)
        if (line.rfind("Set-Cookie: " + name + "=", 0) == 0) return line;
    return {};
}

}  // namespace

class DevicesTest : public ServerFixture<DevicesTest> {
    CPPUNIT_TEST_SUITE(DevicesTest);
    CPPUNIT_TEST(testBothBrowsersSeeTheirSessions);
    CPPUNIT_TEST(testEndOneSessionFromAnother);
    CPPUNIT_TEST(testAllOthersButThisOne);
    CPPUNIT_TEST(testTheApiEndsOneOrAllOthers);
    CPPUNIT_TEST(testOtherPeoplesAndForgedIdsChangeNothing);
    CPPUNIT_TEST(testTheDeviceOutlivesSignOut);
    CPPUNIT_TEST(testADisabledDeviceCannotSignInUntilEnabled);
    CPPUNIT_TEST(testDisablingThisDeviceSignsItOut);
    CPPUNIT_TEST(testOtherPeoplesAndForgedDevicesChangeNothing);
    CPPUNIT_TEST(testASignInFromANewDeviceIsAnnounced);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "devices"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        for (const char* user : {"dee", "eli", "fin", "gus", "hal", "ian", "kim", "lou", "max", "ned", "oz", "pat"})
            env.add_user(user, password_of(user), user, std::string(user) + "@example.net");
    }

    std::unique_ptr<Browser> signed_in_as(const std::string& user) { return fresh_signed_in(user, password_of(user)); }

    void testBothBrowsersSeeTheirSessions() {
        auto a = signed_in_as("dee");
        auto b = signed_in_as("dee");
        Response page = a->get("/myaccount/devices");
        IT_ASSERT_STATUS(page, 200);
        assert_security_headers(page, "the devices page");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.describe(6000), std::size_t{1}, count_of(page.body, "This browser"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.describe(6000), std::size_t{1},
                                     count_of(page.body, "action=\"/myaccount/devices/sessions/end\""));
        CPPUNIT_ASSERT(contains(page.body, "Sign out of all other sessions"));
        CPPUNIT_ASSERT(contains(page.body, "Signed in "));
        CPPUNIT_ASSERT(contains(page.body, "href=\"/myaccount/sign-out-everywhere\""));

        for (Browser* browser : {a.get(), b.get()}) {
            json list = sessions_of(*browser);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(list.dump(), std::size_t{2}, list.size());
            CPPUNIT_ASSERT_EQUAL(1L, static_cast<long>(std::count_if(list.begin(), list.end(), [](const json& s) {
                                         return s.value("current", false);
                                     })));
            for (const json& s : list) {
                CPPUNIT_ASSERT_MESSAGE(s.dump(), s.value("address", "").rfind("127.", 0) == 0);
                CPPUNIT_ASSERT_MESSAGE(s.dump(), s.value("started_at", 0) > 0 && s.value("last_active_at", 0) > 0);
            }
        }
        // Each browser's own session is a different one.
        CPPUNIT_ASSERT(session_id(sessions_of(*a), true) != session_id(sessions_of(*b), true));
    }

    void testEndOneSessionFromAnother() {
        auto a = signed_in_as("eli");
        auto b = signed_in_as("eli");
        const std::string other = session_id(sessions_of(*a), false);
        const std::string csrf = csrf_of(*a, "/myaccount/devices");
        assert_post_needs_token(*a, "/myaccount/devices/sessions/end", {{"session", other}}, csrf);
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);

        Response ended = a->post_form("/myaccount/devices/sessions/end", {{"csrf", csrf}, {"session", other}});
        IT_ASSERT_STATUS(ended, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/devices?ended=1"), location_path(ended));
        Response after = a->get("/myaccount/devices?ended=1");
        CPPUNIT_ASSERT_MESSAGE(after.describe(), contains(after.body, "That session was signed out."));
        assert_login_page(b->get("/myaccount/"), "the ended session's browser");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, sessions_of(*a).size());
        CPPUNIT_ASSERT_EQUAL(std::string("1"),
                             trimmed(env().sql("select count(*) from audit_events where kind='session_ended' and "
                                               "account_id=(select id from accounts where username='eli')")));
        // The same id again: already ended.
        IT_ASSERT_STATUS(a->post_form("/myaccount/devices/sessions/end", {{"csrf", csrf}, {"session", other}}), 404);
    }

    void testAllOthersButThisOne() {
        auto a = signed_in_as("fin");
        auto b = signed_in_as("fin");
        auto c = signed_in_as("fin");
        const std::string csrf = csrf_of(*a, "/myaccount/devices");
        assert_post_needs_token(*a, "/myaccount/devices/sessions/end-others", {}, csrf);
        Response ended = a->post_form("/myaccount/devices/sessions/end-others", {{"csrf", csrf}});
        IT_ASSERT_STATUS(ended, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/devices?ended=others"), location_path(ended));
        for (Browser* other : {b.get(), c.get()}) assert_login_page(other->get("/myaccount/"), "another session");
        Response page = a->get("/myaccount/devices?ended=others");
        IT_ASSERT_STATUS(page, 200);
        CPPUNIT_ASSERT(contains(page.body, "Every other session was signed out."));
        CPPUNIT_ASSERT_MESSAGE("no other session is left to end", !contains(page.body, "Sign out of all other sessions"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, sessions_of(*a).size());
    }

    void testTheApiEndsOneOrAllOthers() {
        auto a = signed_in_as("gus");
        auto b = signed_in_as("gus");
        auto c = signed_in_as("gus");
        const std::string token = api_token(*a);
        const std::string path = "/myaccount/api/v1/me/sessions/" + session_id(sessions_of(*b), true);
        IT_ASSERT_STATUS(a->request("DELETE", path), 403);
        Response one = a->request("DELETE", path, {}, {{"X-CSRF-Token", token}});
        IT_ASSERT_STATUS(one, 200);
        CPPUNIT_ASSERT_EQUAL(true, json::parse(one.body).value("ended", false));
        assert_login_page(b->get("/myaccount/"), "the session ended by the API");
        Response others = a->request("DELETE", "/myaccount/api/v1/me/sessions/others", {}, {{"X-CSRF-Token", token}});
        IT_ASSERT_STATUS(others, 200);
        CPPUNIT_ASSERT_EQUAL(1, json::parse(others.body).value("sessions_ended", -1));
        assert_login_page(c->get("/myaccount/"), "a session ended with all others");
        IT_ASSERT_STATUS(a->get("/myaccount/"), 200);
    }

    void testOtherPeoplesAndForgedIdsChangeNothing() {
        auto mine = signed_in_as("hal");
        auto theirs = signed_in_as("ian");
        const std::string their_id = session_id(sessions_of(*theirs), true);
        const std::string csrf = csrf_of(*mine, "/myaccount/devices");
        const std::string token = api_token(*mine);
        for (const std::string& id : {their_id, std::string("0"), std::string("-1"), std::string("abc"),
                                      std::string("99999999999999999999"), std::string(""), their_id + "x"}) {
            IT_ASSERT_STATUS(mine->post_form("/myaccount/devices/sessions/end", {{"csrf", csrf}, {"session", id}}), 404);
            if (!id.empty())
                IT_ASSERT_STATUS(mine->request("DELETE", "/myaccount/api/v1/me/sessions/" + id, {},
                                               {{"X-CSRF-Token", token}}),
                                 404);
        }
        IT_ASSERT_STATUS(theirs->get("/myaccount/"), 200);
        IT_ASSERT_STATUS(mine->get("/myaccount/"), 200);
        CPPUNIT_ASSERT_EQUAL(std::string("0"),
                             trimmed(env().sql("select count(*) from audit_events where kind='session_ended' and "
                                               "account_id in (select id from accounts where username in ('hal','ian'))")));
    }

    void testTheDeviceOutlivesSignOut() {
        auto a = fresh_browser();
        Response first = a->sign_in("kim", password_of("kim"));
        assert_signed_in(first, *a, "first sign-in of kim");
        const std::string line = set_cookie_line(first, "myaccount_device");
        CPPUNIT_ASSERT_MESSAGE(first.describe(), !line.empty());
        for (const char* attribute : {"HttpOnly", "SameSite=Lax", "Max-Age=34560000", "path=/"})
            CPPUNIT_ASSERT_MESSAGE(line, contains_ci(line, attribute));
        const std::string cookie = a->cookie("myaccount_device");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(cookie, std::size_t{43}, cookie.size());
        // Only its hash is kept.
        CPPUNIT_ASSERT_EQUAL(std::string("32"), trimmed(env().sql("select length(token_hash) from devices where account_id="
                                                                  "(select id from accounts where username='kim')")));
        CPPUNIT_ASSERT(!contains(env().dump(), cookie));

        const std::string csrf = csrf_of(*a, "/myaccount/");
        IT_ASSERT_STATUS(a->post_form("/myaccount/signout", {{"csrf", csrf}}), 303);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the device cookie outlives sign-out", cookie, a->cookie("myaccount_device"));
        assert_signed_in(a->sign_in("kim", password_of("kim")), *a, "second sign-in of kim");
        CPPUNIT_ASSERT_EQUAL(cookie, a->cookie("myaccount_device"));
        auto b = fresh_signed_in("kim", password_of("kim"));
        CPPUNIT_ASSERT(b->cookie("myaccount_device") != cookie);

        const json devices = devices_of(*a);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(devices.dump(), std::size_t{2}, devices.size());
        for (const json& d : devices) {
            CPPUNIT_ASSERT_MESSAGE(d.dump(), d.value("first_seen_at", 0) > 0);
            CPPUNIT_ASSERT_MESSAGE(d.dump(), d.value("last_sign_in_at", 0) >= d.value("first_seen_at", 0));
            CPPUNIT_ASSERT_MESSAGE(d.dump(), d.value("last_address", "").rfind("127.", 0) == 0);
            CPPUNIT_ASSERT_MESSAGE(d.dump(), !d.value("disabled", true));
            // Each device lists its live session: one each (the signed-out one is gone).
            CPPUNIT_ASSERT_EQUAL_MESSAGE(d.dump(), std::size_t{1}, d.at("sessions").size());
        }
        Response page = a->get("/myaccount/devices");
        IT_ASSERT_STATUS(page, 200);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.describe(8000), std::size_t{1}, count_of(page.body, ">This device<"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.describe(8000), std::size_t{2}, count_of(page.body, ">Disable device<"));
        CPPUNIT_ASSERT(contains(page.body, "First seen "));
        CPPUNIT_ASSERT(contains(page.body, "Last sign-in "));
        // myaccountctl lists the same two.
        const json listed = json::parse(env().ctl_ok({"device", "list", "kim", "--json"}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(listed.dump(), std::size_t{2}, listed.size());
    }

    void testADisabledDeviceCannotSignInUntilEnabled() {
        allow_failed_sign_in_lines();  // mod_auth_form reports the refused sign-in as a mismatch
        auto a = signed_in_as("lou");
        auto b = signed_in_as("lou");
        const std::string b_device = device_id(devices_of(*b), true);
        const std::size_t notices = env().notification_count("lou@example.net");

        Response question = a->get("/myaccount/devices/disable?device=" + b_device);
        IT_ASSERT_STATUS(question, 200);
        CPPUNIT_ASSERT_MESSAGE(question.describe(4000), contains(question.body, "It will be signed out at once"));
        CPPUNIT_ASSERT(contains(question.body, "name=\"device\" value=\"" + b_device + "\""));
        CPPUNIT_ASSERT(contains(question.body, ">Yes<") && contains(question.body, "href=\"/myaccount/devices\""));
        const std::string csrf = csrf_of(*a, "/myaccount/devices/disable?device=" + b_device);
        assert_post_needs_token(*a, "/myaccount/devices/disable", {{"device", b_device}}, csrf);
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);

        Response done = a->post_form("/myaccount/devices/disable", {{"csrf", csrf}, {"device", b_device}});
        IT_ASSERT_STATUS(done, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/devices?disabled=1"), location_path(done));
        assert_login_page(b->get("/myaccount/"), "the disabled device's session");
        IT_ASSERT_STATUS(a->get("/myaccount/"), 200);

        // Its next sign-in is refused with the reason, even with the right password.
        Response refused = b->sign_in("lou", password_of("lou"));
        CPPUNIT_ASSERT_MESSAGE(refused.describe(4000), refused.status == 401 || refused.status == 200);
        CPPUNIT_ASSERT_MESSAGE(refused.describe(4000), contains(refused.body, "This device was disabled for your account"));
        CPPUNIT_ASSERT_MESSAGE(refused.describe(4000), !contains(refused.body, "The user ID or password is incorrect"));
        assert_login_page(b->get("/myaccount/"), "after the refused sign-in");
        // Someone else on the same browser signs in.
        assert_signed_in(b->sign_in("max", password_of("max")), *b, "another user on the disabled device");
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);

        std::optional<Notification> told = env().wait_for_notification(
            "lou@example.net", notices, 5, [](const Notification& n) { return contains(n.message, "was disabled"); });
        CPPUNIT_ASSERT_MESSAGE("no notice of the disabled device", told.has_value());
        const std::string events = env().sql("select kind from audit_events where account_id="
                                             "(select id from accounts where username='lou') order by id");
        CPPUNIT_ASSERT_MESSAGE(events, contains(events, "device_disabled"));

        // The administrator enables it again.
        const json listed = json::parse(env().ctl_ok({"device", "list", "lou", "--json"}));
        bool seen_disabled = false;
        for (const json& d : listed)
            if (std::to_string(d.value("id", 0)) == b_device) seen_disabled = d.value("disabled", false);
        CPPUNIT_ASSERT_MESSAGE(listed.dump(), seen_disabled);
        const std::string enabled = env().ctl_ok({"device", "enable", "lou", b_device});
        CPPUNIT_ASSERT_MESSAGE(enabled, contains(enabled, "enabled device " + b_device));
        auto again = b->sign_in("lou", password_of("lou"));
        assert_signed_in(again, *b, "the enabled device");
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
        // And can disable it from the command line too.
        const std::string disabled = env().ctl_ok({"device", "disable", "lou", b_device});
        CPPUNIT_ASSERT_MESSAGE(disabled, contains(disabled, "1 session ended"));
        assert_login_page(b->get("/myaccount/"), "disabled by the administrator");
    }

    void testDisablingThisDeviceSignsItOut() {
        allow_failed_sign_in_lines();
        auto a = signed_in_as("ned");
        const std::string mine = device_id(devices_of(*a), true);
        Response question = a->get("/myaccount/devices/disable?device=" + mine);
        CPPUNIT_ASSERT_MESSAGE(question.describe(4000), contains(question.body, "This is the device you are using now"));
        const std::string token = api_token(*a);
        IT_ASSERT_STATUS(a->request("PATCH", "/myaccount/api/v1/me/devices/" + mine, R"({"disabled":true})",
                                    {{"Content-Type", "application/json"}}),
                         403);
        Response done = a->request("PATCH", "/myaccount/api/v1/me/devices/" + mine, R"({"disabled":true})",
                                   {{"Content-Type", "application/json"}, {"X-CSRF-Token", token}});
        IT_ASSERT_STATUS(done, 200);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, true, json::parse(done.body).value("signed_out", false));
        assert_login_page(a->get("/myaccount/"), "the browser that disabled itself");
        Response refused = a->sign_in("ned", password_of("ned"));
        CPPUNIT_ASSERT_MESSAGE(refused.describe(4000), contains(refused.body, "This device was disabled for your account"));
    }

    void testOtherPeoplesAndForgedDevicesChangeNothing() {
        auto mine = signed_in_as("oz");
        auto theirs = signed_in_as("hal");
        const std::string their_device = device_id(devices_of(*theirs), true);
        const std::string my_device = device_id(devices_of(*mine), true);
        const std::string csrf = csrf_of(*mine, "/myaccount/devices");
        const std::string token = api_token(*mine);
        const Headers headers = {{"Content-Type", "application/json"}, {"X-CSRF-Token", token}};
        for (const std::string& id : {their_device, std::string("0"), std::string("-1"), std::string("abc"),
                                      std::string("99999999999999999999"), std::string(""), my_device + "x"}) {
            IT_ASSERT_STATUS(mine->get("/myaccount/devices/disable?device=" + id), 404);
            IT_ASSERT_STATUS(mine->post_form("/myaccount/devices/disable", {{"csrf", csrf}, {"device", id}}), 404);
            if (!id.empty())
                IT_ASSERT_STATUS(mine->request("PATCH", "/myaccount/api/v1/me/devices/" + id, R"({"disabled":true})",
                                               headers),
                                 404);
        }
        for (const char* body : {"", "[]", "{}", R"({"disabled":"yes"})", R"({"disabled":true,"x":1})", "{"})
            IT_ASSERT_STATUS(mine->request("PATCH", "/myaccount/api/v1/me/devices/" + my_device, body, headers), 400);
        // Enabling is the administrator's: asking for it on an enabled device changes nothing.
        IT_ASSERT_STATUS(mine->request("PATCH", "/myaccount/api/v1/me/devices/" + my_device, R"({"disabled":false})",
                                       headers),
                         200);
        IT_ASSERT_STATUS(theirs->get("/myaccount/"), 200);
        IT_ASSERT_STATUS(mine->get("/myaccount/"), 200);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), trimmed(env().sql("select count(*) from devices where disabled_at <> 0 and "
                                                                 "account_id in (select id from accounts where username in ('oz','hal'))")));
        // The CLI refuses ids that are not the user's.
        ProcessResult wrong = env().ctl({"device", "disable", "oz", their_device});
        CPPUNIT_ASSERT_MESSAGE(wrong.combined(), wrong.exit_code != 0 && contains(wrong.combined(), "has no device"));
    }

    void testASignInFromANewDeviceIsAnnounced() {
        const std::string address = "pat@example.net";
        auto is_alert = [](const Notification& n) {
            return contains(n.message, "New sign-in to your account") ||
                   contains(n.body(), "これまで使われていないデバイス");
        };
        auto alerts = [&] {
            std::size_t n = 0;
            for (const Notification& m : env().notifications_for(address)) n += is_alert(m) ? 1 : 0;
            return n;
        };
        const std::size_t before = env().notification_count(address);
        auto first = signed_in_as("pat");  // the account's first device: nothing to compare it with
        auto second = browser_from(fresh_client_address(), "ja");
        assert_signed_in(second->sign_in("pat", password_of("pat")), *second, "pat in a second browser");
        std::optional<Notification> told = env().wait_for_notification(address, before, 5, is_alert);
        CPPUNIT_ASSERT_MESSAGE("no alert of the second browser", told.has_value());
        const std::string body = told->body();
        CPPUNIT_ASSERT_MESSAGE("in the language of the browser that signed in\n" + body,
                               contains(body, "これまで使われていないデバイス"));
        CPPUNIT_ASSERT_MESSAGE(body, contains(body, "不明なブラウザー"));   // the device, as the pages name it
        CPPUNIT_ASSERT_MESSAGE(body, contains(body, " UTC"));               // when
        CPPUNIT_ASSERT_MESSAGE(body, contains(body, "127."));               // from where
        CPPUNIT_ASSERT_MESSAGE(body, contains(body, "/myaccount/devices"));  // where to disable it
        // Known devices signing in again are not announced; the first one never was.
        assert_signed_in(first->sign_in("pat", password_of("pat")), *first, "pat again in the first browser");
        assert_signed_in(second->sign_in("pat", password_of("pat")), *second, "pat again in the second browser");
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // the notifier runs after the response
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, alerts());
    }

private:
    static std::size_t count_of(const std::string& text, const std::string& part) {
        std::size_t n = 0;
        for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
        return n;
    }
};

IT_REGISTER_SUITE(DevicesTest);

// ================================================================================================
// MyAccountAlertNewDevice Off: a sign-in from a new device is not announced.
class NewDeviceAlertOffTest : public ServerFixture<NewDeviceAlertOffTest> {
    CPPUNIT_TEST_SUITE(NewDeviceAlertOffTest);
    CPPUNIT_TEST(testNoAlertWhenTurnedOff);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "alertoff"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("quin", password_of("quin"), "Quin", "quin@example.net");
    }
    static std::string extra_directives(const Environment&) { return "MyAccountAlertNewDevice Off"; }

    void testNoAlertWhenTurnedOff() {
        const std::size_t before = env().notification_count("quin@example.net");
        for (int i = 0; i < 3; ++i) fresh_signed_in("quin", password_of("quin"));
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // the notifier runs after the response
        CPPUNIT_ASSERT_EQUAL(before, env().notification_count("quin@example.net"));
        // The devices were kept all the same.
        CPPUNIT_ASSERT_EQUAL(std::string("3"), trimmed(env().sql("select count(*) from devices where account_id="
                                                                 "(select id from accounts where username='quin')")));
    }
};

IT_REGISTER_SUITE(NewDeviceAlertOffTest);
