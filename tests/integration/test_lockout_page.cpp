// What a locked-out person reads at sign-in: "temporarily locked", for how long, and the way out
// (reset) — whatever password was typed, and the same for a user ID that does not exist.
#include <regex>

#include "suite.hpp"

using namespace it;

namespace {

// The page with its per-response parts (tokens, the typed ID) blanked, to compare two answers.
std::string normalized(std::string body, const std::string& user) {
    for (std::size_t at; (at = body.find(user)) != std::string::npos;) body.replace(at, user.size(), "{USER}");
    static const std::regex tokens(R"((name="login_csrf"[^>]*value=")[^"]*")");
    return std::regex_replace(body, tokens, "$1{TOKEN}\"");
}

}  // namespace

class LockoutPageTest : public ServerFixture<LockoutPageTest> {
    CPPUNIT_TEST_SUITE(LockoutPageTest);
    CPPUNIT_TEST(testLockedAccountAndUnknownIdReadTheSame);
    CPPUNIT_TEST(testFailedSignInKeepsTheTypedId);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "lockoutpage"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("carol", "carol's long password 7", "Carol Locked");
        env.add_user("dan", "dan's long password 8", "Dan Typo");
    }

    void testLockedAccountAndUnknownIdReadTheSame() {
        allow_failed_sign_in_lines();
        // Addresses of their own: the lock holds for the network (/24) that made the guesses, which
        // the Japanese browser below shares with `real` (fresh addresses may cross into another /24).
        auto real = browser_from("127.50.0.1");
        auto ghost = browser_from("127.51.0.1");
        // demo.conf: MyAccountLockoutThreshold 5, MyAccountLockoutDuration 300.
        for (int i = 0; i < 5; ++i) {
            Response r = real->sign_in("carol", "wrong guess " + std::to_string(i));
            Response g = ghost->sign_in("nobody-here", "wrong guess " + std::to_string(i));
            IT_ASSERT_STATUS(r, 401);
            CPPUNIT_ASSERT_MESSAGE(r.describe(), contains(r.body, "The user ID or password is incorrect"));
            CPPUNIT_ASSERT_EQUAL(normalized(r.body, "carol"), normalized(g.body, "nobody-here"));
        }
        // The sixth answer: locked, for up to 5 minutes, with the way out; the right password too.
        for (const std::string password : {"wrong guess 6", "carol's long password 7"}) {
            Response r = real->sign_in("carol", password);
            Response g = ghost->sign_in("nobody-here", password);
            IT_ASSERT_STATUS(r, 401);
            CPPUNIT_ASSERT_MESSAGE(r.describe(2000), contains(r.body, "temporarily locked"));
            CPPUNIT_ASSERT_MESSAGE(r.describe(2000), contains(r.body, "up to 5 minutes"));
            CPPUNIT_ASSERT_MESSAGE(r.describe(2000), contains(r.body, "href=\"/myaccount/reset\""));
            CPPUNIT_ASSERT_EQUAL(normalized(r.body, "carol"), normalized(g.body, "nobody-here"));
            IT_ASSERT_STATUS(real->get("/myaccount/api/v1/me"), 401);
        }
        auto ja = browser_from("127.50.0.2", "ja");
        Response japanese = ja->sign_in("carol", "carol's long password 7");
        CPPUNIT_ASSERT_MESSAGE(japanese.describe(2000), contains(japanese.body, "一時的にロック"));
    }

    void testFailedSignInKeepsTheTypedId() {
        allow_failed_sign_in_lines();
        auto b = fresh_browser();
        Response r = b->sign_in("dan", "not dan's password");
        IT_ASSERT_STATUS(r, 401);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.describe(2000), std::string("dan"), input_value(r.body, "httpd_username"));
        Response hostile = b->sign_in("\"><b>x", "whatever");
        CPPUNIT_ASSERT_MESSAGE(hostile.describe(2000), !contains(hostile.body, "\"><b>x"));
        CPPUNIT_ASSERT_MESSAGE(hostile.describe(2000), contains(hostile.body, "&quot;&gt;&lt;b&gt;x"));
    }
};

IT_REGISTER_SUITE(LockoutPageTest);
