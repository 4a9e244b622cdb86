// Where a person is signed in (SS-5, ASVS 3.3.4): several cookie jars as several browsers of one
// person; each sees the sessions, ends one of the others, or all others but itself; the JSON twins;
// other people's and forged ids change nothing.
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

}  // namespace

class DevicesTest : public ServerFixture<DevicesTest> {
    CPPUNIT_TEST_SUITE(DevicesTest);
    CPPUNIT_TEST(testBothBrowsersSeeTheirSessions);
    CPPUNIT_TEST(testEndOneSessionFromAnother);
    CPPUNIT_TEST(testAllOthersButThisOne);
    CPPUNIT_TEST(testTheApiEndsOneOrAllOthers);
    CPPUNIT_TEST(testOtherPeoplesAndForgedIdsChangeNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "devices"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        for (const char* user : {"dee", "eli", "fin", "gus", "hal", "ian"}) env.add_user(user, password_of(user));
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

private:
    static std::size_t count_of(const std::string& text, const std::string& part) {
        std::size_t n = 0;
        for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
        return n;
    }
};

IT_REGISTER_SUITE(DevicesTest);
