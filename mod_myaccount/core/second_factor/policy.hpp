// What a site decides about 2-step verification (the MyAccount* directives of it).
#pragma once

#include "core/defaults.hpp"
#include "core/lockout.hpp"
#include "core/model.hpp"
#include "core/time_and_ids.hpp"

namespace myaccount {

struct SecondFactorPolicy {
    MfaRequirement requirement = MfaRequirement::off;
    int totp_window = static_cast<int>(defaults::totp_window.value);           // steps either side of now
    LockoutRule lockout{defaults::lockout_threshold.value, defaults::lockout_duration.value};  // wrong codes
    UnixTime recent = defaults::recent_verification.value;  // changing security info needs a step this recent
    std::int64_t remember_days = defaults::remember_browser_days.value;  // 0 = never remember
    bool app_passwords = defaults::app_passwords;
    UnixTime code_lifetime = defaults::code_lifetime.value;  // a code sent at the verify step (MyAccountCodeLifetime)
};

}  // namespace myaccount
