// E-mail addresses and phones as methods: started with a code sent now, registered by the code.
#include "web/code_methods.hpp"

#include "core/methods/email.hpp"
#include "core/methods/phone_number.hpp"
#include "web/notices.hpp"
#include "web/security_changes.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

CodeSent refused(int status, const char* code, std::string message) {
    CodeSent sent;
    sent.refusal = Refusal{status, code, std::move(message)};
    return sent;
}

CodeSent send_failed(const Exchange& exchange, const char* message_key) {
    return refused(502, "send_failed", exchange.text(message_key));
}

// The code, by text message or (office phones) by a call; the notifier command decides how.
bool send_phone_code(const Exchange& exchange, const std::string& number, PhoneType type, const std::string& code) {
    return exchange.context.notifier.send_now(code_by_phone(exchange, number, phone_channel(type), "sms_verify_code", code));
}

std::optional<VerificationMethod> added_method(const Exchange& exchange, MethodKind kind, const std::string& address) {
    for (const VerificationMethod& method : exchange.context.store.methods_of(exchange.account->id))
        if (method.kind == kind && method.address == address) return method;
    return std::nullopt;
}

}  // namespace

MethodRegistration email_registration(const Exchange& exchange) {
    Context& context = exchange.context;
    return MethodRegistration(context.store, context.key, context.hasher, context.password_rules, context.reset);
}

PhoneRegistration phone_registration(const Exchange& exchange) {
    const Context& context = exchange.context;
    return PhoneRegistration(context.store, context.key, context.reset);
}

CodeSent begin_email_method(const Exchange& exchange, const std::string& address, const std::string& password) {
    if (!exchange.context.notifier.available()) return send_failed(exchange, "security_error_send_failed");
    MethodRegistration::Begun begun =
        email_registration(exchange).begin(*exchange.account, address, password, client_of(exchange), exchange.context.now);
    switch (begun.status) {
    case MethodRegistration::Status::code_ready: break;
    case MethodRegistration::Status::bad_address:
        return refused(400, "bad_address", exchange.text("security_error_address"));
    case MethodRegistration::Status::wrong_password:
        return refused(400, "wrong_password", exchange.text("security_error_wrong_password"));
    case MethodRegistration::Status::locked:
        return refused(423, "locked", exchange.text("security_error_locked"));
    case MethodRegistration::Status::limit:
        return refused(400, "limit", fill(exchange.text("security_error_limit"),
                                          {{"max", std::to_string(exchange.context.reset.max_methods)}}));
    case MethodRegistration::Status::too_many:
        return refused(429, "too_many", exchange.text("security_error_too_many"));
    case MethodRegistration::Status::duplicate:
        return refused(400, "duplicate", exchange.text("security_error_duplicate"));
    }
    CodeSent sent;
    sent.recipient = normalized_email_address(address);
    if (!send_verification_code(exchange, sent.recipient, begun.code))
        return send_failed(exchange, "security_error_send_failed");
    sent.challenge = begun.challenge_token;
    return sent;
}

CodeSent begin_phone_method(const Exchange& exchange, const std::string& typed, PhoneType type) {
    if (typed.empty() || typed.size() > max_typed_phone_number)
        return refused(400, "bad_number", exchange.text("phone_error_number"));
    if (!exchange.context.notifier.available()) return send_failed(exchange, "phone_error_send_failed");
    PhoneRegistration::Begun begun = phone_registration(exchange).begin(
        *exchange.account, typed, exchange.context.settings.default_country, client_of(exchange), exchange.context.now);
    switch (begun.status) {
    case PhoneRegistration::Status::code_ready: break;
    case PhoneRegistration::Status::bad_number:
        return refused(400, "bad_number", exchange.text("phone_error_number"));
    case PhoneRegistration::Status::duplicate:
        return refused(400, "duplicate", exchange.text("phone_error_duplicate"));
    case PhoneRegistration::Status::limit:
        return refused(400, "limit",
                       fill(exchange.text("phone_error_limit"), {{"max", std::to_string(max_phone_methods)}}));
    case PhoneRegistration::Status::too_many:
        return refused(429, "too_many", exchange.text("security_error_too_many"));
    }
    if (!send_phone_code(exchange, begun.number, type, begun.code))
        return send_failed(exchange, "phone_error_send_failed");
    CodeSent sent;
    sent.challenge = begun.challenge_token;
    sent.recipient = begun.number;
    return sent;
}

std::optional<VerificationMethod> confirm_email_method(const Exchange& exchange, const std::string& challenge,
                                                       const std::string& code) {
    if (code.size() > 64) return std::nullopt;
    std::optional<std::string> added = email_registration(exchange).confirm(*exchange.account, challenge, code,
                                                                            client_of(exchange), exchange.context.now);
    if (!added) return std::nullopt;
    post_notice(exchange, *exchange.account, SecurityNotice::method_added, *added);
    return added_method(exchange, MethodKind::email, *added);
}

std::optional<VerificationMethod> confirm_phone_method(const Exchange& exchange, const std::string& challenge,
                                                       const std::string& code, PhoneType type,
                                                       const std::string& label) {
    if (code.size() > 64) return std::nullopt;
    std::optional<std::int64_t> added = phone_registration(exchange).confirm(
        *exchange.account, challenge, code, type, label, client_of(exchange), exchange.context.now);
    if (!added) return std::nullopt;
    note_second_step_proven(exchange);
    std::optional<VerificationMethod> method = own_method(exchange, *added);
    if (method)
        post_notice(exchange, *exchange.account, SecurityNotice::two_step_method_added, method_title(exchange, *method));
    return method;
}

}  // namespace myaccount::web
