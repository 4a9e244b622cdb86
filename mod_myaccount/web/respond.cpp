// Response builders shared by every page and API handler.
#include "web/respond.hpp"

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
    case Failure::csrf: return {403, "csrf_failed", "error_forbidden_title", "error_csrf"};
    case Failure::not_found: return {404, "not_found", "error_not_found_title", "error_not_found"};
    case Failure::method_not_allowed: return {405, "method_not_allowed", "error_method_title", "error_method"};
    case Failure::unsupported_media_type:
        return {415, "unsupported_media_type", "error_unsupported_media_title", "error_unsupported_media"};
    case Failure::too_large: return {413, "too_large", "error_too_large_title", "error_too_large"};
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

Response failure(const Exchange& exchange, Failure kind) {
    FailureInfo fi = info(kind);
    Response response;
    if (exchange.is_api()) {
        response = json_response(fi.status, {{"error", {{"code", fi.code}, {"message", exchange.text(fi.message_key)}}}});
    } else {
        nlohmann::json view = {{"status", std::to_string(fi.status)},
                               {"title", exchange.text(fi.title_key)},
                               {"message", exchange.text(fi.message_key)}};
        response = exchange.account ? page(exchange, fi.status, "error", fi.title_key, std::move(view))
                                    : public_page(exchange, fi.status, "error", fi.title_key, std::move(view));
    }
    return response;
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

ClientInfo client_of(const Exchange& exchange) { return {exchange.request.client_ip, exchange.request.user_agent}; }

std::string fill(std::string text, const Placeholders& values) {
    for (const auto& [name, value] : values) {
        std::string marker = "{" + name + "}";
        for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
            text.replace(at, marker.size(), value);
    }
    return text;
}

std::string csrf_token(const Exchange& exchange) {
    const auto& principal = exchange.request.principal;
    if (!principal || principal->csrf_binding.empty()) return {};
    return exchange.context.key.mac("csrf", principal->csrf_binding);
}

bool same_site(const Request& request) {
    if (request.sec_fetch_site == "cross-site") return false;
    return request.origin.empty() || request.origin == request.own_origin;
}

bool csrf_ok(const Exchange& exchange) {
    const Request& request = exchange.request;
    if (!same_site(request)) return false;  // defence in depth on top of the token
    std::string expected = csrf_token(exchange);
    if (expected.empty()) return false;
    if (exchange.is_api()) return constant_time_equal(request.csrf_header, expected);
    if (request.form_count("csrf") != 1) return false;
    return constant_time_equal(*request.form_value("csrf"), expected);
}

}  // namespace myaccount::web
