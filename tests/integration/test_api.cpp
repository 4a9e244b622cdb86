// The JSON API under /myaccount/api/v1: profile, errors, CSRF-protected sign-out.
#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;

namespace {
using nlohmann::json;

json parse_json(const Response& r) {
    json j = json::parse(r.body, nullptr, false);
    CPPUNIT_ASSERT_MESSAGE("body is not JSON\n" + r.describe(), !j.is_discarded());
    CPPUNIT_ASSERT_MESSAGE("want Content-Type application/json\n" + r.describe(),
                           r.header("Content-Type").rfind("application/json", 0) == 0);
    return j;
}

void assert_json_error(const Response& r, long status, const std::string& code) {
    IT_ASSERT_STATUS(r, status);
    json j = parse_json(r);
    CPPUNIT_ASSERT_MESSAGE("want {\"error\":{\"code\":\"" + code + "\",\"message\":...}}\n" + r.describe(),
                           j.is_object() && j.contains("error") && j["error"].is_object() &&
                               j["error"].value("code", "") == code && j["error"].contains("message") &&
                               j["error"]["message"].is_string());
}

}  // namespace

class ApiTest : public ServerFixture<ApiTest> {
    CPPUNIT_TEST_SUITE(ApiTest);
    CPPUNIT_TEST(testMeNeedsSignIn);
    CPPUNIT_TEST(testMeDescribesTheSignedInPerson);
    CPPUNIT_TEST(testUnknownApiRouteIsJsonNotFound);
    CPPUNIT_TEST(testSignoutNeedsCsrfHeader);
    CPPUNIT_TEST(testSignoutRefusesAnotherSessionsToken);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "api"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("bob", "bob's password 42", "Bob Builder");
    }

    void testMeNeedsSignIn() { IT_ASSERT_STATUS(browser()->get("/myaccount/api/v1/me"), 401); }

    void testMeDescribesTheSignedInPerson() {
        auto b = signed_in("alice", kAlicePassword);
        Response r = b->get("/myaccount/api/v1/me");
        IT_ASSERT_STATUS(r, 200);
        json j = parse_json(r);
        const std::string d = r.describe(3000);
        CPPUNIT_ASSERT_MESSAGE(d, j.is_object());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(d, std::string("alice"), j.value("username", ""));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(d, std::string("Alice Example"), j.value("display_name", ""));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(d, std::string("Engineer"), j.value("job_title", ""));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(d, std::string("Tokyo HQ"), j.value("office", ""));
        CPPUNIT_ASSERT_MESSAGE("emails should be an array with alice@contoso.example\n" + d,
                               j.contains("emails") && j["emails"].is_array() &&
                                   j["emails"].dump().find("alice@contoso.example") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("organizations should be an array\n" + d,
                               j.contains("organizations") && j["organizations"].is_array());
        bool contoso_home = false;
        bool fabrikam_guest = false;
        for (const auto& org : j["organizations"]) {
            if (!org.is_object()) continue;
            if (org.value("name", "") == "Contoso" && org.value("kind", "") == "home") contoso_home = true;
            if (org.value("name", "") == "Fabrikam" && org.value("kind", "") == "guest") fabrikam_guest = true;
        }
        CPPUNIT_ASSERT_MESSAGE("want {name: Contoso, kind: home}\n" + d, contoso_home);
        CPPUNIT_ASSERT_MESSAGE("want {name: Fabrikam, kind: guest}\n" + d, fabrikam_guest);
        CPPUNIT_ASSERT_MESSAGE("csrf_token should be a non-empty string\n" + d,
                               j.contains("csrf_token") && j["csrf_token"].is_string() &&
                                   !j["csrf_token"].get<std::string>().empty());
        CPPUNIT_ASSERT_MESSAGE("the API must not return a password hash\n" + d,
                               !contains(r.body, "$argon2") && !contains_ci(r.body, "password_hash"));
        assert_security_headers(r, "GET api/v1/me");
    }

    void testUnknownApiRouteIsJsonNotFound() {
        auto b = signed_in("alice", kAlicePassword);
        Response r = b->get("/myaccount/api/v1/nope");
        assert_json_error(r, 404, "not_found");
        assert_security_headers(r, "GET api/v1/nope");
    }

    void testSignoutNeedsCsrfHeader() {
        auto b = signed_in("alice", kAlicePassword);
        const std::string cookie = b->cookie(kSessionCookie);
        Response me = b->get("/myaccount/api/v1/me");
        IT_ASSERT_STATUS(me, 200);
        const std::string token = parse_json(me).value("csrf_token", "");

        Response missing = b->post_json("/myaccount/api/v1/signout", "{}");
        assert_json_error(missing, 403, "csrf_failed");
        assert_security_headers(missing, "api signout without token");
        Response wrong = b->post_json("/myaccount/api/v1/signout", "{}", {{"X-CSRF-Token", std::string(43, 'A')}});
        assert_json_error(wrong, 403, "csrf_failed");
        // A token in the body is not the header the API asks for.
        Response in_body = b->post_json("/myaccount/api/v1/signout", json{{"csrf", token}}.dump());
        assert_json_error(in_body, 403, "csrf_failed");
        IT_ASSERT_STATUS(b->get("/myaccount/api/v1/me"), 200);

        Response ok = b->post_json("/myaccount/api/v1/signout", "{}", {{"X-CSRF-Token", token}});
        IT_ASSERT_STATUS(ok, 200);
        json j = parse_json(ok);
        CPPUNIT_ASSERT_MESSAGE(ok.describe(), j.is_object() && j.value("signed_out", false));

        auto replay = browser();
        Response after = replay->get("/myaccount/api/v1/me", {{"Cookie", std::string(kSessionCookie) + "=" + cookie}});
        IT_ASSERT_STATUS(after, 401);
    }

    void testSignoutRefusesAnotherSessionsToken() {
        auto alice = signed_in("alice", kAlicePassword);
        auto bob = signed_in("bob", "bob's password 42");
        Response bob_me = bob->get("/myaccount/api/v1/me");
        IT_ASSERT_STATUS(bob_me, 200);
        const std::string bob_token = parse_json(bob_me).value("csrf_token", "");
        Response r = alice->post_json("/myaccount/api/v1/signout", "{}", {{"X-CSRF-Token", bob_token}});
        assert_json_error(r, 403, "csrf_failed");
        // A second session of the same person has its own token too.
        auto alice2 = signed_in("alice", kAlicePassword);
        Response me2 = alice2->get("/myaccount/api/v1/me");
        const std::string alice2_token = parse_json(me2).value("csrf_token", "");
        Response r2 = alice->post_json("/myaccount/api/v1/signout", "{}", {{"X-CSRF-Token", alice2_token}});
        assert_json_error(r2, 403, "csrf_failed");
        IT_ASSERT_STATUS(alice->get("/myaccount/api/v1/me"), 200);
    }
};

IT_REGISTER_SUITE(ApiTest);
