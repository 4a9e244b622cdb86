// Recovery codes: ten single-use codes shown once, kept as keyed hashes.
#pragma once

#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/time_and_ids.hpp"

namespace myaccount {

constexpr int recovery_code_count = 10;
constexpr int recovery_codes_low = 2;  // at or below: the user is warned to make a new set

// Ten fresh codes, each "xxxx-xxxx-xxxx" from an alphabet without look-alikes (about 60 bits).
std::vector<std::string> new_recovery_codes();
// What a typed code is compared as: lower case, without spaces and dashes; "" when it cannot be one.
std::string normalized_recovery_code(const std::string& typed);
// The keyed hash the store keeps, bound to the account (a normalized code).
std::string recovery_code_hash(const SecretKey& key, AccountId account, const std::string& normalized_code);
// The download: one code per line with a heading naming the issuer and user.
std::string recovery_codes_text(const std::vector<std::string>& codes, const std::string& issuer,
                                const std::string& user, const std::string& heading);

}  // namespace myaccount
