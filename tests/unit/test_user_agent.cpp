// Browsers and systems named from real User-Agent headers: each product that also claims to be
// another (Edge and Opera say Chrome, Chrome says Safari, an iPhone says Mac OS X) by its own token.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/user_agent.hpp"

using namespace myaccount;

class UserAgentTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(UserAgentTest);
    CPPUNIT_TEST(desktop_browsers);
    CPPUNIT_TEST(phones_and_tablets);
    CPPUNIT_TEST(programs_and_unknowns);
    CPPUNIT_TEST_SUITE_END();

    static void expect(const std::string& browser, const std::string& os, const std::string& header) {
        const UserAgentName name = name_user_agent(header);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(header, browser, name.browser);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(header, os, name.os);
    }

public:
    void desktop_browsers() {
        expect("Chrome", "Windows",
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/131.0.0.0 Safari/537.36");
        expect("Edge", "Windows",
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86");
        expect("Opera", "Windows",
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0");
        expect("Firefox", "Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0");
        expect("Safari", "macOS",
               "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/18.1 Safari/605.1.15");
        expect("Chrome", "macOS",
               "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/131.0.0.0 Safari/537.36");
        expect("Firefox", "Linux", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
        expect("Chrome", "Linux",
               "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 "
               "Safari/537.36");
        expect("Chrome", "ChromeOS",
               "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
               "Safari/537.36");
        expect("Vivaldi", "Linux",
               "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
               "Safari/537.36 Vivaldi/7.0.3495.18");
    }

    void phones_and_tablets() {
        expect("Safari", "iPhone",
               "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/18.1 Mobile/15E148 Safari/604.1");
        expect("Chrome", "iPhone",
               "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1");
        expect("Firefox", "iPad",
               "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "FxiOS/133.0 Mobile/15E148 Safari/605.1.15");
        expect("Chrome", "Android",
               "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
               "Mobile Safari/537.36");
        expect("Samsung Internet", "Android",
               "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
               "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36");
        expect("Edge", "Android",
               "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
               "Mobile Safari/537.36 EdgA/131.0.0.0");
    }

    void programs_and_unknowns() {
        expect("curl", "", "curl/8.11.0");
        expect("Python", "", "python-requests/2.32.3");
        expect("", "", "");
        expect("", "", "SomethingNew/1.0");
        // "Version/" alone is no Safari.
        expect("", "Linux", "Mozilla/5.0 (X11; Linux x86_64) Version/3.0 Lynx");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(UserAgentTest);
