// The "myaccount" authn provider for mod_auth_form, mod_auth_basic and any other front.
#pragma once

#include <mod_auth.h>

namespace myaccount::httpd {

extern const authn_provider password_provider;

}  // namespace myaccount::httpd
