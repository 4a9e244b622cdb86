// Random tokens, token hashes, MACs and secret-box encryption, all through libsodium.
#pragma once

#include <string>
#include <string_view>

namespace myaccount {

// Call once per process before any other function here (idempotent, thread-safe after the first call).
void crypto_init();

// `bytes` random bytes, encoded base64url without padding (32 bytes -> 43 characters).
std::string random_token(std::size_t bytes = 32);

// `digits` random decimal digits (uniform, leading zeros kept): one-time codes people type.
std::string random_digits(std::size_t digits);

// BLAKE2b-256 of the token: what the store keeps instead of a session id or one-time code.
std::string hash_token(std::string_view token);

// Constant-time comparison of two strings (different lengths compare unequal, in time of the shorter).
bool constant_time_equal(std::string_view a, std::string_view b);

std::string base64url_encode(std::string_view bytes);
// Returns false on malformed input.
bool base64url_decode(std::string_view text, std::string& out);
std::string hex_encode(std::string_view bytes);

// The server's secret key (MyAccountSecretKeyFile): 32 bytes, derived sub-keys per purpose.
class SecretKey {
public:
    static constexpr std::size_t size = 32;
    // Reads a key file: 64 hex characters (an optional trailing newline). Throws std::runtime_error
    // with a message fit for the sysadmin.
    static SecretKey load_file(const std::string& path);
    static SecretKey from_bytes(std::string_view raw);  // exactly 32 bytes
    // Writes a fresh random key as hex to `path` with mode 0600; throws if the file exists.
    static void generate_file(const std::string& path);

    // HMAC-SHA-256 under a sub-key for `purpose` (e.g. "csrf"), base64url encoded.
    std::string mac(std::string_view purpose, std::string_view message) const;
    // XSalsa20-Poly1305 secret box under a sub-key for `purpose`; nonce prepended.
    std::string seal(std::string_view purpose, std::string_view plaintext) const;
    // Throws std::runtime_error when the box was tampered with or made under another key.
    std::string open(std::string_view purpose, std::string_view box) const;

private:
    std::string subkey(std::string_view purpose) const;
    std::string key_;
};

}  // namespace myaccount
