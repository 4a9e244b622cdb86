// Adding a phone: the number (national format with MyAccountDefaultCountry, or +international),
// then the code sent to it by text message (a call for an office phone), then it is registered.
#include "core/methods/phone_number.hpp"
#include "core/text.hpp"
#include "web/code_methods.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/password_problems.hpp"
#include "web/security_changes.hpp"
#include "web/security_page.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

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
    if (!fields.valid || !number) return phone_error(exchange, 400, exchange.text("phone_error_number"), fields);
    CodeSent sent = begin_phone_method(exchange, *number, fields.type);
    if (sent.refusal) return phone_error(exchange, sent.refusal->status, sent.refusal->message, fields);
    Challenge challenge;
    challenge.target = sent.recipient;
    return code_page(exchange, 200, challenge, sent.challenge, fields, {});
}

Response verify_phone_method(Exchange& exchange) {
    PhoneFields fields = phone_fields(exchange);
    const std::string* token = single_field(exchange.request, "challenge");
    const std::string* code = single_field(exchange.request, "code");
    if (fields.valid && token && code && confirm_phone_method(exchange, *token, *code, fields.type, fields.label))
        return see_other(exchange, "/security?added=phone");
    // Wrong code: the code form again while the check is still open, else back to the add page.
    std::optional<Challenge> pending =
        token ? phone_registration(exchange).pending(*exchange.account, *token, exchange.context.now) : std::nullopt;
    if (!pending || !fields.valid) return phone_error(exchange, 400, exchange.text("phone_error_code"), fields);
    return code_page(exchange, 400, *pending, *token, fields, {exchange.text("phone_error_code")});
}

}  // namespace myaccount::web
