// Reset scope by organization, and whether an account still lacks the methods a reset needs.
#include "core/reset/reset_eligibility.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace myaccount {

namespace {

std::vector<VerificationMethod> methods_where(Store& store, AccountId id, bool (*wanted)(MethodKind)) {
    std::vector<VerificationMethod> methods = store.methods_of(id);
    methods.erase(std::remove_if(methods.begin(), methods.end(),
                                 [wanted](const VerificationMethod& method) { return !wanted(method.kind); }),
                  methods.end());
    return methods;
}

bool is_email(MethodKind kind) { return kind == MethodKind::email; }

}  // namespace

bool reset_can_prove(MethodKind kind) {
    return kind == MethodKind::email || kind == MethodKind::phone || kind == MethodKind::authenticator ||
           kind == MethodKind::recovery_codes;
}

std::vector<VerificationMethod> reset_methods_of(Store& store, AccountId id) {
    return methods_where(store, id, reset_can_prove);
}

std::vector<VerificationMethod> email_methods_of(Store& store, AccountId id) {
    return methods_where(store, id, is_email);
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
