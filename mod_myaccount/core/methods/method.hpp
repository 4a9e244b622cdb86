// The verification-method model: the kinds of proof a person can register, and one registration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/time_and_ids.hpp"

namespace myaccount {

// A way to prove who one is: at sign-in as the second step (2-step verification), and when the
// password is forgotten (self-service reset).
//   email          a code sent to a verified address
//   phone          a code sent by text message (mobile) or voice call (office) to a verified number
//   authenticator  a TOTP app (RFC 6238) holding a secret the portal showed once as a QR code
//   recovery_codes a set of single-use codes shown once (at most one set per account)
enum class MethodKind { email, phone, authenticator, recovery_codes };

// Which phone a phone method is (the seed's 携帯電話 / 代替の携帯電話 / 会社電話).
enum class PhoneType { none, mobile, alternate_mobile, office };

struct VerificationMethod {
    std::int64_t id = 0;
    AccountId account_id = 0;
    MethodKind kind = MethodKind::email;
    // Where a code goes: the verified e-mail address, or the phone number in E.164 ("+81312345678").
    // Empty for an authenticator or recovery codes. Pages and the CLI show it; never a secret.
    std::string address;
    std::string label;                    // the user's name for it ("Pixel 8"); may be empty
    PhoneType phone_type = PhoneType::none;
    // An authenticator's TOTP secret, sealed with the server key (core/second_factor/totp.hpp);
    // empty for every other kind. Never shown, never logged.
    std::string secret_box;
    std::int64_t last_step = 0;           // authenticator: the last TOTP time step accepted (replay guard)
    bool is_default = false;              // the method the verify step offers first
    bool active = true;                   // false: an authenticator added but not yet proven by a code
    UnixTime created_at = 0;
    std::string created_ip;               // the address the user added it from
    UnixTime last_used_at = 0;            // 0 = never used
    UnixTime suspended_at = 0;            // "This wasn't me" suspended it (not active) until confirmed; 0 = not
};

// Kinds whose proof is a code sent to them.
inline bool sends_code(MethodKind kind) { return kind == MethodKind::email || kind == MethodKind::phone; }

// The notifier channel a code for this phone goes by: a call for an office phone, else a text.
inline const char* phone_channel(PhoneType type) { return type == PhoneType::office ? "voice" : "sms"; }

// The text forms, as stored in the database and shown by the CLI.
const char* to_string(MethodKind kind);
std::optional<MethodKind> method_kind_from(const std::string& text);
const char* to_string(PhoneType type);  // "" for none
std::optional<PhoneType> phone_type_from(const std::string& text);

}  // namespace myaccount
