// Server-side challenges (a reset, an address being verified): whether one still serves, and the
// one-time codes bound to it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace myaccount {

constexpr std::size_t one_time_code_digits = 8;

// Neither completed nor past its end.
bool is_open(const Challenge& challenge, UnixTime now);

// The keyed hash a code is kept as: bound to the challenge and its purpose.
std::string one_time_code_hash(const SecretKey& key, const Challenge& challenge, const std::string& code);
// Exactly eight ASCII digits once surrounding spaces are dropped; anything else is never a code.
bool looks_like_code(const std::string& code);

// A challenge's outstanding code as a guess leaves it.
struct CodeState {
    std::string code_hash;  // empty: no code outstanding (used up or dead)
    UnixTime code_expires_at = 0;
    std::int64_t code_attempts = 0;
    std::vector<std::int64_t> proven;
};

struct CodeVerdict {
    Store::CodeCheck result = Store::CodeCheck::none;
    std::optional<CodeState> next;  // what to write; none when the guess changes nothing
};

// The code-check rules, whatever the store: a closed or expired challenge answers `expired` (even
// with no code outstanding); an expired code too; with an unexpired code under `max_attempts`
// wrong guesses, a matching hash is accepted and used up (single use: cleared; for a reset or a
// second_factor challenge its target method id joins `proven`, for add_email and add_phone
// `proven` becomes {0}, "the address or number is proven");
// anything else is a wrong guess that counts, and the one reaching `max_attempts` (or past it,
// had the limit been lowered) takes the code with it. A store applies the verdict in the same
// transaction as the read it was judged on (Store::check_code).
CodeVerdict judge_code_guess(const Challenge& challenge, const std::string& code_hash, int max_attempts,
                             UnixTime now);

}  // namespace myaccount
