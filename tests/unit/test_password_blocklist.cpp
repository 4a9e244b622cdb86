// Tests of the common-password list (PW-6): the shipped file, case folding, and bad files.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/password_blocklist.hpp"
#include "temp_dir.hpp"

using namespace myaccount;

namespace {

const std::string shipped_list = MYACCOUNT_SOURCE_DIR "/conf/common-passwords.txt";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class PasswordBlocklistTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PasswordBlocklistTest);
    CPPUNIT_TEST(shipped_list_loads);
    CPPUNIT_TEST(shipped_list_has_long_common_passwords);
    CPPUNIT_TEST(shipped_file_is_lower_case_sorted_and_unique);
    CPPUNIT_TEST(matching_ignores_ascii_case_only);
    CPPUNIT_TEST(random_password_is_not_listed);
    CPPUNIT_TEST(file_order_case_crlf_and_bom_do_not_matter);
    CPPUNIT_TEST(missing_file_is_named);
    CPPUNIT_TEST(directory_is_named);
    CPPUNIT_TEST(invalid_utf8_names_file_and_line);
    CPPUNIT_TEST(empty_list_is_named);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        temp_.emplace("mya-blocklist");
        dir_ = temp_->path();
    }

    void tearDown() override { temp_.reset(); }

    void shipped_list_loads() {
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        CPPUNIT_ASSERT(list.size() >= 10000);
        CPPUNIT_ASSERT(list.contains("password"));
        CPPUNIT_ASSERT(list.contains("123456"));
        CPPUNIT_ASSERT(list.contains("qwerty"));
    }

    // The minimum length is 12, so the list is only useful if it holds passwords that long (PW-6).
    void shipped_list_has_long_common_passwords() {
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        CPPUNIT_ASSERT(list.contains("password1234"));
        CPPUNIT_ASSERT(list.contains("123456789012"));
        CPPUNIT_ASSERT(list.contains("Password1234"));
    }

    void shipped_file_is_lower_case_sorted_and_unique() {
        std::ifstream in(shipped_list, std::ios::binary);
        std::string line;
        std::string previous;
        std::size_t lines = 0;
        while (std::getline(in, line)) {
            ++lines;
            CPPUNIT_ASSERT_MESSAGE(line, !line.empty());
            CPPUNIT_ASSERT_MESSAGE(line, line.find('\r') == std::string::npos);
            for (char c : line) CPPUNIT_ASSERT_MESSAGE(line, !(c >= 'A' && c <= 'Z'));
            if (lines > 1) CPPUNIT_ASSERT_MESSAGE(previous + " / " + line, previous < line);
            previous = line;
        }
        CPPUNIT_ASSERT_EQUAL(lines, PasswordBlocklist::load(shipped_list).size());
    }

    void matching_ignores_ascii_case_only() {
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        CPPUNIT_ASSERT(list.contains("PassWord"));
        CPPUNIT_ASSERT(list.contains("PASSWORD"));
        CPPUNIT_ASSERT(!list.contains("password "));  // spaces are part of the password
        CPPUNIT_ASSERT(!list.contains(""));

        const std::string path = write("mixed.txt", "\xc3\xa9t\xc3\xa9\nMonkey\n");
        const PasswordBlocklist small = PasswordBlocklist::load(path);
        CPPUNIT_ASSERT(small.contains("MONKEY"));
        CPPUNIT_ASSERT(small.contains("\xc3\xa9t\xc3\xa9"));
        CPPUNIT_ASSERT(!small.contains("\xc3\x89T\xc3\x89"));  // no folding beyond ASCII
    }

    void random_password_is_not_listed() {
        const PasswordBlocklist list = PasswordBlocklist::load(shipped_list);
        CPPUNIT_ASSERT(!list.contains("q7Vx!m2Rk#pL9zW4tY8b"));
        CPPUNIT_ASSERT(!list.contains("correct horse battery staple"));
    }

    void file_order_case_crlf_and_bom_do_not_matter() {
        const std::string path = write("list.txt", "\xef\xbb\xbfZebra\r\n\r\nalpha\nALPHA\n\nmiddle word");
        const PasswordBlocklist list = PasswordBlocklist::load(path);
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, list.size());
        CPPUNIT_ASSERT(list.contains("zebra"));
        CPPUNIT_ASSERT(list.contains("Alpha"));
        CPPUNIT_ASSERT(list.contains("middle word"));
        CPPUNIT_ASSERT(!list.contains("zebra\r"));
    }

    void missing_file_is_named() {
        const std::string path = dir_ + "/nowhere.txt";
        const std::string message = error_of(path);
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, path));
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "cannot open"));
    }

    void directory_is_named() {
        const std::string message = error_of(dir_);
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, dir_));
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "directory"));
    }

    void invalid_utf8_names_file_and_line() {
        const std::string path = write("latin1.txt", "one\ntwo\ncaf\xe9\n");
        const std::string message = error_of(path);
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, path));
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "not UTF-8 on line 3"));
    }

    void empty_list_is_named() {
        for (const char* content : {"", "\n\n\r\n", "\xef\xbb\xbf"}) {
            const std::string path = write("empty.txt", content);
            const std::string message = error_of(path);
            CPPUNIT_ASSERT_MESSAGE(message, contains(message, path));
            CPPUNIT_ASSERT_MESSAGE(message, contains(message, "no passwords"));
        }
    }

private:
    std::string write(const std::string& name, const std::string& content) {
        const std::string path = dir_ + "/" + name;
        std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
        return path;
    }

    // The message load() throws for `path`; fails the test if it loads.
    static std::string error_of(const std::string& path) {
        try {
            PasswordBlocklist::load(path);
        } catch (const std::runtime_error& error) {
            return error.what();
        }
        CPPUNIT_FAIL("expected load to fail for " + path);
        return "";
    }

    std::optional<testing::TempDir> temp_;
    std::string dir_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordBlocklistTest);
