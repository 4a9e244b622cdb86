// The security info page's forms on one method: rename, make default, remove; and forgetting a
// remembered browser. Each answers with the page again (303) and a banner, or an error.
#include "core/audit.hpp"
#include "core/text.hpp"
#include "web/pages.hpp"
#include "web/security_changes.hpp"
#include "web/security_page.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

std::optional<std::int64_t> posted_id(const Exchange& exchange, const char* field) {
    return id_from(single_field(exchange.request, field));
}

}  // namespace

Response rename_method_form(Exchange& exchange) {
    std::optional<std::int64_t> id = posted_id(exchange, "method");
    const std::string* label = single_field(exchange.request, "label");
    if (!id || !own_method(exchange, *id)) return failure(exchange, Failure::not_found);
    Change change = label ? rename_method(exchange, *id, *label) : Change::bad_label;
    switch (change) {
    case Change::done: return see_other(exchange, "/security?changed=renamed");
    case Change::bad_label:
        return security_method_error(exchange, 400, fill(exchange.text("security_error_label"),
                                                         {{"max", std::to_string(max_method_label)}}));
    case Change::not_found:
    case Change::last_method: break;
    }
    return failure(exchange, Failure::not_found);
}

Response default_method_form(Exchange& exchange) {
    std::optional<std::int64_t> id = posted_id(exchange, "method");
    if (!id || make_default_method(exchange, *id) != Change::done) return failure(exchange, Failure::not_found);
    return see_other(exchange, "/security?changed=default");
}

Response remove_method_form(Exchange& exchange) {
    std::optional<std::int64_t> id = posted_id(exchange, "method");
    MethodKind kind = MethodKind::email;
    Change change = id ? remove_method(exchange, *id, &kind) : Change::not_found;
    switch (change) {
    case Change::done: return see_other(exchange, std::string("/security?removed=") + to_string(kind));
    case Change::last_method:
        return security_method_error(exchange, 400, exchange.text("security_error_last_method"));
    case Change::not_found:
    case Change::bad_label: break;
    }
    return failure(exchange, Failure::not_found);
}

Response confirm_method_form(Exchange& exchange) {
    const std::optional<std::int64_t> id = posted_id(exchange, "method");
    if (!id) return failure(exchange, Failure::not_found);
    try {
        exchange.context.store.confirm_method(
            exchange.account->id, *id,
            audit_event(exchange.account->id, "method_confirmed", client_of(exchange), exchange.context.now));
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::not_found) return failure(exchange, Failure::not_found);
        throw;
    }
    return see_other(exchange, "/security?changed=confirmed");
}

Response forget_browser_form(Exchange& exchange) {
    std::optional<std::int64_t> id = posted_id(exchange, "browser");
    if (exchange.context.second_factor.remember_days <= 0 || !id || !forget_browser(exchange, *id))
        return failure(exchange, Failure::not_found);
    return see_other(exchange, "/security?changed=browser_forgotten");
}

}  // namespace myaccount::web
