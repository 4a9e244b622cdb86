// Guards sign-ins posted through the front's form (mod_auth_form): the form must carry the token
// our sign-in page issued for this browser (no login CSRF), and must have no NUL byte, because
// mod_auth_form hands the provider the password as a C string ("secret%00x" would become "secret").
#pragma once

#include <apr_buckets.h>
#include <util_filter.h>

namespace myaccount::httpd {

inline constexpr const char* login_guard_filter_name = "MYACCOUNT_LOGIN_GUARD";

// Adds the guard to form posts: the form-login-handler and any POST under AuthType form.
void insert_login_guard(request_rec* r);
// Reads the posted form as it streams to mod_auth_form and judges it at the end of the body.
apr_status_t login_guard_filter(ap_filter_t* f, apr_bucket_brigade* brigade, ap_input_mode_t mode,
                                apr_read_type_e block, apr_off_t bytes);

enum class LoginFormVerdict { not_a_form_sign_in, acceptable, rejected };
// What the guard concluded about this request's form, for the password provider.
LoginFormVerdict login_form_verdict(request_rec* r);

}  // namespace myaccount::httpd
