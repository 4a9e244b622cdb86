// Argon2id hashing through libsodium; legacy htpasswd hashes through the check handed in.
#include "core/password_hasher.hpp"

#include <sodium.h>

#include <stdexcept>
#include <string>

#include "core/crypto.hpp"

namespace myaccount {

namespace {

constexpr std::string_view argon2_prefix = "$argon2";

unsigned long long memlimit_bytes(const Argon2Params& params) {
    return static_cast<unsigned long long>(params.memory_kib) * 1024ULL;
}

void check_params(const Argon2Params& params) {
    if (params.iterations < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
        params.iterations > crypto_pwhash_argon2id_OPSLIMIT_MAX) {
        throw std::invalid_argument("argon2id iterations must be at least " +
                                    std::to_string(crypto_pwhash_argon2id_OPSLIMIT_MIN));
    }
    const std::uint64_t max_kib = crypto_pwhash_argon2id_MEMLIMIT_MAX / 1024;
    if (params.memory_kib < crypto_pwhash_argon2id_MEMLIMIT_MIN / 1024 || params.memory_kib > max_kib) {
        throw std::invalid_argument("argon2id memory must be between " +
                                    std::to_string(crypto_pwhash_argon2id_MEMLIMIT_MIN / 1024) +
                                    " and " + std::to_string(max_kib) + " KiB");
    }
}

// libsodium rejects a null pointer even for an empty password.
const char* bytes_of(std::string_view s) { return s.data() != nullptr ? s.data() : ""; }

}  // namespace

PasswordHasher::PasswordHasher(Argon2Params params, LegacyHashCheck legacy, HashingSlots* slots)
    : params_(params), legacy_(legacy), slots_(slots) {
    check_params(params_);
    // A hash of a random password nobody knows: verify_dummy then costs what a real verify costs.
    dummy_hash_ = Turn(*this, HashingSlots::Admission()).hash(random_token());
}

PasswordHasher::Turn PasswordHasher::turn() const {
    return Turn(*this, slots_ ? slots_->admit() : HashingSlots::Admission());
}

HashingSlots::Slot PasswordHasher::Turn::slot() const {
    return hasher_.slots_ ? hasher_.slots_->take(admission_) : HashingSlots::Slot();
}

std::string PasswordHasher::Turn::hash(std::string_view password) const {
    const HashingSlots::Slot running = slot();
    const Argon2Params& params = hasher_.params_;
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, bytes_of(password), password.size(), params.iterations,
                              static_cast<std::size_t>(memlimit_bytes(params)),
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("argon2id hashing failed (not enough memory for " +
                                 std::to_string(params.memory_kib) + " KiB?)");
    }
    return out;
}

PasswordHasher::Verdict PasswordHasher::Turn::verify(std::string_view stored_hash,
                                                     std::string_view password) const {
    const HashingSlots::Slot running = slot();
    // An embedded NUL would make the C APIs below see a different, shorter hash.
    if (stored_hash.empty() || stored_hash.find('\0') != std::string_view::npos) {
        hasher_.spend_dummy_verification(password);  // an account without a usable hash must not answer faster
        return {};
    }
    const std::string hash(stored_hash);
    Verdict verdict;
    if (stored_hash.substr(0, argon2_prefix.size()) == argon2_prefix) {
        verdict.match =
            crypto_pwhash_str_verify(hash.c_str(), bytes_of(password), password.size()) == 0;
        // Non-zero also for $argon2i$ hashes, which we replace by argon2id.
        verdict.needs_rehash =
            verdict.match && crypto_pwhash_argon2id_str_needs_rehash(
                                 hash.c_str(), hasher_.params_.iterations,
                                 static_cast<std::size_t>(memlimit_bytes(hasher_.params_))) != 0;
        return verdict;
    }
    // APR takes the password as a C string: with a NUL inside it would check only a prefix.
    if (!hasher_.legacy_ || password.find('\0') != std::string_view::npos) return verdict;
    verdict.match = hasher_.legacy_(std::string(password), hash);
    verdict.needs_rehash = verdict.match;  // every htpasswd format is weaker than argon2id
    return verdict;
}

void PasswordHasher::Turn::verify_dummy(std::string_view password) const {
    const HashingSlots::Slot running = slot();
    hasher_.spend_dummy_verification(password);
}

void PasswordHasher::spend_dummy_verification(std::string_view password) const {
    // The result is irrelevant (nobody knows the dummy's password); only the time spent matters.
    const int ignored = crypto_pwhash_str_verify(dummy_hash_.c_str(), bytes_of(password), password.size());
    static_cast<void>(ignored);
}

}  // namespace myaccount
