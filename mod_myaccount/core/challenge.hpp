// Server-side challenges (a reset, an address being verified): whether one still serves, and the
// one-time codes bound to it.
#pragma once

#include <cstddef>
#include <string>

#include "core/crypto.hpp"
#include "core/model.hpp"

namespace myaccount {

constexpr std::size_t one_time_code_digits = 8;

// Neither completed nor past its end.
bool is_open(const Challenge& challenge, UnixTime now);

// The keyed hash a code is kept as: bound to the challenge and its purpose.
std::string one_time_code_hash(const SecretKey& key, const Challenge& challenge, const std::string& code);
// Exactly eight ASCII digits once surrounding spaces are dropped; anything else is never a code.
bool looks_like_code(const std::string& code);

}  // namespace myaccount
