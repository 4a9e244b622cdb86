// Terms of use: an administrator publishes versions per organization and language with the CLI;
// MyAccountTermsRequired (the demo's /handbook/) sends a person who has not accepted the current
// version of each of their organizations' terms to the terms page and back; a new version asks
// again, a withdrawn one no longer; Decline signs out; unsafe HTML in a terms file never reaches
// the page; acceptances are kept with time, address and language, and shown to the person.
// SECURITY.md TOU-1 (recorded, required, CSRF, re-prompt, old and future ids refused) and AC-1
// (another organization's version is 404).
#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;
using nlohmann::json;

namespace {

const char* const kHandbook = "/handbook/index.html";
const char* const kTermsForHandbook = "/myaccount/terms?return=/handbook/index.html";

std::string password_of(const std::string& user) { return user + " reads the terms 2026"; }

std::string account_of(const std::string& user) { return "(select id from accounts where username='" + user + "')"; }

}  // namespace

class TermsTest : public ServerFixture<TermsTest> {
    CPPUNIT_TEST_SUITE(TermsTest);
    CPPUNIT_TEST(testNothingPublishedSaysSoAndOffersDone);
    CPPUNIT_TEST(testTheGateAsksForTermsAndComesBackAfterAccept);
    CPPUNIT_TEST(testANewVersionAsksAgainAndAWithdrawnOneNoLonger);
    CPPUNIT_TEST(testEveryOrganizationsTermsBeforeTheWayBack);
    CPPUNIT_TEST(testDecliningSignsOut);
    CPPUNIT_TEST(testUnsafeHtmlNeverReachesThePage);
    CPPUNIT_TEST(testTheReadersLanguageWherePublished);
    CPPUNIT_TEST(testForgedOutdatedAndOtherPeoplesVersionsChangeNothing);
    CPPUNIT_TEST(testTheCliRefusesBadFilesAndValues);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "terms"; }
    static void prepare(Environment& env) {
        for (const char* org : {"Northwind", "Southridge", "Quiet", "Tailspin"}) env.ctl_ok({"org", "add", org});
        for (const char* user : {"una", "vic", "wes", "xia", "yui", "zed", "ann", "ben"}) {
            env.add_user(user, password_of(user), user, std::string(user) + "@example.net");
            env.ctl_ok({"org", "add-member", "Northwind", user});
        }
        env.add_user("quiet", password_of("quiet"));
        env.ctl_ok({"org", "add-member", "Quiet", "quiet"});
        env.ctl_ok({"org", "add-member", "Southridge", "wes", "--guest"});
        env.ctl_ok({"org", "add-member", "Tailspin", "ann"});  // ann: Northwind and Tailspin
        publish(env, "Northwind", "1", "en", "northwind-1.md", "# Northwind terms\n\nVersion one: **be kind**.\n");
        publish(env, "Northwind", "1", "ja", "northwind-1.ja.md", "# Northwind 利用規約\n\nバージョン 1: **親切に**。\n");
        publish(env, "Southridge", "2026", "en", "southridge.md", "Southridge asks you to *keep secrets*.\n");
    }

    static std::string publish(Environment& env, const std::string& org, const std::string& version,
                               const std::string& lang, const std::string& file, const std::string& text) {
        const std::string path = env.root() + "/" + file;
        write_file(path, text);
        return env.ctl_ok({"terms", "publish", org, path, "--version", version, "--lang", lang});
    }

    std::unique_ptr<Browser> signed_in_as(const std::string& user, const std::string& language = "en") {
        auto b = browser_from(fresh_client_address(), language);
        assert_signed_in(b->sign_in(user, password_of(user)), *b, "sign-in of " + user);
        return b;
    }

    std::string version_id(const std::string& org, const std::string& version) {
        return trimmed(env().sql("select v.id from terms_versions v join organizations o on o.id = v.organization_id"
                                 " where o.name='" + org + "' and v.version='" + version + "'"));
    }

    std::string acceptances_of(const std::string& user) {
        return trimmed(env().sql("select count(*) from terms_acceptances where account_id=" + account_of(user)));
    }

    // Accepts the version the page offers first (asserting the page offers one), as the button does.
    Response accept_first(Browser& b, const std::string& page_path, const std::string& back) {
        Response page = b.get(page_path);
        IT_ASSERT_STATUS(page, 200);
        const std::string marker = "name=\"version\" value=\"";
        const std::size_t at = page.body.find(marker);
        CPPUNIT_ASSERT_MESSAGE(page.describe(6000), at != std::string::npos);
        const std::string version = page.body.substr(at + marker.size(), page.body.find('"', at + marker.size()) - at - marker.size());
        const std::string lang_marker = "name=\"language\" value=\"";
        const std::size_t lang_at = page.body.find(lang_marker, at);
        const std::string language = page.body.substr(lang_at + lang_marker.size(), 2);
        return b.post_form("/myaccount/terms/accept", {{"csrf", csrf_from_html(page.body)},
                                                        {"version", version},
                                                        {"language", language},
                                                        {"return", back}});
    }

    void testNothingPublishedSaysSoAndOffersDone() {
        auto b = signed_in_as("quiet");
        IT_ASSERT_STATUS(b->get(kHandbook), 200);  // nothing to accept: the handbook opens
        Response page = b->get("/myaccount/terms");
        IT_ASSERT_STATUS(page, 200);
        assert_security_headers(page, "the terms page");
        CPPUNIT_ASSERT_MESSAGE(page.describe(4000), contains(page.body, "have not published any terms of use"));
        CPPUNIT_ASSERT_MESSAGE(page.describe(4000), contains(page.body, "href=\"/myaccount/\">Done</a>"));
        CPPUNIT_ASSERT(!contains(page.body, "/myaccount/terms/accept"));
        const json api = json::parse(b->get("/myaccount/api/v1/me/terms").body);
        CPPUNIT_ASSERT(!api.at("pending").get<bool>());
        CPPUNIT_ASSERT(api.at("current").empty() && api.at("accepted").empty());
        // The profile's manage area links the page.
        CPPUNIT_ASSERT(contains(b->get("/myaccount/").body, "href=\"/myaccount/terms\""));
    }

    void testTheGateAsksForTermsAndComesBackAfterAccept() {
        auto b = signed_in_as("una");
        Response stopped = b->get(kHandbook);
        IT_ASSERT_STATUS(stopped, 302);
        CPPUNIT_ASSERT_EQUAL(std::string(kTermsForHandbook), location_path(stopped));
        // A script is told where, with a challenge; a change is refused outright.
        Response script = b->get(kHandbook, {{"Accept", "application/json"}});
        IT_ASSERT_STATUS(script, 401);
        CPPUNIT_ASSERT_EQUAL(std::string("terms_not_accepted"), json::parse(script.body).value("error", ""));
        CPPUNIT_ASSERT_EQUAL(std::string(kTermsForHandbook), json::parse(script.body).value("terms_url", ""));
        CPPUNIT_ASSERT_MESSAGE(script.describe(), contains(script.header("WWW-Authenticate"), "terms_not_accepted"));
        IT_ASSERT_STATUS(b->request("POST", kHandbook, "x=1", {{"Content-Type", "application/x-www-form-urlencoded"}}), 403);
        // The portal itself stays open.
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);

        Response page = b->get(kTermsForHandbook);
        IT_ASSERT_STATUS(page, 200);
        for (const char* text : {"Northwind", "Version one:", "<strong>be kind</strong>", "Version 1, published",
                                 "Accept", "Decline and sign out"})
            CPPUNIT_ASSERT_MESSAGE(std::string(text) + "\n" + page.describe(6000), contains(page.body, text));
        CPPUNIT_ASSERT_MESSAGE(page.describe(6000), contains(page.body, "<h3>Northwind terms</h3>"));
        const std::string v1 = version_id("Northwind", "1");
        const Fields fields = {{"version", v1}, {"language", "en"}, {"return", kHandbook}};
        assert_post_needs_token(*b, "/myaccount/terms/accept", fields, csrf_from_html(page.body));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), acceptances_of("una"));

        Response accepted = accept_first(*b, kTermsForHandbook, kHandbook);
        IT_ASSERT_STATUS(accepted, 303);
        CPPUNIT_ASSERT_EQUAL(std::string(kHandbook), location_path(accepted));
        Response handbook = b->get(kHandbook);
        IT_ASSERT_STATUS(handbook, 200);
        CPPUNIT_ASSERT(contains(handbook.body, "Welcome to the employee handbook"));
        // Kept: which version, in which language, when and from where; and in the audit trail.
        CPPUNIT_ASSERT_EQUAL(v1 + "|en|1|1", trimmed(env().sql(
            "select version_id, language, accepted_at > 0, client_ip like '127.%' from terms_acceptances"
            " where account_id=" + account_of("una"))));
        CPPUNIT_ASSERT_EQUAL(std::string("Northwind 1 (en)"),
                             trimmed(env().sql("select detail from audit_events where kind='terms_accepted' and account_id=" +
                                               account_of("una"))));
        // The page now says when it was accepted and offers Done; the history lists it.
        Response after = b->get("/myaccount/terms");
        CPPUNIT_ASSERT_MESSAGE(after.describe(6000), contains(after.body, "You accepted this version on"));
        CPPUNIT_ASSERT(contains(after.body, "Terms you accepted"));
        CPPUNIT_ASSERT(!contains(after.body, "/myaccount/terms/accept"));
        // Accepting again (the form of a second tab) changes nothing and goes back all the same.
        Response twice = b->post_form("/myaccount/terms/accept", {{"csrf", csrf_from_html(page.body)},
                                                                 {"version", v1},
                                                                 {"language", "ja"},
                                                                 {"return", kHandbook}});
        IT_ASSERT_STATUS(twice, 303);
        CPPUNIT_ASSERT_EQUAL(std::string(kHandbook), location_path(twice));
        CPPUNIT_ASSERT_EQUAL(std::string("1|en"), trimmed(env().sql("select count(*), min(language) from terms_acceptances"
                                                                    " where account_id=" + account_of("una"))));
    }

    void testANewVersionAsksAgainAndAWithdrawnOneNoLonger() {
        auto b = signed_in_as("vic");
        IT_ASSERT_STATUS(accept_first(*b, kTermsForHandbook, kHandbook), 303);
        IT_ASSERT_STATUS(b->get(kHandbook), 200);

        publish(env(), "Northwind", "2", "en", "northwind-2.md", "# Northwind terms, version two\n\nNew rules.\n");
        Response stopped = b->get(kHandbook);
        IT_ASSERT_STATUS(stopped, 302);
        CPPUNIT_ASSERT_EQUAL(std::string(kTermsForHandbook), location_path(stopped));
        Response page = b->get(kTermsForHandbook);
        CPPUNIT_ASSERT_MESSAGE(page.describe(6000), contains(page.body, "New rules."));
        CPPUNIT_ASSERT(contains(page.body, "version 1, accepted"));  // the history keeps v1

        // The API accepts the version by id, as the page does; the gate opens again.
        const std::string token = api_token(*b);
        const std::string accept_v2 =
            json{{"version_id", std::stoll(version_id("Northwind", "2"))}, {"language", "en"}}.dump();
        IT_ASSERT_STATUS(b->post_json("/myaccount/api/v1/me/terms/acceptances", accept_v2), 403);  // no token
        IT_ASSERT_STATUS(b->post_json("/myaccount/api/v1/me/terms/acceptances", accept_v2, {{"X-CSRF-Token", "forged"}}),
                         403);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), acceptances_of("vic"));
        Response api = b->post_json("/myaccount/api/v1/me/terms/acceptances", accept_v2, {{"X-CSRF-Token", token}});
        IT_ASSERT_STATUS(api, 200);
        const json state = json::parse(api.body);
        CPPUNIT_ASSERT(!state.at("pending").get<bool>());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, state.at("accepted").size());
        IT_ASSERT_STATUS(b->get(kHandbook), 200);

        // Version 3 is withdrawn again: nobody has to accept it, version 2 is current again.
        publish(env(), "Northwind", "3", "en", "northwind-3.md", "Version three.\n");
        IT_ASSERT_STATUS(b->get(kHandbook), 302);
        const std::string withdrawn = env().ctl_ok({"terms", "withdraw", "Northwind", "--version", "3"});
        CPPUNIT_ASSERT_MESSAGE(withdrawn, contains(withdrawn, "version 2 is current again"));
        IT_ASSERT_STATUS(b->get(kHandbook), 200);
        const std::string listed = env().ctl_ok({"terms", "list", "Northwind"});
        CPPUNIT_ASSERT_MESSAGE(listed, contains(listed, "withdrawn") && contains(listed, "current"));
        const std::string accepted = env().ctl_ok({"terms", "accepted", "vic", "--json"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(accepted, std::size_t{2}, json::parse(accepted).size());
        // A withdrawn version cannot come back under its name.
        ProcessResult again = env().ctl({"terms", "publish", "Northwind", env().root() + "/northwind-3.md", "--version",
                                         "3", "--lang", "ja"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(again.combined(), 1, again.exit_code);
        CPPUNIT_ASSERT(contains(again.err, "was withdrawn"));
        env().ctl_ok({"terms", "withdraw", "Northwind", "--version", "2"});  // leave v1 current for the others
    }

    void testEveryOrganizationsTermsBeforeTheWayBack() {
        // wes: Northwind (home) and Southridge (guest) both ask; the first acceptance comes back to
        // the terms page, the second to the handbook.
        auto b = signed_in_as("wes");
        Response first = accept_first(*b, kTermsForHandbook, kHandbook);
        IT_ASSERT_STATUS(first, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/terms?accepted=1&return=/handbook/index.html"), location_path(first));
        Response page = b->get(location_path(first));
        CPPUNIT_ASSERT_MESSAGE(page.describe(6000), contains(page.body, "Your acceptance was recorded"));
        CPPUNIT_ASSERT(contains(page.body, "keep secrets"));
        IT_ASSERT_STATUS(b->get(kHandbook), 302);
        Response second = accept_first(*b, kTermsForHandbook, kHandbook);
        IT_ASSERT_STATUS(second, 303);
        CPPUNIT_ASSERT_EQUAL(std::string(kHandbook), location_path(second));
        IT_ASSERT_STATUS(b->get(kHandbook), 200);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), acceptances_of("wes"));
    }

    void testDecliningSignsOut() {
        auto b = signed_in_as("xia");
        const std::string csrf = csrf_of(*b, kTermsForHandbook);
        assert_post_needs_token(*b, "/myaccount/terms/decline", {}, csrf);
        Response declined = b->post_form("/myaccount/terms/decline", {{"csrf", csrf}});
        IT_ASSERT_STATUS(declined, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/login?terms_declined=1"), location_path(declined));
        Response login = b->get("/myaccount/login?terms_declined=1");
        CPPUNIT_ASSERT_MESSAGE(login.describe(4000), contains(login.body, "You declined the terms of use"));
        assert_login_page(b->get("/myaccount/"), "the portal after declining");
        assert_login_page(b->get(kHandbook), "the handbook after declining");
        CPPUNIT_ASSERT_EQUAL(std::string("0|1|terms_declined"),
                             trimmed(env().sql("select (select count(*) from terms_acceptances where account_id=a.id),"
                                               " (select count(*) from audit_events where kind='terms_declined' and account_id=a.id),"
                                               " (select end_reason from sessions where account_id=a.id order by id desc limit 1)"
                                               " from accounts a where username='xia'")));
        // Signing in again asks again; accepting then works.
        auto again = signed_in_as("xia");
        IT_ASSERT_STATUS(again->get(kHandbook), 302);
        IT_ASSERT_STATUS(accept_first(*again, kTermsForHandbook, kHandbook), 303);
        IT_ASSERT_STATUS(again->get(kHandbook), 200);
    }

    void testUnsafeHtmlNeverReachesThePage() {
        const std::string html =
            "<h1>Tailspin rules</h1><p onclick=\"alert(1)\" style=\"color:red\">Read <b>carefully</b>.</p>"
            "<script>document.title='owned'</script><img src=x onerror=\"alert(2)\">"
            "<iframe src=\"https://evil.example/\"></iframe><svg><script>alert(3)</script></svg>"
            "<p><a href=\"javascript:alert(4)\">click</a> <a href=\"https://tailspin.example/help\">help</a></p>"
            "<form action=\"https://evil.example/steal\"><input name=\"password\"></form><style>body{display:none}</style>";
        const std::string said = publish(env(), "Tailspin", "1", "en", "tailspin.html", html);
        CPPUNIT_ASSERT_MESSAGE(said, contains(said, "removed from the document") && contains(said, "script element (1)") && contains(said, "svg element (1)"));
        auto b = signed_in_as("ann");
        Response page = b->get("/myaccount/terms");
        IT_ASSERT_STATUS(page, 200);
        assert_security_headers(page, "the terms page with an HTML document");
        CPPUNIT_ASSERT_MESSAGE(page.describe(8000), contains(page.body, "Read <b>carefully</b>."));
        CPPUNIT_ASSERT(contains(page.body, "<a href=\"https://tailspin.example/help\" rel=\"noopener noreferrer\">help</a>"));
        // The document as the page shows it (the sanitizer leaves no <div> inside it).
        const std::size_t start = page.body.find("<div class=\"terms-document\"", page.body.find(">Tailspin</h2>"));
        CPPUNIT_ASSERT(start != std::string::npos);
        const std::string document = page.body.substr(start, page.body.find("</div>", start) - start);
        CPPUNIT_ASSERT_MESSAGE(document, contains(document, "Tailspin rules"));
        for (const char* banned : {"<script", "onclick", "onerror", "<img", "<iframe", "<svg", "javascript:", "<form",
                                   "name=\"password\"", "<style", "color:red", "evil.example", "owned"})
            CPPUNIT_ASSERT_MESSAGE(std::string(banned) + "\n" + document, !contains(document, banned));
        for (const char* banned : {"<script", "onclick", "onerror", "javascript:", "evil.example"})
            CPPUNIT_ASSERT_MESSAGE(std::string(banned) + "\n" + page.describe(8000), !contains(page.body, banned));
        // The API gives the same safe HTML.
        const std::string api = b->get("/myaccount/api/v1/me/terms").body;
        CPPUNIT_ASSERT_MESSAGE(api, contains(api, "Tailspin rules") && !contains(api, "<script") && !contains(api, "onerror"));
    }

    void testTheReadersLanguageWherePublished() {
        auto b = signed_in_as("yui", "ja");
        Response page = b->get("/myaccount/terms");
        IT_ASSERT_STATUS(page, 200);
        CPPUNIT_ASSERT_MESSAGE(page.describe(6000), contains(page.body, "<strong>親切に</strong>"));
        CPPUNIT_ASSERT(contains(page.body, "lang=\"ja\"") && contains(page.body, "同意する"));
        CPPUNIT_ASSERT(!contains(page.body, "be kind"));
        IT_ASSERT_STATUS(accept_first(*b, "/myaccount/terms", ""), 303);
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), trimmed(env().sql("select language from terms_acceptances where account_id=" +
                                                                  account_of("yui"))));
        // Southridge's terms exist in English only: a Japanese reader is told so.
        env().ctl_ok({"org", "add-member", "Southridge", "yui", "--guest"});
        Response english_only = b->get("/myaccount/terms");
        CPPUNIT_ASSERT_MESSAGE(english_only.describe(8000), contains(english_only.body, "英語のみで公開されています"));
        CPPUNIT_ASSERT(contains(english_only.body, "<div class=\"terms-document\" lang=\"en\">"));
    }

    void testForgedOutdatedAndOtherPeoplesVersionsChangeNothing() {
        auto b = signed_in_as("zed");
        const std::string csrf = csrf_of(*b, "/myaccount/terms");
        const std::string southridge = version_id("Southridge", "2026");  // zed is no member of it
        for (const std::string& forged : {southridge, std::string("abc"), std::string("99999999"),
                                          std::string("-1"), std::string("1e3"), std::string()}) {
            Response r = b->post_form("/myaccount/terms/accept",
                                      {{"csrf", csrf}, {"version", forged}, {"language", "en"}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE("version '" + forged + "'\n" + r.describe(), 404L, r.status);
        }
        // A language the version was not published in is no acceptance either.
        Response french = b->post_form("/myaccount/terms/accept", {{"csrf", csrf},
                                                                  {"version", version_id("Northwind", "1")},
                                                                  {"language", "fr"}});
        IT_ASSERT_STATUS(french, 404);
        const std::string token = api_token(*b);
        for (const std::string& body : {std::string("{}"), std::string("[1]"), std::string("{\"version_id\":\"1\",\"language\":\"en\"}"),
                                        std::string("{\"version_id\":1e400,\"language\":\"en\"}"), std::string("not json")}) {
            Response r = b->post_json("/myaccount/api/v1/me/terms/acceptances", body, {{"X-CSRF-Token", token}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + "\n" + r.describe(), 400L, r.status);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("0"), acceptances_of("zed"));

        // A version replaced while zed was reading: 409 with the way back to the new one.
        publish(env(), "Northwind", "4", "en", "northwind-4.md", "Version four.\n");
        Response outdated = b->post_form("/myaccount/terms/accept", {{"csrf", csrf},
                                                                    {"version", version_id("Northwind", "1")},
                                                                    {"language", "en"},
                                                                    {"return", kHandbook}});
        IT_ASSERT_STATUS(outdated, 409);
        CPPUNIT_ASSERT_MESSAGE(outdated.describe(4000), contains(outdated.body, "These terms have changed"));
        CPPUNIT_ASSERT(contains(outdated.body, "href=\"/myaccount/terms?return=/handbook/index.html\""));
        Response api = b->post_json("/myaccount/api/v1/me/terms/acceptances",
                                    json{{"version_id", std::stoll(version_id("Northwind", "1"))}, {"language", "en"}}.dump(),
                                    {{"X-CSRF-Token", token}});
        IT_ASSERT_STATUS(api, 409);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), acceptances_of("zed"));
        env().ctl_ok({"terms", "withdraw", "Northwind", "--version", "4"});
        // An open redirect is no way back: a return that is not a path of this server is dropped.
        Response offsite = accept_first(*b, "/myaccount/terms?return=//evil.example/", "//evil.example/");
        IT_ASSERT_STATUS(offsite, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/terms?accepted=1"), location_path(offsite));
    }

    void testTheCliRefusesBadFilesAndValues() {
        const std::string md = env().root() + "/cli-terms.md";
        write_file(md, "Fine terms.\n");
        const std::string empty = env().root() + "/empty.html";
        write_file(empty, "<script>only code</script>");
        const std::string latin1 = env().root() + "/latin1.md";
        write_file(latin1, "caf\xe9\n");
        const std::string big = env().root() + "/big.md";
        write_file(big, std::string(600 * 1024, 'a'));
        struct Case {
            std::vector<std::string> args;
            const char* says;
        };
        const std::vector<Case> cases = {
            {{"terms", "publish", "Nowhere", md, "--version", "1", "--lang", "en"}, "organization 'Nowhere' not found"},
            {{"terms", "publish", "Quiet", md, "--version", "1", "--lang", "fr"}, "--lang must be ja or en"},
            {{"terms", "publish", "Quiet", md, "--lang", "en"}, "--version V is required"},
            {{"terms", "publish", "Quiet", md, "--version", "../x", "--lang", "en"}, "--version must be"},
            {{"terms", "publish", "Quiet", env().root() + "/missing.md", "--version", "1", "--lang", "en"}, "cannot open"},
            {{"terms", "publish", "Quiet", empty, "--version", "1", "--lang", "en"}, "no visible text"},
            {{"terms", "publish", "Quiet", latin1, "--version", "1", "--lang", "en"}, "UTF-8"},
            {{"terms", "publish", "Quiet", big, "--version", "1", "--lang", "en"}, "too large"},
            {{"terms", "withdraw", "Quiet", "--version", "7"}, "no version 7"},
        };
        for (const Case& c : cases) {
            ProcessResult r = env().ctl(c.args);
            CPPUNIT_ASSERT_MESSAGE(c.args[1] + " " + c.says + ": " + r.combined(), r.exit_code == 1 || r.exit_code == 2);
            CPPUNIT_ASSERT_MESSAGE(std::string(c.says) + " in: " + r.err, contains(r.err, c.says));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("0"),
                             trimmed(env().sql("select count(*) from terms_versions v join organizations o on"
                                               " o.id = v.organization_id where o.name='Quiet'")));
    }
};

IT_REGISTER_SUITE(TermsTest);
