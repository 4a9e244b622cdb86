// Who may reset a password, and who is asked to register methods for it.
#pragma once

#include <vector>

#include "core/model.hpp"
#include "core/reset/reset_policy.hpp"
#include "core/store.hpp"

namespace myaccount {

// The account's methods a reset can prove, oldest first: for now its e-mail methods (a phone,
// an authenticator or recovery codes do not count towards a reset until the flow accepts them).
std::vector<VerificationMethod> reset_methods_of(Store& store, AccountId id);

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
