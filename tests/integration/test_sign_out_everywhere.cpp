// Sign out everywhere (SS-5, BIND-2) against the real httpd: several cookie jars as several
// browsers of one person; Yes / No on the page, the JSON twin, the recent proof it needs, fifty
// sessions at once, and sign-ins racing the sign-out.
#include <atomic>
#include <future>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;

namespace {

std::string password_of(const std::string& user) {
    return user + "'s everywhere password 2026";
}

const char* const kPage = "/myaccount/sign-out-everywhere";

std::int64_t count_of(Environment& env, const std::string& query) {
    return std::stoll(trimmed(env.sql(query)));
}

std::string account_of(const std::string& user) {
    return "(select id from accounts where username='" + user + "')";
}

}  // namespace

class SignOutEverywhereTest : public ServerFixture<SignOutEverywhereTest> {
    CPPUNIT_TEST_SUITE(SignOutEverywhereTest);
    CPPUNIT_TEST(testYesEndsEveryBrowserIncludingThisOne);
    CPPUNIT_TEST(testNoGoesBackAndChangesNothing);
    CPPUNIT_TEST(testAnOldSignInMustProveItselfFirst);
    CPPUNIT_TEST(testFiftySessionsEndByTheApi);
    CPPUNIT_TEST(testSignInsRacingTheSignOutNeverSurviveIt);
    CPPUNIT_TEST(testOtherUsersKeepTheirSessions);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "everywhere"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("sam", password_of("sam"), "Sam", "sam@example.net");
        for (const char* user : {"nia", "old", "many", "race", "other"}) env.add_user(user, password_of(user));
    }

    std::unique_ptr<Browser> signed_in_as(const std::string& user) { return fresh_signed_in(user, password_of(user)); }

    void testYesEndsEveryBrowserIncludingThisOne() {
        auto a = signed_in_as("sam");
        auto b = signed_in_as("sam");
        auto c = signed_in_as("sam");
        const std::string a_cookie = a->cookie(kSessionCookie);
        const std::size_t notices = env().notification_count("sam@example.net");

        Response profile = a->get("/myaccount/");
        IT_ASSERT_STATUS(profile, 200);
        CPPUNIT_ASSERT_MESSAGE(profile.describe(), contains(profile.body, "href=\"/myaccount/sign-out-everywhere\""));
        Response question = a->get(kPage);
        IT_ASSERT_STATUS(question, 200);
        assert_security_headers(question, "the sign-out-everywhere page");
        CPPUNIT_ASSERT(contains(question.body, "Sign out of every browser and device where you are signed in?"));
        CPPUNIT_ASSERT(contains(question.body, "method=\"post\" action=\"/myaccount/sign-out-everywhere\""));
        CPPUNIT_ASSERT(contains(question.body, "href=\"/myaccount/\""));  // No
        assert_post_needs_token(*a, kPage, {}, csrf_from_html(question.body));
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);  // the refused posts changed nothing

        Response yes = a->post_form(kPage, {{"csrf", csrf_from_html(question.body)}});
        IT_ASSERT_STATUS(yes, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/login?signed_out_everywhere=1"), location_path(yes));
        std::optional<SetCookie> cleared = find_set_cookie(yes, kSessionCookie);
        CPPUNIT_ASSERT_MESSAGE(yes.describe(), cleared && cleared->clears());
        Response said = a->get("/myaccount/login?signed_out_everywhere=1");
        CPPUNIT_ASSERT_MESSAGE(said.describe(), contains(said.body, "You have been signed out of every browser and device."));

        for (Browser* other : {b.get(), c.get()}) assert_login_page(other->get("/myaccount/"), "another browser after Yes");
        auto replay = fresh_browser();
        replay->set_cookie(kSessionCookie, a_cookie);
        assert_login_page(replay->get("/myaccount/"), "this browser's old cookie after Yes");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, count_of(env(), "select count(*) from sessions where account_id=" +
                                                                  account_of("sam") +
                                                                  " and end_reason='signed_out_everywhere'"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, count_of(env(), "select count(*) from audit_events where account_id=" +
                                                                  account_of("sam") +
                                                                  " and kind='signed_out_everywhere'"));
        // The notice of the sign-out, whichever new-device notices of the sign-ins above land around it.
        std::optional<Notification> told = env().wait_for_notification(
            "sam@example.net", notices, 5,
            [](const Notification& n) { return n.header("Subject") == "You were signed out everywhere"; });
        CPPUNIT_ASSERT_MESSAGE("no notice of the sign-out", told.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("You were signed out everywhere"), told->header("Subject"));
        CPPUNIT_ASSERT_MESSAGE(told->body(), contains(told->body(), "reset your password"));

        // A fresh sign-in works at once.
        IT_ASSERT_STATUS(signed_in_as("sam")->get("/myaccount/"), 200);
    }

    void testNoGoesBackAndChangesNothing() {
        auto a = signed_in_as("nia");
        auto b = signed_in_as("nia");
        Response question = a->get(kPage);
        IT_ASSERT_STATUS(question, 200);
        IT_ASSERT_STATUS(a->get("/myaccount/"), 200);  // "No" is the link to the profile
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
        // GET never signs anyone out; other methods are not routes.
        IT_ASSERT_STATUS(a->request("DELETE", kPage), 405);
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
    }

    // BIND-2 / ASVS 3.3.4: a sign-in older than MyAccountRecentVerification proves itself again
    // (here the password: nia has no 2-step method) before the question.
    void testAnOldSignInMustProveItselfFirst() {
        auto b = signed_in_as("old");
        auto other = signed_in_as("old");
        const std::string csrf = csrf_of(*b, "/myaccount/");
        // No page can age a session: the database does (an hour ago).
        env().sql_write("update sessions set signed_in_at = signed_in_at - 3600, created_at = created_at - 3600"
                        " where account_id=" + account_of("old"));
        Response asked = b->get(kPage);
        IT_ASSERT_STATUS(asked, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/verify?return=/myaccount/sign-out-everywhere&recent=1"),
                             location_path(asked));
        Response posted = b->post_form(kPage, {{"csrf", csrf}});
        IT_ASSERT_STATUS(posted, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/verify?return=/myaccount/sign-out-everywhere&recent=1"),
                             location_path(posted));
        IT_ASSERT_STATUS(other->get("/myaccount/"), 200);  // nothing happened yet

        Response form = b->get(location_path(asked));
        IT_ASSERT_STATUS(form, 200);
        Response proven = b->post_form("/myaccount/verify/password", {{"csrf", csrf_from_html(form.body)},
                                                                     {"return", kPage},
                                                                     {"recent", "1"},
                                                                     {"current_password", password_of("old")}});
        IT_ASSERT_STATUS(proven, 303);
        CPPUNIT_ASSERT_EQUAL(std::string(kPage), location_path(proven));
        Response question = b->get(kPage);
        IT_ASSERT_STATUS(question, 200);
        IT_ASSERT_STATUS(b->post_form(kPage, {{"csrf", csrf_from_html(question.body)}}), 303);
        assert_login_page(other->get("/myaccount/"), "the other browser after a proven Yes");
    }

    void testFiftySessionsEndByTheApi() {
        std::vector<std::unique_ptr<Browser>> browsers;
        for (int i = 0; i < 50; ++i) browsers.push_back(signed_in_as("many"));
        Browser& last = *browsers.back();
        const std::string token = api_token(last);
        IT_ASSERT_STATUS(last.request("DELETE", "/myaccount/api/v1/me/sessions"), 403);  // no token
        Response done = last.request("DELETE", "/myaccount/api/v1/me/sessions", {}, {{"X-CSRF-Token", token}});
        IT_ASSERT_STATUS(done, 200);
        nlohmann::json body = nlohmann::json::parse(done.body);
        CPPUNIT_ASSERT_EQUAL(true, body.value("signed_out_everywhere", false));
        CPPUNIT_ASSERT_EQUAL(50, body.value("sessions_ended", -1));
        // All fifty at once, as fifty browsers would come back.
        std::vector<std::future<long>> statuses;
        for (auto& b : browsers)
            statuses.push_back(std::async(std::launch::async, [&b] { return b->get("/myaccount/").status; }));
        for (auto& status : statuses) CPPUNIT_ASSERT_EQUAL(401L, status.get());
    }

    // Sign-ins made while the sign-out runs either end with it or were made after it: no session
    // made under the old security stamp is ever let through.
    void testSignInsRacingTheSignOutNeverSurviveIt() {
        auto first = signed_in_as("race");
        const std::string token = api_token(*first);
        // Three browsers sign in over and over; each goes on until two of its sign-ins began after
        // the sign-out had answered.
        struct Made {
            std::string cookie;
            bool began_after = false;
        };
        std::atomic<bool> signed_out{false};
        std::vector<std::future<std::vector<Made>>> signers;
        for (int t = 0; t < 3; ++t) {
            signers.push_back(std::async(std::launch::async, [this, &signed_out] {
                std::vector<Made> made;
                int after = 0;
                for (int attempts = 0; after < 2 && attempts < 60; ++attempts) {
                    const bool began_after = signed_out;
                    auto b = fresh_browser();
                    if (b->sign_in("race", password_of("race")).status != 302) continue;
                    made.push_back({b->cookie(kSessionCookie), began_after});
                    after += began_after;
                }
                return made;
            }));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        IT_ASSERT_STATUS(first->request("DELETE", "/myaccount/api/v1/me/sessions", {}, {{"X-CSRF-Token", token}}), 200);
        signed_out = true;
        int alive = 0;
        int dead = 0;
        for (auto& signer : signers) {
            for (const Made& made : signer.get()) {
                auto b = fresh_browser();
                b->set_cookie(kSessionCookie, made.cookie);
                const long status = b->get("/myaccount/").status;
                CPPUNIT_ASSERT_MESSAGE(std::to_string(status), status == 200 || status == 401);
                // A sign-in that began after the sign-out answered is never ended by it.
                if (made.began_after) CPPUNIT_ASSERT_EQUAL(200L, status);
                (status == 200 ? alive : dead) += 1;
            }
        }
        std::cout << "\n[SS-5 race] sign-ins ended with the sign-out: " << dead << ", made after it: " << alive << '\n';
        CPPUNIT_ASSERT_MESSAGE("no sign-in ran before the sign-out", dead > 0);
        // The sessions let through are exactly those made under the stamp the sign-out left; none
        // made under the old one is still active (each ended with the sign-out or at its first request).
        const std::string sessions = "select count(*) from sessions where ended_at = 0 and account_id=" +
                                     account_of("race") + " and security_stamp ";
        const std::string stamp = "(select security_stamp from accounts where username='race')";
        CPPUNIT_ASSERT_EQUAL(std::int64_t{alive}, count_of(env(), sessions + "= " + stamp));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_of(env(), sessions + "<> " + stamp));
    }

    void testOtherUsersKeepTheirSessions() {
        auto mine = signed_in_as("other");
        auto theirs = signed_in_as("nia");
        Response question = mine->get(kPage);
        IT_ASSERT_STATUS(mine->post_form(kPage, {{"csrf", csrf_from_html(question.body)}}), 303);
        IT_ASSERT_STATUS(theirs->get("/myaccount/"), 200);
    }
};

IT_REGISTER_SUITE(SignOutEverywhereTest);
