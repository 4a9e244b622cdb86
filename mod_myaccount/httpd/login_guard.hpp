// mod_auth_form hands the provider the password as a C string, so "secret%00anything" would sign
// in as "secret". This input filter watches the login form for NUL bytes so the provider can
// refuse such an attempt instead of checking a cut-off password.
#pragma once

#include <apr_buckets.h>
#include <util_filter.h>

namespace myaccount::httpd {

inline constexpr const char* login_guard_filter_name = "MYACCOUNT_LOGIN_GUARD";

void insert_login_guard(request_rec* r);
apr_status_t login_guard_filter(ap_filter_t* f, apr_bucket_brigade* brigade, ap_input_mode_t mode,
                                apr_read_type_e block, apr_off_t bytes);
// True when the form this request posted had a NUL byte (raw or %00) in it.
bool login_form_had_nul(request_rec* r);

}  // namespace myaccount::httpd
