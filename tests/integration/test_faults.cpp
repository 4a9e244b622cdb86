// Servers started with a twist: a database the children cannot read (fail closed), raised Argon2
// parameters (rehash at sign-in). Each test starts and stops its own httpd.
#include <sys/stat.h>
#include <unistd.h>

#include "suite.hpp"

using namespace it;

class FaultsTest : public ServerFixture<FaultsTest> {
    CPPUNIT_TEST_SUITE(FaultsTest);
    CPPUNIT_TEST(testUnreadableDatabaseNeverGrantsAccess);
    CPPUNIT_TEST(testRaisedArgon2MemoryRehashesAtSignIn);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "faults"; }
    static bool start_server() { return false; }

    void tearDown() override {
        env().stop();
        ServerFixture<FaultsTest>::tearDown();
    }

    // AC-4: when the store fails, the provider fails closed on both paths.
    void testUnreadableDatabaseNeverGrantsAccess() {
        if (::geteuid() != 0) return;  // cannot take the file away from ourselves without root
        allow_failed_sign_in_lines();
        allow_log(R"(\[myaccount:(error|crit|alert|emerg)\])");  // the module reports the broken store
        allow_log(R"(\[(auth_basic|auth_form|authn_core|session):error\])");
        // Root-owned 0600: the configuration check (as root) passes, the children cannot open it.
        ProcessResult own = run_process({"chown", "-R", "root:root", env().root() + "/db"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(own.combined(), 0, own.exit_code);
        ::chmod(env().db().c_str(), 0600);
        ::chmod((env().root() + "/db").c_str(), 0700);

        env().start({}, false);
        auto b = browser();
        Response basic = b->get_basic("/basic/index.html", "alice", kAlicePassword);
        CPPUNIT_ASSERT_MESSAGE("Basic granted with an unreadable database\n" + basic.describe(),
                               basic.status == 401 || basic.status >= 500);
        Response form = b->sign_in("alice", kAlicePassword);
        CPPUNIT_ASSERT_MESSAGE("form sign-in with an unreadable database\n" + form.describe(),
                               form.status == 401 || form.status >= 500);
        Response profile = b->get("/myaccount/");
        CPPUNIT_ASSERT_MESSAGE("profile served with an unreadable database\n" + profile.describe(),
                               profile.status == 401 || profile.status >= 500);
        CPPUNIT_ASSERT_MESSAGE("internals in the error page\n" + profile.describe(2000),
                               !contains_ci(profile.body, "sqlite") && !contains(profile.body, env().root()));
        env().stop();
        ::chmod((env().root() + "/db").c_str(), 0750);
        env().fix_ownership();
    }

    // PW-11: raising MyAccountArgon2Memory upgrades a hash at the next successful sign-in.
    void testRaisedArgon2MemoryRehashesAtSignIn() {
        const std::string before = env().sql("select password_hash from accounts where username='alice'");
        CPPUNIT_ASSERT_MESSAGE(before, before.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
        env().start(env().demo_plus("argon2-47104", "MyAccountArgon2Memory 47104"));
        auto b = signed_in("alice", kAlicePassword);
        IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
        const std::string after = env().sql("select password_hash from accounts where username='alice'");
        CPPUNIT_ASSERT_MESSAGE("hash after sign-in with MyAccountArgon2Memory 47104: " + after,
                               after.rfind("$argon2id$v=19$m=47104,t=2,p=1$", 0) == 0);
        auto again = signed_in("alice", kAlicePassword);
        IT_ASSERT_STATUS(again->get_basic("/basic/index.html", "alice", kAlicePassword), 200);
    }
};

IT_REGISTER_SUITE(FaultsTest);
