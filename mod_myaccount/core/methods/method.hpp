// The verification-method model: the kinds of proof a person can register, and one registration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/time_and_ids.hpp"

namespace myaccount {

// A way to prove who one is when the password is forgotten (self-service reset). E-mail first;
// the security-info work adds authenticator apps, phones and recovery codes as further kinds.
enum class MethodKind { email };

struct VerificationMethod {
    std::int64_t id = 0;
    AccountId account_id = 0;
    MethodKind kind = MethodKind::email;
    // Where a code goes: the verified e-mail address. It keeps the store's column name until the
    // store renames both; read it as the method's target. A phone will keep its number here; kinds
    // with nowhere to send a code (an authenticator app, recovery codes) will leave it empty, with
    // their secrets (the app's seed, the codes' hashes) in data of their own kind, never in this
    // field, which pages and the CLI show.
    std::string address;
    UnixTime created_at = 0;
};

// The text forms, as stored in the database and shown by the CLI.
const char* to_string(MethodKind kind);
std::optional<MethodKind> method_kind_from(const std::string& text);

}  // namespace myaccount
