// Strict-Transport-Security (MyAccountStrictTransportSecurity): sent on every https response in
// the module's locations, the portal's pages and httpd's own answers alike; never on plain http.
#include <cstdlib>
#include <string>

#include "suite.hpp"

using namespace it;

namespace {

// The https port of this suite's server, chosen when its config is written.
int& tls_port() {
    static int port = 0;
    return port;
}

}  // namespace

class StrictTransportTest : public ServerFixture<StrictTransportTest> {
    CPPUNIT_TEST_SUITE(StrictTransportTest);
    CPPUNIT_TEST(testHttpsAnswersCarryHsts);
    CPPUNIT_TEST(testPlainHttpAnswersCarryNone);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "hsts"; }

    // A self-signed certificate for 127.0.0.1, made for this run.
    static void prepare(Environment& env) {
        env.create_standard_directory();
        ProcessResult made = run_process({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                          "-subj", "/CN=127.0.0.1", "-keyout", env.root() + "/tls.key", "-out",
                                          env.root() + "/tls.crt"});
        if (made.exit_code != 0) throw std::runtime_error("openssl req failed: " + made.err);
    }

    // The same server also on an https port, with half a year of HSTS.
    static std::string extra_directives(const Environment& env) {
        tls_port() = free_loopback_port();
        const std::string port = std::to_string(tls_port());
        return "LoadModule ssl_module ${MYACCOUNT_HTTPD_MODULES}/mod_ssl.so\n"
               "LoadModule socache_shmcb_module ${MYACCOUNT_HTTPD_MODULES}/mod_socache_shmcb.so\n"
               "MyAccountStrictTransportSecurity 15768000\n"
               "Listen 127.0.0.1:" + port + "\n"
               "<VirtualHost 127.0.0.1:" + port + ">\n"
               "    SSLEngine on\n"
               "    SSLCertificateFile \"" + env.root() + "/tls.crt\"\n"
               "    SSLCertificateKeyFile \"" + env.root() + "/tls.key\"\n"
               "</VirtualHost>\n";
    }

    std::unique_ptr<Browser> https_browser() {
        return std::make_unique<Browser>("https://127.0.0.1:" + std::to_string(tls_port()));
    }

    static void assert_hsts(const Response& r, const std::string& context) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context + "\n" + r.describe(), std::size_t{1},
                                     r.all("Strict-Transport-Security").size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("max-age=15768000"), r.header("Strict-Transport-Security"));
    }

    void testHttpsAnswersCarryHsts() {
        auto b = https_browser();
        Response login = b->get("/myaccount/");
        assert_login_page(login, "GET /myaccount/ over https");
        assert_hsts(login, "sign-in page (401)");
        Response trace = b->request("TRACE", "/myaccount/login");
        IT_ASSERT_STATUS(trace, 405);
        assert_hsts(trace, "httpd's 405 to TRACE");
        Response basic = b->get("/basic-app/");
        IT_ASSERT_STATUS(basic, 401);
        assert_hsts(basic, "mod_auth_basic's 401 behind the gate");
        Response style = b->get("/myaccount/static/myaccount.css");
        IT_ASSERT_STATUS(style, 200);
        assert_hsts(style, "the stylesheet");

        Response signed_in = b->sign_in("alice", kAlicePassword, "/myaccount/");
        CPPUNIT_ASSERT_MESSAGE(signed_in.describe(), signed_in.status / 100 == 3);
        assert_hsts(signed_in, "the sign-in redirect");
        Response page = b->get("/myaccount/");
        IT_ASSERT_STATUS(page, 200);
        assert_hsts(page, "a signed-in page");
        CPPUNIT_ASSERT_MESSAGE("the session cookie is __Host- on https", !b->cookie("__Host-myaccount_session").empty());
    }

    void testPlainHttpAnswersCarryNone() {
        auto b = browser();
        for (const char* path : {"/myaccount/", "/myaccount/static/myaccount.css", "/basic-app/"}) {
            Response r = b->get(path);
            CPPUNIT_ASSERT_MESSAGE(std::string(path) + "\n" + r.describe(), !r.has("Strict-Transport-Security"));
        }
    }
};

IT_REGISTER_SUITE(StrictTransportTest);
