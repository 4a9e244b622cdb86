// Input filter on sign-in form posts: checks where the form came from and looks for NUL bytes.
#include "httpd/login_guard.hpp"

#include <cstring>
#include <new>
#include <string>

#include <apr_strings.h>
#include <http_core.h>
#include <httpd.h>
#include <util_cookies.h>

#include "httpd/locations.hpp"
#include "httpd/request_context.hpp"
#include "httpd/request_state.hpp"
#include "web/portal.hpp"
#include "web/request_origin.hpp"
#include "web/sign_in_form.hpp"

namespace myaccount::httpd {

namespace {

constexpr const char* form_login_handler = "form-login-handler";
constexpr std::size_t max_form_bytes = 64 * 1024;  // far above mod_auth_form's AuthFormSize default

struct FormCopy {
    std::string body;
    bool too_large = false;
};

// Our sign-in page's form carries a token bound to this browser's cookie, and may come from a
// browser that states no origin; a site's own login page (no token field) must be vouched for by
// the browser as same-origin. Nothing the browser says is cross-site passes.
bool form_from_this_site(request_rec* r, int tokens, const std::string& token) {
    const char* fetch_site = apr_table_get(r->headers_in, "Sec-Fetch-Site");
    const char* origin = apr_table_get(r->headers_in, "Origin");
    web::Provenance provenance =
        web::provenance_of(fetch_site ? fetch_site : "", origin ? origin : "", own_origin(r));
    if (tokens == 0) return provenance == web::Provenance::same_origin;
    if (tokens > 1 || provenance == web::Provenance::cross_site) return false;
    Runtime* runtime = runtime_for(r);
    const char* nonce = nullptr;
    if (runtime) ap_cookie_read(r, login_cookie_name(r).c_str(), &nonce, 0);
    return runtime && nonce && web::login_form_token_ok(runtime->key, nonce, token);
}

// Judges the whole body once it has arrived: a token field from this site and no NUL byte.
void judge_form(request_rec* r, const FormCopy& form, RequestState& state) {
    web::SignInFormScan scan = web::scan_sign_in_form(form.body);
    state.form_had_nul = form.too_large || scan.has_nul;
    state.login_form_ok = !form.too_large && form_from_this_site(r, scan.tokens, scan.token);
    state.login_form_judged = true;
}

// The login handler may be set by SetHandler (known before authentication) or, later, by
// AddHandler or a rewrite: the verdict sees r->handler then and fails closed without a guard.
bool is_login_handler(request_rec* r) {
    return configured_handler(r) == form_login_handler || (r->handler && std::strcmp(r->handler, form_login_handler) == 0);
}

bool is_form_post(request_rec* r) {
    if (r->method_number != M_POST) return false;
    const char* type = ap_auth_type(r);
    return (type && strcasecmp(type, "form") == 0) || is_login_handler(r);
}

}  // namespace

// Every request of an internal redirect chain gets its own guard: httpd rebuilds the input
// filters of a redirected request, so a body left unread by the first one would otherwise reach
// mod_auth_form unchecked.
int insert_login_guard(request_rec* r) {
    try {
        if (!r->main && is_form_post(r)) {
            RequestState* state = request_state(r, true);
            state->login_form_guarded = true;
            state->guarded_request = r;
            ap_add_input_filter(login_guard_filter_name, nullptr, r, r->connection);
        }
    } catch (...) {
        // Without the guard, login_form_verdict refuses every form sign-in of this request.
    }
    return DECLINED;
}

apr_status_t login_guard_filter(ap_filter_t* f, apr_bucket_brigade* brigade, ap_input_mode_t mode,
                                apr_read_type_e block, apr_off_t bytes) {
    if (!f->ctx && f->r->user && !is_login_handler(f->r)) {
        // Signed in before any of the body was read (a session, not this form): an application's
        // own post, nothing for the guard to judge (the login handler signs in afresh: judged).
        ap_remove_input_filter(f);
        return ap_get_brigade(f->next, brigade, mode, block, bytes);
    }
    apr_status_t status = ap_get_brigade(f->next, brigade, mode, block, bytes);
    if (status != APR_SUCCESS || mode != AP_MODE_READBYTES) return status;
    if (!f->ctx) {
        auto* form = new (apr_palloc(f->r->pool, sizeof(FormCopy))) FormCopy();
        apr_pool_cleanup_register(f->r->pool, form, [](void* p) -> apr_status_t {
            static_cast<FormCopy*>(p)->~FormCopy();
            return APR_SUCCESS;
        }, apr_pool_cleanup_null);
        f->ctx = form;
    }
    auto* form = static_cast<FormCopy*>(f->ctx);
    RequestState* state = request_state(f->r, true);
    state->form_body_started = true;
    try {
        for (apr_bucket* b = APR_BRIGADE_FIRST(brigade); b != APR_BRIGADE_SENTINEL(brigade); b = APR_BUCKET_NEXT(b)) {
            if (APR_BUCKET_IS_EOS(b)) {
                judge_form(f->r, *form, *state);
                continue;
            }
            if (APR_BUCKET_IS_METADATA(b)) continue;
            const char* data = nullptr;
            apr_size_t length = 0;
            if (apr_bucket_read(b, &data, &length, APR_BLOCK_READ) != APR_SUCCESS) continue;
            if (form->body.size() + length > max_form_bytes) form->too_large = true;
            else form->body.append(data, length);
        }
    } catch (...) {
        state->login_form_judged = true;  // could not look: do not trust the form
        state->login_form_ok = false;
        state->form_had_nul = true;
    }
    return APR_SUCCESS;
}

LoginFormVerdict login_form_verdict(request_rec* r) {
    RequestState* state = request_state(r, false);
    if (!state || !state->login_form_guarded) {
        // A form post the guard never saw: fail closed.
        return is_form_post(r) ? LoginFormVerdict::rejected : LoginFormVerdict::not_a_form_sign_in;
    }
    if (!state->form_body_started) {
        // Nothing went through the guard: mod_auth_form took the credentials from the session,
        // unless this request (an internal redirect the guard was not added to) read the body
        // around it.
        bool guard_in_place = state->guarded_request == r || !is_form_post(r);
        return guard_in_place ? LoginFormVerdict::not_a_form_sign_in : LoginFormVerdict::rejected;
    }
    bool ok = state->login_form_judged && state->login_form_ok && !state->form_had_nul;
    return ok ? LoginFormVerdict::acceptable : LoginFormVerdict::rejected;
}

}  // namespace myaccount::httpd
