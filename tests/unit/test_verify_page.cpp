// The portal's second step through web::handle (fixed clock, real store and templates): who is sent
// to /verify and how (page, form post, JSON), the verify page's code checks, where it returns to,
// remembered browsers, HTTP Basic, and registering a method first.
#include <cppunit/extensions/HelperMacros.h>

#include "core/methods/totp.hpp"
#include "portal_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;
using web::Request;
using web::Response;

namespace {
const std::string kPassword = "correct horse battery staple";
}

class VerifyPageTest : public PortalFixture {
    CPPUNIT_TEST_SUITE(VerifyPageTest);
    CPPUNIT_TEST(nothing_is_asked_without_a_requirement_or_a_method);
    CPPUNIT_TEST(unverified_sessions_are_sent_to_the_verify_step);
    CPPUNIT_TEST(exempt_routes_stay_open);
    CPPUNIT_TEST(right_code_passes_and_goes_back);
    CPPUNIT_TEST(wrong_and_replayed_codes_do_not_pass);
    CPPUNIT_TEST(return_stays_on_this_server);
    CPPUNIT_TEST(remember_this_browser_makes_a_cookie);
    CPPUNIT_TEST(basic_cannot_pass_the_step);
    CPPUNIT_TEST(everyone_registers_a_method_first_under_all);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        PortalFixture::setUp();
        alice_ = add_person("alice", "Alice Example", "alice@contoso.example", hasher_.hash(kPassword));
        second_factor_.requirement = MfaRequirement::registered;
    }

    void nothing_is_asked_without_a_requirement_or_a_method() {
        CPPUNIT_ASSERT_EQUAL(200, run(unverified("GET", "/")).status);
        add_authenticator();
        second_factor_.requirement = MfaRequirement::off;
        CPPUNIT_ASSERT_EQUAL(200, run(unverified("GET", "/")).status);
    }

    void unverified_sessions_are_sent_to_the_verify_step() {
        add_authenticator();
        Request page = unverified("GET", "/password");
        page.query_fields = {{"x", "a b&c"}};
        assert_location(run(page), 303, "/myaccount/verify?return=/myaccount/password%3Fx%3Da%2520b%2526c");
        Response api = run(unverified("GET", "/api/v1/me"));
        CPPUNIT_ASSERT_EQUAL(401, api.status);
        auto body = nlohmann::json::parse(api.body);
        CPPUNIT_ASSERT_EQUAL(std::string("second_factor_required"), body["error"].get<std::string>());
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/verify?return=/myaccount/api/v1/me"),
                             body["verify_url"].get<std::string>());
        Request xhr = unverified("GET", "/");
        xhr.accept = "application/json, text/plain, */*";
        CPPUNIT_ASSERT_EQUAL(401, run(xhr).status);
        // A form post comes back to its form's page (nothing is changed, whatever the token).
        Request post = unverified("POST", "/password");
        post.content_type = "application/x-www-form-urlencoded";
        assert_location(run(post), 303, "/myaccount/verify?return=/myaccount/password");
        // A verified session goes through.
        CPPUNIT_ASSERT_EQUAL(200, run(signed_in("GET", "/password")).status);
    }

    void exempt_routes_stay_open() {
        add_authenticator();
        CPPUNIT_ASSERT_EQUAL(200, run(unverified("GET", "/verify")).status);
        CPPUNIT_ASSERT(run(unverified("GET", "/photo")).status != 303);
        Request out = unverified("POST", "/signout");
        out.content_type = "application/x-www-form-urlencoded";
        out.form = {{"csrf", csrf()}};
        CPPUNIT_ASSERT(run(out).end_session);
    }

    void right_code_passes_and_goes_back() {
        const std::string secret = add_authenticator();
        Response page = run(verify_get("/app/x?y=1"));
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT(contains(page.body, "autocomplete=\"one-time-code\""));
        CPPUNIT_ASSERT(contains(page.body, "name=\"return\" value=\"/app/x?y=1\""));
        Response passed = run(verify_post("/app/x?y=1", totp_code_at(secret, now_)));
        assert_location(passed, 303, "/app/x?y=1");
        CPPUNIT_ASSERT(passed.second_factor_passed);
        CPPUNIT_ASSERT(!passed.remember_cookie);
    }

    void wrong_and_replayed_codes_do_not_pass() {
        const std::string secret = add_authenticator();
        const std::string code = totp_code_at(secret, now_);
        std::string wrong = code;
        wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
        Response refused = run(verify_post("/", wrong));
        CPPUNIT_ASSERT_EQUAL(400, refused.status);
        CPPUNIT_ASSERT(!refused.second_factor_passed);
        CPPUNIT_ASSERT(contains(refused.body, "Check it and try again"));
        CPPUNIT_ASSERT(run(verify_post("/", code)).second_factor_passed);
        Response replayed = run(verify_post("/", code));
        CPPUNIT_ASSERT_EQUAL(400, replayed.status);
        CPPUNIT_ASSERT(!replayed.second_factor_passed);
        CPPUNIT_ASSERT(contains(replayed.body, "already used"));
        // Two steps back is outside the window.
        now_ += 30;
        Response old = run(verify_post("/", totp_code_at(secret, now_ - 60)));
        CPPUNIT_ASSERT(!old.second_factor_passed);
    }

    void return_stays_on_this_server() {
        const std::string secret = add_authenticator();
        for (const char* evil : {"//evil.example/", "https://evil.example/", "/\\evil.example", "evil", "",
                                 "/myaccount/verify?return=/x"}) {
            Response passed = run(verify_post(evil, totp_code_at(secret, now_)));
            assert_location(passed, 303, "/myaccount/");
            now_ += 30;
        }
    }

    void remember_this_browser_makes_a_cookie() {
        const std::string secret = add_authenticator();
        second_factor_.remember_days = 30;
        CPPUNIT_ASSERT(contains(run(verify_get("/")).body, "for 30 days"));
        Request post = verify_post("/", totp_code_at(secret, now_));
        post.form.emplace_back("remember", "1");
        Response passed = run(post);
        CPPUNIT_ASSERT(passed.remember_cookie);
        Account alice = *store().find_account("alice");
        CPPUNIT_ASSERT_EQUAL(now_, SessionRegistry(store(), {}).remembered_since(*passed.remember_cookie, alice,
                                                                                  now_ + 29 * 86400));
        CPPUNIT_ASSERT(!SessionRegistry(store(), {}).remembered_since(*passed.remember_cookie, alice, now_ + 30 * 86400));
    }

    void basic_cannot_pass_the_step() {
        add_authenticator();
        Request basic = unverified("GET", "/");
        basic.principal->session.reset();
        Response refused = run(basic);
        CPPUNIT_ASSERT_EQUAL(403, refused.status);
        CPPUNIT_ASSERT(contains(refused.body, "Sign in to the portal"));
        basic.route = "/verify";
        CPPUNIT_ASSERT_EQUAL(403, run(basic).status);
    }

    void everyone_registers_a_method_first_under_all() {
        second_factor_.requirement = MfaRequirement::all;
        assert_location(run(unverified("GET", "/")), 303, "/myaccount/security/register?next=/myaccount/");
        Response page = run(unverified("GET", "/security/register"));
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT(contains(page.body, "Add an authenticator app"));
        CPPUNIT_ASSERT(contains(page.body, "action=\"/myaccount/security/authenticator\""));
        assert_location(run(verify_get("/")), 303, "/myaccount/security/register?next=/");
    }

