// One httpd per CppUnit suite: a fixture base that starts it lazily and scans its error log per test.
#pragma once

#include <algorithm>
#include <chrono>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <cppunit/TestAssert.h>
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <cppunit/extensions/TestFactoryRegistry.h>
#include <cppunit/Protector.h>
#include <cppunit/TestResult.h>
#include <cppunit/extensions/TestDecorator.h>

#include "checks.hpp"
#include "harness.hpp"
#include "http_client.hpp"

namespace it {

// finish_suite of every suite that built an environment; main() runs the ones still pending (when a
// single test was run by name, the suite decorator that normally does it was bypassed).
inline std::vector<void (*)()>& pending_suite_finishers() {
    static std::vector<void (*)()> finishers;
    return finishers;
}

inline void finish_pending_suites() {
    auto finishers = pending_suite_finishers();
    for (auto f : finishers) {
        try {
            f();
        } catch (...) {
        }
    }
}

// A loopback address no other browser of this run has used (127.1.0.1, 127.1.0.2, ...): a client of
// its own for the server's per-address limits, which persist in the suite's database.
inline std::string fresh_client_address() {
    static int next = 0;
    ++next;
    return "127.1." + std::to_string(next / 250) + "." + std::to_string(1 + next % 250);
}

struct SuiteState {
    std::unique_ptr<Environment> env;
    std::string start_error;      // set once when the environment could not be built or started
    std::size_t scanned = 0;      // error-log bytes already checked
};

// Lines every suite may produce: none so far. mod_auth_form and mod_auth_basic log deliberate bad
// sign-ins at [error]; tests that make them allow exactly those with allow_failed_sign_in_lines().
template <class Derived>
class ServerFixture : public CppUnit::TestFixture {
public:
    // Derived may hide these: what the environment holds before httpd starts, and whether to start.
    static void prepare(Environment& env) { env.create_standard_directory(); }
    static bool start_server() { return true; }
    // Directives appended to conf/demo.conf for this suite's server ("" = demo.conf as it is).
    static std::string extra_directives(const Environment&) { return {}; }

    static SuiteState& state() {
        static SuiteState s;
        return s;
    }

    static Environment& env() {
        SuiteState& s = state();
        if (!s.start_error.empty()) CPPUNIT_FAIL("suite environment unavailable: " + s.start_error);
        if (!s.env) {
            try {
                pending_suite_finishers().push_back(&ServerFixture::finish_suite);
                s.env = std::make_unique<Environment>(Derived::label());
                Derived::prepare(*s.env);
                if (Derived::start_server()) {
                    const std::string extra = Derived::extra_directives(*s.env);
                    s.env->start(extra.empty() ? std::string() : s.env->demo_plus(Derived::label(), extra));
                }
            } catch (const std::exception& e) {
                s.start_error = e.what();
                s.env.reset();
                CPPUNIT_FAIL("suite environment unavailable: " + s.start_error);
            }
        }
        return *s.env;
    }

    // After the last test of the suite: stop httpd, check the rest of its log, remove the temp dir.
    static void finish_suite() {
        SuiteState& s = state();
        auto& pending = pending_suite_finishers();
        pending.erase(std::remove(pending.begin(), pending.end(), &ServerFixture::finish_suite), pending.end());
        if (!s.env) return;
        s.env->stop();
        std::vector<std::string> bad = unexpected_error_lines(s.env->error_log_text(), s.scanned, {});
        const std::string backtraces = s.env->crash_backtraces();
        const std::string reports = s.env->sanitizer_reports();
        s.env.reset();
        s.scanned = 0;
        if (!bad.empty()) CPPUNIT_FAIL("unexpected error-log lines after the last test:\n" + join_lines(bad) + backtraces);
        if (!reports.empty()) CPPUNIT_FAIL("sanitizer reports after the last test:\n" + reports);
    }

    void setUp() override {
        env();
        mark_ = state().scanned;
        allowed_.clear();
    }

