// GET /security/add: the kinds of sign-in method one can add, each with its first step.
#include "web/pages.hpp"
#include "web/security_changes.hpp"
#include "web/security_page.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

// The phone types in the order the form offers them, `selected` the one to show chosen.
nlohmann::json phone_types(const Exchange& exchange, PhoneType selected) {
    nlohmann::json types = nlohmann::json::array();
    for (PhoneType type : {PhoneType::mobile, PhoneType::alternate_mobile, PhoneType::office}) {
        VerificationMethod phone;
        phone.kind = MethodKind::phone;
        phone.phone_type = type;
        types.push_back({{"value", to_string(type)},
                         {"text", method_kind_text(exchange, phone)},
                         {"selected", type == selected}});
    }
    return types;
}

}  // namespace

Response add_method_page(const Exchange& exchange, int status, nlohmann::json view, PhoneType phone_type) {
    bool can_send = exchange.context.notifier.available();
    view["has_recovery_codes"] = has_recovery_codes(exchange);
    view["can_add_email"] = can_send;
    view["can_add_phone"] = can_send;
    view["phone_types"] = phone_types(exchange, phone_type);
    view["phone_hint"] = fill(exchange.text("security_phone_hint"), {{"country", exchange.context.settings.default_country}});
    return page(exchange, status, "security_add", "security_add_title", std::move(view), "security");
}

Response show_add_method(Exchange& exchange) {
    return add_method_page(exchange, 200, nlohmann::json::object(), PhoneType::mobile);
}

}  // namespace myaccount::web
