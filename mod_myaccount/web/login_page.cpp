// GET /login: the sign-in form of the SSO front, also served as its ErrorDocument 401.
#include "web/pages.hpp"

namespace myaccount::web {

namespace {

bool query_has(const std::string& query, const std::string& flag) {
    std::string padded = "&" + query + "&";
    return padded.find("&" + flag + "=1&") != std::string::npos;
}

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

}  // namespace

Response show_login(Exchange& exchange) {
    const Request& request = exchange.request;
    bool failed = !request.redirect_url.empty() && request.redirect_url == exchange.context.settings.login_action;
    nlohmann::json view = {{"action", exchange.context.settings.login_action},
                           {"location", landing_for(exchange)},
                           {"failed", failed},
                           {"signed_out", query_has(request.query, "signed_out")},
                           {"expired", query_has(request.query, "expired")}};
    int status = request.redirect_status == 401 ? 401 : 200;
    return public_page(exchange, status, "login", "sign_in_title", std::move(view));
}

}  // namespace myaccount::web
