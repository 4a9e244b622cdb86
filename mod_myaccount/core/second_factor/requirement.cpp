// Who must pass the second step, and whether a session's proof is recent enough to change methods.
#include "core/second_factor/requirement.hpp"

#include <algorithm>

namespace myaccount {

bool counts_as_two_step_method(const VerificationMethod& method) {
    return method.active && (method.kind == MethodKind::authenticator || method.kind == MethodKind::phone);
}

bool has_two_step_method(const std::vector<VerificationMethod>& methods) {
    return std::any_of(methods.begin(), methods.end(), counts_as_two_step_method);
}

SecondFactorPolicy policy_for(const SecondFactorPolicy& site, const Account& account) {
    SecondFactorPolicy policy = site;
    policy.requirement = std::max(site.requirement, account.organization_mfa);
    return policy;
}

bool must_use_second_factor(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods) {
    switch (policy.requirement) {
        case MfaRequirement::off:
            return false;
        case MfaRequirement::registered:
            return has_two_step_method(methods);
        case MfaRequirement::all:
            return true;
    }
    return true;  // an unknown setting errs on the safe side
}

bool must_register_second_factor(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods) {
    return policy.requirement == MfaRequirement::all && !has_two_step_method(methods);
}

bool recently_verified(const SecondFactorPolicy& policy, const Session& session, bool has_methods, UnixTime now) {
    if (has_methods) return session.second_factor_at > 0 && session.second_factor_at >= now - policy.recent;
    UnixTime password_at = session.signed_in_at != 0 ? session.signed_in_at : session.created_at;
    return password_at > 0 && password_at >= now - policy.recent;
}

}  // namespace myaccount
