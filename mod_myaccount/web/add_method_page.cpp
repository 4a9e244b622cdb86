// GET /security/add: the kinds of sign-in method one can add, each with its first step.
#include "web/pages.hpp"
#include "web/security_changes.hpp"
#include "web/security_page.hpp"

namespace myaccount::web {

Response add_method_page(const Exchange& exchange, int status, const std::string& label, bool label_error) {
    nlohmann::json view = {{"has_recovery_codes", has_recovery_codes(exchange)},
                           {"can_add_email", exchange.context.notifier.available()},
                           {"entered_label", label}};
    if (label_error)
        view["label_error"] = fill(exchange.text("security_error_label"), {{"max", std::to_string(max_method_label)}});
    return page(exchange, status, "security_add", "security_add_title", std::move(view), "security");
}

Response show_add_method(Exchange& exchange) { return add_method_page(exchange, 200, {}, false); }

}  // namespace myaccount::web
