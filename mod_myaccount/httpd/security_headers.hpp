// The portal's security headers (CSP, framing, sniffing, referrer, no caching, HSTS on https) on
// every response in the module's locations, httpd's own answers (401, 405, 413, 307, …) included.
#pragma once

struct request_rec;
struct apr_table_t;
struct ap_filter_t;
struct apr_bucket_brigade;

namespace myaccount::httpd {

// Sets the portal's security headers in `into` (one of r's header tables) and drops any copy of
// them from the other table, so a response carries each once. Strict-Transport-Security is added
// on https when MyAccountStrictTransportSecurity is not 0.
void set_security_headers(request_rec* r, apr_table_t* into);
// Strict-Transport-Security with MyAccountStrictTransportSecurity's max-age, on https only: a
// browser that reached the portal over TLS never falls back to plain http for it.
void add_strict_transport_security(request_rec* r, apr_table_t* into);

// httpd's own pages are plain ASCII: labelled UTF-8 like every page of ours.
void label_html_as_utf8(request_rec* r);

// insert_error_filter hook: a response httpd generates itself (ap_send_error_response) in one of
// the module's locations gets the same headers as the portal's pages, from this filter.
inline constexpr const char* error_headers_filter_name = "MYACCOUNT_ERROR_HEADERS";
void insert_error_headers(request_rec* r);
int error_headers_filter(ap_filter_t* f, apr_bucket_brigade* brigade);

}  // namespace myaccount::httpd
