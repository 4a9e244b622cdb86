// Smart lockout (MyAccountLockoutThreshold per client network, MyAccountLockoutAccountThreshold
// account-wide, familiar clients) and atomic counting, from several loopback networks (127.x.y.z
// are all this machine's: each /24 is a client network of its own to the server).
#include <vector>

#include "suite.hpp"

using namespace it;

namespace {

const char* const kBobPassword = "bob's harbour password 31";
const char* const kCarolPassword = "carol's quiet password 32";
const char* const kDavePassword = "dave's garden password 33";

}  // namespace

class SmartLockoutTest : public ServerFixture<SmartLockoutTest> {
    CPPUNIT_TEST_SUITE(SmartLockoutTest);
    CPPUNIT_TEST(testAnAttackerLocksOnlyTheirOwnNetwork);
    CPPUNIT_TEST(testTheAccountWideCapHoldsButSparesFamiliarClients);
    CPPUNIT_TEST(testParallelGuessesStayWithinTheNetworksLimit);
    CPPUNIT_TEST(testParallelGuessesStayWithinTheAddressThrottle);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "smart-lockout"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("bob", kBobPassword, "Bob Target");
        env.add_user("carol", kCarolPassword, "Carol Target");
        env.add_user("dave", kDavePassword, "Dave Target");
    }
    static std::string extra_directives(const Environment&) {
        // Enough hashes at once that no burst here is turned away as busy (SignInStormTest's part).
        return "MyAccountLockoutThreshold 5\nMyAccountLockoutAccountThreshold 20\nMyAccountAddressThrottle 10 900\n"
               "MyAccountHashConcurrency 32\n";
    }

    std::string recorded(const std::string& where) {
        return env().sql("select count(*) from sign_in_attempts where " + where);
    }

    static void assert_locked(const Response& r, const std::string& context) {
        IT_ASSERT_STATUS(r, 401);
        CPPUNIT_ASSERT_MESSAGE(context + "\n" + r.describe(2000), contains(r.body, "temporarily locked"));
    }

    // Five wrong passwords from network A lock bob there (any address of it, even with the right
    // password); bob signs in from his own network B, and from a network never seen before.
    void testAnAttackerLocksOnlyTheirOwnNetwork() {
        allow_failed_sign_in_lines();
        signed_in_from("127.2.1.10", "bob", kBobPassword);  // B: where bob works
        auto attacker = browser_from("127.3.1.10");
        for (int i = 0; i < 5; ++i) {
            Response r = attacker->sign_in("bob", "guess " + std::to_string(i));
            IT_ASSERT_STATUS(r, 401);
            CPPUNIT_ASSERT_MESSAGE(r.describe(), contains(r.body, "The user ID or password is incorrect"));
        }
        assert_locked(attacker->sign_in("bob", kBobPassword), "bob's right password from A");
        assert_locked(browser_from("127.3.1.99")->sign_in("bob", kBobPassword), "from another address of A's /24");
        signed_in_from("127.2.1.11", "bob", kBobPassword);
        signed_in_from("127.4.1.10", "bob", kBobPassword);
        assert_locked(attacker->sign_in("bob", kBobPassword), "A stays locked after bob's sign-ins");
        CPPUNIT_ASSERT_EQUAL(std::string("0\n"), env().sql("select locked_until from accounts where username='bob'"));
        // An administrator's unlock lifts A's lock too.
        env().ctl_ok({"user", "unlock", "bob"});
        assert_signed_in(attacker->sign_in("bob", kBobPassword), *attacker, "bob from A after unlock");
    }

    // Twenty wrong passwords from twenty networks (one each, below the per-network threshold)
    // lock carol account-wide: a new network is refused even the right password, while her own
    // network and her own browser (by its device cookie, from a network never seen) sign in.
    void testTheAccountWideCapHoldsButSparesFamiliarClients() {
        allow_failed_sign_in_lines();
        signed_in_from("127.5.1.10", "carol", kCarolPassword);
        auto laptop = browser_from("127.9.1.10");
        assert_signed_in(laptop->sign_in("carol", kCarolPassword), *laptop, "carol's laptop");
        laptop->get("/myaccount/signout");  // signed out; the device cookie stays
        for (int n = 1; n <= 20; ++n) {
            auto bot = browser_from("127.6." + std::to_string(n) + ".1");
            IT_ASSERT_STATUS(bot->get_basic("/basic/index.html", "carol", "botnet guess " + std::to_string(n)), 401);
        }
        assert_locked(browser_from("127.7.1.1")->sign_in("carol", kCarolPassword), "a new network, right password");
        IT_ASSERT_STATUS(browser_from("127.7.1.2")->get_basic("/basic/index.html", "carol", kCarolPassword), 401);
        signed_in_from("127.5.1.77", "carol", kCarolPassword);  // her office's network
        laptop->set_source_address("127.10.1.10");                // travelling: a network never seen
        assert_signed_in(laptop->sign_in("carol", kCarolPassword), *laptop, "carol's laptop elsewhere");
        assert_locked(browser_from("127.11.1.1")->sign_in("carol", kCarolPassword), "still locked for the rest");
    }

    // Thirty wrong passwords at once from one network: no more than the threshold (5) are checked
    // and counted; the rest are refused unchecked as locked.
    void testParallelGuessesStayWithinTheNetworksLimit() {
        allow_failed_sign_in_lines();
        const int checked = burst(30, [](int i) { return "127.12.1." + std::to_string(i + 1); },
                                  [](int) { return std::string("dave"); });
        CPPUNIT_ASSERT_EQUAL(30, checked);
        CPPUNIT_ASSERT_EQUAL(std::string("5\n"),
                             recorded("username='dave' and result='bad_password' and client_ip like '127.12.1.%'"));
        signed_in_from("127.13.1.1", "dave", kDavePassword);
    }

    // Thirty wrong passwords at once from one address over as many user IDs: no more than the
    // address throttle (10) are checked.
    void testParallelGuessesStayWithinTheAddressThrottle() {
        allow_failed_sign_in_lines();
        burst(30, [](int) { return std::string("127.14.1.1"); },
              [](int i) { return "sprayed-" + std::to_string(i); });
        const std::string checked = recorded("client_ip='127.14.1.1'");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("attempts checked from the address", std::string("10\n"), checked);
    }

private:
    void signed_in_from(const std::string& address, const std::string& user, const std::string& password) {
        auto b = browser_from(address);
        assert_signed_in(b->sign_in(user, password), *b, user + " from " + address);
    }

    // `count` wrong sign-ins at once, the i-th from address_of(i) as user_of(i); how many answered 401.
    template <typename Address, typename User>
    int burst(int count, Address address_of, User user_of) {
        std::vector<std::unique_ptr<Browser>> browsers;
        for (int i = 0; i < count; ++i) browsers.push_back(browser_from(address_of(i)));
        int refused = 0;
        for (const Response& r : all_at_once(browsers, [&](Browser& b, int i) { return b.sign_in(user_of(i), "parallel guess"); }))
            if (r.status == 401) ++refused;
        return refused;
    }
};

IT_REGISTER_SUITE(SmartLockoutTest);
