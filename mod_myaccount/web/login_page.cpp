// GET /login: the sign-in form of the SSO front, also served as its ErrorDocument 401.
#include "core/crypto.hpp"
#include "core/hashing_slots.hpp"
#include "core/text.hpp"
#include "web/pages.hpp"

namespace myaccount::web {

namespace {

// Where the browser goes after signing in: the page that asked for a sign-in, when it is a
// path on this server, else the configured default (the profile page when none is set).
std::string landing_for(const Exchange& exchange) {
    const Request& request = exchange.request;
    const PortalSettings& settings = exchange.context.settings;
    std::string fallback = settings.default_location.empty() ? request.base_path + "/" : settings.default_location;
    if (request.redirect_url.empty() || request.redirect_url == settings.login_action) return fallback;
    std::string wanted = request.redirect_url;
    if (!request.redirect_query.empty()) wanted += "?" + request.redirect_query;
    return is_local_path(wanted) ? wanted : fallback;
}

// The sign-in ID to put back in the form after a failed sign-in, when it could be one.
std::string typed_id(const Request& request) { return typed_again(&request.login_username, 64); }

std::string lock_text(const Exchange& exchange) {
    std::int64_t minutes = (exchange.context.password_rules.lockout.duration + 59) / 60;
    return fill(exchange.text("login_locked"), {{"minutes", std::to_string(minutes)}});
}

}  // namespace

Response show_login(Exchange& exchange) {
    const Request& request = exchange.request;
    bool answered_sign_in = !request.redirect_url.empty() && request.redirect_url == exchange.context.settings.login_action;
    FormNonce nonce = sign_in_form_nonce(request);
    nlohmann::json view = {{"action", exchange.context.settings.login_action},
                           {"location", landing_for(exchange)},
                           {"login_csrf", login_form_token(exchange.context.key, nonce.value)},
                           {"reset_enabled", exchange.context.reset.enabled},
                           {"password_reset", request.has_flag("password_reset")},
                           {"busy", answered_sign_in && request.login_busy},
                           {"failed", answered_sign_in && !request.login_form_rejected && !request.login_locked &&
                                          !request.login_busy &&
                                          !request.login_device_disabled && !request.login_reset_required},
                           {"reset_required", answered_sign_in && request.login_reset_required},
                           {"not_me", request.has_flag("not_me")},
                           {"device_disabled", answered_sign_in && request.login_device_disabled},
                           {"this_device_disabled", request.has_flag("device_disabled")},
                           {"locked", answered_sign_in && request.login_locked},
                           {"locked_text", answered_sign_in && request.login_locked ? lock_text(exchange) : ""},
                           {"typed_username", answered_sign_in ? typed_id(request) : ""},
                           {"form_expired", request.login_form_rejected},
                           {"signed_out", request.has_flag("signed_out")},
                           {"signed_out_everywhere", request.has_flag("signed_out_everywhere")},
                           {"terms_declined", request.has_flag("terms_declined")},
                           {"password_changed", request.has_flag("password_changed")},
                           {"expired", request.has_flag("expired")}};
    int status = request.redirect_status == 401 ? 401 : 200;
    if (answered_sign_in && request.login_busy) status = 503;  // not refused: not checked yet
    Response response = public_page(exchange, status, "login", "sign_in_title", std::move(view));
    if (status == 503) response.set_header("Retry-After", std::to_string(busy_retry_after_seconds));
    if (nonce.fresh) response.new_login_nonce = nonce.value;
    return response;
}

FormNonce sign_in_form_nonce(const Request& request) {
    if (SessionRegistry::looks_like_token(request.login_nonce)) return {request.login_nonce, false};
    return {random_token(32), true};
}

}  // namespace myaccount::web

namespace myaccount::web {

std::string login_form_token(const SecretKey& key, const std::string& nonce) { return key.mac("login-form", nonce); }

bool login_form_token_ok(const SecretKey& key, const std::string& nonce, const std::string& token) {
    return SessionRegistry::looks_like_token(nonce) && constant_time_equal(token, login_form_token(key, nonce));
}

}  // namespace myaccount::web
