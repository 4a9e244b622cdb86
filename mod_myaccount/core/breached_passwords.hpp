// Passwords known from data breaches (SECURITY.md PW-6): looked up offline in the Pwned Passwords
// file of SHA-1 hashes, memory-mapped and binary-searched, never read whole.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/mapped_file.hpp"

namespace myaccount {

// The file is the Pwned Passwords download "SHA-1, ordered by hash": one `HASH:COUNT` line per
// password (40 hex digits, a colon, how often it was seen), "\n" or "\r\n" endings, the last line
// with or without one. Tens of GB are fine: a lookup touches about log2(lines) pages.
// Immutable once open, so httpd threads share one instance without locking.
class BreachedPasswords {
public:
    // SHA-1 of the bytes as 40 hex digits, either case. The core carries no hash library of its
    // own for it: the module and myaccountctl pass APR-util's (apr/sha1_hex.hpp).
    using Sha1Hex = std::string (*)(std::string_view bytes);

    // Maps the file; reads nothing of it. Throws std::runtime_error naming the file when it cannot
    // be opened or mapped. What the file holds is not judged here (see format_problem).
    static BreachedPasswords open(const std::string& path, Sha1Hex sha1);

    // How often the password was seen in breaches; 0 when the file does not hold it.
    std::uint64_t count(std::string_view password) const;
    bool contains(std::string_view password) const { return count(password) > 0; }

    // The same by the password's SHA-1 (40 hex digits, either case); 0 for anything else. A line
    // that is not `HASH:COUNT` matches nothing: a damaged file misses entries, it never crashes.
    std::uint64_t count_of_hash(std::string_view sha1_hex) const;

    // Why the file does not look like the hash list (empty, or its first line is not `HASH:COUNT`
    // with a 40-digit SHA-1, e.g. the NTLM download), for start-up to refuse it; empty when it does.
    // Reads the first line only.
    std::optional<std::string> format_problem() const;

private:
    BreachedPasswords(MappedFile file, Sha1Hex sha1) : file_(std::move(file)), sha1_(sha1) {}

    MappedFile file_;
    Sha1Hex sha1_;
};

}  // namespace myaccount