private:
    // An authenticator alice had before this session's sign-in: its raw secret.
    std::string add_authenticator() {
        const std::string raw = new_totp_secret();
        VerificationMethod method;
        method.account_id = alice_;
        method.kind = MethodKind::authenticator;
        method.label = "Phone";
        method.secret_box = seal_totp_secret(*key_, alice_, raw);
        method.created_at = portal_now - 3600;
        std::int64_t id = store().add_pending_method(method, 0);
        AuditEvent event;
        event.account_id = alice_;
        event.at = portal_now - 3600;
        event.kind = "method_added";
        CPPUNIT_ASSERT(store().activate_method(alice_, id, 0, event));
        return raw;
    }

    // A request of a session that has not passed the second step.
    Request unverified(const std::string& method, const std::string& route) {
        Request r = signed_in(method, route);
        r.principal->session->second_factor_at = 0;
        return r;
    }

    std::string csrf() { return key_->mac("csrf", portal_binding); }

    Request verify_get(const std::string& back) {
        Request r = unverified("GET", "/verify");
        r.query_fields = {{"return", back}};
        return r;
    }

    Request verify_post(const std::string& back, const std::string& code) {
        Response page = run(verify_get("/"));
        const std::string marker = "name=\"method\" value=\"";
        std::size_t at = page.body.find(marker);
        CPPUNIT_ASSERT_MESSAGE(page.body, at != std::string::npos);
        std::string method =
            page.body.substr(at + marker.size(), page.body.find('"', at + marker.size()) - at - marker.size());
        Request r = unverified("POST", "/verify");
        r.content_type = "application/x-www-form-urlencoded";
        r.form = {{"csrf", csrf()}, {"return", back}, {"method", method}, {"code", code}};
        return r;
    }

    static void assert_location(const Response& r, int status, const std::string& location) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
        CPPUNIT_ASSERT_EQUAL(location, header(r, "Location").value_or(""));
    }

    AccountId alice_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(VerifyPageTest);
