// Organizations: the page lists the home organization and the guest ones with their roles; a guest
// leaves one after a fresh sign-in (Yes / No), which the profile, the audit trail and a notice
// reflect; the home organization and one whose members may not leave are refused with the reason;
// other people's and forged ids are 404 and change nothing.
#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;
using nlohmann::json;

namespace {

std::string password_of(const std::string& user) { return user + "'s organizations password 2026"; }

std::string account_of(const std::string& user) { return "(select id from accounts where username='" + user + "')"; }

}  // namespace

class OrganizationsTest : public ServerFixture<OrganizationsTest> {
    CPPUNIT_TEST_SUITE(OrganizationsTest);
    CPPUNIT_TEST(testThePageListsHomeAndGuestOrganizations);
    CPPUNIT_TEST(testAGuestLeavesAfterAFreshSignIn);
    CPPUNIT_TEST(testHomeAndStayingOrganizationsAreRefused);
    CPPUNIT_TEST(testOtherAndForgedIdsChangeNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "organizations"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.ctl_ok({"org", "add", "Woodgrove", "--domain", "woodgrove.example"});
        env.ctl_ok({"org", "add", "Tailspin", "--domain", "tailspin.example"});
        env.ctl_ok({"org", "add", "Litware"});
        env.ctl_ok({"org", "add", "Adatum"});
        env.ctl_ok({"org", "members-may-leave", "Litware", "no"});
        for (const char* user : {"pia", "quinn", "rex", "sol"}) {
            env.add_user(user, password_of(user), user, std::string(user) + "@example.net");
            env.ctl_ok({"org", "add-member", "Woodgrove", user, "--role", "Engineer"});
            env.ctl_ok({"org", "add-member", "Tailspin", user, "--guest"});
            env.ctl_ok({"org", "add-member", "Litware", user, "--guest", "--role", "Auditor"});
        }
        env.add_user("tom", password_of("tom"));
        env.ctl_ok({"org", "add-member", "Adatum", "tom", "--guest"});
    }

    std::unique_ptr<Browser> signed_in_as(const std::string& user) { return fresh_signed_in(user, password_of(user)); }

    std::string org_id(const std::string& name) {
        return trimmed(env().sql("select id from organizations where name='" + name + "'"));
    }

