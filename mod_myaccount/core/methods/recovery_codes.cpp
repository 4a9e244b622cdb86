// Recovery codes: random codes from an alphabet without look-alikes, their normal form and hashes.
#include "core/methods/recovery_codes.hpp"

#include <sodium.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "core/text.hpp"

namespace myaccount {

namespace {

// Digits and lower-case letters without 0/o, 1/l/i: nothing one could read as another.
constexpr std::string_view alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
constexpr std::size_t groups = 3;
constexpr std::size_t group_length = 4;
constexpr std::size_t code_length = groups * group_length;
// Longer input is not a code mistyped but something else; it is not even looked at.
constexpr std::size_t max_typed_length = 64;

std::string new_recovery_code() {
    std::string code;
    for (std::size_t i = 0; i < code_length; ++i) {
        if (i > 0 && i % group_length == 0) code.push_back('-');
        code.push_back(alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))]);
    }
    return code;
}

}  // namespace

std::vector<std::string> new_recovery_codes() {
    std::vector<std::string> codes;
    std::set<std::string> seen;
    while (codes.size() < static_cast<std::size_t>(recovery_code_count)) {
        std::string code = new_recovery_code();
        if (seen.insert(code).second) codes.push_back(std::move(code));
    }
    return codes;
}

std::string normalized_recovery_code(const std::string& typed) {
    if (typed.size() > max_typed_length) return {};
    std::string code;
    for (char c : ascii_lower(typed)) {
        if (c == ' ' || c == '-') continue;
        if (alphabet.find(c) == std::string_view::npos) return {};
        code.push_back(c);
    }
    return code.size() == code_length ? code : std::string();
}

std::string recovery_code_hash(const SecretKey& key, AccountId account, const std::string& normalized_code) {
    return key.mac("recovery-code/" + std::to_string(account), normalized_code);
}

std::string recovery_codes_text(const std::vector<std::string>& codes, const std::string& issuer,
                                const std::string& user, const std::string& heading) {
    std::string text = heading + "\n" + issuer + ": " + user + "\n\n";
    for (const std::string& code : codes) text += code + "\n";
    return text;
}

}  // namespace myaccount