    void tearDown() override {
        SuiteState& s = state();
        if (!s.env) return;
        if (s.env->running()) std::this_thread::sleep_for(std::chrono::milliseconds(30));
        std::string text = s.env->error_log_text();
        std::vector<std::string> bad = unexpected_error_lines(text, mark_, allowed_);
        s.scanned = text.size();
        if (!bad.empty())
            CPPUNIT_FAIL("unexpected error-log lines during this test (httpd's parent notices a crashed child up to"
                         " ~1 s later, so a crash may belong to the previous test):\n" + join_lines(bad) +
                         s.env->crash_backtraces());
        const std::string reports = s.env->sanitizer_reports();
        if (!reports.empty()) CPPUNIT_FAIL("sanitizer reports during this test (or the previous one):\n" + reports);
    }

protected:
    void allow_log(const std::string& pattern) { allowed_.emplace_back(pattern); }
    // mod_auth_form / mod_auth_basic report each deliberately failed sign-in at [error].
    void allow_failed_sign_in_lines() {
        allow_log(R"(\[auth_form:error\] .*AH01807: user '.*': authentication failure for "/login\.do": password Mismatch)");
        allow_log(R"(\[auth_form:error\] .*AH01808: user '.*' not found: /login\.do)");
        allow_log(R"(\[auth_basic:error\] .*AH01617: user .*: authentication failure for ".*": Password Mismatch)");
        allow_log(R"(\[auth_basic:error\] .*AH01618: user .* not found: )");
    }

    std::unique_ptr<Browser> browser(const std::string& language = "en") {
        return std::make_unique<Browser>(env().base_url(), language);
    }

    // A browser that connects from a loopback address of its own (see fresh_client_address).
    std::unique_ptr<Browser> browser_from(const std::string& address, const std::string& language = "en") {
        auto b = browser(language);
        b->set_source_address(address);
        return b;
    }
    std::unique_ptr<Browser> fresh_browser() { return browser_from(fresh_client_address()); }

    // A browser signed in as user (asserts the sign-in succeeded).
    std::unique_ptr<Browser> signed_in(const std::string& user, const std::string& password) {
        auto b = browser();
        Response r = b->sign_in(user, password);
        assert_signed_in(r, *b, "sign-in of " + user);
        return b;
    }

    // The same from a loopback address of its own, landing on `location`.
    std::unique_ptr<Browser> fresh_signed_in(const std::string& user, const std::string& password,
                                             const std::string& location = "/myaccount/") {
        auto b = fresh_browser();
        assert_signed_in(b->sign_in(user, password, location), *b, "sign-in of " + user);
        return b;
    }

    static std::string join_lines(const std::vector<std::string>& lines) {
        std::string out;
        for (const auto& l : lines) out += "  " + l + "\n";
        return out;
    }

    std::size_t mark_ = 0;
    std::vector<std::regex> allowed_;
};

// Runs the suite, then (protected, so a failure is reported, not thrown out of the runner) stops
// its httpd and checks the rest of its error log.
template <class F>
class SuiteSetUp : public CppUnit::TestDecorator {
public:
    explicit SuiteSetUp(CppUnit::Test* test) : CppUnit::TestDecorator(test) {}

    void run(CppUnit::TestResult* result) override {
        CppUnit::TestDecorator::run(result);
        result->protect(Finish(), this, "suite teardown (" + getName() + ")");
    }

private:
    struct Finish : CppUnit::Functor {
        bool operator()() const override {
            F::finish_suite();
            return true;
        }
    };
};

template <class F>
class SuiteRegistrar : public CppUnit::TestFactory {
public:
    SuiteRegistrar() { CppUnit::TestFactoryRegistry::getRegistry().registerFactory(this); }
    ~SuiteRegistrar() override {
        if (CppUnit::TestFactoryRegistry::isValid())
            CppUnit::TestFactoryRegistry::getRegistry().unregisterFactory(this);
    }
    SuiteRegistrar(const SuiteRegistrar&) = delete;
    SuiteRegistrar& operator=(const SuiteRegistrar&) = delete;
    CppUnit::Test* makeTest() override { return new SuiteSetUp<F>(F::suite()); }
};

}  // namespace it

// Registers Fixture's suite wrapped so that its httpd stops (and its log is checked) after it.
#define IT_REGISTER_SUITE(Fixture) static it::SuiteRegistrar<Fixture> it_registrar_##Fixture

// resp is evaluated once (it is often the request itself).
#define IT_ASSERT_STATUS(resp, want)                                                               \
    do {                                                                                           \
        const ::it::Response& it_status_response_ = (resp);                                        \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(it_status_response_.describe(), static_cast<long>(want),      \
                                     it_status_response_.status);                                  \
    } while (false)
