// Reset scope by organization, and whether an account still lacks the methods a reset needs.
#include "core/reset/reset_eligibility.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace myaccount {

std::vector<VerificationMethod> reset_methods_of(Store& store, AccountId id) {
    std::vector<VerificationMethod> methods = store.methods_of(id);
    methods.erase(std::remove_if(methods.begin(), methods.end(),
                                 [](const VerificationMethod& method) { return method.kind != MethodKind::email; }),
                  methods.end());
    return methods;
}

bool ResetEligibility::in_scope(const Account& account) {
    if (policy_.organizations.empty()) return true;
    for (const Membership& membership : store_.memberships_of(account.id)) {
        for (const std::string& name : policy_.organizations)
            if (ascii_lower(name) == ascii_lower(membership.organization.name)) return true;
    }
    return false;
}

bool ResetEligibility::needs_registration(const Account& account) {
    if (!policy_.enabled || account.password_hash.empty() || !in_scope(account)) return false;
    return reset_methods_of(store_, account.id).size() < static_cast<std::size_t>(policy_.methods_required);
}

}  // namespace myaccount
