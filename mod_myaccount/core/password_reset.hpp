// Self-service password reset and the registration of the methods it proves, as server-side
// challenges: the browser holds a random token, every code is single-use, bound to its purpose
// and flow, kept only as a keyed hash, and expires.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/client_info.hpp"
#include "core/crypto.hpp"
#include "core/defaults.hpp"
#include "core/model.hpp"
#include "core/password_change.hpp"
#include "core/store.hpp"

namespace myaccount {

struct ResetPolicy {
    bool enabled = defaults::password_reset;  // MyAccountPasswordReset
    std::vector<std::string> organizations;  // MyAccountPasswordResetScope; empty = everyone
    int methods_required = defaults::reset_methods_required.as<int>();  // MyAccountPasswordResetMethods
    std::int64_t code_lifetime = defaults::code_lifetime.value;  // MyAccountCodeLifetime
    int postpones = defaults::registration_postpones.as<int>();  // MyAccountRegistrationPostpones
    // Fixed limits (per hour): codes one user ID may be sent from one client network, from all
    // networks together, and codes one client network may ask for.
    std::int64_t sends_per_user = 5;
    std::int64_t sends_per_user_total = 20;
    std::int64_t sends_per_address = 20;
    std::int64_t starts_per_address = 30;
    int max_code_attempts = 5;               // wrong guesses that kill a code
    std::size_t max_methods = 5;             // e-mail methods one account may register

    // The whole flow lives three code lifetimes, at most an hour.
    std::int64_t flow_lifetime() const { return std::min<std::int64_t>(3 * code_lifetime, 3600); }
};

constexpr std::size_t one_time_code_digits = 8;

// Who may reset and who is asked to register: shared by the reset flow, the security-info page and
// the after-sign-in interrupt.
class ResetEligibility {
public:
    ResetEligibility(Store& store, const ResetPolicy& policy) : store_(store), policy_(policy) {}

    bool in_scope(const Account& account);
    // In scope, with a password of this store, and fewer methods than a reset needs.
    bool needs_registration(const Account& account);
    // Asked after sign-in and may still say "not now".
    bool may_postpone(const Account& account) const { return account.registration_postponed < policy_.postpones; }

private:
    Store& store_;
    const ResetPolicy& policy_;
};

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
        int step() const;              // 1-based: the method being proven now
        bool proven_enough(int required) const;
    };

    // Step 1: a flow for whatever user ID was typed. Null when the address started too many.
    std::optional<std::string> start(const std::string& username, const ClientInfo& client, UnixTime now);
    // The open flow this token names, or none (unknown, expired, completed, account changed).
    std::optional<Flow> find(const std::string& token, UnixTime now);

    // Step 2: a code for `address` when it is an unproven method of the flow's account (returned
    // for the caller to send after the response); otherwise a dummy the same work and shape.
    struct CodeRequest {
        bool limited = false;                  // the same for every user: nothing was issued
        std::optional<std::string> code;      // set only for a real method
        std::string recipient;
    };
    CodeRequest request_code(const Flow& flow, const std::string& address, const ClientInfo& client, UnixTime now);

    // Whether to tell the browser its code could not be sent. Answered alike for every flow — a
    // reset code failed to go out in the current window — so an outage shows to everyone and no
    // one learns from it whose address is registered.
    bool delivery_failing(const Flow& flow, UnixTime now);

    // Step 3. `accepted` moves the flow on; anything else is one generic "wrong or expired".
    bool check_code(const Flow& flow, const std::string& code, UnixTime now);

    // Step 4: the new password under the policy; on success the account is unlocked, every
    // session ends and the flow is used up. `rejected` with violations, `expired` when the flow
    // was completed or the account changed meanwhile.
    enum class Status { reset, rejected, not_ready, expired };
    struct Outcome {
        Status status = Status::not_ready;
        bool mismatch = false;
        std::vector<PasswordRule> violations;
    };
    Outcome set_password(const Flow& flow, const std::string& next, const std::string& confirmation,
                         const ClientInfo& client, UnixTime now);

    int methods_required() const { return policy_.methods_required; }

private:
    std::optional<Account> eligible_account(const std::string& username);

    Store& store_;
    const SecretKey& key_;
    const PasswordHasher& hasher_;
    const PasswordChangeRules& rules_;
    const ResetPolicy& policy_;
};

// A signed-in user registering e-mail addresses for reset: the password again, then a code sent
// to the address proves it is theirs.
class MethodRegistration {
public:
    MethodRegistration(Store& store, const SecretKey& key, const PasswordHasher& hasher,
                       const PasswordChangeRules& rules, const ResetPolicy& policy)
        : store_(store), key_(key), hasher_(hasher), rules_(rules), policy_(policy) {}

    enum class Status { code_ready, bad_address, wrong_password, locked, limit, too_many, duplicate };
    struct Begun {
        Status status = Status::bad_address;
        std::string challenge_token;  // for the code form
        std::string code;             // for the caller to send now
        std::int64_t challenge_id = 0;
    };
    Begun begin(const Account& account, const std::string& address, const std::string& password,
                const ClientInfo& client, UnixTime now);

    // The address of the pending challenge this token names for this account, if it is open.
    std::optional<Challenge> pending(const Account& account, const std::string& challenge_token, UnixTime now);
    // The address, when the code proved it and it is now registered.
    std::optional<std::string> confirm(const Account& account, const std::string& challenge_token, const std::string& code,
                 const ClientInfo& client, UnixTime now);
    // The address removed; none when the account has no such method.
    std::optional<std::string> remove(const Account& account, std::int64_t method_id, const ClientInfo& client,
                                      UnixTime now);

private:
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

// The keyed hash a code is kept as: bound to the challenge and its purpose.
std::string one_time_code_hash(const SecretKey& key, const Challenge& challenge, const std::string& code);
// Exactly eight ASCII digits once surrounding spaces are dropped; anything else is never a code.
bool looks_like_code(const std::string& code);

}  // namespace myaccount
