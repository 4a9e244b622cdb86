// Guards every sign-in whose password comes from a posted form (mod_auth_form), wherever it was
// posted: the front's form-login-handler or any AuthType form location (an "inline" sign-in).
// The form must come from this site (our sign-in page's token, or a same-origin browser post for a
// site's own login page) and must have no NUL byte, because mod_auth_form hands the provider the
// password as a C string ("secret%00x" would become "secret").
#pragma once

#include <apr_buckets.h>
#include <util_filter.h>

namespace myaccount::httpd {

inline constexpr const char* login_guard_filter_name = "MYACCOUNT_LOGIN_GUARD";

// header_parser hook: adds the guard to form posts before mod_auth_form reads them (its
// check_user_id reads an inline sign-in's body long before the handler phase).
int insert_login_guard(request_rec* r);
// Reads the posted form as it streams to mod_auth_form and judges it at the end of the body.
apr_status_t login_guard_filter(ap_filter_t* f, apr_bucket_brigade* brigade, ap_input_mode_t mode,
                                apr_read_type_e block, apr_off_t bytes);

enum class LoginFormVerdict {
    not_a_form_sign_in,  // the credentials did not come from a posted body (e.g. mod_session_cookie)
    acceptable,
    rejected,            // a form this site did not send, a NUL byte, or a form that could not be judged
};
// What the guard concluded about this request's credentials, for the password provider.
LoginFormVerdict login_form_verdict(request_rec* r);

}  // namespace myaccount::httpd
