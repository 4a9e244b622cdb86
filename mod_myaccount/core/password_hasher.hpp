// Password hashing: argon2id through libsodium, plus verification of hashes imported from htpasswd.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace myaccount {

struct Argon2Params {
    std::uint64_t memory_kib = 19456;  // OWASP: m=19 MiB, t=2, p=1 (libsodium always uses p=1)
    std::uint64_t iterations = 2;
};

class PasswordHasher {
public:
    explicit PasswordHasher(Argon2Params params = {});

    // "$argon2id$v=19$m=19456,t=2,p=1$..." for the password's exact bytes (no truncation).
    std::string hash(std::string_view password) const;

    struct Verdict {
        bool match = false;
        bool needs_rehash = false;  // legacy algorithm or weaker parameters than configured
    };
    // Constant-time verification. Accepts argon2id hashes and the htpasswd formats APR understands
    // ($apr1$, $2y$ bcrypt, {SHA}, crypt). An empty or unknown hash never matches.
    Verdict verify(std::string_view stored_hash, std::string_view password) const;

    // Spends the same time as a real verification, so an unknown user cannot be told apart.
    void verify_dummy(std::string_view password) const;

    const Argon2Params& params() const { return params_; }

private:
    Argon2Params params_;
    std::string dummy_hash_;
};

}  // namespace myaccount
