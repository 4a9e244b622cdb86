// Adapter between httpd and the web layer: request fields, form body, principal, response.
#include "httpd/handler.hpp"

#include <cstring>
#include <exception>
#include <string>

#include <apr_strings.h>
#include <http_protocol.h>
#include <http_request.h>
#include <util_cookies.h>
#include <util_script.h>

#include "core/crypto.hpp"
#include "httpd/device_cookie.hpp"
#include "httpd/locations.hpp"
#include "httpd/request_context.hpp"
#include "httpd/request_state.hpp"
#include "httpd/security_headers.hpp"
#include "httpd/session_store.hpp"
#include "web/portal.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {

constexpr apr_size_t max_form_fields = 32;
constexpr apr_size_t max_form_bytes = 64 * 1024;
constexpr long login_cookie_lifetime = 12 * 3600;  // a sign-in page left open over a working day
constexpr const char* reset_cookie = "myaccount_reset";

bool is_reset_route(const std::string& route) { return route == "/reset" || route.rfind("/reset/", 0) == 0; }

// The reset flow's cookie goes only to the reset pages, and never with a request from another site.
std::string reset_cookie_attributes(request_rec* r, const std::string& base) {
    return "Path=" + base + "/reset;HttpOnly;SameSite=Strict" + (is_https(r) ? ";Secure" : "");
}

std::string read_cookie(request_rec* r, const char* name) {
    const char* value = nullptr;
    ap_cookie_read(r, name, &value, 0);
    return value ? value : "";
}

web::Fields query_fields(request_rec* r) {
    web::Fields fields;
    apr_table_t* table = nullptr;
    ap_args_to_table(r, &table);
    const apr_array_header_t* entries = table ? apr_table_elts(table) : nullptr;
    for (int i = 0; entries && i < entries->nelts; ++i) {
        const auto& entry = APR_ARRAY_IDX(entries, i, apr_table_entry_t);
        if (entry.key) fields.emplace_back(entry.key, entry.val ? entry.val : "");
    }
    return fields;
}

std::string header(const request_rec* r, const char* name) {
    const char* value = apr_table_get(r->headers_in, name);
    return value ? value : "";
}

bool is_form(const std::string& content_type) {
    return strncasecmp(content_type.c_str(), "application/x-www-form-urlencoded", 33) == 0;
}

bool is_json(const std::string& content_type) { return strncasecmp(content_type.c_str(), "application/json", 16) == 0; }

// Reads a request body of at most max_form_bytes; false when it is larger or cannot be read.
bool read_body(request_rec* r, std::string& body) {
    if (ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK) != OK) return false;
    if (!ap_should_client_block(r)) return true;
    char buffer[8192];
    for (;;) {
        long got = ap_get_client_block(r, buffer, sizeof buffer);
        if (got < 0) return false;
        if (got == 0) return true;
        if (body.size() + static_cast<std::size_t>(got) > max_form_bytes) return false;
        body.append(buffer, static_cast<std::size_t>(got));
    }
}

// Reads an urlencoded body with httpd's own parser; false when it is too large or malformed.
bool read_form(request_rec* r, web::Fields& fields) {
    apr_array_header_t* pairs = nullptr;
    if (ap_parse_form_data(r, nullptr, &pairs, max_form_fields, max_form_bytes) != OK || !pairs) return false;
    for (int i = 0; i < pairs->nelts; ++i) {
        auto& pair = APR_ARRAY_IDX(pairs, i, ap_form_pair_t);
        apr_off_t length = 0;
        apr_brigade_length(pair.value, 1, &length);
        std::string value(static_cast<std::size_t>(length), '\0');
        apr_size_t size = value.size();
        if (apr_brigade_flatten(pair.value, value.data(), &size) != APR_SUCCESS) return false;
        value.resize(size);
        fields.emplace_back(pair.name, std::move(value));
    }
    return true;
}

std::optional<web::Principal> principal_of(request_rec* r) {
    if (!r->user || !*r->user) return std::nullopt;
    web::Principal principal;
    principal.username = r->user;
    RequestState* state = request_state(r, false);
    if (state && state->session && state->session->account.username == principal.username) {
        principal.account = state->session->account;
        principal.csrf_binding = "session:" + hex_encode(state->session->session.token_hash);
        principal.session = state->session->session;
    }  // else no session of ours (HTTP Basic, another front): the token binds to the account instead
    return principal;
}

