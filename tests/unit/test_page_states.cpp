// What an employee sees through web::handle: no links to missing pages, roles in their language,
// the register prompt's "Not now" counting down, reset steps, and typed values kept after errors.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "portal_fixture.hpp"
#include "web/pages.hpp"

using namespace myaccount;
using testing::contains;
using testing::header;
using testing::request;
using web::Request;
using web::Response;

namespace {

constexpr UnixTime t0 = testing::portal_now;

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

class PageStatesTest : public testing::PortalFixture {
    CPPUNIT_TEST_SUITE(PageStatesTest);
    CPPUNIT_TEST(profile_links_to_no_missing_page);
    CPPUNIT_TEST(profile_shows_known_roles_in_the_readers_language);
    CPPUNIT_TEST(addresses_wrap_after_at_and_dot);
    CPPUNIT_TEST(register_prompt_counts_down_and_then_stands);
    CPPUNIT_TEST(refused_form_offers_to_reload_it);
    CPPUNIT_TEST(reset_says_which_step_and_keeps_the_address);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        testing::PortalFixture::setUp();
        alice_ = add_person("alice", "Alice Example", "alice.smith@contoso.example", hasher_.hash(kPassword));
    }

    void profile_links_to_no_missing_page() {
        Response page = run(signed_in("GET", "/"));
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        for (const char* missing : {"/signout-all"}) {
            CPPUNIT_ASSERT_MESSAGE(missing, !contains(page.body, std::string("href=\"/myaccount") + missing));
            Response target = run(signed_in("GET", missing));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(missing) + " has no page yet", 404, target.status);
        }
        // Every link of the page leads somewhere that answers.
        for (const char* route : {"/", "/security", "/password", "/devices", "/organizations", "/activity", "/terms",
                                  "/sign-out-everywhere", "/photo",
                                  "/static/myaccount.css", "/static/favicon.svg"}) {
            CPPUNIT_ASSERT_MESSAGE(route, contains(page.body, std::string("\"/myaccount") + route + "\""));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, 200, run(signed_in("GET", route)).status);
        }
        Response icon = run(request("GET", "/static/favicon.svg"));
        CPPUNIT_ASSERT_EQUAL(std::string("image/svg+xml"), icon.content_type);
    }

    void profile_shows_known_roles_in_the_readers_language() {
        auto contoso = store().create_organization(Organization{0, "Contoso", "contoso.example"});
        auto fabrikam = store().create_organization(Organization{0, "Fabrikam", "fabrikam.example"});
        auto northwind = store().create_organization(Organization{0, "Northwind", "northwind.example"});
        store().add_membership(alice_, contoso, MembershipKind::home, "Member");
        store().add_membership(alice_, fabrikam, MembershipKind::guest, "Guest");
        store().add_membership(alice_, northwind, MembershipKind::guest, "Team <Lead>");
        Request r = signed_in("GET", "/");
        r.accept_language = "ja";
        const std::string ja = run(r).body;
        CPPUNIT_ASSERT(contains(ja, "contoso.example · メンバー<"));
        CPPUNIT_ASSERT(contains(ja, ">fabrikam.example<"));  // the guest badge says it: no "· ゲスト" twice
        CPPUNIT_ASSERT(contains(ja, "northwind.example · Team &lt;Lead&gt;<"));  // as the administrator typed it
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, count(ja, ">ゲスト<"));
        CPPUNIT_ASSERT(!contains(ja, "Member"));
        CPPUNIT_ASSERT(!contains(ja, "Guest"));
        const std::string en = run(signed_in("GET", "/")).body;
        CPPUNIT_ASSERT(contains(en, "contoso.example · Member<"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, count(en, ">Guest<"));
    }

    // At 375 px an address may break after '@' or '.', never mid-word (<wbr>, which copying ignores).
    void addresses_wrap_after_at_and_dot() {
        const std::string profile = run(signed_in("GET", "/")).body;
        CPPUNIT_ASSERT(contains(profile, ">alice.<wbr>smith@<wbr>contoso.<wbr>example<"));

        reset_.enabled = true;
        Request add = form_post("/security/email", {{"address", "new.one@example.org"}, {"current_password", kPassword}});
        Response code_form = run(add);
        CPPUNIT_ASSERT_EQUAL(200, code_form.status);
        CPPUNIT_ASSERT(contains(code_form.body, "Enter the code we sent to <span class=\"email\">new.<wbr>one@<wbr>example.<wbr>org</span>. It expires in 15 minutes."));

        Request wrong = form_post("/security/email", {{"address", "not an address"}, {"current_password", kPassword}});
        Response again = run(wrong);
        CPPUNIT_ASSERT_EQUAL(400, again.status);
        CPPUNIT_ASSERT(contains(again.body, "value=\"not an address\""));
    }

    // "Not now" says how often it is left, says so before the last one is used, and once none is
    // left only registering and signing out remain.
    void register_prompt_counts_down_and_then_stands() {
        reset_.enabled = true;
        reset_.postpones = 2;
        Response first = prompt();
        CPPUNIT_ASSERT_EQUAL(200, first.status);
        CPPUNIT_ASSERT(contains(first.body, "You can put this off 2 more times."));
        CPPUNIT_ASSERT(!contains(first.body, "<nav"));
        assert_not_now_goes_on();

        Response last = prompt();
        CPPUNIT_ASSERT(contains(last.body, "<p class=\"alert alert-warning\">This is the last time you can put this off"));
        CPPUNIT_ASSERT(contains(last.body, ">Not now</button>"));
        assert_not_now_goes_on();
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, account(alice_).registration_postponed);

        Response stands = prompt();
        CPPUNIT_ASSERT_EQUAL(200, stands.status);
        CPPUNIT_ASSERT(!contains(stands.body, "/security/postpone"));
        CPPUNIT_ASSERT(!contains(stands.body, "Not now"));
        CPPUNIT_ASSERT(contains(stands.body, "You can no longer put this off."));
        CPPUNIT_ASSERT(contains(stands.body, "href=\"/myaccount/security\">Set up now</a>"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, count(stands.body, "action=\"/myaccount/signout\""));
        CPPUNIT_ASSERT(!contains(stands.body, "<nav"));
        // A "Not now" form left open in another tab does not count a third time.
        Response stale = run(form_post("/security/postpone", {{"next", "/myaccount/password"}}));
        CPPUNIT_ASSERT_EQUAL(303, stale.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security/register"), header(stale, "Location").value_or(""));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, account(alice_).registration_postponed);
    }

    // A form refused for its token names no culprit and leads back to the form.
    void refused_form_offers_to_reload_it() {
        Request r = signed_in("POST", "/password");
        r.content_type = "application/x-www-form-urlencoded";
        r.form = {{"csrf", "stale"}, {"current_password", "x"}};
        Response refused = run(r);
        CPPUNIT_ASSERT_EQUAL(403, refused.status);
        CPPUNIT_ASSERT(contains(refused.body, "Nothing was changed."));
        CPPUNIT_ASSERT(contains(refused.body, "href=\"/myaccount/password\">Reload the form</a>"));
        CPPUNIT_ASSERT(!contains(refused.body, "permission"));
    }

    void reset_says_which_step_and_keeps_the_address() {
        reset_.enabled = true;
        Response start = run(request("GET", "/reset"));
        CPPUNIT_ASSERT(contains(start.body, "<p class=\"step\">Step 1 of 3</p>"));

        Request begin = request("POST", "/reset");
        begin.content_type = "application/x-www-form-urlencoded";
        begin.login_nonce = start.new_login_nonce;
        begin.form = {{"csrf", web::login_form_token(*key_, start.new_login_nonce)}, {"username", ""}};
        Response empty = run(begin);
        CPPUNIT_ASSERT_EQUAL(400, empty.status);
        CPPUNIT_ASSERT(contains(empty.body, "<p class=\"step\">Step 1 of 3</p>"));
        begin.form = {{"csrf", web::login_form_token(*key_, start.new_login_nonce)}, {"username", "alice"}};
        Response started = run(begin);
        CPPUNIT_ASSERT_EQUAL(303, started.status);
        CPPUNIT_ASSERT(started.reset_cookie.has_value());
        const std::string flow = *started.reset_cookie;

        Request verify = request("GET", "/reset/verify");
        verify.reset_token = flow;
        CPPUNIT_ASSERT(contains(run(verify).body, "<p class=\"step\">Step 2 of 3</p>"));

        Request send = request("POST", "/reset/send");
        send.content_type = "application/x-www-form-urlencoded";
        send.reset_token = flow;
        send.form = {{"csrf", web::reset_form_token(*key_, flow)}, {"address", "alice.smith@@contoso.example"}};
        Response typo = run(send);
        CPPUNIT_ASSERT_EQUAL(400, typo.status);
        CPPUNIT_ASSERT(contains(typo.body, "<p class=\"step\">Step 2 of 3</p>"));
        CPPUNIT_ASSERT(contains(typo.body, "value=\"alice.smith@@contoso.example\""));
        CPPUNIT_ASSERT(contains(typo.body, "aria-invalid=\"true\" aria-describedby=\"reset-error\""));

        reset_.methods_required = 2;
        CPPUNIT_ASSERT(contains(run(verify).body, "<p class=\"step\">Step 2 of 4</p>"));
    }

private:
    static constexpr const char* kPassword = "an ordinary passphrase";

    Request form_post(const std::string& route, web::Fields fields) {
        Request r = signed_in("POST", route);
        r.content_type = "application/x-www-form-urlencoded";
        fields.insert(fields.begin(), {"csrf", valid_token()});
        r.form = std::move(fields);
        return r;
    }

    Response prompt() {
        Request r = signed_in("GET", "/security/register");
        r.query_fields = {{"next", "/myaccount/password"}};
        return run(r);
    }

    void assert_not_now_goes_on() {
        Response later = run(form_post("/security/postpone", {{"next", "/myaccount/password"}}));
        CPPUNIT_ASSERT_EQUAL(303, later.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/password"), header(later, "Location").value_or(""));
    }

    AccountId alice_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PageStatesTest);
