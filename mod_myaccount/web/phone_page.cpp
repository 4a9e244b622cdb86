// Adding a phone: the number (national format with MyAccountDefaultCountry, or +international),
// then the code sent to it by text message (a call for an office phone), then it is registered.
#include "core/methods/phone_number.hpp"
#include "core/methods/phone_registration.hpp"
#include "core/text.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/password_problems.hpp"
#include "web/security_changes.hpp"
#include "web/security_page.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

PhoneRegistration registration_of(const Exchange& exchange) {
    const Context& context = exchange.context;
    return PhoneRegistration(context.store, context.key, context.reset);
}

// The phone type and label the forms carry (the label is optional; a bad one is a form error).
struct PhoneFields {
    PhoneType type = PhoneType::mobile;
    std::string label;
    bool valid = true;
};
PhoneFields phone_fields(const Exchange& exchange) {
    PhoneFields fields;
    const std::string* type = single_field(exchange.request, "phone_type");
    std::optional<PhoneType> parsed = type ? phone_type_from(*type) : std::nullopt;
    if (parsed && *parsed != PhoneType::none) fields.type = *parsed;
    else fields.valid = false;
    std::size_t labels = exchange.request.form_count("label");
    if (labels == 1) fields.label = trim_spaces(*exchange.request.form_value("label"));
    if (labels > 1 || !acceptable_label(fields.label)) fields.valid = false;
    return fields;
}

// The add page again with an error at the phone form, what was typed still in it.
Response phone_error(const Exchange& exchange, int status, const std::string& message, const PhoneFields& fields) {
    nlohmann::json view = {{"phone_error", message},
                           {"entered_number", typed_again(single_field(exchange.request, "number"), max_typed_phone_number)},
                           {"entered_phone_label", typed_again(&fields.label, max_method_label)}};
    return add_method_page(exchange, status, std::move(view), fields.type);
}

// The code, by text message or (office phones) by a call; the notifier command decides how.
bool send_phone_code(const Exchange& exchange, const std::string& number, PhoneType type, const std::string& code) {
    Notification notification;
    notification.channel = phone_channel(type);
    notification.recipient = number;
    notification.body = fill(exchange.text("sms_verify_code"), {{"issuer", exchange.context.settings.issuer},
                                                                {"code", code},
                                                                {"minutes", code_minutes(exchange)}});
    return exchange.context.notifier.send_now(notification);
}

Response code_page(const Exchange& exchange, int status, const Challenge& challenge, const std::string& token,
                   const PhoneFields& fields, const std::vector<std::string>& errors) {
    nlohmann::json view = error_list(errors);
    const char* sent_key = fields.type == PhoneType::office ? "phone_code_called" : "phone_code_texted";
    view["sent_text"] = fill(exchange.text(sent_key), {{"number", readable_phone(challenge.target)},
                                                       {"minutes", code_minutes(exchange)}});
    view["challenge"] = token;
    view["phone_type"] = to_string(fields.type);
    view["label"] = fields.label;
    return page(exchange, status, "phone_code", "phone_code_title", std::move(view), "security");
}

}  // namespace

Response add_phone_method(Exchange& exchange) {
    PhoneFields fields = phone_fields(exchange);
    const std::string* number = single_field(exchange.request, "number");
    if (!fields.valid || !number || number->empty() || number->size() > max_typed_phone_number)
        return phone_error(exchange, 400, exchange.text("phone_error_number"), fields);
    if (!exchange.context.notifier.available())
        return phone_error(exchange, 502, exchange.text("phone_error_send_failed"), fields);
    PhoneRegistration::Begun begun = registration_of(exchange).begin(
        *exchange.account, *number, exchange.context.settings.default_country, client_of(exchange), exchange.context.now);
    switch (begun.status) {
    case PhoneRegistration::Status::code_ready: break;
    case PhoneRegistration::Status::bad_number:
        return phone_error(exchange, 400, exchange.text("phone_error_number"), fields);
    case PhoneRegistration::Status::duplicate:
        return phone_error(exchange, 400, exchange.text("phone_error_duplicate"), fields);
    case PhoneRegistration::Status::limit:
        return phone_error(exchange, 400, fill(exchange.text("phone_error_limit"),
                                               {{"max", std::to_string(max_phone_methods)}}), fields);
    case PhoneRegistration::Status::too_many:
        return phone_error(exchange, 429, exchange.text("security_error_too_many"), fields);
    }
    if (!send_phone_code(exchange, begun.number, fields.type, begun.code))
        return phone_error(exchange, 502, exchange.text("phone_error_send_failed"), fields);
    Challenge challenge;
    challenge.target = begun.number;
    return code_page(exchange, 200, challenge, begun.challenge_token, fields, {});
}

Response verify_phone_method(Exchange& exchange) {
    PhoneFields fields = phone_fields(exchange);
    const std::string* token = single_field(exchange.request, "challenge");
    const std::string* code = single_field(exchange.request, "code");
    PhoneRegistration registration = registration_of(exchange);
    const Account& account = *exchange.account;
    std::optional<std::int64_t> added;
    if (fields.valid && token && code && code->size() <= 64)
        added = registration.confirm(account, *token, *code, fields.type, fields.label, client_of(exchange),
                                     exchange.context.now);
    if (added) {
        if (std::optional<VerificationMethod> method = own_method(exchange, *added))
            post_notice(exchange, account, SecurityNotice::two_step_method_added, method_title(exchange, *method));
        return see_other(exchange, "/security?added=phone");
    }
    // Wrong code: the code form again while the check is still open, else back to the add page.
    std::optional<Challenge> pending = token ? registration.pending(account, *token, exchange.context.now) : std::nullopt;
    if (!pending || !fields.valid) return phone_error(exchange, 400, exchange.text("phone_error_code"), fields);
    return code_page(exchange, 400, *pending, *token, fields, {exchange.text("phone_error_code")});
}

}  // namespace myaccount::web
