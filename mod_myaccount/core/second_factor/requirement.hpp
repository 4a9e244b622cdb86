// Whether an account must pass the second step, and whether a session has.
#pragma once

#include <vector>

#include "core/model.hpp"
#include "core/second_factor/policy.hpp"

namespace myaccount {

// Methods that make a user "registered" for 2-step verification: an authenticator app or a phone.
// An e-mail address is registered for password reset (everyone is asked to); it may serve at the
// verify step of someone registered, but does not by itself put a second step on every sign-in
// (as in Microsoft Entra, where e-mail is a reset method only). Recovery codes are a way back in,
// not a method to sign in with every day.
bool counts_as_two_step_method(const VerificationMethod& method);
bool has_two_step_method(const std::vector<VerificationMethod>& methods);

// The policy for one account: the site's (MyAccountRequireMFA), asking as much as the most
// demanding organization the account belongs to (`myaccountctl org require-mfa`). An organization
// only ever asks more than the site, never less.
SecondFactorPolicy policy_for(const SecondFactorPolicy& site, const Account& account);

// Off: never. Registered: when the account has a 2-step method. All: always.
bool must_use_second_factor(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods);
// All, and no 2-step method yet: the user must register one before any gated page opens.
bool must_register_second_factor(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods);

// Changing security info needs a recent proof: of the second step once the account has a 2-step
// method, of the password before.
bool recently_verified(const SecondFactorPolicy& policy, const Session& session, bool has_methods, UnixTime now);

}  // namespace myaccount
