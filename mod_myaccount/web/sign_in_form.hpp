// What the sign-in guard (httpd/login_guard) reads of a posted sign-in form, as a pure function of
// the body: the CSRF token field and whether a NUL byte could reach mod_auth_form.
#pragma once

#include <string>
#include <string_view>

namespace myaccount::web {

inline constexpr const char* sign_in_token_field = "login_csrf";

struct SignInFormScan {
    int tokens = 0;     // how many sign_in_token_field fields the form has
    std::string token;  // the last one's value
    // A NUL byte could reach mod_auth_form, which hands the provider the password as a C string
    // ("secret%00x" would sign in as "secret"): raw, as %00, or from a malformed escape, which
    // httpd's form parser decodes all the same ("%G0" is a NUL to it; browsers never send one).
    bool has_nul = false;
};

SignInFormScan scan_sign_in_form(std::string_view body);

}  // namespace myaccount::web
