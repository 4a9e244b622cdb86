// PW-13 per client address (MyAccountAddressThrottle): failed passwords from one address, over any
// accounts and both paths, shut that address out for the window; throttled sign-ins are not
// checked and count toward no account's lockout; other addresses are untouched.
#include "suite.hpp"

using namespace it;

namespace {

const char* const kSprayed[] = {"sam", "tom", "uma", "vic", "wes"};

std::string pw(const std::string& user) {
    return user + "'s password 8080";
}

}  // namespace

class ThrottleTest : public ServerFixture<ThrottleTest> {
    CPPUNIT_TEST_SUITE(ThrottleTest);
    CPPUNIT_TEST(testAddressIsShutOutAfterTenFailures);
    CPPUNIT_TEST(testFailuresBelowTheLimitDoNotShutOut);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "throttle"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        for (const char* u : kSprayed) env.add_user(u, pw(u));
        for (const char* u : {"victim", "other"}) env.add_user(u, pw(u));
    }
    static std::string extra_directives(const Environment&) {
        return "MyAccountAddressThrottle 10 900\nMyAccountLockoutThreshold 100";
    }

    std::string failed_attempts(const std::string& user) {
        return env().sql("select failed_attempts from accounts where username='" + user + "'");
    }

    void testAddressIsShutOutAfterTenFailures() {
        allow_failed_sign_in_lines();
        const std::string attacker_address = fresh_client_address();
        auto attacker = browser_from(attacker_address);
        // Ten wrong passwords over five accounts, half by the form, half by Basic.
        for (int i = 0; i < 10; ++i) {
            const std::string user = kSprayed[i % 5];
            const Response r = i % 2 == 0
                                   ? attacker->sign_in(user, "spray guess " + std::to_string(i))
                                   : attacker->get_basic("/basic/index.html", user, "spray guess " + std::to_string(i));
            CPPUNIT_ASSERT_EQUAL_MESSAGE("guess " + std::to_string(i) + "\n" + r.describe(), 401L, r.status);
        }
        for (const char* u : kSprayed)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string("failures of ") + u, std::string("2\n"), failed_attempts(u));

        // The right password of an untouched account, from that address: refused unchecked.
        Response form = attacker->sign_in("victim", pw("victim"));
        assert_login_page(form, "victim's right password from the throttled address");
        CPPUNIT_ASSERT_MESSAGE(
            "a session for a throttled address\n" + form.describe(),
            !find_set_cookie(form, kSessionCookie) || find_set_cookie(form, kSessionCookie)->clears());
        IT_ASSERT_STATUS(attacker->get("/myaccount/"), 401);
        IT_ASSERT_STATUS(attacker->get_basic("/basic/index.html", "victim", pw("victim")), 401);
        // Further guesses from there count toward no account.
        attacker->sign_in("victim", "another guess");
        attacker->get_basic("/basic/index.html", "sam", "another guess");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("throttled attempts counted for victim", std::string("0\n"),
                                     failed_attempts("victim"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("throttled attempts counted for sam", std::string("2\n"), failed_attempts("sam"));
        CPPUNIT_ASSERT_EQUAL(std::string("0\n"),
                             env().sql("select locked_until > 0 from accounts where username='victim'"));

        // Another address is not affected: victim signs in from there, by both paths.
        auto elsewhere = fresh_browser();
        assert_signed_in(elsewhere->sign_in("victim", pw("victim")), *elsewhere, "victim from another address");
        IT_ASSERT_STATUS(elsewhere->get("/myaccount/"), 200);
        IT_ASSERT_STATUS(fresh_browser()->get_basic("/basic/index.html", "victim", pw("victim")), 200);
        CPPUNIT_ASSERT_EQUAL(std::string("0\n"), failed_attempts("victim"));
    }

    // Nine failures (one under the limit) leave the address free to sign in.
    void testFailuresBelowTheLimitDoNotShutOut() {
        allow_failed_sign_in_lines();
        auto b = browser_from(fresh_client_address());
        for (int i = 0; i < 9; ++i)
            IT_ASSERT_STATUS(b->sign_in(kSprayed[i % 5], "below the limit " + std::to_string(i)), 401);
        assert_signed_in(b->sign_in("other", pw("other")), *b, "other after nine failures from this address");
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
    }
};

IT_REGISTER_SUITE(ThrottleTest);
