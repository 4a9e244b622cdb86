// The second step a session owes, from the site's policy, the account's methods and the session.
#include "core/second_factor/second_step.hpp"

#include "core/second_factor/requirement.hpp"
#include "core/text.hpp"

namespace myaccount {

UnixTime password_proven_at(const Session& session) {
    return session.signed_in_at != 0 ? session.signed_in_at : session.created_at;
}

SecondStepDue second_step_due(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods,
                              const Session& session) {
    if (policy.requirement == MfaRequirement::off || session.second_factor_at > 0) return SecondStepDue::none;
    if (must_register_second_factor(policy, methods)) return SecondStepDue::register_method;
    return has_two_step_method(methods) ? SecondStepDue::verify : SecondStepDue::none;
}

SecondStepDue second_step_due(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods) {
    if (must_register_second_factor(policy, methods)) return SecondStepDue::register_method;
    return must_use_second_factor(policy, methods) ? SecondStepDue::verify : SecondStepDue::none;
}

bool recent_enough(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods,
                   const Session& session, UnixTime now) {
    const bool has_methods = has_two_step_method(methods);
    if (!has_methods && policy.requirement == MfaRequirement::off) return true;
    Session proven = session;
    proven.signed_in_at = password_proven_at(session);
    return recently_verified(policy, proven, has_methods, now);
}

Directions second_step_directions(const std::string& portal, SecondStepDue due, const std::string& back,
                                      bool recent) {
    if (due == SecondStepDue::register_method)
        return {url_returning_to(portal, "/security/register", "next", back), "second_factor_registration_required",
                "register_url"};
    return {url_returning_to(portal, "/verify", "return", back) + (recent ? "&recent=1" : ""),
            "second_factor_required", "verify_url"};
}

}  // namespace myaccount
