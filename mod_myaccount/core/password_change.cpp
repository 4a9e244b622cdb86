// The password change decision, shared by the page and the JSON API.
#include "core/password_change.hpp"

#include <algorithm>

#include "core/audit.hpp"
#include "core/password_sign_in.hpp"

namespace myaccount {

PasswordChanger::Outcome PasswordChanger::change(const Account& account, const std::string& current,
                                                 const std::string& next, const std::string& confirmation,
                                                 const ClientInfo& client, UnixTime now) {
    Outcome outcome;
    PasswordSignIn passwords(store_, hasher_, rules_.lockout, rules_.throttle);
    switch (passwords.reauthenticate(account, current, client, SignInMethod::password_change, now)) {
    case PasswordSignIn::Proof::locked: outcome.status = Status::locked; return outcome;
    case PasswordSignIn::Proof::wrong: outcome.status = Status::wrong_current; return outcome;
    case PasswordSignIn::Proof::proven: break;
    }
    PasswordContext context{account.username, account.display_name, account.emails, current};
    outcome.violations = policy_violations(next, context);
    outcome.mismatch = next != confirmation;
    if (outcome.violations.empty() && reuses_earlier_password(account, next))
        outcome.violations.push_back(PasswordRule::reused);
    if (outcome.mismatch || !outcome.violations.empty()) return outcome;
    store_.change_password(account.id, hasher_.hash(next), audit_event(account.id, "password_changed", client, now));
    outcome.status = Status::changed;
    return outcome;
}

std::vector<PasswordRule> PasswordChanger::check_new_password(const Account& account, const std::string& next) {
    PasswordContext context{account.username, account.display_name, account.emails, ""};
    std::vector<PasswordRule> found = policy_violations(next, context);
    if (!found.empty()) return found;
    if (hasher_.verify(account.password_hash, next).match) found.push_back(PasswordRule::same_as_current);
    else if (reuses_earlier_password(account, next)) found.push_back(PasswordRule::reused);
    return found;
}

std::vector<PasswordRule> PasswordChanger::policy_violations(const std::string& next,
                                                             const PasswordContext& context) const {
    std::vector<PasswordRule> found = violations(rules_.policy, next, context, rules_.blocklist);
    // Bytes that can never be a password (violations() then names only that) are not looked up.
    const bool unusable = std::any_of(found.begin(), found.end(), [](PasswordRule rule) {
        return rule == PasswordRule::invalid_utf8 || rule == PasswordRule::contains_nul;
    });
    if (rules_.breached != nullptr && !unusable && rules_.breached->contains(next))
        found.push_back(PasswordRule::breached);
    return found;
}

bool PasswordChanger::reuses_earlier_password(const Account& account, const std::string& next) {
    if (rules_.history <= 0) return false;
    for (const std::string& earlier : store_.previous_password_hashes(account.id, rules_.history))
        if (hasher_.verify(earlier, next).match) return true;
    return false;
}

}  // namespace myaccount
