// One-time codes kept as keyed hashes, bound to their challenge; a challenge's life.
#include "core/challenge.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace myaccount {

bool is_open(const Challenge& challenge, UnixTime now) {
    return challenge.completed_at == 0 && challenge.expires_at > now;
}

std::string one_time_code_hash(const SecretKey& key, const Challenge& challenge, const std::string& code) {
    return key.mac("one-time-code", std::string(to_string(challenge.purpose)) + ":" + std::to_string(challenge.id) +
                                        ":" + trim_spaces(code));
}

bool looks_like_code(const std::string& code) {
    std::string digits = trim_spaces(code);
    return digits.size() == one_time_code_digits &&
           std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace myaccount
