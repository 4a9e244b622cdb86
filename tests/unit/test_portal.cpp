// The portal as a browser and an API client see it: web::handle with the real store, templates
// and key, plus the mount and redirect-target rules the httpd adapter relies on.
#include <cppunit/extensions/HelperMacros.h>

#include <strings.h>

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/crypto.hpp"
#include "core/session_registry.hpp"
#include "portal_fixture.hpp"
#include "web/portal.hpp"
#include "web/profile_view.hpp"
#include "web/render.hpp"

using namespace myaccount;
using nlohmann::json;
using web::Request;
using web::Response;

namespace {

constexpr UnixTime t0 = testing::portal_now;
using testing::contains;
using testing::header;
using testing::principal;
using testing::request;
using testing::without_wbr;

std::string header_or_empty(const Response& response, const std::string& name) {
    return header(response, name).value_or("");
}

}  // namespace

class PortalTest : public testing::PortalFixture {
    CPPUNIT_TEST_SUITE(PortalTest);
    CPPUNIT_TEST(profile_shows_display_name_escaped);
    CPPUNIT_TEST(profile_shows_every_change_at_the_next_request);
    CPPUNIT_TEST(security_headers_on_every_response);
    CPPUNIT_TEST(no_principal_is_unauthorized);
    CPPUNIT_TEST(principal_without_usable_account_is_forbidden);
    CPPUNIT_TEST(unknown_routes_are_not_found);
    CPPUNIT_TEST(wrong_method_is_405_with_allow);
    CPPUNIT_TEST(mount_itself_redirects_to_folder);
    CPPUNIT_TEST(head_behaves_like_get);
    CPPUNIT_TEST(api_me_gives_profile_and_csrf_token);
    CPPUNIT_TEST(signout_form_requires_one_valid_csrf_field);
    CPPUNIT_TEST(signout_form_with_valid_token_ends_session);
    CPPUNIT_TEST(signout_refuses_wrong_content_type);
    CPPUNIT_TEST(signout_refuses_cross_site_request);
    CPPUNIT_TEST(signout_refuses_foreign_origin);
    CPPUNIT_TEST(signout_takes_opaque_origin_only_when_browser_vouches_same_origin);
    CPPUNIT_TEST(token_without_session_binds_to_account_stamp_and_window);
    CPPUNIT_TEST(remembered_profile_page_carries_the_current_token);
    CPPUNIT_TEST(api_signout_uses_csrf_header);
    CPPUNIT_TEST(login_as_error_document_keeps_location);
    CPPUNIT_TEST(login_refuses_foreign_location);
    CPPUNIT_TEST(login_after_failed_attempt_shows_message);
    CPPUNIT_TEST(login_after_lock_says_for_how_long_and_offers_reset);
    CPPUNIT_TEST(error_pages_keep_signed_in_chrome);
    CPPUNIT_TEST(refused_form_offers_its_page_again);
    CPPUNIT_TEST(password_kept_elsewhere_links_to_its_page);
    CPPUNIT_TEST(reset_routes_exist_only_when_reset_is_on);
    CPPUNIT_TEST(registration_is_required_once_postpones_are_used_up);
    CPPUNIT_TEST(removing_a_method_by_a_malformed_id_is_not_found);
    CPPUNIT_TEST(login_shows_signed_out_notice);
    CPPUNIT_TEST(login_form_token_is_bound_to_nonce_cookie);
    CPPUNIT_TEST(login_form_rejected_shows_expired_form_message);
    CPPUNIT_TEST(accept_language_selects_japanese);
    CPPUNIT_TEST(photo_without_upload_is_initials_svg);
    CPPUNIT_TEST(photo_with_upload_is_its_bytes);
    CPPUNIT_TEST(static_stylesheet_is_cacheable);
    CPPUNIT_TEST(resolve_mount_cases);
    CPPUNIT_TEST(is_local_path_cases);
    CPPUNIT_TEST(initials_cases);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        testing::PortalFixture::setUp();
        NewAccount alice;
        alice.username = "alice";
        alice.profile.display_name = "Alice <b>& Example";
        alice.profile.job_title = "Engineer";
        alice.profile.emails = std::vector<std::string>{"alice@contoso.example"};
        alice_ = store().create_account(alice, t0 - 100);
    }

    void profile_shows_display_name_escaped() {
        Request r = signed_in("GET", "/");
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT(contains(response.content_type, "text/html"));
        CPPUNIT_ASSERT(contains(response.body, "Alice &lt;b&gt;&amp; Example"));
        CPPUNIT_ASSERT(!contains(response.body, "<b>&"));
        CPPUNIT_ASSERT(contains(without_wbr(response.body), "alice@contoso.example"));
        CPPUNIT_ASSERT(contains(response.body, "Contoso"));
        // The sign-out form carries this session's CSRF token.
        CPPUNIT_ASSERT(contains(response.body, "value=\"" + valid_token() + "\""));
        // Loaded by username when the session store did not hand over the account.
        r.principal->account = account(alice_);
        CPPUNIT_ASSERT_EQUAL(response.body, run(r).body);
    }

    // Rendered profiles are reused between requests of a child; every change an administrator
    // makes must still show at the very next request.
    void profile_shows_every_change_at_the_next_request() {
        Response first = run(signed_in("GET", "/"));
        CPPUNIT_ASSERT_EQUAL(first.body, run(signed_in("GET", "/")).body);

        ProfileFields renamed;
        renamed.display_name = "Alice Renamed";
        store().update_profile(alice_, renamed, t0);
        CPPUNIT_ASSERT(contains(run(signed_in("GET", "/")).body, "Alice Renamed"));

        ProfileFields mail;
        mail.emails = std::vector<std::string>{"alice.new@contoso.example"};
        store().update_profile(alice_, mail, t0);
        CPPUNIT_ASSERT(contains(without_wbr(run(signed_in("GET", "/")).body), "alice.new@contoso.example"));

        std::int64_t northwind = store().create_organization(Organization{0, "Northwind", "northwind.example"});
        CPPUNIT_ASSERT(!contains(run(signed_in("GET", "/")).body, "Northwind"));
        store().add_membership(alice_, northwind, MembershipKind::guest, "Guest");
        CPPUNIT_ASSERT(contains(run(signed_in("GET", "/")).body, "Northwind"));

        // Another session of the same person gets its own CSRF token, not a reused page.
        Request other = signed_in("GET", "/");
        other.principal->csrf_binding = "session:another";
        Response other_page = run(other);
        CPPUNIT_ASSERT(other_page.body != run(signed_in("GET", "/")).body);
        CPPUNIT_ASSERT(contains(other_page.body, key_->mac("csrf", "session:another")));
    }

    void security_headers_on_every_response() {
        std::vector<Response> responses = {run(signed_in("GET", "/")), run(request("GET", "/")),
                                           run(request("GET", "/nope")), run(signed_in("GET", "/api/v1/me")),
                                           run(request("GET", "/login")), run(signed_in("PUT", "/"))};
        for (const Response& response : responses) {
            const std::string status = std::to_string(response.status);
            std::string csp = header_or_empty(response, "Content-Security-Policy");
            CPPUNIT_ASSERT_MESSAGE(status, contains(csp, "frame-ancestors 'none'"));
            CPPUNIT_ASSERT_MESSAGE(status, contains(csp, "default-src 'none'"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(status, std::string("DENY"), header_or_empty(response, "X-Frame-Options"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(status, std::string("nosniff"),
                                         header_or_empty(response, "X-Content-Type-Options"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(status, std::string("no-store"), header_or_empty(response, "Cache-Control"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(status, std::string("same-origin"), header_or_empty(response, "Referrer-Policy"));
        }
    }

    void no_principal_is_unauthorized() {
        Response page = run(request("GET", "/"));
        CPPUNIT_ASSERT_EQUAL(401, page.status);
        CPPUNIT_ASSERT(contains(page.content_type, "text/html"));
        CPPUNIT_ASSERT(!contains(page.body, "Alice"));
        Response api = run(request("GET", "/api/v1/me"));
        CPPUNIT_ASSERT_EQUAL(401, api.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unauthorized"), json::parse(api.body)["error"]["code"].get<std::string>());
        CPPUNIT_ASSERT_EQUAL(401, run(request("GET", "/photo")).status);
        // Signing out needs a session too, even with a form that looks right.
        Request post = request("POST", "/signout");
        post.content_type = "application/x-www-form-urlencoded";
        post.form = {{"csrf", valid_token()}};
        Response signout = run(post);
        CPPUNIT_ASSERT_EQUAL(401, signout.status);
        CPPUNIT_ASSERT(!signout.end_session);
    }

    void principal_without_usable_account_is_forbidden() {
        Request ghost = request("GET", "/");
        ghost.principal = principal("ghost");
        CPPUNIT_ASSERT_EQUAL(403, run(ghost).status);
        Request ghost_api = request("GET", "/api/v1/me");
        ghost_api.principal = principal("ghost");
        Response api = run(ghost_api);
        CPPUNIT_ASSERT_EQUAL(403, api.status);
        CPPUNIT_ASSERT_EQUAL(std::string("no_account"), json::parse(api.body)["error"]["code"].get<std::string>());

        store().set_disabled(alice_, true, t0);
        CPPUNIT_ASSERT_EQUAL(403, run(signed_in("GET", "/")).status);
        Request loaded = signed_in("GET", "/");
        loaded.principal->account = account(alice_);  // handed over by the session store, disabled
        Response response = run(loaded);
        CPPUNIT_ASSERT_EQUAL(403, response.status);
        CPPUNIT_ASSERT(!contains(without_wbr(response.body), "alice@contoso.example"));
    }

    void unknown_routes_are_not_found() {
        Response page = run(signed_in("GET", "/nope"));
        CPPUNIT_ASSERT_EQUAL(404, page.status);
        CPPUNIT_ASSERT(contains(page.content_type, "text/html"));
        CPPUNIT_ASSERT(contains(page.body, "<html"));

        Response api = run(signed_in("GET", "/api/v1/nope"));
        CPPUNIT_ASSERT_EQUAL(404, api.status);
        CPPUNIT_ASSERT(contains(api.content_type, "application/json"));
        json body = json::parse(api.body);
        CPPUNIT_ASSERT_EQUAL(std::string("not_found"), body["error"]["code"].get<std::string>());
        CPPUNIT_ASSERT(body["error"]["message"].is_string());

        CPPUNIT_ASSERT_EQUAL(404, run(request("GET", "/static/")).status);
        CPPUNIT_ASSERT_EQUAL(404, run(request("GET", "/static/nope.css")).status);
        CPPUNIT_ASSERT_EQUAL(404, run(request("GET", "/static/../templates/login.mustache")).status);
        CPPUNIT_ASSERT_EQUAL(404, run(signed_in("GET", "/photo/")).status);
    }

    void wrong_method_is_405_with_allow() {
        Response put = run(signed_in("PUT", "/"));
        CPPUNIT_ASSERT_EQUAL(405, put.status);
        CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD"), header_or_empty(put, "Allow"));
        CPPUNIT_ASSERT(!contains(without_wbr(put.body), "alice@contoso.example"));

        Response get_signout = run(signed_in("GET", "/signout"));
        CPPUNIT_ASSERT_EQUAL(405, get_signout.status);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), header_or_empty(get_signout, "Allow"));
        CPPUNIT_ASSERT(!get_signout.end_session);

        Response delete_me = run(signed_in("DELETE", "/api/v1/me"));
        CPPUNIT_ASSERT_EQUAL(405, delete_me.status);
        CPPUNIT_ASSERT_EQUAL(std::string("method_not_allowed"),
                             json::parse(delete_me.body)["error"]["code"].get<std::string>());
    }

    void mount_itself_redirects_to_folder() {
        Response response = run(signed_in("GET", ""));
        CPPUNIT_ASSERT_EQUAL(302, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/"), header_or_empty(response, "Location"));
    }

    void head_behaves_like_get() {
        for (const std::string route : {"/", "/photo", "/api/v1/me", "/nope"}) {
            Response get = run(signed_in("GET", route));
            Response head = run(signed_in("HEAD", route));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, get.status, head.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, get.content_type, head.content_type);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, get.body, head.body);
        }
        CPPUNIT_ASSERT_EQUAL(200, run(signed_in("HEAD", "/")).status);
        CPPUNIT_ASSERT_EQUAL(401, run(request("HEAD", "/")).status);
    }

    void api_me_gives_profile_and_csrf_token() {
        Response response = run(signed_in("GET", "/api/v1/me"));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT(contains(response.content_type, "application/json"));
        json body = json::parse(response.body);
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), body["username"].get<std::string>());
        CPPUNIT_ASSERT_EQUAL(std::string("Alice <b>& Example"), body["display_name"].get<std::string>());
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/photo"), body["photo_url"].get<std::string>());
        const std::string token = body["csrf_token"].get<std::string>();
        CPPUNIT_ASSERT(!token.empty());
        CPPUNIT_ASSERT(!contains(response.body, testing::portal_binding));  // the binding itself stays secret
        // Bound to the session: another binding gives another token.
        Request other = signed_in("GET", "/api/v1/me");
        other.principal->csrf_binding = "another-session";
        CPPUNIT_ASSERT(token != json::parse(run(other).body)["csrf_token"].get<std::string>());
    }

    void signout_form_requires_one_valid_csrf_field() {
        const std::string token = valid_token();
        std::vector<web::Fields> forms = {{},
                                          {{"csrf", ""}},
                                          {{"csrf", "forged"}},
                                          {{"csrf", token + "x"}},
                                          {{"csrf", token}, {"csrf", token}},
                                          {{"csrf", "forged"}, {"csrf", token}},
                                          {{"CSRF", token}}};
        for (const web::Fields& form : forms) {
            Request r = signed_in("POST", "/signout");
            r.content_type = "application/x-www-form-urlencoded";
            r.form = form;
            Response response = run(r);
            CPPUNIT_ASSERT_EQUAL(403, response.status);
            CPPUNIT_ASSERT(!response.end_session);
            CPPUNIT_ASSERT(!header(response, "Location"));
        }
        // A valid token from a different session binding does not count either.
        Request r = signed_in("POST", "/signout");
        r.principal->csrf_binding = "another-session";
        r.content_type = "application/x-www-form-urlencoded";
        r.form = {{"csrf", token}};
        CPPUNIT_ASSERT_EQUAL(403, run(r).status);
        // Nor does a session without a binding (an empty binding must not make "" a valid token).
        r.principal->csrf_binding = "";
        r.form = {{"csrf", ""}};
        CPPUNIT_ASSERT_EQUAL(403, run(r).status);
    }

    void signout_form_with_valid_token_ends_session() {
        Request r = signed_in("POST", "/signout");
        r.content_type = "application/x-www-form-urlencoded; charset=UTF-8";
        r.form = {{"other", "1"}, {"csrf", valid_token()}};
        r.sec_fetch_site = "same-origin";
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(303, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/login?signed_out=1"), header_or_empty(response, "Location"));
        CPPUNIT_ASSERT(response.end_session);
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), header_or_empty(response, "Cache-Control"));
    }

    void signout_refuses_wrong_content_type() {
        Request r = signed_in("POST", "/signout");
        r.content_type = "text/plain";
        r.form = {{"csrf", valid_token()}};
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(415, response.status);
        CPPUNIT_ASSERT(!response.end_session);
        r.content_type = "";
        CPPUNIT_ASSERT_EQUAL(415, run(r).status);
        Request api = signed_in("POST", "/api/v1/signout");
        api.content_type = "application/x-www-form-urlencoded";
        api.csrf_header = valid_token();
        CPPUNIT_ASSERT_EQUAL(415, run(api).status);
    }

    void signout_refuses_cross_site_request() {
        Request r = signed_in("POST", "/signout");
        r.content_type = "application/x-www-form-urlencoded";
        r.form = {{"csrf", valid_token()}};
        r.sec_fetch_site = "cross-site";
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(403, response.status);
        CPPUNIT_ASSERT(!response.end_session);
        Request api = signed_in("POST", "/api/v1/signout");
        api.content_type = "application/json";
        api.csrf_header = valid_token();
        api.sec_fetch_site = "cross-site";
        CPPUNIT_ASSERT_EQUAL(403, run(api).status);
    }

    // An Origin naming another site refuses even with a valid token; our own origin, or none
    // (older browsers, same-origin GET-less clients), leaves the decision to the token.
    void signout_refuses_foreign_origin() {
        for (const char* origin : {"https://evil.example", "null", "http://portal.example", "https://portal.example.evil"}) {
            Request r = signed_in("POST", "/signout");
            r.content_type = "application/x-www-form-urlencoded";
            r.form = {{"csrf", valid_token()}};
            r.origin = origin;
            Response response = run(r);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(origin, 403, response.status);
            CPPUNIT_ASSERT(!response.end_session);
        }
        Request own = signed_in("POST", "/signout");
        own.content_type = "application/x-www-form-urlencoded";
        own.form = {{"csrf", valid_token()}};
        own.origin = "https://portal.example";
        CPPUNIT_ASSERT_EQUAL(303, run(own).status);
    }

    // Under some referrer policies and in sandboxed frames a browser sends "Origin: null"; only
    // Sec-Fetch-Site: same-origin (the browser's own word) admits such a post.
    void signout_takes_opaque_origin_only_when_browser_vouches_same_origin() {
        Request r = signed_in("POST", "/signout");
        r.content_type = "application/x-www-form-urlencoded";
        r.form = {{"csrf", valid_token()}};
        r.origin = "null";
        r.sec_fetch_site = "same-origin";
        CPPUNIT_ASSERT_EQUAL(303, run(r).status);
        for (const char* site : {"same-site", "cross-site", "none"}) {
            r.sec_fetch_site = site;
            Response response = run(r);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(site, 403, response.status);
            CPPUNIT_ASSERT(!response.end_session);
        }
    }

    // HTTP Basic or a REMOTE_USER front: no session of ours, so the token is bound to the account's
    // security stamp and a 12-hour window (the previous window's token still passes).
    Request basic_signout(const std::string& token) {
        Request r = signed_in("POST", "/signout");
        r.principal->csrf_binding.clear();
        r.content_type = "application/x-www-form-urlencoded";
        r.form = {{"csrf", token}};
        return r;
    }

    std::string basic_token() {
        Request me = signed_in("GET", "/api/v1/me");
        me.principal->csrf_binding.clear();
        Response response = run(me);
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        return json::parse(response.body)["csrf_token"].get<std::string>();
    }

    std::string token_on_profile_page() {
        Request page = signed_in("GET", "/");
        page.principal->csrf_binding.clear();
        Response response = run(page);
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        std::smatch found;
        CPPUNIT_ASSERT(std::regex_search(response.body, found, std::regex(R"re(name="csrf" value="([^"]+)")re")));
        return found[1].str();
    }

    // The profile page is remembered between views; without a session its token moves with the
    // window and the security stamp, and the remembered page must move with it.
    void remembered_profile_page_carries_the_current_token() {
        now_ = 1'800'000'000 - 1'800'000'000 % 43200 + 100;
        CPPUNIT_ASSERT_EQUAL(basic_token(), token_on_profile_page());
        now_ += 2 * 43200;
        CPPUNIT_ASSERT_EQUAL(basic_token(), token_on_profile_page());
        store().set_password_hash(alice_, "$argon2id$placeholder", /*end_sessions=*/true, now_);
        CPPUNIT_ASSERT_EQUAL(basic_token(), token_on_profile_page());
        CPPUNIT_ASSERT_EQUAL(303, run(basic_signout(token_on_profile_page())).status);
    }

    void token_without_session_binds_to_account_stamp_and_window() {
        now_ = 1'800'000'000 - 1'800'000'000 % 43200 + 100;  // early in a window
        std::string token = basic_token();
        CPPUNIT_ASSERT(!token.empty());
        CPPUNIT_ASSERT(token != valid_token());  // not the session-bound one
        CPPUNIT_ASSERT_EQUAL(303, run(basic_signout(token)).status);
        now_ += 43200;  // the next window still takes it
        CPPUNIT_ASSERT(basic_token() != token);
        CPPUNIT_ASSERT_EQUAL(303, run(basic_signout(token)).status);
        now_ += 43200;  // two windows on: expired
        CPPUNIT_ASSERT_EQUAL(403, run(basic_signout(token)).status);
        // A password change (the security stamp moves) voids the token at once.
        std::string fresh = basic_token();
        CPPUNIT_ASSERT_EQUAL(303, run(basic_signout(fresh)).status);
        store().set_password_hash(alice_, "$argon2id$placeholder", /*end_sessions=*/true, now_);
        CPPUNIT_ASSERT_EQUAL(403, run(basic_signout(fresh)).status);
        // Another account's token does not pass for alice.
        NewAccount bob;
        bob.username = "bob";
        store().create_account(bob, now_);
        Request bob_me = signed_in("GET", "/api/v1/me", "bob");
        bob_me.principal->csrf_binding.clear();
        std::string bobs = json::parse(run(bob_me).body)["csrf_token"].get<std::string>();
        CPPUNIT_ASSERT_EQUAL(403, run(basic_signout(bobs)).status);
    }

    void api_signout_uses_csrf_header() {
        Request r = signed_in("POST", "/api/v1/signout");
        r.content_type = "application/json";
        r.body = "{}";
        Response missing = run(r);
        CPPUNIT_ASSERT_EQUAL(403, missing.status);
        CPPUNIT_ASSERT(!missing.end_session);
        CPPUNIT_ASSERT_EQUAL(std::string("csrf_failed"), json::parse(missing.body)["error"]["code"].get<std::string>());
        // A form field is not how the API takes its token.
        r.form = {{"csrf", valid_token()}};
        CPPUNIT_ASSERT_EQUAL(403, run(r).status);

        r.form.clear();
        r.csrf_header = valid_token();
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT(contains(response.content_type, "application/json"));
        CPPUNIT_ASSERT(json::parse(response.body) == json({{"signed_out", true}}));
        CPPUNIT_ASSERT(response.end_session);
    }

    void login_as_error_document_keeps_location() {
        Request r = request("GET", "/login");
        r.redirect_url = "/app/x";
        r.redirect_query = "a=1";
        r.redirect_status = 401;
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(401, response.status);
        CPPUNIT_ASSERT(contains(response.body, "name=\"httpd_location\" value=\"/app/x?a=1\""));
        CPPUNIT_ASSERT(contains(response.body, "action=\"/login.do\""));
        CPPUNIT_ASSERT(!contains(response.body, "login-error"));  // no failure message on a first visit
        // Asked for directly, the login page is a normal 200 that lands on the portal.
        Response direct = run(request("GET", "/login"));
        CPPUNIT_ASSERT_EQUAL(200, direct.status);
        CPPUNIT_ASSERT(contains(direct.body, "name=\"httpd_location\" value=\"/myaccount/\""));
    }

    void login_refuses_foreign_location() {
        for (const std::string target : {"//evil.example/", "https://evil.example/", "/\\evil.example/",
                                          "javascript:alert(1)", "/a\r\nSet-Cookie: x=1"}) {
            Request r = request("GET", "/login");
            r.redirect_url = target;
            r.redirect_status = 401;
            Response response = run(r);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(target, 401, response.status);
            CPPUNIT_ASSERT_MESSAGE(target, contains(response.body, "name=\"httpd_location\" value=\"/myaccount/\""));
            CPPUNIT_ASSERT_MESSAGE(target, !contains(response.body, "evil.example"));
        }
        // A query string cannot smuggle a foreign target in either.
        Request r = request("GET", "/login");
        r.redirect_url = "/";
        r.redirect_query = "x\r\nLocation: //evil.example";
        CPPUNIT_ASSERT(contains(run(r).body, "name=\"httpd_location\" value=\"/myaccount/\""));
        // A configured default location is used when set.
        settings_.default_location = "/home/";
        Request fallback = request("GET", "/login");
        fallback.redirect_url = "//evil.example/";
        CPPUNIT_ASSERT(contains(run(fallback).body, "name=\"httpd_location\" value=\"/home/\""));
    }

    void login_after_failed_attempt_shows_message() {
        Request r = request("GET", "/login");
        r.redirect_url = settings_.login_action;
        r.redirect_status = 401;
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(401, response.status);
        CPPUNIT_ASSERT(contains(response.body, "id=\"login-error\""));
        CPPUNIT_ASSERT(contains(response.body, "The user ID or password is incorrect"));
        // The sign-in does not land back on the login handler.
        CPPUNIT_ASSERT(contains(response.body, "name=\"httpd_location\" value=\"/myaccount/\""));
    }

    void login_after_lock_says_for_how_long_and_offers_reset() {
        password_rules_.lockout.duration = 300;
        reset_.enabled = true;
        Request r = request("GET", "/login");
        r.redirect_url = settings_.login_action;
        r.redirect_status = 401;
        r.login_locked = true;
        r.login_username = "alice <x>";
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(401, response.status);
        CPPUNIT_ASSERT(contains(response.body, "temporarily locked"));
        CPPUNIT_ASSERT(contains(response.body, "up to 5 minutes"));
        CPPUNIT_ASSERT(contains(response.body, "href=\"/myaccount/reset\""));
        CPPUNIT_ASSERT(!contains(response.body, "The user ID or password is incorrect"));
        // The typed ID stays in the form, escaped.
        CPPUNIT_ASSERT(contains(response.body, "value=\"alice &lt;x&gt;\""));
        r.accept_language = "ja";
        CPPUNIT_ASSERT(contains(run(r).body, "最大 5 分後"));
        // An ID no one could have (too long: a password typed in the wrong field) is not shown again.
        r.login_locked = false;
        r.login_username = std::string(80, 'p');
        CPPUNIT_ASSERT(!contains(run(r).body, std::string(80, 'p')));
    }

    // A 404 or 405 inside the portal keeps the top bar and navigation of someone signed in.
    void error_pages_keep_signed_in_chrome() {
        for (const char* method : {"GET", "DELETE"}) {
            Response response = run(signed_in(method, "/no-such-page"));
            CPPUNIT_ASSERT(response.status == 404 || response.status == 405);
            CPPUNIT_ASSERT_MESSAGE(method, contains(response.body, "action=\"/myaccount/signout\""));
            CPPUNIT_ASSERT_MESSAGE(method, contains(response.body, "Alice &lt;b&gt;&amp; Example"));
        }
        Response anonymous = run(request("GET", "/no-such-page"));
        CPPUNIT_ASSERT_EQUAL(404, anonymous.status);
        CPPUNIT_ASSERT(!contains(anonymous.body, "/myaccount/signout"));
    }

    // A stale form is refused with a page that offers the form again, not only "go back".
    void refused_form_offers_its_page_again() {
        Request r = signed_in("POST", "/password");
        r.content_type = "application/x-www-form-urlencoded";
        r.form = {{"csrf", "stale"}};
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(403, response.status);
        CPPUNIT_ASSERT(contains(response.body, "href=\"/myaccount/password\""));
        CPPUNIT_ASSERT(contains(response.body, "action=\"/myaccount/signout\""));  // still signed in
    }

    void login_shows_signed_out_notice() {
        Request r = request("GET", "/login");
        r.query_fields = {{"signed_out", "1"}};
        CPPUNIT_ASSERT(contains(run(r).body, "You have signed out."));
        r.query_fields = {{"signed_out", "0"}};
        CPPUNIT_ASSERT(!contains(run(r).body, "You have signed out."));
    }

    void login_form_token_is_bound_to_nonce_cookie() {
        // No cookie yet: a fresh nonce for the cookie, and the form carries mac(nonce).
        Response first = run(request("GET", "/login"));
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token(first.new_login_nonce));
        const std::string token = web::login_form_token(*key_, first.new_login_nonce);
        CPPUNIT_ASSERT(contains(first.body, "name=\"login_csrf\" value=\"" + token + "\""));
        CPPUNIT_ASSERT(!contains(first.body, first.new_login_nonce));  // the nonce stays in the cookie
        CPPUNIT_ASSERT(first.new_login_nonce != run(request("GET", "/login")).new_login_nonce);

        // With the cookie: the nonce is kept (no new cookie) and the token is the same.
        Request again = request("GET", "/login");
        again.login_nonce = first.new_login_nonce;
        Response second = run(again);
        CPPUNIT_ASSERT_EQUAL(std::string(), second.new_login_nonce);
        CPPUNIT_ASSERT(contains(second.body, "name=\"login_csrf\" value=\"" + token + "\""));

        // A malformed cookie is replaced.
        again.login_nonce = "short";
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token(run(again).new_login_nonce));

        CPPUNIT_ASSERT(web::login_form_token_ok(*key_, first.new_login_nonce, token));
        CPPUNIT_ASSERT(!web::login_form_token_ok(*key_, first.new_login_nonce, token + "x"));
        CPPUNIT_ASSERT(!web::login_form_token_ok(*key_, first.new_login_nonce, ""));
        CPPUNIT_ASSERT(!web::login_form_token_ok(*key_, random_token(), token));
        CPPUNIT_ASSERT(!web::login_form_token_ok(*key_, "short", web::login_form_token(*key_, "short")));
        CPPUNIT_ASSERT(!web::login_form_token_ok(*key_, "", web::login_form_token(*key_, "")));
        const SecretKey other_key = SecretKey::from_bytes(std::string(32, '\x11'));
        CPPUNIT_ASSERT(!web::login_form_token_ok(other_key, first.new_login_nonce, token));
    }

    void login_form_rejected_shows_expired_form_message() {
        Request r = request("GET", "/login");
        r.redirect_url = settings_.login_action;
        r.redirect_status = 401;
        r.login_form_rejected = true;
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(401, response.status);
        CPPUNIT_ASSERT(contains(response.body, "This sign-in page has expired"));
        // Not the wrong-password message: the password was never checked.
        CPPUNIT_ASSERT(!contains(response.body, "The user ID or password is incorrect"));
    }

    void accept_language_selects_japanese() {
        Request r = request("GET", "/login");
        r.accept_language = "ja";
        Response ja = run(r);
        CPPUNIT_ASSERT(contains(ja.body, "<html lang=\"ja\""));
        CPPUNIT_ASSERT(contains(ja.body, "ユーザー ID"));
        r.accept_language = "ja-JP,ja;q=0.9,en;q=0.8";
        CPPUNIT_ASSERT(contains(run(r).body, "<html lang=\"ja\""));
        r.accept_language = "fr-FR";
        CPPUNIT_ASSERT(contains(run(r).body, "<html lang=\"en\""));
        // Errors are translated too, in JSON as well.
        Request api = signed_in("GET", "/api/v1/nope");
        api.accept_language = "ja";
        CPPUNIT_ASSERT_EQUAL(std::string("お探しのページは存在しないか、移動された可能性があります。"),
                             json::parse(run(api).body)["error"]["message"].get<std::string>());
    }

    void photo_without_upload_is_initials_svg() {
        Response response = run(signed_in("GET", "/photo"));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("image/svg+xml"), response.content_type);
        CPPUNIT_ASSERT(contains(response.body, "<svg"));
        CPPUNIT_ASSERT(contains(response.body, ">AE</text>"));
        CPPUNIT_ASSERT_EQUAL(std::string("nosniff"), header_or_empty(response, "X-Content-Type-Options"));
    }

    void photo_with_upload_is_its_bytes() {
        Photo photo;
        photo.content_type = "image/png";
        photo.bytes = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
        photo.updated_at = t0;
        store().set_photo(alice_, photo);
        Response response = run(signed_in("GET", "/photo"));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("image/png"), response.content_type);
        CPPUNIT_ASSERT(response.body == photo.bytes);
    }

    void static_stylesheet_is_cacheable() {
        Response response = run(request("GET", "/static/myaccount.css"));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT(contains(response.content_type, "text/css"));
        CPPUNIT_ASSERT(!response.body.empty());
        std::string cache = header_or_empty(response, "Cache-Control");
        CPPUNIT_ASSERT(!cache.empty());
        CPPUNIT_ASSERT(!contains(cache, "no-store"));
        CPPUNIT_ASSERT(contains(header_or_empty(response, "Content-Security-Policy"), "frame-ancestors 'none'"));
    }

    void resolve_mount_cases() {
        const std::vector<std::string> at_myaccount = {"/myaccount"};
        check_mount("/myaccount/", at_myaccount, "/myaccount", "/");
        check_mount("/myaccount", at_myaccount, "/myaccount", "");
        check_mount("/myaccount/api/v1/me", at_myaccount, "/myaccount", "/api/v1/me");
        check_mount("/myaccount/nope", at_myaccount, "/myaccount", "/nope");
        check_mount("/myaccount/static/myaccount.css", at_myaccount, "/myaccount", "/static/myaccount.css");
        check_mount("/myaccount/", {"/myaccount/"}, "/myaccount", "/");
        const std::vector<std::string> at_root = {"/"};
        check_mount("/", at_root, "", "/");
        check_mount("/photo", at_root, "", "/photo");
        check_mount("/api/v1/me", at_root, "", "/api/v1/me");
        check_mount("/nope", at_root, "", "/nope");
        // Nested sections: the one whose remainder is a route wins.
        check_mount("/myaccount/photo", {"/", "/myaccount"}, "/myaccount", "/photo");
    }

    void is_local_path_cases() {
        CPPUNIT_ASSERT(web::is_local_path("/"));
        CPPUNIT_ASSERT(web::is_local_path("/a?b"));
        CPPUNIT_ASSERT(web::is_local_path("/app/x?a=1&b=%2F"));
        for (const std::string& bad : {std::string(""), std::string("//x"), std::string("/\\x"),
                                       std::string("http://x"), std::string("/a\r\nb"), std::string("/a\\b"),
                                       std::string("a/b"), std::string("/a\tb"), std::string("/a\x7f"),
                                       std::string("/a\0b", 4), std::string(" /a")}) {
            CPPUNIT_ASSERT_MESSAGE(bad, !web::is_local_path(bad));
        }
        // A return address a form or query carries is a local path of at most 2048 bytes.
        CPPUNIT_ASSERT(web::is_return_path("/" + std::string(web::max_return_path - 1, 'a')));
        CPPUNIT_ASSERT(!web::is_return_path("/" + std::string(web::max_return_path, 'a')));
        CPPUNIT_ASSERT(!web::is_return_path("//evil.example/"));
    }

    void initials_cases() {
        CPPUNIT_ASSERT_EQUAL(std::string("AE"), web::initials_of("Alice Example"));
        CPPUNIT_ASSERT_EQUAL(std::string("AE"), web::initials_of("alice example"));
        CPPUNIT_ASSERT_EQUAL(std::string("AE"), web::initials_of("Alice B. Example"));
        CPPUNIT_ASSERT_EQUAL(std::string("A"), web::initials_of("alice"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xE5\xB1\xB1"), web::initials_of("山田 花子"));  // 山
        CPPUNIT_ASSERT_EQUAL(std::string("\xC3\x89M"), web::initials_of("\xC3\x89lodie Martin"));  // ÉM
        CPPUNIT_ASSERT_EQUAL(std::string("\xED\x99\x8D"), web::initials_of("\xED\x99\x8D \xEA\xB8\xB8\xEB\x8F\x99"));  // 홍 (홍 길동)
        CPPUNIT_ASSERT_EQUAL(std::string("山"), web::initials_of("山田 花子"));
        CPPUNIT_ASSERT_EQUAL(std::string("山"), web::initials_of("山田 Taro"));  // a CJK name keeps one glyph
        CPPUNIT_ASSERT_EQUAL(std::string("?"), web::initials_of(""));
        CPPUNIT_ASSERT_EQUAL(std::string("?"), web::initials_of("   "));
    }

private:
    static void check_mount(const std::string& uri, const std::vector<std::string>& sections,
                            const std::string& base, const std::string& route) {
        web::Mount mount = web::resolve_mount(uri, sections);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(uri + " base", base, mount.base);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(uri + " route", route, mount.route);
    }

    AccountId alice_ = 0;

    void password_kept_elsewhere_links_to_its_page() {
        settings_.password_change_url = "https://idp.example/password";
        Response page = run(signed_in("GET", "/password"));  // alice has no password here
        CPPUNIT_ASSERT_EQUAL(409, page.status);
        CPPUNIT_ASSERT(contains(page.body, "href=\"https://idp.example/password\""));

        Request api = signed_in("POST", "/api/v1/me/password");
        api.content_type = "application/json";
        api.body = json{{"current_password", "x"}, {"new_password", "y"}}.dump();
        api.csrf_header = valid_token();
        Response response = run(api);
        CPPUNIT_ASSERT_EQUAL(409, response.status);
        json error = json::parse(response.body)["error"];
        CPPUNIT_ASSERT_EQUAL(std::string("password_managed_elsewhere"), error["code"].get<std::string>());
        CPPUNIT_ASSERT_EQUAL(std::string("https://idp.example/password"), error["change_url"].get<std::string>());
    }

    void reset_routes_exist_only_when_reset_is_on() {
        for (const char* route : {"/reset", "/reset/verify", "/reset/password"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, 404, run(request("GET", route)).status);
        // The request to register stays (an organization may ask for a 2-step method); with
        // nothing to register it sends the browser on.
        Response nothing_asked = run(signed_in("GET", "/security/register"));
        CPPUNIT_ASSERT_EQUAL(303, nothing_asked.status);
        reset_.enabled = true;
        Response start = run(request("GET", "/reset"));
        CPPUNIT_ASSERT_EQUAL(200, start.status);
        CPPUNIT_ASSERT(contains(start.body, "name=\"username\""));
        CPPUNIT_ASSERT(!start.new_login_nonce.empty());  // the form's token is bound to it
    }

    void removing_a_method_by_a_malformed_id_is_not_found() {
        const std::string token = valid_token();
        for (const char* id : {"", "abc", "0", "-1", "1 OR 1=1", "1e3", "99999999999999999999"}) {
            Request r = signed_in("POST", "/security/email/remove");
            r.content_type = "application/x-www-form-urlencoded";
            r.form = {{"csrf", token}, {"method", id}};
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string("method=") + id, 404, run(r).status);
        }
        CPPUNIT_ASSERT(notifier_.sent.empty());  // nothing removed, nobody told
    }

    void registration_is_required_once_postpones_are_used_up() {
        store().set_password_hash(alice_, hasher_.hash("an ordinary passphrase"), false, t0);
        reset_.enabled = true;
        reset_.postpones = 1;
        store().postpone_registration(alice_);  // the last "not now": the rest of that session stays open
        CPPUNIT_ASSERT_EQUAL(200, run(signed_in("GET", "/")).status);
        store().postpone_registration(alice_);  // what the next sign-in does (httpd/redirect_guard.cpp)
        Response profile = run(signed_in("GET", "/"));
        CPPUNIT_ASSERT_EQUAL(303, profile.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security/register"), header_or_empty(profile, "Location"));
        Response interrupt = run(signed_in("GET", "/security/register"));
        CPPUNIT_ASSERT_EQUAL(200, interrupt.status);
        CPPUNIT_ASSERT(!contains(interrupt.body, "/security/postpone"));  // no "not now" left
        CPPUNIT_ASSERT_EQUAL(200, run(signed_in("GET", "/security")).status);
        CPPUNIT_ASSERT_EQUAL(200, run(signed_in("GET", "/api/v1/me")).status);

        reset_.postpones = 3;  // a larger allowance: the pages open again
        CPPUNIT_ASSERT_EQUAL(200, run(signed_in("GET", "/")).status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PortalTest);