    void testThePageListsHomeAndGuestOrganizations() {
        auto b = signed_in_as("pia");
        Response profile = b->get("/myaccount/");
        CPPUNIT_ASSERT_MESSAGE(profile.describe(), contains(profile.body, "href=\"/myaccount/organizations\""));
        Response page = b->get("/myaccount/organizations");
        IT_ASSERT_STATUS(page, 200);
        assert_security_headers(page, "the organizations page");
        for (const char* text : {"Woodgrove", "woodgrove.example", "Engineer", "Tailspin", "Litware", "Auditor",
                                 "Home organization", "you cannot leave it", "does not let its members leave"})
            CPPUNIT_ASSERT_MESSAGE(std::string(text) + "\n" + page.describe(8000), contains(page.body, text));
        // Only Tailspin can be left.
        CPPUNIT_ASSERT_MESSAGE(page.describe(8000), contains(page.body, "/myaccount/organizations/leave?organization=" +
                                                                            org_id("Tailspin")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.describe(8000), std::string::npos,
                                     page.body.find("leave?organization=" + org_id("Woodgrove")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.describe(8000), std::string::npos,
                                     page.body.find("leave?organization=" + org_id("Litware")));

        Response api = b->get("/myaccount/api/v1/me/organizations");
        IT_ASSERT_STATUS(api, 200);
        std::map<std::string, bool> can_leave;
        const json listed = json::parse(api.body);
        for (const json& o : listed.at("organizations"))
            can_leave[o.value("name", "")] = o.value("can_leave", true);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(api.body, std::size_t{3}, can_leave.size());
        CPPUNIT_ASSERT(!can_leave["Woodgrove"] && can_leave["Tailspin"] && !can_leave["Litware"]);
    }

    void testAGuestLeavesAfterAFreshSignIn() {
        auto b = signed_in_as("quinn");
        const std::string tailspin = org_id("Tailspin");
        const std::string page = "/myaccount/organizations/leave?organization=" + tailspin;
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);  // the profile lists it (and is cached)
        CPPUNIT_ASSERT(contains(b->get("/myaccount/").body, "Tailspin"));
        const std::size_t notices = env().notification_count("quinn@example.net");

        // A sign-in an hour old must prove itself first; no page can age a session: the database does.
        env().sql_write("update sessions set signed_in_at = signed_in_at - 3600, created_at = created_at - 3600"
                        " where account_id=" + account_of("quinn"));
        Response asked = b->get(page);
        IT_ASSERT_STATUS(asked, 303);
        CPPUNIT_ASSERT_EQUAL("/myaccount/verify?return=/myaccount/organizations/leave%3Forganization%3D" + tailspin +
                                 "&recent=1",
                             location_path(asked));
        const std::string stale_csrf = csrf_of(*b, "/myaccount/");
        Response stale = b->post_form("/myaccount/organizations/leave", {{"csrf", stale_csrf}, {"organization", tailspin}});
        IT_ASSERT_STATUS(stale, 303);
        CPPUNIT_ASSERT(contains(location_path(stale), "recent=1"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), trimmed(env().sql("select count(*) from memberships where account_id=" +
                                                                 account_of("quinn") + " and organization_id=" + tailspin)));
        Response form = b->get(location_path(asked));
        Response proven = b->post_form("/myaccount/verify/password", {{"csrf", csrf_from_html(form.body)},
                                                                     {"return", page},
                                                                     {"recent", "1"},
                                                                     {"current_password", password_of("quinn")}});
        IT_ASSERT_STATUS(proven, 303);
        CPPUNIT_ASSERT_EQUAL(page, location_path(proven));

        Response question = b->get(page);
        IT_ASSERT_STATUS(question, 200);
        CPPUNIT_ASSERT_MESSAGE(question.describe(4000), contains(question.body, "Leave Tailspin?"));
        CPPUNIT_ASSERT(contains(question.body, "name=\"organization\" value=\"" + tailspin + "\""));
        const std::string csrf = csrf_from_html(question.body);
        assert_post_needs_token(*b, "/myaccount/organizations/leave", {{"organization", tailspin}}, csrf);
        Response left = b->post_form("/myaccount/organizations/leave", {{"csrf", csrf}, {"organization", tailspin}});
        IT_ASSERT_STATUS(left, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/organizations?left=1"), location_path(left));
        Response after = b->get("/myaccount/organizations?left=1");
        CPPUNIT_ASSERT_MESSAGE(after.describe(4000), contains(after.body, "You left the organization."));
        CPPUNIT_ASSERT_MESSAGE(after.describe(4000), !contains(after.body, "Tailspin"));
        CPPUNIT_ASSERT_MESSAGE("the profile still lists it", !contains(b->get("/myaccount/").body, "Tailspin"));
        CPPUNIT_ASSERT_EQUAL(std::string("organization_left|Tailspin"),
                             trimmed(env().sql("select kind || '|' || detail from audit_events where account_id=" +
                                               account_of("quinn") + " order by id desc limit 1")));
        std::optional<Notification> told = env().wait_for_notification(
            "quinn@example.net", notices, 5, [](const Notification& n) { return contains(n.message, "Tailspin"); });
        CPPUNIT_ASSERT_MESSAGE("no notice of leaving", told.has_value());
        // Leaving again: no longer a member.
        IT_ASSERT_STATUS(b->post_form("/myaccount/organizations/leave", {{"csrf", csrf}, {"organization", tailspin}}), 404);
        IT_ASSERT_STATUS(b->get(page), 404);
    }

    void testHomeAndStayingOrganizationsAreRefused() {
        auto b = signed_in_as("rex");
        const std::string token = api_token(*b);
        const std::string csrf = csrf_of(*b, "/myaccount/organizations");
        for (const auto& [name, words, code] :
             std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"Woodgrove", "you cannot leave it", "home_organization"},
                 {"Litware", "does not let its members leave", "members_may_not_leave"}}) {
            const std::string id = org_id(name);
            Response shown = b->get("/myaccount/organizations/leave?organization=" + id);
            IT_ASSERT_STATUS(shown, 409);
            CPPUNIT_ASSERT_MESSAGE(shown.describe(4000), contains(shown.body, words));
            Response posted = b->post_form("/myaccount/organizations/leave", {{"csrf", csrf}, {"organization", id}});
            IT_ASSERT_STATUS(posted, 409);
            Response api = b->request("DELETE", "/myaccount/api/v1/me/organizations/" + id, {}, {{"X-CSRF-Token", token}});
            IT_ASSERT_STATUS(api, 409);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(api.body, code, json::parse(api.body).at("error").value("code", ""));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("3"),
                             trimmed(env().sql("select count(*) from memberships where account_id=" + account_of("rex"))));
        // The administrator lets Litware's guests go: the API leaves it (204).
        env().ctl_ok({"org", "members-may-leave", "Litware", "yes"});
        IT_ASSERT_STATUS(b->request("DELETE", "/myaccount/api/v1/me/organizations/" + org_id("Litware"), {}), 403);
        IT_ASSERT_STATUS(b->request("DELETE", "/myaccount/api/v1/me/organizations/" + org_id("Litware"), {},
                                    {{"X-CSRF-Token", token}}),
                         204);
        CPPUNIT_ASSERT_EQUAL(std::string("2"),
                             trimmed(env().sql("select count(*) from memberships where account_id=" + account_of("rex"))));
        env().ctl_ok({"org", "members-may-leave", "Litware", "no"});
    }

    void testOtherAndForgedIdsChangeNothing() {
        auto b = signed_in_as("sol");
        const std::string token = api_token(*b);
        const std::string csrf = csrf_of(*b, "/myaccount/organizations");
        for (const std::string& id : {org_id("Adatum"), std::string("0"), std::string("-1"), std::string("abc"),
                                      std::string("99999999999999999999"), std::string(""), org_id("Tailspin") + "x"}) {
            IT_ASSERT_STATUS(b->get("/myaccount/organizations/leave?organization=" + id), 404);
            IT_ASSERT_STATUS(b->post_form("/myaccount/organizations/leave", {{"csrf", csrf}, {"organization", id}}), 404);
            if (!id.empty())
                IT_ASSERT_STATUS(b->request("DELETE", "/myaccount/api/v1/me/organizations/" + id, {},
                                            {{"X-CSRF-Token", token}}),
                                 404);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("3"),
                             trimmed(env().sql("select count(*) from memberships where account_id=" + account_of("sol"))));
        CPPUNIT_ASSERT_EQUAL(std::string("1"),
                             trimmed(env().sql("select count(*) from memberships where account_id=" + account_of("tom"))));
    }
};

IT_REGISTER_SUITE(OrganizationsTest);
