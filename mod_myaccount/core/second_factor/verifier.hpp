// The second step: a code of an authenticator, a code sent to an e-mail or phone method, or a
// recovery code, under one lockout shared by every httpd process (in the store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/client_info.hpp"
#include "core/crypto.hpp"
#include "core/model.hpp"
#include "core/second_factor/policy.hpp"
#include "core/store.hpp"

namespace myaccount {

class SecondFactorVerifier {
public:
    SecondFactorVerifier(Store& store, const SecretKey& key, const SecondFactorPolicy& policy)
        : store_(store), key_(key), policy_(policy) {}

    enum class Result {
        accepted,
        wrong,         // not a code of this method now (counted toward the lockout)
        used,          // an authenticator code accepted before (or an older one): wait for the next (counted)
        locked,        // too many wrong codes: nothing is checked until the lock ends
        no_method,     // not an active method of this account (or of a kind the call does not take)
        expired,       // a sent code that has expired or was used up: send a new one
    };
    struct Outcome {
        Result result = Result::wrong;
        bool clock_off = false;      // accepted only at the edge of the window: the phone's clock seems off
        bool replayed = false;       // an authenticator code accepted before, typed again: tell the owner
        int recovery_left = -1;      // after a recovery code: how many remain
        UnixTime locked_until = 0;   // when locked
        std::int64_t method_id = 0;
    };

    Outcome check_authenticator(const Account& account, std::int64_t method_id, const std::string& code,
                                const ClientInfo& client, UnixTime now);
    // The same for whichever of the account's authenticators the code is of (one failure counted
    // however many it has): the password reset, which does not ask which app.
    Outcome check_any_authenticator(const Account& account, const std::string& code, const ClientInfo& client,
                                    UnixTime now);
    Outcome check_recovery_code(const Account& account, const std::string& code, const ClientInfo& client,
                                UnixTime now);

    // A code to an e-mail or phone method: the challenge (purpose second_factor) to show the code
    // form with, and the code for the caller to send. none: no such method, or locked.
    struct SentCode {
        std::string challenge_token;
        std::string code;
        std::string recipient;  // the address or number
        MethodKind kind = MethodKind::email;
    };
    std::optional<SentCode> send_code(const Account& account, std::int64_t method_id, const ClientInfo& client,
                                      UnixTime now);
    Outcome check_sent_code(const Account& account, const std::string& challenge_token, const std::string& code,
                            const ClientInfo& client, UnixTime now);

    // Whether codes are refused for now, and until when (0 = not locked).
    UnixTime locked_until(const Account& account, UnixTime now);

private:
    // The code against these authenticators (all the account's, or the one asked for).
    Outcome check_against(const Account& account, const std::vector<VerificationMethod>& authenticators,
                          const std::string& code, const ClientInfo& client, UnixTime now);
    // Counts what the outcome counts (a wrong or used code toward the lockout, a pass clears it)
    // and records what the audit trail keeps: a pass, and the failure that locks.
    Outcome judged(const Account& account, MethodKind kind, Outcome outcome, const ClientInfo& client, UnixTime now);

    Store& store_;
    const SecretKey& key_;
    const SecondFactorPolicy& policy_;
};

}  // namespace myaccount
