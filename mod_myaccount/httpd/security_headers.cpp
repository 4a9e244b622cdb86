#include "httpd/security_headers.hpp"

#include <string>

#include <httpd.h>
#include <http_config.h>
#include <http_protocol.h>
#include <strings.h>
#include <util_filter.h>


#include "httpd/config.hpp"
#include "httpd/locations.hpp"
#include "httpd/module.hpp"
#include "httpd/request_context.hpp"
#include "httpd/runtime.hpp"
#include "web/portal.hpp"


namespace myaccount::httpd {

namespace {

constexpr const char* strict_transport_security = "Strict-Transport-Security";

apr_table_t* other_table(request_rec* r, apr_table_t* table) {
    return table == r->headers_out ? r->err_headers_out : r->headers_out;
}

// A request is in the module's locations when the portal handles it, its session is kept by the
// module, or the gate stands there. httpd refuses some requests (TRACE) before it has walked the
// <Location>s: then the portal's own sections decide.
bool in_module_location(request_rec* r) {
    if (!server_config(r->server).runtime) return false;
    if (r->per_dir_config == r->server->lookup_defaults) return portal_serves(r);
    if (configured_handler(r) == myaccount_handler_name) return true;
    return server_side_sessions(r) || gate_enabled(r) || terms_required(r);
}

}  // namespace

void add_strict_transport_security(request_rec* r, apr_table_t* into) {
    Runtime* runtime = server_config(r->server).runtime;
    if (!runtime || !is_https(r) || runtime->settings.hsts_max_age <= 0) return;
    std::string value = "max-age=" + std::to_string(runtime->settings.hsts_max_age);
    apr_table_set(into, strict_transport_security, value.c_str());
    apr_table_unset(other_table(r, into), strict_transport_security);
}

void set_security_headers(request_rec* r, apr_table_t* into) {
    web::Response portal;
    web::add_security_headers(portal, /*cacheable=*/false);
    apr_table_t* other = other_table(r, into);
    for (const auto& [name, value] : portal.headers) {
        apr_table_set(into, name.c_str(), value.c_str());
        apr_table_unset(other, name.c_str());
    }
    add_strict_transport_security(r, into);
}

void label_html_as_utf8(request_rec* r) {
    if (r->content_type && strncasecmp(r->content_type, "text/html", 9) == 0)
        ap_set_content_type(r, "text/html; charset=utf-8");
}

void insert_error_headers(request_rec* r) {
    try {
        if (in_module_location(r)) ap_add_output_filter(error_headers_filter_name, nullptr, r, r->connection);
    } catch (...) {
        // Headers are a defence in depth: an error page goes out without them rather than not at all.
    }
}

// As mod_headers' "Header always": written when the error page passes, in err_headers_out, so
// nothing httpd does to the tables between the hook and the header filter loses them.
int error_headers_filter(ap_filter_t* f, apr_bucket_brigade* brigade) {
    try {
        set_security_headers(f->r, f->r->err_headers_out);
        label_html_as_utf8(f->r);
    } catch (...) {
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, brigade);
}

}  // namespace myaccount::httpd
