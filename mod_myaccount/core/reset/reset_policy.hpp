// What self-service reset and method registration allow: the directives' values and fixed limits.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/defaults.hpp"

namespace myaccount {

struct ResetPolicy {
    bool enabled = defaults::password_reset;  // MyAccountPasswordReset
    std::vector<std::string> organizations;  // MyAccountPasswordResetScope; empty = everyone
    int methods_required = defaults::reset_methods_required.as<int>();  // MyAccountPasswordResetMethods
    std::int64_t code_lifetime = defaults::code_lifetime.value;  // MyAccountCodeLifetime
    int postpones = defaults::registration_postpones.as<int>();  // MyAccountRegistrationPostpones
    // Fixed limits (per hour): codes one user ID may be sent from one client network, from all
    // networks together, and codes one client network may ask for.
    std::int64_t sends_per_user = 5;
    std::int64_t sends_per_user_total = 20;
    std::int64_t sends_per_address = 20;
    std::int64_t starts_per_address = 30;
    int max_code_attempts = 5;               // wrong guesses that kill a code
    std::size_t max_methods = 5;             // e-mail methods one account may register

    // The whole flow lives three code lifetimes, at most an hour.
    std::int64_t flow_lifetime() const { return std::min<std::int64_t>(3 * code_lifetime, 3600); }
};

}  // namespace myaccount
