// Runs every registered CppUnit suite, or the one named as the argument; the exit code tells ctest
// whether all passed.
#include <cppunit/CompilerOutputter.h>
#include <cppunit/extensions/TestFactoryRegistry.h>
#include <cppunit/ui/text/TestRunner.h>

#include "core/crypto.hpp"

int main(int argc, char** argv) {
    myaccount::crypto_init();
    CppUnit::TextUi::TestRunner runner;
    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    runner.setOutputter(new CppUnit::CompilerOutputter(&runner.result(), std::cerr));
    return runner.run(argc > 1 ? argv[1] : "") ? 0 : 1;
}
