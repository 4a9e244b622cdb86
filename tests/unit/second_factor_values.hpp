// Values the 2-step rule tests share: a method of a kind, and a policy requiring 2-step
// verification of some users (recent proof: 10 minutes).
#pragma once

#include "core/model.hpp"
#include "core/second_factor/policy.hpp"

namespace myaccount::testing {

inline VerificationMethod method_of(MethodKind kind, UnixTime created_at = 0, bool active = true) {
    VerificationMethod m;
    m.id = created_at;
    m.kind = kind;
    m.created_at = created_at;
    m.active = active;
    if (kind == MethodKind::email) m.address = "alice@contoso.example";
    return m;
}

inline SecondFactorPolicy requiring(MfaRequirement requirement) {
    SecondFactorPolicy policy;
    policy.requirement = requirement;
    policy.recent = 600;
    return policy;
}

}  // namespace myaccount::testing
