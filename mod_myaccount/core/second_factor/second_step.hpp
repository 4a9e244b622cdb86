// What a signed-in person must do about the second step before a gated page (the gate) or a
// signed-in page of the portal opens: nothing, pass the verify step, or register a method first.
#pragma once

#include <vector>

#include "core/model.hpp"
#include "core/second_factor/policy.hpp"

namespace myaccount {

enum class SecondStepDue { none, verify, register_method };

// For a session of ours. A session answers for the 2-step methods the account had when its
// password was proven: a method added during the session was proven by the person holding it
// (a code of it), so it asks nothing more of that session; the next sign-in asks for it. A
// session that passed the second step (second_factor_at set) owes nothing.
SecondStepDue second_step_due(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods,
                              const Session& session);
// Without a session of ours (HTTP Basic, another front): the rule as it stands for the account.
SecondStepDue second_step_due(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods);

// Whether this session may change security info now (a recent enough proof). It applies when the
// session answers for a 2-step method or 2-step verification is required here: then the second
// step within MyAccountRecentVerification, or without such a method the password; with
// MyAccountRequireMFA Off and no method, nothing more than being signed in.
bool recent_enough(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods,
                   const Session& session, UnixTime now);

// Whether the account had a 2-step method when the session's password was proven (the methods
// this session answers for; the verify step then asks for a code, else for the password).
bool answers_for_a_method(const std::vector<VerificationMethod>& methods, const Session& session);

// When the session's password was proven (older sessions: when they began).
UnixTime password_proven_at(const Session& session);

}  // namespace myaccount
