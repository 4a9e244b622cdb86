// App passwords: random passwords for one program each, shown once, kept as keyed hashes. They
// are long and random, so a keyed hash (no argon2) is enough and a Basic request costs no hash work.
#pragma once

#include <string>

#include "core/crypto.hpp"
#include "core/time_and_ids.hpp"

namespace myaccount {

constexpr std::size_t max_app_password_label = 64;

// 16 lower-case letters in groups of four ("abcd efgh ijkl mnop"), about 75 bits.
std::string new_app_password();
// Spaces dropped, lower-cased; "" when it cannot be an app password (wrong length or characters).
std::string normalized_app_password(const std::string& typed);
std::string app_password_hash(const SecretKey& key, AccountId account, const std::string& normalized);

}  // namespace myaccount
