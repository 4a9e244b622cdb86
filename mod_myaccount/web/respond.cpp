// Response builders shared by every page and API handler.
#include "web/respond.hpp"

#include "core/text.hpp"
#include "web/json_body.hpp"
#include "web/profile_view.hpp"
#include "web/request_origin.hpp"

namespace myaccount::web {

namespace {

struct FailureInfo {
    int status;
    const char* code;
    const char* title_key;
    const char* message_key;
};

FailureInfo info(Failure kind) {
    switch (kind) {
    case Failure::bad_request: return {400, "bad_request", "error_bad_request_title", "error_bad_request"};
    case Failure::unauthorized: return {401, "unauthorized", "error_unauthorized_title", "error_unauthorized"};
    case Failure::no_account: return {403, "no_account", "error_forbidden_title", "error_forbidden"};
    case Failure::csrf: return {403, "csrf_failed", "error_csrf_title", "error_csrf"};
    case Failure::not_found: return {404, "not_found", "error_not_found_title", "error_not_found"};
    case Failure::method_not_allowed: return {405, "method_not_allowed", "error_method_title", "error_method"};
    case Failure::unsupported_media_type:
        return {415, "unsupported_media_type", "error_unsupported_media_title", "error_unsupported_media"};
    case Failure::too_large: return {413, "too_large", "error_too_large_title", "error_too_large"};
    case Failure::busy: return {503, "busy", "error_busy_title", "error_busy"};
    case Failure::server_error: break;
    }
    return {500, "server_error", "error_server_title", "error_server"};
}

nlohmann::json layout_view(const Exchange& exchange, const std::string& title_key, nlohmann::json view) {
    const Context& context = exchange.context;
    view["lang"] = exchange.lang;
    view["issuer"] = context.settings.issuer;
    view["page_title"] = exchange.text(title_key);
    view["base"] = exchange.request.base_path;
    // The side navigation lists the pages whose feature is on, on every page.
    if (!view.contains("features")) view["features"] = portal_features();
    return view;
}

}  // namespace

bool Exchange::is_api() const { return request.route.rfind("/api/", 0) == 0; }

std::string Exchange::text(const std::string& key) const {
    return context.renderer.catalogs().text(lang, key);
}

Response page(const Exchange& exchange, int status, const std::string& template_name,
              const std::string& title_key, nlohmann::json view, const char* current_nav) {
    view = layout_view(exchange, title_key, std::move(view));
    if (exchange.account) {
        view["signed_in"] = true;
        view["user_display_name"] = exchange.account->display_name;
        view["username"] = exchange.account->username;
        view["csrf_token"] = csrf_token(exchange);
    }
    if (current_nav) view[std::string("nav_") + current_nav] = true;
    Response response;
    response.status = status;
    response.body = exchange.context.renderer.render_page(template_name, exchange.lang, view);
    return response;
}

Response public_page(const Exchange& exchange, int status, const std::string& template_name,
                     const std::string& title_key, nlohmann::json view) {
    Response response;
    response.status = status;
    response.body = exchange.context.renderer.render_page(
        template_name, exchange.lang, layout_view(exchange, title_key, std::move(view)));
    return response;
}

Response json_response(int status, const nlohmann::json& body) {
    Response response;
    response.status = status;
    response.content_type = "application/json";
    // Invalid UTF-8 cannot reach here (fields are validated), but never let dump() throw.
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

Response api_error(const Exchange& exchange, int status, const char* code, const char* message_key,
                   nlohmann::json extra) {
    nlohmann::json error = {{"code", code}, {"message", exchange.text(message_key)}};
    error.update(extra);
    return json_response(status, {{"error", std::move(error)}});
}

Response api_bad_request(const Exchange& exchange) {
    return api_error(exchange, 400, "bad_request", "error_bad_request");
}

std::optional<nlohmann::json> body_object(const Exchange& exchange) {
    return json_object_of(exchange.request.body);
}

namespace {

Response failure_with(const Exchange& exchange, Failure kind, nlohmann::json extra) {
    FailureInfo fi = info(kind);
    if (exchange.is_api())
        return json_response(fi.status, {{"error", {{"code", fi.code}, {"message", exchange.text(fi.message_key)}}}});
    nlohmann::json view = std::move(extra);
    view["status"] = std::to_string(fi.status);
    view["title"] = exchange.text(fi.title_key);
    view["message"] = exchange.text(fi.message_key);
    return exchange.account ? page(exchange, fi.status, "error", fi.title_key, std::move(view))
                            : public_page(exchange, fi.status, "error", fi.title_key, std::move(view));
}

}  // namespace

Response failure(const Exchange& exchange, Failure kind) { return failure_with(exchange, kind, nlohmann::json::object()); }

Response form_refused(const Exchange& exchange, const char* form_page) {
    std::string retry = exchange.request.base_path + (form_page ? form_page : "/");
    return failure_with(exchange, Failure::csrf, {{"retry_url", retry}});
}

Response redirect_to(const std::string& location) {
    Response response;
    response.status = 303;
    response.set_header("Location", location);
    return response;
}

Response see_other(const Exchange& exchange, const std::string& route) {
    return redirect_to(exchange.request.base_path + route);
}

const std::string* single_field(const Request& request, const char* name) {
    return request.form_count(name) == 1 ? request.form_value(name) : nullptr;
}

std::string typed_again(const std::string* typed, std::size_t max_code_points) {
    return typed && !check_field(*typed, max_code_points) ? *typed : std::string();
}

ClientInfo client_of(const Exchange& exchange) {
    return {exchange.request.client_ip, exchange.request.user_agent, exchange.request.device_token};
}

std::string fill(std::string text, const Placeholders& values) {
    for (const auto& [name, value] : values) {
        std::string marker = "{" + name + "}";
        for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
            text.replace(at, marker.size(), value);
    }
    return text;
}

namespace {

// Without a session of ours (HTTP Basic, a REMOTE_USER front) a token is bound to the account's
// security stamp (a password change or reset voids it) and to a 12-hour window; the previous
// window's token is still taken, so a form lives 12 to 24 hours.
constexpr UnixTime csrf_window_seconds = 12 * 3600;

std::string account_binding(const Account& account, UnixTime window) {
    return "account:" + std::to_string(account.id) + ":" + std::to_string(account.security_stamp) + ":" +
           std::to_string(window);
}

std::string token_for(const Exchange& exchange, UnixTime windows_back) {
    const auto& principal = exchange.request.principal;
    if (!principal) return {};
    if (!principal->csrf_binding.empty()) return exchange.context.key.mac("csrf", principal->csrf_binding);
    if (!exchange.account) return {};
    UnixTime window = exchange.context.now / csrf_window_seconds - windows_back;
    return exchange.context.key.mac("csrf", account_binding(*exchange.account, window));
}

}  // namespace

std::string csrf_token(const Exchange& exchange) { return token_for(exchange, 0); }

bool sent_from_another_site(const Request& request) {
    return provenance_of(request.sec_fetch_site, request.origin, request.own_origin) == Provenance::cross_site;
}

bool csrf_ok(const Exchange& exchange) {
    const Request& request = exchange.request;
    if (sent_from_another_site(request)) return false;  // defence in depth on top of the token
    const std::string* sent = exchange.is_api() ? &request.csrf_header : single_field(request, "csrf");
    if (!sent) return false;
    bool session_bound = request.principal && !request.principal->csrf_binding.empty();
    for (UnixTime back = 0; back <= (session_bound ? 0 : 1); ++back) {
        std::string expected = token_for(exchange, back);
        if (!expected.empty() && constant_time_equal(*sent, expected)) return true;
    }
    return false;
}

}  // namespace myaccount::web
