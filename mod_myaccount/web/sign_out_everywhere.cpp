// Sign out everywhere: GET /sign-out-everywhere asks Yes / No, POST ends every session of the
// user (this one too) and forgets remembered browsers; DELETE /api/v1/me/sessions does the same.
// Both need a recent proof (ASVS 3.3.4: "having re-entered login credentials"), which the router
// asks for.
#include "core/account_security.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"

namespace myaccount::web {

namespace {

AccountSecurity::Done signed_out_everywhere(const Exchange& exchange) {
    CatalogWording wording(exchange);
    return account_security(exchange, wording)
        .sign_out_everywhere(*exchange.account, client_of(exchange), exchange.context.now);
}

}  // namespace

Response show_sign_out_everywhere(Exchange& exchange) {
    const std::string& base = exchange.request.base_path;
    nlohmann::json view = {{"interrupt", true},
                           {"icon", "signout"},
                           {"title", exchange.text("sign_out_everywhere")},
                           {"paragraphs", {exchange.text("sign_out_everywhere_question"),
                                           exchange.text("sign_out_everywhere_explain")}},
                           {"action", base + "/sign-out-everywhere"},
                           {"yes", exchange.text("yes")},
                           {"no", exchange.text("no")},
                           {"no_url", base + "/"}};
    return page(exchange, 200, "confirm", "sign_out_everywhere", std::move(view));
}

Response sign_out_everywhere(Exchange& exchange) {
    const AccountSecurity::Done done = signed_out_everywhere(exchange);
    // The session has ended already, with its reason; the answer clears the cookie.
    return signed_out(exchange, "signed_out_everywhere",
                      {{"signed_out_everywhere", true}, {"sessions_ended", done.sessions_ended}},
                      "signed_out_everywhere");
}

}  // namespace myaccount::web
