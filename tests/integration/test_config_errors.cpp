// A sysadmin's mistakes stop `apache2 -t` with a message naming the directive; the demo config passes.
#include "suite.hpp"

using namespace it;

class ConfigErrorsTest : public ServerFixture<ConfigErrorsTest> {
    CPPUNIT_TEST_SUITE(ConfigErrorsTest);
    CPPUNIT_TEST(testDemoConfigPasses);
    CPPUNIT_TEST(testMissingDatabaseIsRejected);
    CPPUNIT_TEST(testPostgresqlUrlIsRefusedPlainly);
    CPPUNIT_TEST(testMissingKeyFileIsRejected);
    CPPUNIT_TEST(testShortKeyFileIsRejected);
    CPPUNIT_TEST(testArgon2MemoryMustBeANumber);
    CPPUNIT_TEST(testIdleTimeoutMustNotBeNegative);
    CPPUNIT_TEST(testNewerSchemaIsRejected);
    CPPUNIT_TEST(testSessionStoreNeedsModSession);
    CPPUNIT_TEST(testPasswordResetNeedsANotifier);
    CPPUNIT_TEST(testNotifyCommandMustBeAnAbsoluteProgram);
    CPPUNIT_TEST(testPortalUrlMustBeAbsolute);
    CPPUNIT_TEST(testResetDirectivesRefuseBadValues);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "config"; }
    static bool start_server() { return false; }

    std::string demo_plus(const std::string& name, const std::string& extra) { return env().demo_plus(name, extra); }

    static std::string show(const ProcessResult& r) {
        return "exit " + std::to_string(r.exit_code) + ", output:\n" + r.combined();
    }

    void assert_rejected(const ProcessResult& r, const std::string& directive) {
        CPPUNIT_ASSERT_MESSAGE("apache2 -t should fail\n" + show(r), r.exit_code != 0);
        CPPUNIT_ASSERT_MESSAGE("the message should name " + directive + "\n" + show(r), contains(r.combined(), directive));
        CPPUNIT_ASSERT_MESSAGE("the directive is unknown to the module\n" + show(r),
                               !contains(r.combined(), "Invalid command '" + directive + "'"));
    }

    void testDemoConfigPasses() {
        ProcessResult r = env().config_test(env().demo_conf());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(show(r), 0, r.exit_code);
        CPPUNIT_ASSERT_MESSAGE(show(r), contains(r.combined(), "Syntax OK"));
    }

    // A farm's store URL reaches the store as written (not made a path below ServerRoot), and this
    // build says plainly that it has no PostgreSQL store, without echoing the URL's password.
    void testPostgresqlUrlIsRefusedPlainly() {
        ProcessResult r = env().config_test(env().demo_conf(), {{"MYACCOUNT_DB", "postgresql://portal:s3cret@db.example/myaccount"}});
        assert_rejected(r, "MyAccountDatabase");
        CPPUNIT_ASSERT_MESSAGE(r.combined(), contains(r.combined(), "PostgreSQL"));
        CPPUNIT_ASSERT_MESSAGE(r.combined(), !contains(r.combined(), "s3cret"));
    }

    void testMissingDatabaseIsRejected() {
        ProcessResult r = env().config_test(env().demo_conf(), {{"MYACCOUNT_DB", env().root() + "/db/missing.db"}});
        assert_rejected(r, "MyAccountDatabase");
        CPPUNIT_ASSERT_MESSAGE("apache2 -t must not create the database", !path_exists(env().root() + "/db/missing.db"));
    }

    void testMissingKeyFileIsRejected() {
        ProcessResult r = env().config_test(env().demo_conf(), {{"MYACCOUNT_KEY", env().root() + "/keys/missing.key"}});
        assert_rejected(r, "MyAccountSecretKeyFile");
    }

    void testShortKeyFileIsRejected() {
        const std::string key = env().root() + "/keys/short.key";
        write_file(key, "short", 0600);
        ProcessResult r = env().config_test(env().demo_conf(), {{"MYACCOUNT_KEY", key}});
        assert_rejected(r, "MyAccountSecretKeyFile");
    }

    void testArgon2MemoryMustBeANumber() {
        ProcessResult bad = env().config_test(demo_plus("argon2-abc", "MyAccountArgon2Memory abc"));
        assert_rejected(bad, "MyAccountArgon2Memory");
        // Control: the directive exists and takes the documented value.
        ProcessResult good = env().config_test(demo_plus("argon2-ok", "MyAccountArgon2Memory 19456"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("MyAccountArgon2Memory 19456 should pass\n" + show(good), 0, good.exit_code);
    }

    void testIdleTimeoutMustNotBeNegative() {
        ProcessResult bad = env().config_test(demo_plus("idle-negative", "MyAccountSessionIdleTimeout -5"));
        assert_rejected(bad, "MyAccountSessionIdleTimeout");
        ProcessResult good = env().config_test(demo_plus("idle-ok", "MyAccountSessionIdleTimeout 900"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("MyAccountSessionIdleTimeout 900 should pass\n" + show(good), 0, good.exit_code);
    }

    void testNewerSchemaIsRejected() {
        const std::string newer = env().root() + "/db/newer.db";
        ProcessResult copy = run_process({"cp", env().db(), newer});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(copy.combined(), 0, copy.exit_code);
        ProcessResult set = run_process({"sqlite3", newer, "PRAGMA user_version=999"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(set.combined(), 0, set.exit_code);
        env().fix_ownership();
        ProcessResult r = env().config_test(env().demo_conf(), {{"MYACCOUNT_DB", newer}});
        assert_rejected(r, "MyAccountDatabase");
        CPPUNIT_ASSERT_MESSAGE("the message should say the schema is newer / needs an upgrade\n" + show(r),
                               contains_ci(r.combined(), "newer") || contains_ci(r.combined(), "upgrade"));
    }

    // STYLE: "one clear 'you must load mod_session' start-up error" instead of a silent no-op.
    void testSessionStoreNeedsModSession() {
        const std::string run = env().root() + "/run";
        const std::string conf = env().root() + "/no-session.conf";
        write_file(conf,
                   "ServerRoot \"" + run + "\"\nListen 127.0.0.1:9\nPidFile \"" + run + "/nosession.pid\"\n"
                   "DefaultRuntimeDir \"" + run + "\"\nErrorLog \"" + run + "/nosession.log\"\n"
                   "LoadModule mpm_event_module " HTTPD_MODULEDIR "/mod_mpm_event.so\n"
                   "LoadModule authz_core_module " HTTPD_MODULEDIR "/mod_authz_core.so\n"
                   "LoadModule myaccount_module \"" MYACCOUNT_MODULE_PATH "\"\n"
                   "<Location />\n    MyAccountSession On\n</Location>\n",
                   0644);
        ProcessResult r = env().config_test(conf);
        assert_rejected(r, "MyAccountSession");
        CPPUNIT_ASSERT_MESSAGE("the message should say to load mod_session\n" + show(r), contains(r.combined(), "mod_session"));
    }

    void testPasswordResetNeedsANotifier() {
        std::string conf = read_file(env().demo_conf());
        std::size_t at = conf.find("MyAccountNotifyCommand");
        CPPUNIT_ASSERT(at != std::string::npos);
        conf.erase(at, conf.find('\n', at) - at);
        const std::string path = env().root() + "/reset-without-notifier.conf";
        write_file(path, conf);
        ProcessResult r = env().config_test(path);
        CPPUNIT_ASSERT_MESSAGE("apache2 -t should fail\n" + show(r), r.exit_code != 0);
        CPPUNIT_ASSERT_MESSAGE(show(r), contains(r.combined(), "MyAccountPasswordReset On needs MyAccountNotifyCommand"));
    }

    void testNotifyCommandMustBeAnAbsoluteProgram() {
        assert_rejected(env().config_test(demo_plus("notify-relative", "MyAccountNotifyCommand \"sendmail -i\"")),
                        "MyAccountNotifyCommand");
        assert_rejected(env().config_test(demo_plus("notify-missing", "MyAccountNotifyCommand /nonexistent/mailer")),
                        "MyAccountNotifyCommand");
    }

    void testPortalUrlMustBeAbsolute() {
        for (const char* bad : {"/myaccount", "ftp://host/x", "https://host/x?next=1", "javascript:alert(1)"}) {
            ProcessResult r = env().config_test(demo_plus("portal-url", std::string("MyAccountPortalUrl \"") + bad + "\""));
            assert_rejected(r, "MyAccountPortalUrl");
        }
    }

    void testResetDirectivesRefuseBadValues() {
        const std::pair<const char*, const char*> cases[] = {
            {"MyAccountPasswordResetMethods 3", "MyAccountPasswordResetMethods"},
            {"MyAccountPasswordResetMethods 0", "MyAccountPasswordResetMethods"},
            {"MyAccountCodeLifetime 59", "MyAccountCodeLifetime"},
            {"MyAccountCodeLifetime 3601", "MyAccountCodeLifetime"},
            {"MyAccountAddressThrottle 10", "MyAccountAddressThrottle"},
            {"MyAccountAddressThrottle 10 0", "MyAccountAddressThrottle"},
            {"MyAccountAddressThrottle many 900", "MyAccountAddressThrottle"},
            {"MyAccountPasswordResetScope All Contoso", "MyAccountPasswordResetScope"},
            {"MyAccountSecurityAlerts All password", "MyAccountSecurityAlerts"},
            {"MyAccountSecurityAlerts password None", "MyAccountSecurityAlerts"},
            {"MyAccountSecurityAlerts passwords", "MyAccountSecurityAlerts"},
            {"MyAccountTimeZone Asia/Tokyo", "MyAccountTimeZone"},
            {"MyAccountTimeZone +9", "MyAccountTimeZone"},
            {"MyAccountActivityRetention 0", "MyAccountActivityRetention"},
            {"MyAccountPasswordResetScope Contoso All", "MyAccountPasswordResetScope"},
            {"MyAccountPasswordChangeUrl /password", "MyAccountPasswordChangeUrl"},
            {"MyAccountRegistrationPostpones -1", "MyAccountRegistrationPostpones"},
        };
        for (const auto& [line, directive] : cases) assert_rejected(env().config_test(demo_plus("reset-bad", line)), directive);
        ProcessResult fine = env().config_test(demo_plus("reset-scope", "MyAccountPasswordResetScope Contoso Fabrikam"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(show(fine), 0, fine.exit_code);
        ProcessResult alerts = env().config_test(
            demo_plus("alerts", "MyAccountSecurityAlerts password not_me\nMyAccountTimeZone -05:30"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(show(alerts), 0, alerts.exit_code);
    }
};

IT_REGISTER_SUITE(ConfigErrorsTest);
