// GET/POST /password and POST /api/v1/me/password: change one's own password.
#include <algorithm>
#include <string>

#include "core/password_change.hpp"
#include "web/pages.hpp"

namespace myaccount::web {

namespace {

constexpr std::size_t max_password_field = 4096;  // bytes; the policy's maximum is far below

// Replaces "{min}" and "{max}" in a catalog text with the policy's numbers.
std::string with_limits(std::string text, const PasswordPolicy& policy) {
    for (const auto& [name, value] : {std::pair<std::string, std::size_t>{"{min}", policy.min_length},
                                      std::pair<std::string, std::size_t>{"{max}", policy.max_length}}) {
        for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at))
            text.replace(at, name.size(), std::to_string(value));
    }
    return text;
}

struct Problem {
    const char* code;        // stable, for the API
    std::string message;     // localized, for people
};

std::vector<Problem> problems_of(const Exchange& exchange, const PasswordChanger::Outcome& outcome) {
    const PasswordPolicy& policy = exchange.context.password_rules.policy;
    std::vector<Problem> problems;
    if (outcome.mismatch) problems.push_back({"mismatch", exchange.text("password_error_mismatch")});
    for (PasswordRule rule : outcome.violations)
        problems.push_back({to_string(rule), with_limits(exchange.text(std::string("password_rule_") + to_string(rule)), policy)});
    return problems;
}

Response password_form(const Exchange& exchange, int status, const std::vector<std::string>& errors) {
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& error : errors) list.push_back({{"text", error}});
    nlohmann::json view = {{"username", exchange.account->username},
                           {"errors", list},
                           {"has_errors", !errors.empty()},
                           {"min_length_hint", with_limits(exchange.text("password_min_hint"),
                                                           exchange.context.password_rules.policy)}};
    return page(exchange, status, "password", "change_password", std::move(view), "password");
}

// Passwords that live elsewhere (no hash here: another front signs people in) are changed there.
bool managed_elsewhere(const Exchange& exchange) { return exchange.account->password_hash.empty(); }

Response managed_elsewhere_page(const Exchange& exchange) {
    nlohmann::json view = {{"status", "409"},
                           {"title", exchange.text("password_external_title")},
                           {"message", exchange.text("password_external")}};
    return page(exchange, 409, "error", "password_external_title", std::move(view), "password");
}

const std::string* field(const Request& request, const char* name) {
    return request.form_count(name) == 1 ? request.form_value(name) : nullptr;
}

PasswordChanger::Outcome run_change(Exchange& exchange, const std::string& current, const std::string& next,
                                    const std::string& confirmation) {
    Context& context = exchange.context;
    PasswordChanger changer(context.store, context.hasher, context.password_rules);
    ClientInfo client{exchange.request.client_ip, exchange.request.user_agent};
    return changer.change(*exchange.account, current, next, confirmation, client, context.now);
}

}  // namespace

Response show_password(Exchange& exchange) {
    if (managed_elsewhere(exchange)) return managed_elsewhere_page(exchange);
    return password_form(exchange, 200, {});
}

Response change_password(Exchange& exchange) {
    if (managed_elsewhere(exchange)) return managed_elsewhere_page(exchange);
    const Request& request = exchange.request;
    const std::string* current = field(request, "current_password");
    const std::string* next = field(request, "new_password");
    const std::string* confirmation = field(request, "confirm_password");
    if (!current || !next || !confirmation || current->empty() || next->empty() || confirmation->empty() ||
        current->size() > max_password_field || confirmation->size() > max_password_field)
        return password_form(exchange, 400, {exchange.text("password_error_required")});
    std::string candidate = next->size() > max_password_field ? next->substr(0, max_password_field + 1) : *next;
    PasswordChanger::Outcome outcome = run_change(exchange, *current, candidate, *confirmation);
    switch (outcome.status) {
    case PasswordChanger::Status::changed: {
        Response response;
        response.status = 303;
        response.set_header("Location", request.base_path + "/login?password_changed=1");
        response.end_session = true;  // every session ended with the change; say so to this browser
        response.end_reason = "password_changed";
        return response;
    }
    case PasswordChanger::Status::wrong_current:
        return password_form(exchange, 400, {exchange.text("password_error_wrong_current")});
    case PasswordChanger::Status::locked:
        return password_form(exchange, 423, {exchange.text("password_error_locked")});
    case PasswordChanger::Status::rejected: break;
    }
    std::vector<std::string> errors;
    for (const Problem& problem : problems_of(exchange, outcome)) errors.push_back(problem.message);
    return password_form(exchange, 400, errors);
}

Response api_change_password(Exchange& exchange) {
    auto error = [&](int status, const char* code, const std::string& message, nlohmann::json extra = nullptr) {
        nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
        if (!extra.is_null()) body["error"]["violations"] = std::move(extra);
        return json_response(status, body);
    };
    if (managed_elsewhere(exchange))
        return error(409, "password_managed_elsewhere", exchange.text("password_external"));
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
    nlohmann::json codes = nlohmann::json::array();
    std::string messages;
    for (const Problem& problem : problems_of(exchange, outcome)) {
        codes.push_back(problem.code);
        messages += (messages.empty() ? "" : " ") + problem.message;
    }
    return error(400, "password_policy", messages, codes);
}

}  // namespace myaccount::web
