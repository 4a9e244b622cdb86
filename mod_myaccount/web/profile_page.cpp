// GET / and GET /api/v1/me: what the organization manages about the signed-in person.
#include "web/pages.hpp"
#include "web/profile_view.hpp"

namespace myaccount::web {

namespace {

// Everything the profile page is made of: the account at its profile version, the CSRF token it
// carries (bound to the session, or without one to the security stamp and a time window),
// language, mount and organization name.
std::string profile_cache_key(const Exchange& exchange) {
    const Account& account = *exchange.account;
    const Request& request = exchange.request;
    return "profile\n" + std::to_string(account.id) + "\n" + std::to_string(account.profile_version) + "\n" +
           csrf_token(exchange) + "\n" + exchange.lang + "\n" + request.base_path + "\n" +
           exchange.context.settings.issuer;
}

}  // namespace

Response show_profile(Exchange& exchange) {
    std::string key = profile_cache_key(exchange);
    if (auto cached = exchange.context.pages.find(key)) {
        Response response;
        response.body = *cached;
        return response;
    }
    const Account& account = *exchange.account;
    auto memberships = exchange.context.store.memberships_of(account.id);
    Response response = page(exchange, 200, "profile", "profile_title",
                             profile_page_view(account, memberships, exchange.request.base_path), "profile");
    exchange.context.pages.remember(std::move(key), std::make_shared<const std::string>(response.body));
    return response;
}

Response api_me(Exchange& exchange) {
    const Account& account = *exchange.account;
    auto memberships = exchange.context.store.memberships_of(account.id);
    nlohmann::json body = profile_api_view(account, memberships, exchange.request.base_path);
    body["csrf_token"] = csrf_token(exchange);
    return json_response(200, body);
}

}  // namespace myaccount::web
