// Self-service password reset as a server-side challenge: the browser holds a random token, every
// code is single-use, bound to its purpose and flow, kept only as a keyed hash, and expires.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/client_info.hpp"
#include "core/crypto.hpp"
#include "core/model.hpp"
#include "core/password_change.hpp"
#include "core/password_hasher.hpp"
#include "core/reset/reset_policy.hpp"
#include "core/second_factor/policy.hpp"
#include "core/second_factor/verifier.hpp"
#include "core/store.hpp"

namespace myaccount {

class PasswordReset {
public:
    PasswordReset(Store& store, const SecretKey& key, const PasswordHasher& hasher, const PasswordChangeRules& rules,
                  const ResetPolicy& policy)
        : store_(store), key_(key), hasher_(hasher), rules_(rules), policy_(policy) {}

    // A reset in progress as its browser sees it. `account` is empty for a flow that can never
    // succeed (unknown, disabled, out-of-scope or unregistered user): it answers like any other.
    struct Flow {
        Challenge challenge;
        std::optional<Account> account;
        std::vector<VerificationMethod> methods;  // the account's active methods (none for nobody)
        int step() const;              // 1-based: the method being proven now
        // `required` methods proven, one of them a 2-step method other than e-mail when the account
        // has one: an inbox alone never resets the password of someone who signs in with an
        // authenticator app, a phone or recovery codes.
        bool proven_enough(int required) const;
        // Proofs this flow needs in all (required, or one more for the 2-step method).
        int proofs_needed(int required) const;
    };

    // Step 1: a flow for whatever user ID was typed. Null when the address started too many.
    std::optional<std::string> start(const std::string& username, const ClientInfo& client, UnixTime now);
    // The open flow this token names, or none (unknown, expired, completed, account changed).
    std::optional<Flow> find(const std::string& token, UnixTime now);

    // Step 2: a code for `address` (an e-mail address, or a phone number in E.164) when it is an
    // unproven method of the flow's account (returned for the caller to send after the response);
    // otherwise a dummy the same work and shape.
    struct CodeRequest {
        bool limited = false;                  // the same for every user: nothing was issued
        std::optional<std::string> code;      // set only for a real method
        std::string recipient;
        std::string channel = "email";        // "sms", or "voice" for an office phone
    };
    CodeRequest request_code(const Flow& flow, const std::string& address, const ClientInfo& client, UnixTime now);

    // Whether to tell the browser its code could not be sent. Answered alike for every flow — a
    // reset code failed to go out in the current window — so an outage shows to everyone and no
    // one learns from it whose address is registered.
    bool delivery_failing(const Flow& flow, UnixTime now);

    // Step 3. `accepted` moves the flow on; anything else is one generic "wrong or expired".
    bool check_code(const Flow& flow, const std::string& code, UnixTime now);
    // Step 3 for methods that need nothing sent: a current code of one of the account's
    // authenticator apps, or one of its recovery codes (used up). Wrong guesses count toward the
    // account's 2-step lockout, like at sign-in; a flow for nobody does the same work and fails.
    // `accepted` moves the flow on (the proof is kept on it); `replayed` is for telling the owner.
    SecondFactorVerifier::Outcome check_authenticator_code(const Flow& flow, const std::string& code,
                                                           const SecondFactorPolicy& policy, const ClientInfo& client,
                                                           UnixTime now);
    SecondFactorVerifier::Outcome check_recovery_code(const Flow& flow, const std::string& code,
                                                      const SecondFactorPolicy& policy, const ClientInfo& client,
                                                      UnixTime now);

    // Step 4: the new password under the policy; on success the account is unlocked, every
    // session ends and the flow is used up. `rejected` with violations, `expired` when the flow
    // was completed or the account changed meanwhile.
    enum class Status { reset, rejected, not_ready, expired };
    struct Outcome {
        Status status = Status::not_ready;
        bool mismatch = false;
        std::vector<PasswordRule> violations;
        GuessFeedback feedback;  // why it is guessable, when it is
    };
    Outcome set_password(const Flow& flow, const std::string& next, const std::string& confirmation,
                         const ClientInfo& client, UnixTime now);

    int methods_required() const { return policy_.methods_required; }

private:
    std::optional<Account> eligible_account(const std::string& username);
    SecondFactorVerifier::Outcome kept_on_flow(const Flow& flow, SecondFactorVerifier::Outcome outcome, UnixTime now);

    Store& store_;
    const SecretKey& key_;
    const PasswordHasher& hasher_;
    const PasswordChangeRules& rules_;
    const ResetPolicy& policy_;
};

// What the notifier reports for a reset code: kept on the challenge and counted for
// PasswordReset::delivery_failing.
void record_reset_delivery(Store& store, std::int64_t challenge, bool delivered, const ResetPolicy& policy,
                           UnixTime now);

}  // namespace myaccount
