// /reset, /reset/verify, /reset/send, /reset/code, /reset/password: self-service password reset
// for someone who is not signed in. Every answer before the proof is the same for every user ID.
#include "core/methods/email.hpp"
#include "core/methods/phone_number.hpp"
#include "core/reset/password_reset.hpp"
#include "core/text.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/password_problems.hpp"
#include "web/security_changes.hpp"

namespace myaccount::web {

namespace {

constexpr std::size_t max_username_field = 256;

PasswordReset reset_of(const Exchange& exchange) {
    Context& context = exchange.context;
    return PasswordReset(context.store, context.key, context.hasher, context.password_rules, context.reset);
}

// "Step 2 of 3": the user ID, one step per method to prove, then the new password. Before any
// proof every flow counts alike; a 2-step user who proved only inboxes learns of one step more.
int total_steps(const Exchange& exchange, const PasswordReset::Flow* flow) {
    int required = exchange.context.reset.methods_required;
    return (flow ? flow->proofs_needed(required) : required) + 2;
}

std::string step_text(const Exchange& exchange, int step, const PasswordReset::Flow* flow = nullptr) {
    return fill(exchange.text("reset_step"),
                {{"step", std::to_string(step)}, {"steps", std::to_string(total_steps(exchange, flow))}});
}

Response reset_page(const Exchange& exchange, int status, nlohmann::json view) {
    view["form_token"] = reset_form_token(exchange.context.key, exchange.request.reset_token);
    return public_page(exchange, status, "reset", "reset_title", std::move(view));
}

Response start_page(const Exchange& exchange, int status, const std::string& error = {},
                    const std::string& entered_username = {}) {
    FormNonce nonce = sign_in_form_nonce(exchange.request);
    nlohmann::json view = {{"stage_start", true}, {"step_text", step_text(exchange, 1)}};
    if (!error.empty()) view["error_text"] = error;
    view["entered_username"] = entered_username;
    view["form_token"] = login_form_token(exchange.context.key, nonce.value);
    Response response = public_page(exchange, status, "reset", "reset_title", std::move(view));
    if (nonce.fresh) response.new_login_nonce = nonce.value;
    return response;
}

Response expired_page(const Exchange& exchange) {
    Response response = public_page(exchange, 200, "reset", "reset_title", {{"stage_expired", true}});
    response.reset_cookie = "";
    return response;
}

Response limited_page(const Exchange& exchange) {
    return public_page(exchange, 429, "reset", "reset_title", {{"stage_limited", true}});
}

// The page for proving one method; `view` may carry what the address form shows again.
Response verify_page(const Exchange& exchange, const PasswordReset::Flow& flow, int status,
                     const std::string& error = {}, nlohmann::json view = nlohmann::json::object()) {
    const Challenge& challenge = flow.challenge;
    bool code_requested = !challenge.code_hash.empty();
    view["stage_verify"] = true;
    view["step_text"] = step_text(exchange, 1 + flow.step(), &flow);
    view["code_requested"] = code_requested;
    view["delivery_failed"] = reset_of(exchange).delivery_failing(flow, exchange.context.now);
    if (code_requested) view["sent_text"] = fill(exchange.text("reset_code_sent"), {{"minutes", code_minutes(exchange)}});
    view["phone_hint"] = fill(exchange.text("security_phone_hint"), {{"country", exchange.context.settings.default_country}});
    if (!error.empty()) view["error_text"] = error;
    return reset_page(exchange, status, std::move(view));
}

// An address that is no address: the field keeps what was typed and points to the error.
Response address_error_page(const Exchange& exchange, const PasswordReset::Flow& flow, const std::string* typed) {
    nlohmann::json form = {{"address_error", true}, {"entered_address", typed_again(typed, max_email_method_length)}};
    return verify_page(exchange, flow, 400, exchange.text("security_error_address"), std::move(form));
}

// `view` holds the errors ({errors, has_errors}: error_list or problem_list).
Response password_page(const Exchange& exchange, const PasswordReset::Flow& flow, int status, nlohmann::json view) {
    view["stage_password"] = true;
    view["step_text"] = step_text(exchange, total_steps(exchange, &flow), &flow);
    view["username"] = flow.account->username;
    view["min_length_hint"] = password_min_hint(exchange);
    return reset_page(exchange, status, std::move(view));
}

std::optional<PasswordReset::Flow> flow_of(const Exchange& exchange) {
    return reset_of(exchange).find(exchange.request.reset_token, exchange.context.now);
}

// After a proof the flow is read again: the next method to prove, or the new password.
Response after_proof(const Exchange& exchange) {
    std::optional<PasswordReset::Flow> flow = flow_of(exchange);
    if (!flow) return expired_page(exchange);
    bool enough = flow->proven_enough(exchange.context.reset.methods_required);
    return see_other(exchange, enough ? "/reset/password" : "/reset/verify");
}

// Step 3 with a code of a 2-step method (`check` judges it): on to the next step, or the verify
// page with `error_key`; the owner hears of an authenticator code typed twice.
template <typename Check>
Response after_method_code(const Exchange& exchange, const PasswordReset::Flow& flow, const std::string* code,
                           Check check, const char* error_key) {
    if (code && code->size() <= 64) {
        PasswordReset reset = reset_of(exchange);
        SecondFactorVerifier::Outcome outcome = check(reset);
        if (outcome.result == SecondFactorVerifier::Result::accepted) return after_proof(exchange);
        if (flow.account) tell_if_replayed(exchange, *flow.account, outcome);
    }
    return verify_page(exchange, flow, 400, exchange.text(error_key));
}

}  // namespace

std::string reset_form_token(const SecretKey& key, const std::string& flow_token) {
    return key.mac("reset-form", flow_token);
}

Response show_reset(Exchange& exchange) { return start_page(exchange, 200); }

Response start_reset(Exchange& exchange) {
    const std::string* username = single_field(exchange.request, "username");
    if (!username || check_field(*username, max_username_field))
        return start_page(exchange, 400, exchange.text("reset_error_required"), std::string());
    std::optional<std::string> token = reset_of(exchange).start(*username, client_of(exchange), exchange.context.now);
    if (!token) return limited_page(exchange);
    Response response = see_other(exchange, "/reset/verify");
    response.reset_cookie = *token;
    return response;
}

Response show_reset_verify(Exchange& exchange) {
    std::optional<PasswordReset::Flow> flow = flow_of(exchange);
    if (!flow) return expired_page(exchange);
    if (flow->proven_enough(exchange.context.reset.methods_required)) return see_other(exchange, "/reset/password");
    return verify_page(exchange, *flow, 200);
}

// Where the code should go, as typed: an e-mail address, or a phone number (the form of each
// sends one field). None when it is neither.
std::optional<std::string> code_destination(const Exchange& exchange) {
    if (exchange.request.form_count("phone") > 0) {
        const std::string* phone = single_field(exchange.request, "phone");
        if (!phone || phone->size() > max_typed_phone_number) return std::nullopt;
        return e164_of(*phone, exchange.context.settings.default_country);
    }
    const std::string* address = single_field(exchange.request, "address");
    if (!address || !is_email_method_address(*address)) return std::nullopt;
    return *address;
}

Response send_reset_code(Exchange& exchange) {
    std::optional<PasswordReset::Flow> flow = flow_of(exchange);
    if (!flow) return expired_page(exchange);
    std::optional<std::string> destination = code_destination(exchange);
    if (!destination) {
        if (exchange.request.form_count("phone") > 0) {
            nlohmann::json form = {
                {"phone_error", true},
                {"entered_phone", typed_again(single_field(exchange.request, "phone"), max_typed_phone_number)}};
            return verify_page(exchange, *flow, 400, exchange.text("phone_error_number"), std::move(form));
        }
        return address_error_page(exchange, *flow, single_field(exchange.request, "address"));
    }
    PasswordReset::CodeRequest request =
        reset_of(exchange).request_code(*flow, *destination, client_of(exchange), exchange.context.now);
    if (request.limited) return limited_page(exchange);
    // Queued for the notifier's own thread: the answer does not wait for the message to go out.
    if (request.code)
        post_reset_code(exchange, request.recipient, request.channel, *request.code, flow->challenge.id);
    return see_other(exchange, "/reset/verify");
}

Response check_reset_code(Exchange& exchange) {
    std::optional<PasswordReset::Flow> flow = flow_of(exchange);
    if (!flow) return expired_page(exchange);
    const std::string* code = single_field(exchange.request, "code");
    PasswordReset reset = reset_of(exchange);
    bool accepted = code && code->size() <= 64 && reset.check_code(*flow, *code, exchange.context.now);
    if (!accepted) return verify_page(exchange, *flow, 400, exchange.text("reset_error_code"));
    return after_proof(exchange);
}

Response check_reset_app_code(Exchange& exchange) {
    std::optional<PasswordReset::Flow> flow = flow_of(exchange);
    if (!flow) return expired_page(exchange);
    const std::string* code = single_field(exchange.request, "app_code");
    return after_method_code(exchange, *flow, code,
                             [&](PasswordReset& reset) {
                                 return reset.check_authenticator_code(*flow, *code, exchange.context.second_factor,
                                                                       client_of(exchange), exchange.context.now);
                             },
                             "reset_error_app_code");
}

Response check_reset_recovery_code(Exchange& exchange) {
    std::optional<PasswordReset::Flow> flow = flow_of(exchange);
    if (!flow) return expired_page(exchange);
    const std::string* code = single_field(exchange.request, "recovery_code");
    return after_method_code(exchange, *flow, code,
                             [&](PasswordReset& reset) {
                                 return reset.check_recovery_code(*flow, *code, exchange.context.second_factor,
                                                                  client_of(exchange), exchange.context.now);
                             },
                             "reset_error_recovery_code");
}

Response show_reset_password(Exchange& exchange) {
    std::optional<PasswordReset::Flow> flow = flow_of(exchange);
    if (!flow) return expired_page(exchange);
    if (!flow->proven_enough(exchange.context.reset.methods_required)) return see_other(exchange, "/reset/verify");
    return password_page(exchange, *flow, 200, error_list({}));
}

Response finish_reset(Exchange& exchange) {
    std::optional<PasswordReset::Flow> flow = flow_of(exchange);
    if (!flow) return expired_page(exchange);
    if (!flow->proven_enough(exchange.context.reset.methods_required)) return see_other(exchange, "/reset/verify");
    std::optional<NewPasswordFields> fields = new_password_fields(exchange.request);
    if (!fields) return password_page(exchange, *flow, 400, error_list({exchange.text("password_error_required")}));
    PasswordReset reset = reset_of(exchange);
    CatalogWording wording(exchange);
    PasswordReset::Outcome outcome = account_security(exchange, wording)
                                         .finish_reset(reset, *flow, fields->next, fields->confirmation,
                                                       client_of(exchange), exchange.context.now);
    switch (outcome.status) {
    case PasswordReset::Status::reset: {
        Response response = see_other(exchange, "/login?password_reset=1");
        response.reset_cookie = "";
        return response;
    }
    case PasswordReset::Status::not_ready: return see_other(exchange, "/reset/verify");
    case PasswordReset::Status::expired: return expired_page(exchange);
    case PasswordReset::Status::rejected: break;
    }
    return password_page(exchange, *flow, 400,
                         problem_list(password_problems(exchange, outcome.mismatch, outcome.violations,
                                                        outcome.feedback)));
}

}  // namespace myaccount::web
