// Maps (method, route) to a handler and applies the rules every route shares: sign-in, body
// type, CSRF, language, errors.
#include <algorithm>
#include <cstring>
#include <strings.h>

#include "core/hashing_slots.hpp"
#include "core/reset/reset_eligibility.hpp"
#include "web/pages.hpp"
#include "web/second_step.hpp"

namespace myaccount::web {

namespace {

// Who may call a route, and what proves a POST came from our own page (CSRF): the session's
// token when signed in; before sign-in, the sign-in form's cookie or the reset flow's cookie.
enum class Access { signed_in, anyone, sign_in_form, reset_flow };
enum class Body { none, form, json };
// reset: every route 404s while MyAccountPasswordReset is Off.
enum class Feature { always, reset };

struct Route {
    const char* path;
    bool prefix;         // path is a folder: "/static/"
    const char* method;  // GET routes also answer HEAD
    Access access;
    Body body;
    Response (*handler)(Exchange&);
    Feature feature = Feature::always;
    const char* form_page = nullptr;  // POST forms: the page that shows the form (the 403 page's "reload")
    Proof proof = Proof::session;     // signed-in routes: Proof::recent for changes to security info
    bool second_step_exempt = false;  // open before the second step (the verify step, sign-out, ...)
};

constexpr Route routes[] = {
    {"/", false, "GET", Access::signed_in, Body::none, show_profile},
    // Exempt: the top bar of the verify page shows it.
    {"/photo", false, "GET", Access::signed_in, Body::none, show_photo, Feature::always, nullptr, Proof::session, true},
    {"/login", false, "GET", Access::anyone, Body::none, show_login, Feature::always, nullptr, Proof::session, true},
    {"/signout", false, "POST", Access::signed_in, Body::form, sign_out, Feature::always, "/", Proof::session, true},
    {"/sign-out-everywhere", false, "GET", Access::signed_in, Body::none, show_sign_out_everywhere, Feature::always,
     nullptr, Proof::recent},
    {"/sign-out-everywhere", false, "POST", Access::signed_in, Body::form, sign_out_everywhere, Feature::always,
     "/sign-out-everywhere", Proof::recent},
    {"/devices", false, "GET", Access::signed_in, Body::none, show_devices},
    {"/devices/sessions/end", false, "POST", Access::signed_in, Body::form, end_session_form, Feature::always,
     "/devices", Proof::recent},
    {"/devices/sessions/end-others", false, "POST", Access::signed_in, Body::form, end_other_sessions_form,
     Feature::always, "/devices", Proof::recent},
    {"/devices/disable", false, "GET", Access::signed_in, Body::none, show_disable_device},
    {"/organizations", false, "GET", Access::signed_in, Body::none, show_organizations},
    // A fresh sign-in before the question, as the button says ("Sign in to leave the organization").
    {"/organizations/leave", false, "GET", Access::signed_in, Body::none, show_leave_organization, Feature::always,
     nullptr, Proof::recent},
    {"/organizations/leave", false, "POST", Access::signed_in, Body::form, leave_organization_form, Feature::always,
     "/organizations", Proof::recent},
    {"/devices/disable", false, "POST", Access::signed_in, Body::form, disable_device_form, Feature::always,
     "/devices", Proof::recent},
    {"/activity", false, "GET", Access::signed_in, Body::none, show_activity},
    {"/activity/not-me", false, "GET", Access::signed_in, Body::none, show_not_me},
    {"/activity/not-me", false, "POST", Access::signed_in, Body::form, not_me_form, Feature::always, "/activity"},
    {"/terms", false, "GET", Access::signed_in, Body::none, show_terms},
    {"/terms/accept", false, "POST", Access::signed_in, Body::form, accept_terms_form, Feature::always, "/terms"},
    {"/terms/decline", false, "POST", Access::signed_in, Body::form, decline_terms_form, Feature::always, "/terms"},
    {"/password", false, "GET", Access::signed_in, Body::none, show_password},
    {"/password", false, "POST", Access::signed_in, Body::form, change_password, Feature::always, "/password"},
    {"/reset", false, "GET", Access::anyone, Body::none, show_reset, Feature::reset},
    {"/reset", false, "POST", Access::sign_in_form, Body::form, start_reset, Feature::reset, "/reset"},
    {"/reset/verify", false, "GET", Access::anyone, Body::none, show_reset_verify, Feature::reset},
    {"/reset/send", false, "POST", Access::reset_flow, Body::form, send_reset_code, Feature::reset, "/reset/verify"},
    {"/reset/code", false, "POST", Access::reset_flow, Body::form, check_reset_code, Feature::reset, "/reset/verify"},
    {"/reset/app-code", false, "POST", Access::reset_flow, Body::form, check_reset_app_code, Feature::reset,
     "/reset/verify"},
    {"/reset/recovery-code", false, "POST", Access::reset_flow, Body::form, check_reset_recovery_code, Feature::reset,
     "/reset/verify"},
    {"/reset/password", false, "GET", Access::anyone, Body::none, show_reset_password, Feature::reset},
    {"/reset/password", false, "POST", Access::reset_flow, Body::form, finish_reset, Feature::reset,
     "/reset/password"},
    {"/security", false, "GET", Access::signed_in, Body::none, show_security},
    {"/security/email", false, "POST", Access::signed_in, Body::form, add_email_method, Feature::always, "/security",
     Proof::recent},
    {"/security/email/verify", false, "POST", Access::signed_in, Body::form, verify_email_method, Feature::always,
     "/security", Proof::recent},
    {"/security/email/remove", false, "POST", Access::signed_in, Body::form, remove_method_form, Feature::always,
     "/security", Proof::recent},
    {"/security/add", false, "GET", Access::signed_in, Body::none, show_add_method, Feature::always, nullptr,
     Proof::recent},
    {"/security/authenticator", false, "POST", Access::signed_in, Body::form, start_authenticator, Feature::always,
     "/security/add", Proof::recent},
    {"/security/authenticator/confirm", false, "POST", Access::signed_in, Body::form, confirm_authenticator_form,
     Feature::always, "/security/add", Proof::recent},
    {"/security/recovery-codes", false, "POST", Access::signed_in, Body::form, create_recovery_codes,
     Feature::always, "/security/add", Proof::recent},
    {"/security/phone", false, "POST", Access::signed_in, Body::form, add_phone_method, Feature::always,
     "/security/add", Proof::recent},
    {"/security/phone/verify", false, "POST", Access::signed_in, Body::form, verify_phone_method, Feature::always,
     "/security/add", Proof::recent},
    {"/security/methods/rename", false, "POST", Access::signed_in, Body::form, rename_method_form, Feature::always,
     "/security", Proof::recent},
    {"/security/methods/default", false, "POST", Access::signed_in, Body::form, default_method_form,
     Feature::always, "/security", Proof::recent},
    {"/security/methods/confirm", false, "POST", Access::signed_in, Body::form, confirm_method_form, Feature::always,
     "/security", Proof::recent},
    {"/security/methods/remove", false, "POST", Access::signed_in, Body::form, remove_method_form, Feature::always,
     "/security", Proof::recent},
    {"/security/app-passwords", false, "POST", Access::signed_in, Body::form, create_app_password_form,
     Feature::always, "/security", Proof::recent},
    {"/security/app-passwords/revoke", false, "POST", Access::signed_in, Body::form, revoke_app_password_form,
     Feature::always, "/security", Proof::recent},
    {"/security/browsers/forget", false, "POST", Access::signed_in, Body::form, forget_browser_form,
     Feature::always, "/security", Proof::recent},
    // Registering a 2-step method first (second_step.cpp lets it open then), else reset methods;
    // open always, since an organization may ask for a 2-step method where the site does not.
    {"/security/register", false, "GET", Access::signed_in, Body::none, show_register_first},
    {"/security/postpone", false, "POST", Access::signed_in, Body::form, postpone_register, Feature::reset,
     "/security/register"},
    {"/static/", true, "GET", Access::anyone, Body::none, serve_static, Feature::always, nullptr, Proof::session,
     true},
    // The second step itself.
    {"/verify", false, "GET", Access::signed_in, Body::none, show_verify, Feature::always, nullptr, Proof::session,
     true},
    {"/verify", false, "POST", Access::signed_in, Body::form, check_verify_code, Feature::always, "/verify",
     Proof::session, true},
    {"/verify/done", false, "GET", Access::signed_in, Body::none, show_verify_done},
    {"/verify/send", false, "POST", Access::signed_in, Body::form, send_verify_code, Feature::always, "/verify",
     Proof::session, true},
    {"/verify/password", false, "POST", Access::signed_in, Body::form, confirm_password_step, Feature::always,
     "/verify", Proof::session, true},
    {"/api/v1/me", false, "GET", Access::signed_in, Body::none, api_me},
    {"/api/v1/signout", false, "POST", Access::signed_in, Body::json, sign_out, Feature::always, nullptr,
     Proof::session, true},
    {"/api/v1/me/password", false, "POST", Access::signed_in, Body::json, api_change_password},
    {"/api/v1/me/sessions", false, "GET", Access::signed_in, Body::none, api_list_sessions},
    {"/api/v1/me/devices", false, "GET", Access::signed_in, Body::none, api_list_devices},
    {"/api/v1/me/activity", false, "GET", Access::signed_in, Body::none, api_activity},
    {"/api/v1/me/activity/not-me", false, "POST", Access::signed_in, Body::json, api_not_me},
    {"/api/v1/me/terms", false, "GET", Access::signed_in, Body::none, api_terms},
    {"/api/v1/me/terms/acceptances", false, "POST", Access::signed_in, Body::json, api_accept_terms},
    {"/api/v1/me/organizations", false, "GET", Access::signed_in, Body::none, api_list_organizations},
    {"/api/v1/me/organizations/", true, "DELETE", Access::signed_in, Body::none, api_leave_organization,
     Feature::always, nullptr, Proof::recent},
    {"/api/v1/me/devices/", true, "PATCH", Access::signed_in, Body::json, api_change_device, Feature::always, nullptr,
     Proof::recent},
    {"/api/v1/me/sessions/", true, "DELETE", Access::signed_in, Body::none, api_end_session, Feature::always, nullptr,
     Proof::recent},
    {"/api/v1/me/sessions", false, "DELETE", Access::signed_in, Body::none, sign_out_everywhere, Feature::always,
     nullptr, Proof::recent},
    {"/api/v1/me/methods", false, "GET", Access::signed_in, Body::none, api_list_methods},
    {"/api/v1/me/methods", false, "POST", Access::signed_in, Body::json, api_add_method, Feature::always, nullptr,
     Proof::recent},
    {"/api/v1/me/methods/", true, "GET", Access::signed_in, Body::none, api_show_method},
    {"/api/v1/me/methods/", true, "POST", Access::signed_in, Body::json, api_verify_method, Feature::always, nullptr,
     Proof::recent},
    {"/api/v1/me/methods/", true, "PATCH", Access::signed_in, Body::json, api_change_method, Feature::always, nullptr,
     Proof::recent},
    {"/api/v1/me/methods/", true, "DELETE", Access::signed_in, Body::none, api_remove_method, Feature::always,
     nullptr, Proof::recent},
};

bool starts_with_ci(const std::string& text, const char* prefix) {
    return strncasecmp(text.c_str(), prefix, std::strlen(prefix)) == 0;
}

bool matches(const Route& route, const std::string& path) {
    return route.prefix ? path.rfind(route.path, 0) == 0 && path.size() > std::strlen(route.path)
                        : path == route.path;
}

const Route* find_route(const std::string& path) {
    for (const Route& route : routes)
        if (matches(route, path)) return &route;
    return nullptr;
}

bool method_fits(const Route& route, const std::string& method) {
    return method == route.method || (method == "HEAD" && std::strcmp(route.method, "GET") == 0);
}

bool feature_on(Feature feature, const Context& context) {
    switch (feature) {
    case Feature::always: return true;
    case Feature::reset: return context.reset.enabled;
    }
    return false;
}

// The route for this path and method, or null; `allow` lists the methods the path does take.
// Routes of a feature that is off do not exist.
const Route* find_route(const std::string& path, const std::string& method, std::string& allow,
                        const Context& context) {
    for (const Route& route : routes) {
        if (!matches(route, path) || !feature_on(route.feature, context)) continue;
        if (method_fits(route, method)) return &route;
        allow += std::string(allow.empty() ? "" : ", ") + route.method;
        if (std::strcmp(route.method, "GET") == 0) allow += ", HEAD";
    }
    return nullptr;
}

std::optional<Failure> check_body(const Route& route, const Request& request) {
    if (route.body == Body::none) return std::nullopt;
    const char* wanted = route.body == Body::form ? "application/x-www-form-urlencoded" : "application/json";
    if (!starts_with_ci(request.content_type, wanted)) return Failure::unsupported_media_type;
    if (request.body_error) return Failure::bad_request;
    return std::nullopt;
}

bool posted_from_our_page(const Route& route, const Exchange& exchange) {
    const Request& request = exchange.request;
    const SecretKey& key = exchange.context.key;
    const std::string* token = request.form_count("csrf") == 1 ? request.form_value("csrf") : nullptr;
    switch (route.access) {
    case Access::signed_in: return csrf_ok(exchange);
    case Access::sign_in_form:
        return !sent_from_another_site(request) && token && login_form_token_ok(key, request.login_nonce, *token);
    case Access::reset_flow:
        return !sent_from_another_site(request) && token && SessionRegistry::looks_like_token(request.reset_token) &&
               constant_time_equal(*token, reset_form_token(key, request.reset_token));
    case Access::anyone: break;
    }
    return false;
}

// Someone who signed in after their last "not now" (the sign-in took the count past the allowance)
// sees only the pages that let them register reset methods (and sign out) until they have.
// Checked from the account row first: the common case costs no query.
bool must_register_first(const Route& route, const Exchange& exchange) {
    const ResetPolicy& reset = exchange.context.reset;
    const Account& account = *exchange.account;
    if (!reset.enabled || account.registration_postponed <= reset.postpones || exchange.is_api()) return false;
    std::string path = route.path;
    if (path.rfind("/security", 0) == 0 || path == "/signout" || path == "/photo") return false;
    return ResetEligibility(exchange.context.store, reset).needs_registration(account);
}

// The signed-in account: the one the session store loaded, else looked up by the front's user.
std::optional<Account> account_of(const Request& request, Store& store) {
    if (!request.principal) return std::nullopt;
    if (request.principal->account) return request.principal->account;
    return store.find_account(request.principal->username);
}

// Error pages keep the top bar and navigation of someone signed in, so a 404 never looks like
// being signed out.
void show_signed_in_chrome(Exchange& exchange) {
    if (exchange.account || !exchange.request.principal) return;
    std::optional<Account> account = account_of(exchange.request, exchange.context.store);
    if (account && !account->disabled) exchange.account = std::move(account);
}

Response dispatch(Exchange& exchange) {
    const Request& request = exchange.request;
    if (request.route.empty()) {  // the mount itself: send the browser to its folder
        Response response;
        response.status = 302;
        response.set_header("Location", request.base_path + "/");
        return response;
    }
    std::string allow;
    const Route* route = find_route(request.route, request.method, allow, exchange.context);
    if (!route) {
        show_signed_in_chrome(exchange);
        if (allow.empty()) return failure(exchange, Failure::not_found);
        Response response = failure(exchange, Failure::method_not_allowed);
        response.set_header("Allow", allow);
        return response;
    }
    if (route->access == Access::signed_in) {
        if (!request.principal) return failure(exchange, Failure::unauthorized);
        exchange.account = account_of(request, exchange.context.store);
        if (!exchange.account || exchange.account->disabled) return failure(exchange, Failure::no_account);
    }
    if (route->access == Access::signed_in && must_register_first(*route, exchange))
        return see_other(exchange, "/security/register");
    if (route->access == Access::signed_in)
        if (auto verify_first = second_step_first(exchange, route->proof, route->second_step_exempt, route->form_page))
            return *verify_first;
    if (auto problem = check_body(*route, request)) return failure(exchange, *problem);
    if (std::strcmp(route->method, "GET") != 0 && !posted_from_our_page(*route, exchange)) {
        if (route->access != Access::signed_in) show_signed_in_chrome(exchange);
        return form_refused(exchange, route->form_page);
    }
    return route->handler(exchange);
}

}  // namespace

Mount resolve_mount(const std::string& uri, const std::vector<std::string>& sections) {
    // The portal is mounted at the section whose remainder of the URI is one of our routes; when
    // none fits, the longest covering section is the base and the route is unknown (404).
    const std::string* longest_prefix = nullptr;
    for (const std::string& section : sections) {
        std::string dir = section.size() > 1 && section.back() == '/' ? section.substr(0, section.size() - 1) : section;
        if (dir == "/") dir.clear();
        if (uri.compare(0, dir.size(), dir) != 0) continue;
        std::string rest = uri.substr(dir.size());
        if (!rest.empty() && rest[0] != '/') continue;  // "/myaccountx" is not below "/myaccount"
        if (find_route(rest)) return {dir, rest};
        if (rest.empty() && !dir.empty()) return {dir, ""};
        if (!longest_prefix || section.size() > longest_prefix->size()) longest_prefix = &section;
    }
    std::string base = longest_prefix ? *longest_prefix : std::string();
    if (!base.empty() && base.back() == '/') base.pop_back();
    return {base, uri.substr(std::min(base.size(), uri.size()))};
}

void add_security_headers(Response& response, bool cacheable) {
    response.set_header("Content-Security-Policy",
                        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                        "frame-ancestors 'none'; base-uri 'none'");
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "same-origin");
    response.set_header("Cross-Origin-Opener-Policy", "same-origin");
    response.set_header("Cross-Origin-Resource-Policy", "same-origin");
    response.set_header("Cache-Control", cacheable ? "public, max-age=3600" : "no-store");
}

Response handle(const Request& request, Context& context, std::string& error_detail) {
    Exchange exchange{request, context,
                      context.renderer.catalogs().negotiate(request.accept_language, context.settings.default_language),
                      std::nullopt};
    Response response;
    try {
        response = dispatch(exchange);
    } catch (const HashingBusy& e) {
        error_detail = e.what();
        response = failure(exchange, Failure::busy);
        response.set_header("Retry-After", std::to_string(busy_retry_after_seconds));
    } catch (const std::exception& e) {
        error_detail = e.what();
        try {
            response = failure(exchange, Failure::server_error);
        } catch (...) {
            response = Response{};
            response.status = 500;
            response.content_type = "text/plain; charset=utf-8";
            response.body = "Internal Server Error\n";
        }
    }
    bool cacheable = response.status == 200 && request.route.rfind("/static/", 0) == 0;
    add_security_headers(response, cacheable);
    return response;
}

}  // namespace myaccount::web
