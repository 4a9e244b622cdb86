// Common passwords that may not be set (SECURITY.md PW-6), loaded once from a file at start-up.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace myaccount {

// Immutable after load, so httpd threads share one instance without locking.
class PasswordBlocklist {
public:
    // One password per line, UTF-8; "\r\n" endings, a byte-order mark and empty lines are
    // accepted. Entries are lower-cased (ASCII letters) and sorted here, so the file's own order
    // and case do not matter.
    // Throws std::runtime_error naming the file when it is missing or unreadable, a line is not
    // UTF-8 (naming the line), or it holds no entry.
    static PasswordBlocklist load(const std::string& path);

    // Case-insensitive for ASCII letters only: "PassWord" matches "password"; other scripts
    // are compared as given.
    bool contains(std::string_view password) const;
    std::size_t size() const { return entries_.size(); }

private:
    explicit PasswordBlocklist(std::vector<std::string> sorted_entries) : entries_(std::move(sorted_entries)) {}

    std::vector<std::string> entries_;  // lower-cased, sorted, unique
};

}  // namespace myaccount
