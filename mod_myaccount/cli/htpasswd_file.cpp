// Parsing an Apache htpasswd file into (username, hash) pairs, with a reason for every bad line.
#include "cli/htpasswd_file.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "cli/validation.hpp"
#include "core/text.hpp"

namespace myaccount::cli {

namespace {

// Longer lines are not htpasswd entries; bounds what one bad line can make us hold.
constexpr std::size_t max_line_length = 4096;

bool is_crypt_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/'; }

bool all_of(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_bcrypt(std::string_view h) {
    // $2y$NN$ then 53 characters of salt and hash.
    if (h.size() != 60 || !(starts_with(h, "$2y$") || starts_with(h, "$2a$") || starts_with(h, "$2b$")))
        return false;
    return std::isdigit(static_cast<unsigned char>(h[4])) && std::isdigit(static_cast<unsigned char>(h[5])) &&
           h[6] == '$' && all_of(h.substr(7), is_crypt_char);
}

bool is_sha1(std::string_view h) {
    if (!starts_with(h, "{SHA}") || h.size() != 5 + 28) return false;
    return std::all_of(h.begin() + 5, h.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
    });
}

// $apr1$salt$hash, $5$[rounds=N$]salt$hash, $6$...: crypt characters between the dollars.
bool is_dollar_format(std::string_view h, std::string_view prefix) {
    if (!starts_with(h, prefix) || h.size() <= prefix.size() + 2) return false;
    return std::all_of(h.begin() + static_cast<std::ptrdiff_t>(prefix.size()), h.end(),
                       [](char c) { return is_crypt_char(c) || c == '$' || c == '='; });
}

bool is_argon2id(std::string_view h) {
    return starts_with(h, "$argon2id$") && std::all_of(h.begin(), h.end(), [](char c) {
               return is_crypt_char(c) || c == '$' || c == '=' || c == ',' || c == '+';
           });
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

bool is_supported_htpasswd_hash(std::string_view h) {
    return is_bcrypt(h) || is_sha1(h) || is_dollar_format(h, "$apr1$") || is_dollar_format(h, "$5$") ||
           is_dollar_format(h, "$6$") || is_argon2id(h) || (h.size() == 13 && all_of(h, is_crypt_char));
}

HtpasswdFile parse_htpasswd(std::istream& in) {
    HtpasswdFile file;
    std::map<std::string, std::size_t> first_line_of;  // lowercased username -> line
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        const auto problem = [&](std::string message) {
            file.problems.push_back({number, std::move(message)});
        };
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        if (line.size() > max_line_length) {
            problem("line is too long");
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) {
            problem("expected user:hash");
            continue;
        }
        const std::string username = line.substr(0, colon);
        // As mod_authn_file does: anything after a second colon is not part of the hash.
        const std::size_t end = line.find(':', colon + 1);
        const std::string hash =
            line.substr(colon + 1, end == std::string::npos ? std::string::npos : end - colon - 1);
        if (!is_valid_username(username)) {
            problem("invalid username '" + printable(username) +
                    "' (1-64 characters of A-Z a-z 0-9 . _ @ -, starting with a letter or digit)");
            continue;
        }
        if (hash.empty()) {
            problem("no password hash for '" + username + "'");
            continue;
        }
        if (!is_supported_htpasswd_hash(hash)) {
            problem("unsupported password hash for '" + username +
                    "' (expected bcrypt, $apr1$ MD5, {SHA}, $5$/$6$ SHA-crypt or crypt; not plain text)");
            continue;
        }
        const auto [it, inserted] = first_line_of.emplace(lowercase(username), number);
        if (!inserted) {
            problem("'" + username + "' already appears on line " + std::to_string(it->second));
            continue;
        }
        file.entries.push_back({number, username, hash});
    }
    return file;
}

}  // namespace myaccount::cli
