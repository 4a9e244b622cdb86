// A sign-in storm (MyAccountHashConcurrency): each process runs one hash at a time here, eight
// more wait; the rest are answered 503 with Retry-After and the "try again" page at once, while a
// signed-in person's pages keep answering.
#include <functional>
#include <vector>

#include "suite.hpp"

using namespace it;

class SignInStormTest : public ServerFixture<SignInStormTest> {
    CPPUNIT_TEST_SUITE(SignInStormTest);
    CPPUNIT_TEST(testAStormIsTurnedAwayPolitelyAndPagesStillAnswer);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "storm"; }
    // Slow hashes (16 passes) so that a burst outlasts the queue.
    static std::string extra_directives(const Environment&) {
        return std::string("MyAccountHashConcurrency 1\nMyAccountArgon2Iterations 16\n") + credential_cache_directives();
    }

    void testAStormIsTurnedAwayPolitelyAndPagesStillAnswer() {
        allow_failed_sign_in_lines();
        allow_log("turned away: too many password checks at once");
        auto alice = signed_in("alice", kAlicePassword);
        Response page;
        std::vector<Response> answers = storm([](Browser& b, int i) {
            return b.sign_in("nobody-" + std::to_string(i), "storm guess");
        }, [&] { page = alice->get("/myaccount/"); });
        IT_ASSERT_STATUS(page, 200);  // its session needs no hash
        int busy = 0;
        for (const Response& r : answers) {
            if (r.status != 503) {
                IT_ASSERT_STATUS(r, 401);  // checked, and wrong
                continue;
            }
            ++busy;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.describe(), std::string("5"), r.header("Retry-After"));
            CPPUNIT_ASSERT_MESSAGE(r.describe(2000), contains(r.body, "try again in a few seconds"));
            assert_security_headers(r, "the busy sign-in page");
        }
        CPPUNIT_ASSERT_MESSAGE("some were turned away (" + std::to_string(busy) + ")", busy > 0);
        CPPUNIT_ASSERT_MESSAGE("some were checked", busy < static_cast<int>(answers.size()));

        // Programs on HTTP Basic: turned away before mod_auth_basic, with Retry-After too; but not
        // a script whose credentials the credential cache holds: it needs no hash.
        auto script = browser();
        IT_ASSERT_STATUS(script->get_basic(kCachedBasicPage, "alice", kAlicePassword), 200);
        std::vector<Response> cached;
        std::vector<Response> basic = storm([](Browser& b, int i) {
            return b.get_basic("/basic/index.html", "nobody-" + std::to_string(i), "storm guess");
        }, [&] {
            for (int i = 0; i < 5; ++i) cached.push_back(script->get_basic(kCachedBasicPage, "alice", kAlicePassword));
        });
        for (const Response& r : cached) IT_ASSERT_STATUS(r, 200);
        int basic_busy = 0;
        for (const Response& r : basic) {
            if (r.status != 503) continue;
            ++basic_busy;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.describe(), std::string("5"), r.header("Retry-After"));
        }
        CPPUNIT_ASSERT_MESSAGE("some Basic requests were turned away", basic_busy > 0);
        // Once it has passed, a sign-in goes through as ever.
        signed_in("alice", kAlicePassword);
    }

private:
    // 90 requests at once (below MaxRequestWorkers, 100: every one gets a worker), each from a
    // client address of its own; `meanwhile` runs as they go.
    std::vector<Response> storm(const std::function<Response(Browser&, int)>& request,
                                const std::function<void()>& meanwhile) {
        std::vector<std::unique_ptr<Browser>> browsers;
        for (int i = 0; i < 90; ++i) browsers.push_back(fresh_browser());
        return all_at_once(browsers, request, meanwhile);
    }
};

IT_REGISTER_SUITE(SignInStormTest);
