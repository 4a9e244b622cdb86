// App passwords (MyAccountAppPasswords On): a new one shown once, and revoking one.
#include "core/app_passwords.hpp"
#include "core/text.hpp"
#include "web/pages.hpp"
#include "web/security_changes.hpp"
#include "web/security_page.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

Response create_app_password_form(Exchange& exchange) {
    if (!exchange.context.second_factor.app_passwords) return failure(exchange, Failure::not_found);
    const std::string* label = single_field(exchange.request, "label");
    std::optional<std::string> password = label ? create_app_password(exchange, *label) : std::nullopt;
    if (!password) {
        std::string message =
            fill(exchange.text("security_error_app_password_label"), {{"max", std::to_string(max_app_password_label)}});
        return security_info_page(exchange, 400, {{"app_password_error", message}});
    }
    // Shown this once: the store keeps only its hash, and the page is never cached (no-store).
    nlohmann::json view = {{"label", trim_spaces(*label)}, {"password", *password}};
    return page(exchange, 200, "app_password", "app_password_title", std::move(view), "security");
}

Response revoke_app_password_form(Exchange& exchange) {
    std::optional<std::int64_t> id = id_from(single_field(exchange.request, "app_password"));
    if (!exchange.context.second_factor.app_passwords || !id || revoke_app_password(exchange, *id) != Change::done)
        return failure(exchange, Failure::not_found);
    return see_other(exchange, "/security?changed=app_password_revoked");
}

}  // namespace myaccount::web
