// Changing one's own password: prove the current one, meet the policy, end every session.
#pragma once

#include <string>
#include <vector>

#include "core/breached_passwords.hpp"
#include "core/client_info.hpp"
#include "core/defaults.hpp"
#include "core/model.hpp"
#include "core/password_blocklist.hpp"
#include "core/password_hasher.hpp"
#include "core/password_policy.hpp"
#include "core/password_sign_in.hpp"
#include "core/store.hpp"

namespace myaccount {

struct PasswordChangeRules {
    PasswordPolicy policy;
    const PasswordBlocklist* blocklist = nullptr;  // may be null: no common-password check
    int history = defaults::password_history.as<int>();  // earlier passwords that may not come back
    LockoutRule lockout;
    AddressThrottle throttle;
    const BreachedPasswords* breached = nullptr;  // may be null: no breached-password check
};

class PasswordChanger {
public:
    PasswordChanger(Store& store, const PasswordHasher& hasher, const PasswordChangeRules& rules)
        : store_(store), hasher_(hasher), rules_(rules) {}

    enum class Status { changed, wrong_current, locked, rejected };
    struct Outcome {
        Status status = Status::rejected;
        bool mismatch = false;                // new password and confirmation differ
        std::vector<PasswordRule> violations; // every policy rule the new password breaks
        GuessFeedback feedback;               // why it is guessable, when it is
    };

    // The current password is checked first, like a sign-in: a wrong one counts toward the
    // lockout and nothing else is looked at. On success the hash is replaced and the account's
    // security stamp moves, which ends every session, this browser's included.
    Outcome change(const Account& account, const std::string& current, const std::string& next,
                   const std::string& confirmation, const ClientInfo& client, UnixTime now);

    // The policy, history and "not the current one" checks for a password chosen without the
    // current one at hand (a reset): every rule it breaks, `reused` and `same_as_current` included.
    PasswordCheck check_new_password(const Account& account, const std::string& next);

private:
    // check_password(), and `breached` when the password is in the breached-password file.
    PasswordCheck policy_check(const std::string& next, const PasswordContext& context) const;
    bool reuses_earlier_password(const Account& account, const std::string& next);

    Store& store_;
    const PasswordHasher& hasher_;
    const PasswordChangeRules& rules_;
};

}  // namespace myaccount
