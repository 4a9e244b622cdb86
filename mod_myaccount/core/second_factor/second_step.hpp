// What a signed-in person must do about the second step before a gated page (the gate) or a
// signed-in page of the portal opens: nothing, pass the verify step, or register a method first.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

// Where a browser that owes the step (verify or register_method) is sent, and what a script is
// told instead: one builder for the portal's pages and the gate.
struct SecondStepDirections {
    std::string url;       // <portal>/verify?return=BACK[&recent=1] or <portal>/security/register?next=BACK
    const char* error;     // second_factor_required, second_factor_registration_required
    const char* url_name;  // verify_url, register_url

    // The 401's body: {"error": ..., url_name: url}.
    nlohmann::json json_body() const;
    // The 401's WWW-Authenticate (RFC 9110 §11.6.1: a 401 carries a challenge):
    // MyAccount error="...", verify_url="..." (the URL as a quoted string).
    std::string challenge() const;
};
// `portal` is the portal's path (no trailing slash), `back` the local path to come back to.
SecondStepDirections second_step_directions(const std::string& portal, SecondStepDue due, const std::string& back,
                                            bool recent = false);

// When the session's password was proven (older sessions: when they began).
UnixTime password_proven_at(const Session& session);

}  // namespace myaccount
