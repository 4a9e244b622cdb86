// Who may reset a password, and who is asked to register methods for it.
#pragma once

#include <vector>

#include "core/model.hpp"
#include "core/reset/reset_policy.hpp"
#include "core/store.hpp"

namespace myaccount {

// The kinds a reset can prove: e-mail and phones (a code sent), an authenticator app (its current
// code) and recovery codes.
bool reset_can_prove(MethodKind kind);
// The account's methods a reset can prove, oldest first.
std::vector<VerificationMethod> reset_methods_of(Store& store, AccountId id);
// Only its e-mail methods, oldest first.
std::vector<VerificationMethod> email_methods_of(Store& store, AccountId id);

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

}  // namespace myaccount
