// A key change on a real server: an authenticator enrolled through the pages under one key,
// `myaccountctl rekey OLD NEW` on the stopped server's database, httpd started again with the new
// key, and the same app's codes (from oathtool) still pass the verify step.
#include "suite.hpp"

using namespace it;

namespace {

const char* const kPassword = "kai's rekey password 2026";
const char* const kAppPage = "/app/index.html";

}  // namespace

class RekeyTest : public ServerFixture<RekeyTest> {
    CPPUNIT_TEST_SUITE(RekeyTest);
    CPPUNIT_TEST(testAuthenticatorsWorkAfterTheKeyChange);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "rekey"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("kai", kPassword);
    }

    std::unique_ptr<Browser> signed_in_kai() {
        auto b = fresh_browser();
        assert_signed_in(b->sign_in("kai", kPassword, kAppPage), *b, "sign-in of kai");
        return b;
    }

    void testAuthenticatorsWorkAfterTheKeyChange() {
        std::string secret;
        {
            auto b = signed_in_kai();
            secret = enrol_authenticator(*b, false).secret;
        }
        const std::string sealed_before = env().sql("select hex(secret) from verification_methods where kind='authenticator'");

        env().stop();
        const std::string old_key = env().key();
        const std::string new_key = env().root() + "/keys/next.key";
        env().ctl_ok({"gen-key", new_key});
        const std::string report = env().ctl_ok({"rekey", old_key, new_key});
        CPPUNIT_ASSERT_MESSAGE(report, contains(report, "re-sealed 1 authenticator secret(s) under the new key"));
        CPPUNIT_ASSERT_MESSAGE("the sealed secret must change",
                               env().sql("select hex(secret) from verification_methods where kind='authenticator'") != sealed_before);
        // Safe to run again: nothing left to re-seal.
        const std::string again = env().ctl_ok({"rekey", old_key, new_key});
        CPPUNIT_ASSERT_MESSAGE(again, contains(again, "re-sealed 0 authenticator secret(s) under the new key (1 already were)"));

        // The server now runs with the new key (copied over the old file: same owner and mode).
        ProcessResult copied = run_process({"cp", new_key, old_key});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(copied.combined(), 0, copied.exit_code);
        env().start();

        wait_for_next_step();  // the code of the set-up's step is spent
        auto b = signed_in_kai();
        Response stopped = b->get(kAppPage);
        IT_ASSERT_STATUS(stopped, 302);
        const std::string verify = location_path(stopped);
        Response form = b->get(verify);
        IT_ASSERT_STATUS(form, 200);
        Response passed = b->post_form("/myaccount/verify", {{"csrf", csrf_from_html(form.body)},
                                                             {"return", kAppPage},
                                                             {"method", input_value(form.body, "method")},
                                                             {"code", oathtool_code(secret)}});
        IT_ASSERT_STATUS(passed, 303);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(passed.describe(2000), std::string(kAppPage), location_path(passed));
        Response app = b->get(kAppPage);
        IT_ASSERT_STATUS(app, 200);
        CPPUNIT_ASSERT(contains(app.body, "You are signed in to the intranet app"));
    }
};

IT_REGISTER_SUITE(RekeyTest);
