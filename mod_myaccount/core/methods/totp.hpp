// Authenticator apps: TOTP (RFC 6238) secrets, their otpauth:// URI and QR form, and code checks,
// all through liboath. The parameters every common app reads: SHA1, 6 digits, 30 seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto.hpp"
#include "core/time_and_ids.hpp"

namespace myaccount {

constexpr int totp_digits = 6;
constexpr int totp_period = 30;
constexpr std::size_t totp_secret_bytes = 20;  // 160 bits, RFC 4226's recommendation

// A fresh random secret (raw bytes).
std::string new_totp_secret();
// RFC 4648 base32 of the raw secret without '=' padding, as apps and `oathtool -b` take it.
std::string base32_of(std::string_view raw_secret);
// The base32 text in groups of four for typing by hand: "ABCD EFGH IJKL ...".
std::string grouped_for_typing(std::string_view base32);
// otpauth://totp/ISSUER:USER?secret=…&issuer=ISSUER&algorithm=SHA1&digits=6&period=30, issuer and
// user percent-encoded as UTF-8 (spaces, ':' and Japanese included).
std::string otpauth_uri(const std::string& issuer, const std::string& user, std::string_view base32);

// Exactly six ASCII digits once spaces are dropped (people type "123 456").
bool looks_like_totp_code(const std::string& code);
std::string without_spaces(const std::string& code);

struct TotpMatch {
    std::int64_t step = 0;  // the time step (unix time / 30) whose code this is
    int offset = 0;         // step minus the current step: 0, or ±1.. at the edges of the window
};
// The step within `window` steps of now whose code matches, nearest to now first; none otherwise.
std::optional<TotpMatch> match_totp(std::string_view raw_secret, const std::string& code, UnixTime now, int window);
// Matched only at the edge of a window wider than 0: the phone's clock seems off.
bool clock_seems_off(const TotpMatch& match, int window);
// The code of a step (what an app shows then); for tests and the unit vectors.
std::string totp_code_at(std::string_view raw_secret, UnixTime at, int digits = totp_digits);

// Sealing under the server key: a copied database alone does not give the secret away. Bound to
// the account, so a secret moved to another account's row does not open.
std::string seal_totp_secret(const SecretKey& key, AccountId account, std::string_view raw_secret);
// Throws std::runtime_error when the box was tampered with, moved, or sealed under another key.
std::string open_totp_secret(const SecretKey& key, AccountId account, std::string_view box);
// match_totp against a sealed secret, which is in the clear only while it is compared.
std::optional<TotpMatch> match_sealed_totp(const SecretKey& key, AccountId account, std::string_view box,
                                           const std::string& code, UnixTime now, int window);

// The QR code of `text` as an SVG document (libqrencode, error correction M, black modules on
// white with a quiet zone): no external service, no script. `title` is the image's accessible name.
std::string qr_svg(const std::string& text, const std::string& title);

}  // namespace myaccount
