// Loads and searches the common-password list.
#include "core/password_blocklist.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "core/text.hpp"

namespace myaccount {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw std::runtime_error("password blocklist " + path + ": " + problem);
}

std::string read_whole_file(const std::string& path) {
    // A directory would open and then read as empty; say what it is instead.
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) fail(path, "is a directory, not a file");
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, std::string("cannot open: ") + (errno != 0 ? std::strerror(errno) : "unknown error"));
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) fail(path, "cannot read");
    return content;
}

}  // namespace

PasswordBlocklist PasswordBlocklist::load(const std::string& path) {
    const std::string content = read_whole_file(path);
    std::vector<std::string> entries;
    std::size_t line_number = 0;
    // A byte-order mark is not part of the first password.
    std::size_t start = content.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (start < content.size()) {
        std::size_t end = content.find('\n', start);
        if (end == std::string::npos) end = content.size();
        std::string_view line(content.data() + start, end - start);
        start = end + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        if (!is_valid_utf8(line)) fail(path, "not UTF-8 on line " + std::to_string(line_number));
        entries.push_back(ascii_lower(line));
    }
    if (entries.empty()) fail(path, "holds no passwords");
    std::sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
    entries.shrink_to_fit();
    return PasswordBlocklist(std::move(entries));
}

bool PasswordBlocklist::contains(std::string_view password) const {
    return std::binary_search(entries_.begin(), entries_.end(), ascii_lower(password));
}

}  // namespace myaccount
