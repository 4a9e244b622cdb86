// Parsing an Apache htpasswd file into (username, hash) pairs, with a reason for every bad line.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace myaccount::cli {

struct HtpasswdEntry {
    std::size_t line = 0;
    std::string username;
    std::string hash;  // kept exactly as in the file
};

struct HtpasswdProblem {
    std::size_t line = 0;
    std::string message;  // never contains the hash
};

struct HtpasswdFile {
    std::vector<HtpasswdEntry> entries;
    std::vector<HtpasswdProblem> problems;
};

// True for the formats apr_password_validate checks on Linux: bcrypt ($2y$, $2a$, $2b$),
// APR MD5 ($apr1$), {SHA}, SHA-crypt ($5$, $6$) and 13-character DES crypt; also $argon2id$.
// Plain-text passwords (accepted by htpasswd only on Windows and NetWare) are refused.
bool is_supported_htpasswd_hash(std::string_view hash);

// Blank lines and lines starting with '#' are skipped; a trailing "\r" is ignored. Usernames must
// satisfy is_valid_username and appear once (case-insensitively).
HtpasswdFile parse_htpasswd(std::istream& in);

}  // namespace myaccount::cli
