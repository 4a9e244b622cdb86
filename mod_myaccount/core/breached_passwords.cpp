// Binary search over the variable-length lines of the memory-mapped breached-password hash file.
#include "core/breached_passwords.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace myaccount {

namespace {

constexpr std::size_t sha1_hex_digits = 40;
// The longest `HASH:COUNT` line: a 64-bit count has at most 20 digits; then "\r\n".
constexpr std::size_t longest_line = sha1_hex_digits + 1 + 20 + 2;

char upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (upper(c) >= 'A' && upper(c) <= 'F');
}

// The key as the file orders it (upper case), or nothing when it is not 40 hex digits.
std::optional<std::string> search_key(std::string_view sha1_hex) {
    if (sha1_hex.size() != sha1_hex_digits || !std::all_of(sha1_hex.begin(), sha1_hex.end(), is_hex)) return {};
    std::string key(sha1_hex);
    std::transform(key.begin(), key.end(), key.begin(), upper);
    return key;
}

// The line holding byte `at` (which may be its "\n"), found by backing up to the line's start, but
// never before `floor` (a line start the search already knows).
std::string_view line_at(std::string_view text, std::size_t floor, std::size_t at) {
    std::size_t start = at;
    while (start > floor && text[start - 1] != '\n') --start;
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    return text.substr(start, end - start);
}

// Where the key sorts against a record's hash, upper-cased as the key is (so a file in lower case
// searches alike): negative before, 0 the same, positive after.
int compare(std::string_view key, std::string_view record) {
    for (std::size_t i = 0; i < sha1_hex_digits; ++i) {
        const char have = upper(record[i]);
        if (key[i] != have) return key[i] < have ? -1 : 1;
    }
    return 0;
}

// The COUNT of a `HASH:COUNT` line (a final "\r" allowed), or nothing when the line is not one.
// Counts beyond 64 bits stay at the largest: still "seen".
std::optional<std::uint64_t> count_in(std::string_view line) {
    if (line.size() < sha1_hex_digits || !std::all_of(line.begin(), line.begin() + sha1_hex_digits, is_hex)) return {};
    std::string_view rest = line.substr(sha1_hex_digits);
    if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
    if (rest.size() < 2 || rest.front() != ':') return {};
    constexpr std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t count = 0;
    for (const char c : rest.substr(1)) {
        if (c < '0' || c > '9') return {};
        const auto digit = static_cast<std::uint64_t>(c - '0');
        count = count > (most - digit) / 10 ? most : count * 10 + digit;
    }
    return count;
}

std::size_t offset_in(std::string_view text, std::string_view line) {
    return static_cast<std::size_t>(line.data() - text.data());
}

// Where the line after `line` starts (one past the end after a last line without "\n").
std::size_t next_start(std::string_view text, std::string_view line) {
    return offset_in(text, line) + line.size() + 1;
}

struct Record {
    std::string_view line;
    std::uint64_t count;
};

// The first `HASH:COUNT` line from `line` on that starts before `high`; none when only damaged
// lines are left. A damaged line tells nothing of where it belongs, so the next record decides.
std::optional<Record> first_record(std::string_view text, std::string_view line, std::size_t high) {
    for (;;) {
        if (const std::optional<std::uint64_t> count = count_in(line)) return Record{line, *count};
        const std::size_t next = next_start(text, line);
        if (next >= high) return {};
        line = line_at(text, next, next);
    }
}

}  // namespace

BreachedPasswords BreachedPasswords::open(const std::string& path, Sha1Hex sha1) {
    try {
        return BreachedPasswords(MappedFile::open_for_lookups(path), sha1);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("breached-password hashes ") + e.what());
    }
}

std::uint64_t BreachedPasswords::count(std::string_view password) const {
    return count_of_hash(sha1_(password));
}

std::uint64_t BreachedPasswords::count_of_hash(std::string_view sha1_hex) const {
    const std::optional<std::string> key = search_key(sha1_hex);
    if (!key) return 0;
    const std::string_view text = file_.bytes();
    // The lines starting in [low, high) are left to search; both are line starts (or the end). Each
    // step drops at least the probed line and everything on one side of it, so the loop ends.
    std::size_t low = 0;
    std::size_t high = text.size();
    while (low < high) {
        const std::string_view probe = line_at(text, low, low + (high - low) / 2);
        const std::optional<Record> record = first_record(text, probe, high);
        const int order = record ? compare(*key, record->line) : -1;  // only damaged lines: drop them
        if (order == 0) return record->count;
        if (order < 0)
            high = offset_in(text, probe);
        else
            low = next_start(text, record->line);
    }
    return 0;
}

std::optional<std::string> BreachedPasswords::format_problem() const {
    const std::string_view text = file_.bytes();
    if (text.empty()) return std::string("is empty");
    // Only the head is looked at: a file with no line break must not be read to its end here.
    const std::string_view head = text.substr(0, longest_line);
    const std::string_view first = line_at(head, 0, 0);
    const bool longer_than_any_record = first.size() == head.size() && text.size() > head.size();
    if (longer_than_any_record || !count_in(first)) {
        return std::string(
            "does not start with a HASH:COUNT line (40 hex digits of SHA-1, a colon, a count): "
            "is it the Pwned Passwords SHA-1 download, ordered by hash?");
    }
    return {};
}

}  // namespace myaccount
