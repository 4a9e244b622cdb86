// Keeps the sign-in redirect on this server: mod_auth_form sends the browser wherever the
// form's httpd_location says, so an off-site value would make the front an open redirect. The
// same filter gives the sign-in response the portal's security headers.
#pragma once

struct request_rec;
struct ap_filter_t;
struct apr_bucket_brigade;

namespace myaccount::httpd {

inline constexpr const char* redirect_guard_filter_name = "MYACCOUNT_REDIRECT_GUARD";

void insert_redirect_guard(request_rec* r);
int redirect_guard_filter(ap_filter_t* f, apr_bucket_brigade* brigade);

}  // namespace myaccount::httpd
