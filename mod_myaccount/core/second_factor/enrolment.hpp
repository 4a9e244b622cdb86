// A signed-in user adding, naming, ordering and removing 2-step methods and app passwords.
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

constexpr std::size_t max_method_label = 64;
constexpr UnixTime pending_authenticator_lifetime = 3600;  // an unproven authenticator is dropped after

class SecondFactorEnrolment {
public:
    SecondFactorEnrolment(Store& store, const SecretKey& key, const SecondFactorPolicy& policy,
                          const std::string& issuer)
        : store_(store), key_(key), policy_(policy), issuer_(issuer) {}

    // A new authenticator, pending until a code proves it: what the page shows.
    struct NewAuthenticator {
        std::int64_t method_id = 0;
        std::string secret_base32;   // for typing (grouped_for_typing) and the otpauth URI
        std::string otpauth_uri;
        std::string qr_svg;
    };
    NewAuthenticator begin_authenticator(const Account& account, const std::string& label, const ClientInfo& client,
                                         UnixTime now);
    // The page of a pending authenticator again (after a wrong code): none when it is not pending
    // (proven already, removed, another account's) or older than pending_authenticator_lifetime.
    std::optional<NewAuthenticator> pending_authenticator(const Account& account, std::int64_t method_id,
                                                          UnixTime now);
    // A wrong code counts toward the account's 2-step lockout, as at the verify step (a six-digit
    // code is guessable); while it is locked nothing is checked (locked, until locked_until).
    enum class Confirmed { active, wrong_code, locked, gone };
    struct Confirmation {
        Confirmed result = Confirmed::wrong_code;
        bool clock_off = false;
        UnixTime locked_until = 0;
    };
    Confirmation confirm_authenticator(const Account& account, std::int64_t method_id, const std::string& code,
                                       const ClientInfo& client, UnixTime now);

    // A new set of recovery codes (the old set stops working): the codes, to show once.
    std::vector<std::string> new_recovery_codes(const Account& account, const ClientInfo& client, UnixTime now);

    // false: no such active method (404). Labels are trimmed, at most max_method_label code points.
    enum class Change { done, not_found, bad_label, last_method };
    Change rename(const Account& account, std::int64_t method_id, const std::string& label, const ClientInfo& client,
                  UnixTime now);
    Change make_default(const Account& account, std::int64_t method_id, const ClientInfo& client, UnixTime now);
    // Refuses (last_method) to remove the last 2-step method of someone who must use 2-step verification.
    Change remove(const Account& account, std::int64_t method_id, const ClientInfo& client, UnixTime now,
                  VerificationMethod* removed = nullptr);

    // App passwords (only while the policy allows them): the password to show once, or none for
    // a bad label.
    std::optional<std::string> create_app_password(const Account& account, const std::string& label,
                                                   const ClientInfo& client, UnixTime now);
    Change revoke_app_password(const Account& account, std::int64_t id, const ClientInfo& client, UnixTime now);

private:
    Store& store_;
    const SecretKey& key_;
    const SecondFactorPolicy& policy_;
    const std::string& issuer_;
};

}  // namespace myaccount
