// Password hashing: argon2id through libsodium, plus verification of hashes imported from htpasswd.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/defaults.hpp"
#include "core/hashing_slots.hpp"

namespace myaccount {

struct Argon2Params {
    std::uint64_t memory_kib = defaults::argon2_memory_kib.as<std::uint64_t>();
    std::uint64_t iterations = defaults::argon2_iterations.as<std::uint64_t>();
};

// Checks a password against a legacy (htpasswd) hash; the core has none of its own (APR's lives
// in mod_myaccount/apr). Both arguments hold no NUL byte.
using LegacyHashCheck = bool (*)(const std::string& password, const std::string& hash);

class PasswordHasher {
public:
    // Without `legacy`, hashes other than argon2 never match. With `slots`, every hash and
    // verification takes one of them first (and may throw HashingBusy).
    explicit PasswordHasher(Argon2Params params = {}, LegacyHashCheck legacy = nullptr,
                            HashingSlots* slots = nullptr);

    struct Verdict {
        bool match = false;
        bool needs_rehash = false;  // legacy algorithm or weaker parameters than configured
    };

    // One admission to the hashing slots for every hash of one attempt (a verification, then
    // perhaps a rehash); each hash takes a slot only while it runs. A sign-in takes its turn before
    // it writes anything, so an attempt turned away (HashingBusy) leaves no trace: no throttle
    // place, no record.
    class Turn {
    public:
        // "$argon2id$v=19$m=19456,t=2,p=1$..." for the password's exact bytes (no truncation).
        std::string hash(std::string_view password) const;
        // Constant-time verification. Accepts argon2id hashes and what the legacy check accepts
        // (APR's htpasswd formats: $apr1$, $2y$ bcrypt, {SHA}, crypt). An empty or unknown hash
        // never matches.
        Verdict verify(std::string_view stored_hash, std::string_view password) const;
        // Spends the same time as a real verification, so an unknown user cannot be told apart.
        void verify_dummy(std::string_view password) const;

    private:
        friend class PasswordHasher;
        Turn(const PasswordHasher& hasher, HashingSlots::Admission admission)
            : hasher_(hasher), admission_(std::move(admission)) {}
        // A slot for one hash (none without slots); may throw HashingBusy after `patience`.
        HashingSlots::Slot slot() const;

        const PasswordHasher& hasher_;
        HashingSlots::Admission admission_;
    };
    // Admitted, or HashingBusy at once when the process is full; without slots, always.
    Turn turn() const;

    // Each of these takes a turn of its own.
    std::string hash(std::string_view password) const { return turn().hash(password); }
    Verdict verify(std::string_view stored_hash, std::string_view password) const {
        return turn().verify(stored_hash, password);
    }
    void verify_dummy(std::string_view password) const { turn().verify_dummy(password); }

    const Argon2Params& params() const { return params_; }

private:
    void spend_dummy_verification(std::string_view password) const;

    Argon2Params params_;
    LegacyHashCheck legacy_;
    HashingSlots* slots_;
    std::string dummy_hash_;
};

}  // namespace myaccount
