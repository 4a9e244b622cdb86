// Tests of the breached-password lookup (PW-6): binary search over generated, sorted Pwned
// Passwords style files (HASH:COUNT lines), their line endings, and damaged or odd files.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "apr/sha1_hex.hpp"
#include "core/breached_passwords.hpp"
#include "temp_dir.hpp"

using namespace myaccount;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

struct Entry {
    std::string hash;
    std::uint64_t count;
};

// `n` distinct hashes (SHA-1 of "entry-<i>"), each with a count of its own, in the file's order.
std::vector<Entry> sorted_entries(std::size_t n) {
    std::vector<Entry> entries;
    for (std::size_t i = 0; i < n; ++i) entries.push_back({sha1_hex("entry-" + std::to_string(i)), 1 + i * 7});
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.hash < b.hash; });
    return entries;
}

std::string file_text(const std::vector<Entry>& entries, const std::string& ending, bool final_ending = true) {
    std::string text;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        text += entries[i].hash + ":" + std::to_string(entries[i].count);
        if (i + 1 < entries.size() || final_ending) text += ending;
    }
    return text;
}

}  // namespace

class BreachedPasswordsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BreachedPasswordsTest);
    CPPUNIT_TEST(sha1_is_upper_case_hex_of_the_bytes);
    CPPUNIT_TEST(every_entry_is_found_with_its_count);
    CPPUNIT_TEST(absent_hashes_are_not_found);
    CPPUNIT_TEST(lower_case_query_and_lower_case_file_match);
    CPPUNIT_TEST(password_is_looked_up_by_its_sha1);
    CPPUNIT_TEST(crlf_endings_search_alike);
    CPPUNIT_TEST(last_line_without_newline_is_found);
    CPPUNIT_TEST(one_line_file);
    CPPUNIT_TEST(empty_file_holds_nothing);
    CPPUNIT_TEST(malformed_lines_match_nothing_and_hide_no_other_entry);
    CPPUNIT_TEST(garbage_file_is_searched_without_crashing);
    CPPUNIT_TEST(queries_that_are_not_a_sha1_find_nothing);
    CPPUNIT_TEST(huge_count_stays_seen);
    CPPUNIT_TEST(missing_file_and_directory_are_named);
    CPPUNIT_TEST(format_problem_tells_what_is_not_the_list);
    CPPUNIT_TEST(renamed_over_file_keeps_answering_from_the_old_one);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        temp_.emplace("mya-breached");
        dir_ = temp_->path();
    }

    void tearDown() override { temp_.reset(); }

    void sha1_is_upper_case_hex_of_the_bytes() {
        CPPUNIT_ASSERT_EQUAL(std::string("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"), sha1_hex(""));
        CPPUNIT_ASSERT_EQUAL(std::string("A9993E364706816ABA3E25717850C26C9CD0D89D"), sha1_hex("abc"));
        CPPUNIT_ASSERT_EQUAL(std::string("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"), sha1_hex("password"));
        // Bytes as given: UTF-8 and a NUL inside are hashed, not cut.
        CPPUNIT_ASSERT(sha1_hex(std::string("a\0b", 3)) != sha1_hex("a"));
    }

    void every_entry_is_found_with_its_count() {
        const std::vector<Entry> entries = sorted_entries(1000);
        const BreachedPasswords list = open(file_text(entries, "\n"));
        // First, last, middle and every other: the search reaches each line of the file.
        for (const Entry& e : entries) CPPUNIT_ASSERT_EQUAL_MESSAGE(e.hash, e.count, list.count_of_hash(e.hash));
    }

    void absent_hashes_are_not_found() {
        const std::vector<Entry> entries = sorted_entries(1000);
        const BreachedPasswords list = open(file_text(entries, "\n"));
        for (int i = 0; i < 500; ++i) {
            const std::string hash = sha1_hex("absent-" + std::to_string(i));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(hash, std::uint64_t{0}, list.count_of_hash(hash));
        }
        // Before the first and after the last line.
        CPPUNIT_ASSERT(!list.count_of_hash(std::string(40, '0')));
        CPPUNIT_ASSERT(!list.count_of_hash(std::string(40, 'F')));
        // One digit off a present hash, either way.
        std::string near = entries[500].hash;
        near.back() = near.back() == '0' ? '1' : '0';
        CPPUNIT_ASSERT(!list.count_of_hash(near));
    }

    void lower_case_query_and_lower_case_file_match() {
        const std::vector<Entry> entries = sorted_entries(200);
        const BreachedPasswords upper_file = open(file_text(entries, "\n"));
        const BreachedPasswords lower_file = open(lower(file_text(entries, "\n")));
        for (const Entry& e : entries) {
            CPPUNIT_ASSERT_EQUAL(e.count, upper_file.count_of_hash(lower(e.hash)));
            CPPUNIT_ASSERT_EQUAL(e.count, lower_file.count_of_hash(e.hash));
            CPPUNIT_ASSERT_EQUAL(e.count, lower_file.count_of_hash(lower(e.hash)));
        }
        CPPUNIT_ASSERT(!lower_file.count_of_hash(sha1_hex("absent")));
    }

    void password_is_looked_up_by_its_sha1() {
        std::vector<Entry> entries = sorted_entries(300);
        entries.push_back({sha1_hex("Tr0ub4dor&3-horse-staple"), 3});
        entries.push_back({sha1_hex("パスワード"), 12});
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.hash < b.hash; });
        const BreachedPasswords list = open(file_text(entries, "\n"));
        CPPUNIT_ASSERT(list.contains("Tr0ub4dor&3-horse-staple"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{3}, list.count("Tr0ub4dor&3-horse-staple"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{12}, list.count("パスワード"));
        CPPUNIT_ASSERT(!list.contains("tr0ub4dor&3-horse-staple"));  // exact bytes: case matters in a password
        CPPUNIT_ASSERT(!list.contains("Quartz-Meadow-Lantern-77"));
        CPPUNIT_ASSERT(!list.contains(""));
    }

    void crlf_endings_search_alike() {
        const std::vector<Entry> entries = sorted_entries(500);
        for (const bool final_ending : {true, false}) {
            const BreachedPasswords list = open(file_text(entries, "\r\n", final_ending));
            for (const Entry& e : entries) CPPUNIT_ASSERT_EQUAL(e.count, list.count_of_hash(e.hash));
            CPPUNIT_ASSERT(!list.count_of_hash(sha1_hex("absent")));
        }
    }

    void last_line_without_newline_is_found() {
        const std::vector<Entry> entries = sorted_entries(64);
        const BreachedPasswords list = open(file_text(entries, "\n", false));
        CPPUNIT_ASSERT_EQUAL(entries.back().count, list.count_of_hash(entries.back().hash));
        CPPUNIT_ASSERT_EQUAL(entries.front().count, list.count_of_hash(entries.front().hash));
        CPPUNIT_ASSERT(!list.count_of_hash(std::string(40, 'F')));
    }

    void one_line_file() {
        const std::string hash = sha1_hex("password");
        for (const std::string& text : {hash + ":9545824\n", hash + ":9545824", hash + ":9545824\r\n"}) {
            const BreachedPasswords list = open(text);
            CPPUNIT_ASSERT_EQUAL(std::uint64_t{9545824}, list.count("password"));
            CPPUNIT_ASSERT(!list.count_of_hash(std::string(40, '0')));
            CPPUNIT_ASSERT(!list.count_of_hash(std::string(40, 'F')));
            CPPUNIT_ASSERT(!list.format_problem());
        }
    }

    void empty_file_holds_nothing() {
        const BreachedPasswords list = open("");
        CPPUNIT_ASSERT(!list.contains("password"));
        CPPUNIT_ASSERT(!list.count_of_hash(std::string(40, '0')));
        CPPUNIT_ASSERT_EQUAL(std::string("is empty"), list.format_problem().value_or(""));
    }

    void malformed_lines_match_nothing_and_hide_no_other_entry() {
        std::vector<Entry> entries = sorted_entries(400);
        // Damaged lines in sorted place: no count, a bad count, a short hash, a hash only, a blank line.
        const std::string no_count = entries[100].hash + ":";
        const std::string bad_count = entries[200].hash + ":12x";
        const std::string hash_only = entries[300].hash;
        std::string text;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (i == 100)
                text += no_count + "\n";
            else if (i == 200)
                text += bad_count + "\n";
            else if (i == 300)
                text += hash_only + "\n";
            else if (i == 250)
                text += entries[i].hash.substr(0, 20) + ":5\n\n";
            else
                text += entries[i].hash + ":" + std::to_string(entries[i].count) + "\n";
        }
        const BreachedPasswords list = open(text);
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const bool damaged = i == 100 || i == 200 || i == 250 || i == 300;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(i), damaged ? std::uint64_t{0} : entries[i].count,
                                         list.count_of_hash(entries[i].hash));
        }
    }

    // Not the list at all (no line breaks, or binary): every lookup ends, finds nothing, and stays
    // inside the mapping (the sanitizer build would report a read past it).
    void garbage_file_is_searched_without_crashing() {
        std::string noise;
        std::uint32_t state = 12345;
        for (int i = 0; i < 100000; ++i) {
            state = state * 1103515245u + 12345u;
            noise.push_back(static_cast<char>(state >> 24));
        }
        for (const std::string& text : {noise, std::string(5000, 'A'), std::string(5000, '\n'), std::string("\n"),
                                        std::string(":"), std::string(40, 'F')}) {
            const BreachedPasswords list = open(text);
            for (int i = 0; i < 50; ++i) CPPUNIT_ASSERT(!list.contains("guess " + std::to_string(i)));
            CPPUNIT_ASSERT(!list.count_of_hash(std::string(40, 'A')));
            CPPUNIT_ASSERT(!list.count_of_hash(std::string(40, 'F')));
            CPPUNIT_ASSERT(list.format_problem().has_value());
        }
    }

    void queries_that_are_not_a_sha1_find_nothing() {
        const std::vector<Entry> entries = sorted_entries(10);
        const BreachedPasswords list = open(file_text(entries, "\n"));
        const std::string hash = entries[3].hash;
        CPPUNIT_ASSERT(list.count_of_hash(hash));
        CPPUNIT_ASSERT(!list.count_of_hash(hash.substr(0, 39)));
        CPPUNIT_ASSERT(!list.count_of_hash(hash + "0"));
        CPPUNIT_ASSERT(!list.count_of_hash(hash + ":" + std::to_string(entries[3].count)));
        CPPUNIT_ASSERT(!list.count_of_hash(""));
        CPPUNIT_ASSERT(!list.count_of_hash(std::string(40, 'G')));
    }

    void huge_count_stays_seen() {
        const std::string hash = sha1_hex("password");
        const BreachedPasswords list = open(hash + ":99999999999999999999999999\n");
        CPPUNIT_ASSERT_EQUAL(UINT64_MAX, list.count("password"));
    }

    void missing_file_and_directory_are_named() {
        const std::string missing = dir_ + "/missing.txt";
        const std::string not_found = error_of(missing);
        CPPUNIT_ASSERT_MESSAGE(not_found, contains(not_found, missing) && contains(not_found, "No such file"));
        const std::string directory = error_of(dir_);
        CPPUNIT_ASSERT_MESSAGE(directory, contains(directory, dir_) && contains(directory, "directory"));
    }

    void format_problem_tells_what_is_not_the_list() {
        CPPUNIT_ASSERT(!open(file_text(sorted_entries(3), "\n")).format_problem());
        CPPUNIT_ASSERT(!open(file_text(sorted_entries(3), "\r\n")).format_problem());
        // The NTLM download: 32 hex digits a hash.
        const std::optional<std::string> ntlm = open("00000000DD7F2A1C68A35673713783CA:19\n").format_problem();
        CPPUNIT_ASSERT(ntlm && contains(*ntlm, "HASH:COUNT"));
        // A password list, not hashes; hashes without counts; a first line too long to be a record.
        CPPUNIT_ASSERT(open("password\n123456\n").format_problem());
        CPPUNIT_ASSERT(open(sha1_hex("a") + "\n" + sha1_hex("b") + "\n").format_problem());
        CPPUNIT_ASSERT(open(sha1_hex("a") + ":" + std::string(200, '1')).format_problem());
    }

    // The sysadmin's update: the new file renamed over the configured name. The open list keeps
    // answering from the file it mapped; opening again (a graceful restart) sees the new one.
    void renamed_over_file_keeps_answering_from_the_old_one() {
        const std::string path = dir_ + "/pwned.txt";
        write(path, sha1_hex("old breach") + ":1\n");
        const BreachedPasswords before = BreachedPasswords::open(path, sha1_hex);
        write(dir_ + "/pwned.txt.new", sha1_hex("new breach") + ":2\n");
        std::filesystem::rename(dir_ + "/pwned.txt.new", path);
        CPPUNIT_ASSERT(before.contains("old breach"));
        CPPUNIT_ASSERT(!before.contains("new breach"));
        const BreachedPasswords after = BreachedPasswords::open(path, sha1_hex);
        CPPUNIT_ASSERT(after.contains("new breach"));
        CPPUNIT_ASSERT(!after.contains("old breach"));
    }

private:
    void write(const std::string& path, const std::string& text) {
        std::ofstream out(path, std::ios::binary);
        out << text;
        CPPUNIT_ASSERT(out.good());
    }

    // The message open() throws for `path`; fails the test if it opens.
    static std::string error_of(const std::string& path) {
        try {
            BreachedPasswords::open(path, sha1_hex);
        } catch (const std::runtime_error& error) {
            return error.what();
        }
        CPPUNIT_FAIL("expected open to fail for " + path);
        return "";
    }

    // The text as a file of its own, opened.
    BreachedPasswords open(const std::string& text) {
        const std::string path = dir_ + "/hashes-" + std::to_string(files_++) + ".txt";
        write(path, text);
        return BreachedPasswords::open(path, sha1_hex);
    }

    std::optional<testing::TempDir> temp_;
    std::string dir_;
    int files_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(BreachedPasswordsTest);