web::Request to_web_request(request_rec* r) {
    web::Request request;
    request.method = r->header_only ? "HEAD" : r->method;
    web::Mount mount = web::resolve_mount(r->uri, location_sections(r));
    request.base_path = mount.base;
    request.route = mount.route;
    request.https = is_https(r);
    ClientInfo client = client_of(r);
    request.client_ip = client.ip;
    request.user_agent = client.user_agent;
    request.accept_language = header(r, "Accept-Language");
    request.content_type = header(r, "Content-Type");
    request.accept = header(r, "Accept");
    request.csrf_header = header(r, "X-CSRF-Token");
    request.origin = header(r, "Origin");
    request.own_origin = own_origin(r);
    request.sec_fetch_site = header(r, "Sec-Fetch-Site");
    if (r->prev) {  // served as an ErrorDocument (the front's 401 shows the sign-in page)
        request.redirect_url = r->prev->uri ? r->prev->uri : "";
        request.redirect_query = r->prev->args ? r->prev->args : "";
        request.redirect_status = r->prev->status;
        RequestState* answered = request_state(r->prev, false);
        request.login_form_rejected = answered && answered->login_form_rejected;
        request.login_locked = answered && answered->sign_in_locked;
        request.login_busy = answered && answered->hashing_busy;
        request.login_device_disabled = answered && answered->device_disabled;
        request.login_reset_required = answered && answered->password_reset_required;
        if (answered) request.login_username = answered->typed_username;
    }
    if (r->args) request.query_fields = query_fields(r);  // most requests have none
    // Only the sign-in page and the reset start use the sign-in form cookie.
    if (request.route == "/login" || request.route == "/reset")
        request.login_nonce = read_cookie(r, login_cookie_name(r).c_str());
    if (is_reset_route(request.route)) request.reset_token = read_cookie(r, reset_cookie);
    request.principal = principal_of(r);
    request.device_token = device_token_of(r);
    if (r->method_number == M_POST && is_form(request.content_type))
        request.body_error = !read_form(r, request.form);
    else if ((r->method_number == M_POST || r->method_number == M_PATCH) && is_json(request.content_type))
        request.body_error = !read_body(r, request.body);
    return request;
}

int send(request_rec* r, const web::Request& request, const web::Response& response, const Runtime& runtime) {
    r->status = response.status;
    // Pages and API answers carry tokens beside what a request sent: never compressed (BREACH),
    // whatever mod_deflate is told (Debian's deflate.conf compresses text/html by default).
    if (response.content_type.rfind("text/css", 0) != 0 && response.content_type.rfind("image/", 0) != 0)
        apr_table_setn(r->subprocess_env, "no-gzip", "1");
    ap_set_content_type(r, apr_pstrdup(r->pool, response.content_type.c_str()));
    for (const auto& [name, value] : response.headers) {
        apr_table_set(r->headers_out, name.c_str(), value.c_str());
        apr_table_unset(r->err_headers_out, name.c_str());  // once, whatever a front module set before
    }
    add_strict_transport_security(r, r->headers_out);
    if (response.end_session) end_current_session(r, response.end_reason.c_str());
    // A proof beyond the password: a new session id, so marked, before the response goes out.
    if (response.second_factor_passed) replace_current_session(r, SessionProof::second_step);
    else if (response.password_confirmed) replace_current_session(r, SessionProof::password);
    if (response.remember_cookie)
        write_remember_cookie(r, *response.remember_cookie, runtime.settings.second_factor.remember_days);
    if (!response.new_login_nonce.empty())
        ap_cookie_write(r, login_cookie_name(r).c_str(), response.new_login_nonce.c_str(), cookie_attributes(r),
                        login_cookie_lifetime, r->err_headers_out, nullptr);
    if (response.reset_cookie) {
        std::string attributes = reset_cookie_attributes(r, request.base_path);
        if (response.reset_cookie->empty())
            ap_cookie_remove(r, reset_cookie, attributes.c_str(), r->err_headers_out, nullptr);
        else
            ap_cookie_write(r, reset_cookie, response.reset_cookie->c_str(), attributes.c_str(),
                            runtime.settings.reset.flow_lifetime(), r->err_headers_out, nullptr);
    }
    ap_set_content_length(r, static_cast<apr_off_t>(response.body.size()));
    if (!r->header_only) ap_rwrite(response.body.data(), static_cast<int>(response.body.size()), r);
    return OK;
}

}  // namespace

int skip_file_mapping(request_rec* r) {
    try {
        return portal_serves(r) ? OK : DECLINED;
    } catch (...) {
        return DECLINED;
    }
}

int portal_handler(request_rec* r) {
    if (!r->handler || std::strcmp(r->handler, myaccount_handler_name) != 0) return DECLINED;
    try {
        Runtime* runtime = runtime_for(r);
        if (!runtime) return HTTP_INTERNAL_SERVER_ERROR;
        web::Request request = to_web_request(r);
        bool body_read = (r->method_number == M_POST && is_form(request.content_type)) ||
                         ((r->method_number == M_POST || r->method_number == M_PATCH) && is_json(request.content_type));
        if (!body_read) ap_discard_request_body(r);
        Store& store = request_store(r, *runtime);
        web::Context context{store,
                             *runtime->renderer,
                             runtime->key,
                             runtime->settings.portal,
                             now_of(r),
                             runtime->pages,
                             runtime->hasher,
                             runtime->password_rules,
                             runtime->settings.reset,
                             runtime->notifier,
                             runtime->settings.second_factor,
                             runtime->settings.sessions};
        std::string error_detail;
        web::Response response = web::handle(request, context, error_detail);
        if (!error_detail.empty())
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s: %s", msg::handler_failed, error_detail.c_str());
        return send(r, request, response, *runtime);
    } catch (const std::exception& e) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s: %s", msg::handler_failed, e.what());
        return HTTP_INTERNAL_SERVER_ERROR;
    } catch (...) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
}

}  // namespace myaccount::httpd
