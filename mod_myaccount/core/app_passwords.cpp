// App passwords: sixteen random letters, their normal form and keyed hashes.
#include "core/app_passwords.hpp"

#include <sodium.h>

#include "core/text.hpp"

namespace myaccount {

namespace {
constexpr std::size_t app_password_letters = 16;
constexpr std::size_t group_length = 4;
constexpr std::size_t max_typed_length = 64;  // longer is something else, not looked at
}  // namespace

std::string new_app_password() {
    std::string password;
    for (std::size_t i = 0; i < app_password_letters; ++i) {
        if (i > 0 && i % group_length == 0) password.push_back(' ');
        password.push_back(static_cast<char>('a' + randombytes_uniform(26)));
    }
    return password;
}

std::string normalized_app_password(const std::string& typed) {
    if (typed.size() > max_typed_length) return {};
    std::string password;
    for (char c : ascii_lower(typed)) {
        if (c == ' ') continue;
        if (c < 'a' || c > 'z') return {};
        password.push_back(c);
    }
    return password.size() == app_password_letters ? password : std::string();
}

std::string app_password_hash(const SecretKey& key, AccountId account, const std::string& normalized) {
    return key.mac("app-password/" + std::to_string(account), normalized);
}

}  // namespace myaccount
