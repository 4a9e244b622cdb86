// GET/POST /password and POST /api/v1/me/password: change one's own password.
#include <algorithm>
#include <string>

#include "core/password_change.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/password_problems.hpp"

namespace myaccount::web {

namespace {

// `view` holds the errors ({errors, has_errors}: error_list or problem_list).
Response password_form(const Exchange& exchange, int status, nlohmann::json view) {
    view["username"] = exchange.account->username;
    view["min_length_hint"] = password_min_hint(exchange);
    return page(exchange, status, "password", "change_password", std::move(view), "password");
}

// Passwords that live elsewhere (no hash here: another front signs people in) are changed there.
bool managed_elsewhere(const Exchange& exchange) { return exchange.account->password_hash.empty(); }

Response managed_elsewhere_page(const Exchange& exchange) {
    nlohmann::json view = {{"status", "409"},
                           {"title", exchange.text("password_external_title")},
                           {"message", exchange.text("password_external")}};
    const std::string& elsewhere = exchange.context.settings.password_change_url;
    if (!elsewhere.empty()) {
        view["link_url"] = elsewhere;
        view["link_text"] = exchange.text("password_external_link");
    }
    return page(exchange, 409, "error", "password_external_title", std::move(view), "password");
}

PasswordChanger::Outcome run_change(Exchange& exchange, const std::string& current, const std::string& next,
                                    const std::string& confirmation) {
    Context& context = exchange.context;
    PasswordChanger changer(context.store, context.hasher, context.password_rules);
    CatalogWording wording(exchange);
    return account_security(exchange, wording)
        .change_password(changer, *exchange.account, current, next, confirmation, client_of(exchange), context.now);
}

}  // namespace

Response show_password(Exchange& exchange) {
    if (managed_elsewhere(exchange)) return managed_elsewhere_page(exchange);
    return password_form(exchange, 200, error_list({}));
}

Response change_password(Exchange& exchange) {
    if (managed_elsewhere(exchange)) return managed_elsewhere_page(exchange);
    const Request& request = exchange.request;
    const std::string* current = single_field(request, "current_password");
    std::optional<NewPasswordFields> fields = new_password_fields(request);
    if (!current || !fields || current->empty() || current->size() > max_password_field)
        return password_form(exchange, 400, error_list({exchange.text("password_error_required")}));
    PasswordChanger::Outcome outcome = run_change(exchange, *current, fields->next, fields->confirmation);
    switch (outcome.status) {
    case PasswordChanger::Status::changed: {
        Response response = see_other(exchange, "/login?password_changed=1");
        response.end_session = true;  // every session ended with the change; say so to this browser
        response.end_reason = "password_changed";
        return response;
    }
    case PasswordChanger::Status::wrong_current:
        return password_form(exchange, 400, error_list({exchange.text("password_error_wrong_current")}));
    case PasswordChanger::Status::locked:
        return password_form(exchange, 423, error_list({exchange.text("password_error_locked")}));
    case PasswordChanger::Status::rejected: break;
    }
    return password_form(exchange, 400,
                         problem_list(password_problems(exchange, outcome.mismatch, outcome.violations,
                                                        outcome.feedback)));
}

Response api_change_password(Exchange& exchange) {
    auto error = [&](int status, const char* code, const std::string& message) {
        return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
    };
    if (managed_elsewhere(exchange)) {
        Response response = error(409, "password_managed_elsewhere", exchange.text("password_external"));
        const std::string& elsewhere = exchange.context.settings.password_change_url;
        if (elsewhere.empty()) return response;
        nlohmann::json body = nlohmann::json::parse(response.body);
        body["error"]["change_url"] = elsewhere;
        return json_response(409, body);
    }
    nlohmann::json body = nlohmann::json::parse(exchange.request.body, nullptr, /*allow_exceptions=*/false);
    auto text_field = [&](const char* name) -> const std::string* {
        if (!body.is_object() || !body.contains(name) || !body[name].is_string()) return nullptr;
        const std::string& value = body[name].get_ref<const std::string&>();
        return value.empty() || value.size() > max_password_field ? nullptr : &value;
    };
    const std::string* current = text_field("current_password");
    const std::string* next = text_field("new_password");
    if (!current || !next) return error(400, "bad_request", exchange.text("password_error_required"));
    PasswordChanger::Outcome outcome = run_change(exchange, *current, *next, *next);
    switch (outcome.status) {
    case PasswordChanger::Status::changed: {
        Response response = json_response(200, {{"changed", true}, {"signed_out", true}});
        response.end_session = true;
        response.end_reason = "password_changed";
        return response;
    }
    case PasswordChanger::Status::wrong_current:
        return error(400, "wrong_password", exchange.text("password_error_wrong_current"));
    case PasswordChanger::Status::locked: return error(423, "locked", exchange.text("password_error_locked"));
    case PasswordChanger::Status::rejected: break;
    }
    return json_response(
        400, {{"error", password_policy_error(
                            password_problems(exchange, outcome.mismatch, outcome.violations, outcome.feedback))}});
}

}  // namespace myaccount::web
