// httpd's credential cache for HTTP Basic (mod_authn_socache with AuthnCacheProvideFor myaccount):
// a right password costs one full check per AuthnCacheTimeout; wrong ones are still checked in
// full and counted; a new password, a disabled account or a lock take effect at once.
#include <string>

#include "suite.hpp"

using namespace it;

namespace {

const char* const kErinPassword = "erin's script password 41";
const char* const kFrankPassword = "frank's batch password 42";
const char* const kGretaPassword = "greta's cron password 43";
const char* const kHansPassword = "hans's backup password 44";

}  // namespace

class CredentialCacheTest : public ServerFixture<CredentialCacheTest> {
    CPPUNIT_TEST_SUITE(CredentialCacheTest);
    CPPUNIT_TEST(testARightPasswordIsCheckedInFullOncePerTimeout);
    CPPUNIT_TEST(testWrongPasswordsAreCheckedInFullAndCounted);
    CPPUNIT_TEST(testANewPasswordEndsTheCachedOneAtOnce);
    CPPUNIT_TEST(testADisabledAccountIsRefusedAtOnce);
    CPPUNIT_TEST(testALockedNetworkIsRefusedDespiteTheCache);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "credential-cache"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("erin", kErinPassword, "Erin Script");
        env.add_user("frank", kFrankPassword, "Frank Batch");
        env.add_user("greta", kGretaPassword, "Greta Cron");
        env.add_user("hans", kHansPassword, "Hans Backup");
    }
    static std::string extra_directives(const Environment&) {
        return credential_cache_directives() + "MyAccountLockoutThreshold 3\n";
    }

    // Full checks leave a sign-in record; answers from the cache do not.
    int full_checks(const std::string& user, const std::string& result) {
        return std::stoi(env().sql("select count(*) from sign_in_attempts where username = '" + user +
                                   "' and result = '" + result + "'"));
    }

    void testARightPasswordIsCheckedInFullOncePerTimeout() {
        auto script = browser();
        for (int i = 0; i < 6; ++i) {
            Response r = script->get_basic(kCachedBasicPage, "erin", kErinPassword);
            IT_ASSERT_STATUS(r, 200);
        }
        CPPUNIT_ASSERT_EQUAL(1, full_checks("erin", "success"));
        // Where the cache is not configured, every request is a full check.
        IT_ASSERT_STATUS(script->get_basic("/basic/index.html", "erin", kErinPassword), 200);
        IT_ASSERT_STATUS(script->get_basic("/basic/index.html", "erin", kErinPassword), 200);
        CPPUNIT_ASSERT_EQUAL(3, full_checks("erin", "success"));
    }

    void testWrongPasswordsAreCheckedInFullAndCounted() {
        allow_failed_sign_in_lines();
        auto script = browser_from("127.41.0.1");
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "frank", kFrankPassword), 200);
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "frank", "frank's batch password 4"), 401);
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "frank", "Frank's batch password 42"), 401);
        CPPUNIT_ASSERT_EQUAL(2, full_checks("frank", "bad_password"));
        CPPUNIT_ASSERT_EQUAL(2, std::stoi(env().sql("select failed_attempts from accounts where username = 'frank'")));
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "frank", kFrankPassword), 200);
    }

    void testANewPasswordEndsTheCachedOneAtOnce() {
        allow_failed_sign_in_lines();
        auto script = browser();
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "greta", kGretaPassword), 200);
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "greta", kGretaPassword), 200);
        const std::string next = "greta's renewed cron password 45";
        env().ctl_ok({"user", "set-password", "greta", "--password-stdin"}, next + "\n");
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "greta", kGretaPassword), 401);
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "greta", next), 200);
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "greta", next), 200);
        CPPUNIT_ASSERT_EQUAL(2, full_checks("greta", "success"));  // the first of each password
    }

    void testADisabledAccountIsRefusedAtOnce() {
        allow_failed_sign_in_lines();
        auto script = browser();
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "hans", kHansPassword), 200);
        env().ctl_ok({"user", "disable", "hans"});
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "hans", kHansPassword), 401);
        env().ctl_ok({"user", "enable", "hans"});
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "hans", kHansPassword), 200);
    }

    // Guesses from the script's own network lock the account there: its cached right password no
    // longer passes from that network, and still does from another.
    void testALockedNetworkIsRefusedDespiteTheCache() {
        allow_failed_sign_in_lines();
        env().add_user("ida", "ida's nightly password 46", "Ida Nightly");
        auto script = browser_from("127.42.0.1");
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "ida", "ida's nightly password 46"), 200);
        auto neighbour = browser_from("127.42.0.2");
        for (int i = 0; i < 3; ++i)
            IT_ASSERT_STATUS(neighbour->get_basic(kCachedBasicPage, "ida", "guess " + std::to_string(i)), 401);
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "ida", "ida's nightly password 46"), 401);
        IT_ASSERT_STATUS(browser_from("127.43.0.1")->get_basic(kCachedBasicPage, "ida", "ida's nightly password 46"), 200);
    }
};

IT_REGISTER_SUITE(CredentialCacheTest);
