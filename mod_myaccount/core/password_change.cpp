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
    PasswordCheck check = policy_check(next, context);
    outcome.violations = std::move(check.violations);
    outcome.feedback = std::move(check.feedback);
    outcome.mismatch = next != confirmation;
    if (outcome.violations.empty() && reuses_earlier_password(account, next))
        outcome.violations.push_back(PasswordRule::reused);
    if (outcome.mismatch || !outcome.violations.empty()) return outcome;
    store_.change_password(account.id, hasher_.hash(next), audit_event(account.id, "password_changed", client, now));
    outcome.status = Status::changed;
    return outcome;
}

PasswordCheck PasswordChanger::check_new_password(const Account& account, const std::string& next) {
    PasswordContext context{account.username, account.display_name, account.emails, ""};
    PasswordCheck check = policy_check(next, context);
    if (!check.violations.empty()) return check;
    if (hasher_.verify(account.password_hash, next).match) check.violations.push_back(PasswordRule::same_as_current);
    else if (reuses_earlier_password(account, next)) check.violations.push_back(PasswordRule::reused);
    return check;
}

PasswordCheck PasswordChanger::policy_check(const std::string& next, const PasswordContext& context) const {
    PasswordCheck check = check_password(rules_.policy, next, context, rules_.blocklist);
    // Bytes that can never be a password (check_password then names only that) are not looked up.
    const bool unusable = std::any_of(check.violations.begin(), check.violations.end(), [](PasswordRule rule) {
        return rule == PasswordRule::invalid_utf8 || rule == PasswordRule::contains_nul;
    });
    if (rules_.breached != nullptr && !unusable && rules_.breached->contains(next))
        check.violations.push_back(PasswordRule::breached);
    return check;
}

bool PasswordChanger::reuses_earlier_password(const Account& account, const std::string& next) {
    if (rules_.history <= 0) return false;
    for (const std::string& earlier : store_.previous_password_hashes(account.id, rules_.history))
        if (hasher_.verify(earlier, next).match) return true;
    return false;
}

}  // namespace myaccount
