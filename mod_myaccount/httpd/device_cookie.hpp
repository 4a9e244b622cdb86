// The device cookie: a long-lived random token that names this browser as a device of each account
// that signs in on it (HttpOnly, SameSite=Lax, Secure and "__Host-" on https). It outlives
// sign-out: a device disabled for an account stays known as that device.
#pragma once

#include <optional>
#include <string>

#include <httpd.h>

#include "httpd/runtime.hpp"

namespace myaccount::httpd {

// The cookie's value ("" without one), read once and taken out of the request so applications
// behind the front never see it.
const std::string& device_token_of(request_rec* r);
// Sets it for another 400 days (the most browsers keep a cookie).
void write_device_cookie(request_rec* r, const std::string& token);
// The account `user` names when this browser is a device disabled for it (a different user's
// sign-in on it is not concerned); none otherwise.
std::optional<Account> device_disabled_for(request_rec* r, Runtime& runtime, const char* user);

}  // namespace myaccount::httpd
