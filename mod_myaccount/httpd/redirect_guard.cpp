// Output filter that rewrites an off-site Location after a sign-in to a local default.
#include "httpd/redirect_guard.hpp"

#include <string>

#include <apr_strings.h>
#include <http_core.h>
#include <http_protocol.h>
#include <util_filter.h>

#include "httpd/request_context.hpp"
#include "httpd/request_state.hpp"
#include "core/reset/reset_eligibility.hpp"
#include "httpd/locations.hpp"
#include "httpd/security_headers.hpp"
#include "web/portal.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {

void guard_location(request_rec* r, apr_table_t* headers) {
    const char* location = apr_table_get(headers, "Location");
    if (!location || web::is_local_path(location)) return;
    Runtime* runtime = runtime_for(r);
    std::string fallback = runtime && !runtime->settings.portal.default_location.empty()
                               ? runtime->settings.portal.default_location
                               : std::string("/");
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "%s: sign-in asked to go to '%s', sent to '%s' instead",
                  msg::unsafe_redirect, loggable(r, location), fallback.c_str());
    apr_table_set(headers, "Location", apr_pstrdup(r->pool, fallback.c_str()));
}

// People asked to register password-reset methods see that request before the page they signed
// in for (which stays the destination of "not now"). A sign-in after the last "not now" is the one
// that must register: the count goes past the allowance, which closes the portal's other pages
// until they have (the last "not now" itself still leads on to where it promised).
void ask_to_register(request_rec* r) {
    RequestState* state = request_state(r, false);
    Runtime* runtime = runtime_for(r);
    if (!state || !state->verified || !runtime || !runtime->settings.reset.enabled) return;
    if (!ap_is_HTTP_REDIRECT(r->status)) return;
    const Account& account = *state->verified;
    ResetEligibility eligibility(request_store(r, *runtime), runtime->settings.reset);
    if (!eligibility.needs_registration(account)) return;
    if (!eligibility.may_postpone(account) && account.registration_postponed == runtime->settings.reset.postpones)
        request_store(r, *runtime).postpone_registration(account.id);
    std::string portal = portal_path(r, runtime->settings.portal.portal_url);
    for (apr_table_t* headers : {r->headers_out, r->err_headers_out}) {
        const char* location = apr_table_get(headers, "Location");
        if (!location) continue;
        std::string target = portal + "/security/register?next=" + ap_escape_urlencoded(r->pool, location);
        apr_table_set(headers, "Location", apr_pstrdup(r->pool, target.c_str()));
    }
}

}  // namespace

// Only the answer of a form sign-in (at the login handler or inline): Basic clients and
// mod_session_cookie fronts prove a password on every request, and their redirects are the
// application's own.
void insert_redirect_guard(request_rec* r) {
    RequestState* state = request_state(r, false);
    if (state && state->verified && state->form_signed_in)
        ap_add_output_filter(redirect_guard_filter_name, nullptr, r, r->connection);
}

namespace {

// The sign-in response carries the portal's headers too (no caching, no framing, no referrer).
void add_portal_headers(request_rec* r) {
    set_security_headers(r, r->err_headers_out);
    label_html_as_utf8(r);
}

}  // namespace

int redirect_guard_filter(ap_filter_t* f, apr_bucket_brigade* brigade) {
    request_rec* r = f->r;
    try {
        guard_location(r, r->headers_out);
        guard_location(r, r->err_headers_out);
        ask_to_register(r);
        add_portal_headers(r);
    } catch (const std::exception& e) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s: sign-in redirect: %s", msg::handler_failed, e.what());
        apr_table_set(r->headers_out, "Location", "/");  // never let an unchecked target through
        apr_table_unset(r->err_headers_out, "Location");
    } catch (...) {
        apr_table_set(r->headers_out, "Location", "/");  // never let an unchecked target through
        apr_table_unset(r->err_headers_out, "Location");
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, brigade);
}

}  // namespace myaccount::httpd
