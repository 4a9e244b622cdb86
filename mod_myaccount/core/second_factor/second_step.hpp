// What a signed-in person must do about the second step before a gated page (the gate) or a
// signed-in page of the portal opens: nothing, pass the verify step, or register a method first.
#pragma once

#include <string>
#include <vector>

#include "core/directions.hpp"
#include "core/model.hpp"
#include "core/second_factor/policy.hpp"

namespace myaccount {

enum class SecondStepDue { none, verify, register_method };

// For a session of ours: every 2-step method the account has now asks for the step, whenever it
// was added (a session held at the step must not slip through because the owner replaced their
// methods meanwhile). A session that passed it (second_factor_at set: the verify step, a method
// it proved as it added it, or a remembered browser) owes nothing.
SecondStepDue second_step_due(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods,
                              const Session& session);
// Without a session of ours (HTTP Basic, another front): the rule as it stands for the account.
SecondStepDue second_step_due(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods);

// Whether this session may change security info now (a recent enough proof): with a 2-step
// method, the second step within MyAccountRecentVerification; without one the password; with
// MyAccountRequireMFA Off and no method, nothing more than being signed in.
bool recent_enough(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods,
                   const Session& session, UnixTime now);

// `portal` is the portal's path (no trailing slash), `back` the local path to come back to.
Directions second_step_directions(const std::string& portal, SecondStepDue due, const std::string& back,
                                      bool recent = false);

// When the session's password was proven (older sessions: when they began).
UnixTime password_proven_at(const Session& session);

}  // namespace myaccount
