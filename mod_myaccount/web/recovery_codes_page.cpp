// POST /security/recovery-codes: a new set of ten codes, shown this once (and as a download);
// the old set stops working.
#include "core/methods/recovery_codes.hpp"
#include "core/text.hpp"
#include "web/pages.hpp"
#include "web/security_changes.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

Response create_recovery_codes(Exchange& exchange) {
    bool replaced = has_recovery_codes(exchange);
    std::vector<std::string> codes = renew_recovery_codes(exchange);
    const std::string& issuer = exchange.context.settings.issuer;
    const std::string& user = exchange.account->username;
    std::string text = recovery_codes_text(codes, issuer, user, exchange.text("recovery_codes_file_heading"));
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& code : codes) list.push_back({{"code", code}});
    // Shown this once: the store keeps only hashes, and the page is never cached (no-store).
    nlohmann::json view = {{"codes", std::move(list)},
                           {"replaced", replaced},
                           {"download_href", "data:text/plain;charset=utf-8," + percent_encoded(text)}};
    return page(exchange, 200, "recovery_codes", "recovery_codes_title", std::move(view), "security");
}

}  // namespace myaccount::web
