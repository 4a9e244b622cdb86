// Runs the integration suites (all, or the suites/tests named on the command line) and prints
// "N passed, M failed"; the exit code is non-zero when anything failed.
#include <iostream>
#include <set>
#include <string>

#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestFailure.h>
#include <cppunit/TestListener.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include "harness.hpp"
#include "suite.hpp"

namespace {

// Counts test cases; a failure outside any test case (a suite's final error-log check) counts as
// one more failed test.
class Tally : public CppUnit::TestListener {
public:
    void startTest(CppUnit::Test* test) override {
        current_ = test;
        current_failed_ = false;
        ++run_;
    }
    void addFailure(const CppUnit::TestFailure& failure) override {
        if (current_ != nullptr && failure.failedTest() == current_) {
            current_failed_ = true;
        } else {
            ++outside_failures_;
        }
    }
    void endTest(CppUnit::Test*) override {
        if (current_failed_) ++failed_;
        current_ = nullptr;
        current_failed_ = false;
    }
    int passed() const { return run_ - failed_; }
    int failed() const { return failed_ + outside_failures_; }

private:
    CppUnit::Test* current_ = nullptr;
    bool current_failed_ = false;
    int run_ = 0;
    int failed_ = 0;
    int outside_failures_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    CppUnit::TestResult controller;
    CppUnit::TestResultCollector collector;
    CppUnit::BriefTestProgressListener progress;
    Tally tally;
    controller.addListener(&collector);
    controller.addListener(&progress);
    controller.addListener(&tally);

    CppUnit::TestRunner runner;
    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    int rc = 0;
    try {
        if (argc <= 1) {
            runner.run(controller);
        } else {
            for (int i = 1; i < argc; ++i) runner.run(controller, argv[i]);
        }
    } catch (const std::exception& e) {
        std::cerr << "test runner: " << e.what() << "\n";
        rc = 2;
    }
    it::finish_pending_suites();
    it::stop_all_servers();

    CppUnit::CompilerOutputter outputter(&collector, std::cerr);
    outputter.write();
    std::cout << tally.passed() << " passed, " << tally.failed() << " failed" << std::endl;
    if (tally.failed() > 0 || rc != 0) return 1;
    return 0;
}
