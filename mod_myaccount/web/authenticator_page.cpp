// An authenticator app's set-up: its QR code and secret, then a code from the app that proves it
// (only then is it active, and its secret is never shown again).
#include "core/methods/totp.hpp"
#include "core/text.hpp"
#include "web/pages.hpp"
#include "web/password_problems.hpp"
#include "web/second_step.hpp"
#include "web/security_changes.hpp"
#include "web/security_page.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

// Where a set-up started elsewhere (the request to register a method before a gated page opens)
// goes once the app is proven: a path on this server the form carried, else "" (security info).
std::string next_of(const Exchange& exchange) {
    const std::string* next = single_field(exchange.request, "next");
    return next && is_return_path(*next) ? *next : std::string();
}

// The set-up page of a pending authenticator. The secret is on it only while the method is
// pending: once a code proved it, no page shows it again.
Response setup_page(const Exchange& exchange, int status, const SecondFactorEnrolment::NewAuthenticator& added,
                    const std::vector<std::string>& errors, bool clock_off) {
    nlohmann::json view = error_list(errors);
    view["method_id"] = std::to_string(added.method_id);
    view["qr_src"] = "data:image/svg+xml;charset=utf-8," + percent_encoded(added.qr_svg);
    view["secret_grouped"] = grouped_for_typing(added.secret_base32);
    view["account_name"] = exchange.account->username;
    view["issuer"] = exchange.context.settings.issuer;
    view["clock_off"] = clock_off;
    view["next"] = next_of(exchange);
    return page(exchange, status, "authenticator", "authenticator_title", std::move(view), "security");
}

}  // namespace

Response start_authenticator(Exchange& exchange) {
    const Request& request = exchange.request;
    std::size_t labels = request.form_count("label");
    std::string label = labels == 1 ? *request.form_value("label") : std::string();
    std::optional<SecondFactorEnrolment::NewAuthenticator> added =
        labels > 1 ? std::nullopt : begin_authenticator(exchange, label);
    if (!added) {
        std::string error = fill(exchange.text("security_error_label"), {{"max", std::to_string(max_method_label)}});
        return add_method_page(exchange, 400,
                               {{"entered_label", typed_again(&label, max_method_label)}, {"label_error", error}});
    }
    return setup_page(exchange, 200, *added, {}, false);
}

Response confirm_authenticator_form(Exchange& exchange) {
    std::optional<std::int64_t> id = id_from(single_field(exchange.request, "method"));
    const std::string* code = single_field(exchange.request, "code");
    SecondFactorEnrolment enrolment = enrolment_of(exchange);
    std::optional<SecondFactorEnrolment::NewAuthenticator> pending =
        id ? enrolment.pending_authenticator(*exchange.account, *id, exchange.context.now) : std::nullopt;
    if (!pending) return security_method_error(exchange, 400, exchange.text("authenticator_error_gone"));
    if (!code || code->size() > 16 || !looks_like_totp_code(*code))
        return setup_page(exchange, 400, *pending, {exchange.text("authenticator_error_format")}, false);
    SecondFactorEnrolment::Confirmation confirmation = confirm_authenticator(exchange, *id, *code);
    switch (confirmation.result) {
    case SecondFactorEnrolment::Confirmed::active: {
        std::string next = next_of(exchange);
        if (!next.empty()) return redirect_to(next);
        return see_other(exchange,
                         std::string("/security?added=authenticator") + (confirmation.clock_off ? "&clock=off" : ""));
    }
    case SecondFactorEnrolment::Confirmed::wrong_code:
        return setup_page(exchange, 400, *pending, {exchange.text("authenticator_error_wrong")},
                          confirmation.clock_off);
    case SecondFactorEnrolment::Confirmed::locked:
        return setup_page(exchange, 423, *pending, {second_step_locked_text(exchange, confirmation.locked_until)},
                          false);
    case SecondFactorEnrolment::Confirmed::gone: break;
    }
    return security_method_error(exchange, 400, exchange.text("authenticator_error_gone"));
}

}  // namespace myaccount::web
