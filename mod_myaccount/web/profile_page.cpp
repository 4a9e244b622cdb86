// GET / and GET /api/v1/me: what the organization manages about the signed-in person.
#include "web/pages.hpp"
#include "web/profile_view.hpp"

namespace myaccount::web {

Response show_profile(Exchange& exchange) {
    const Account& account = *exchange.account;
    auto memberships = exchange.context.store.memberships_of(account.id);
    return page(exchange, 200, "profile", "profile_title",
                profile_page_view(account, memberships, exchange.request.base_path), "profile");
}

Response api_me(Exchange& exchange) {
    const Account& account = *exchange.account;
    auto memberships = exchange.context.store.memberships_of(account.id);
    nlohmann::json body = profile_api_view(account, memberships, exchange.request.base_path);
    body["csrf_token"] = csrf_token(exchange);
    return json_response(200, body);
}

}  // namespace myaccount::web
