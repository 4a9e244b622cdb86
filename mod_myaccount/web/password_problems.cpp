// Localized reasons for refused passwords.
#include "web/password_problems.hpp"

namespace myaccount::web {

namespace {
std::string with_limits(const std::string& text, const PasswordPolicy& policy) {
    return fill(text, {{"min", std::to_string(policy.min_length)}, {"max", std::to_string(policy.max_length)}});
}

// zxcvbn's warning, then its suggestions, each in the person's language.
std::vector<PasswordHint> hints_of(const Exchange& exchange, const GuessFeedback& feedback) {
    std::vector<PasswordHint> hints;
    if (feedback.warning != GuessWarning::none) {
        const char* code = to_string(feedback.warning);
        hints.push_back({code, exchange.text(std::string("password_warning_") + code), true});
    }
    for (GuessSuggestion suggestion : feedback.suggestions) {
        const char* code = to_string(suggestion);
        hints.push_back({code, exchange.text(std::string("password_suggestion_") + code), false});
    }
    return hints;
}
}  // namespace

std::vector<PasswordProblem> password_problems(const Exchange& exchange, bool mismatch,
                                               const std::vector<PasswordRule>& violations,
                                               const GuessFeedback& feedback) {
    const PasswordPolicy& policy = exchange.context.password_rules.policy;
    std::vector<PasswordProblem> problems;
    if (mismatch) problems.push_back({"mismatch", exchange.text("password_error_mismatch"), {}});
    for (PasswordRule rule : violations) {
        const std::string text = exchange.text(std::string("password_rule_") + to_string(rule));
        PasswordProblem problem{to_string(rule), with_limits(text, policy), {}};
        if (rule == PasswordRule::guessable) problem.hints = hints_of(exchange, feedback);
        problems.push_back(std::move(problem));
    }
    return problems;
}

std::string password_min_hint(const Exchange& exchange) {
    return with_limits(exchange.text("password_min_hint"), exchange.context.password_rules.policy);
}

std::optional<NewPasswordFields> new_password_fields(const Request& request) {
    const std::string* next = single_field(request, "new_password");
    const std::string* confirmation = single_field(request, "confirm_password");
    if (!next || !confirmation || next->empty() || confirmation->empty() || confirmation->size() > max_password_field)
        return std::nullopt;
    return NewPasswordFields{next->substr(0, max_password_field + 1), *confirmation};
}

nlohmann::json error_list(const std::vector<std::string>& messages) {
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& message : messages) list.push_back({{"text", message}});
    return {{"errors", list}, {"has_errors", !messages.empty()}};
}

nlohmann::json problem_list(const std::vector<PasswordProblem>& problems) {
    nlohmann::json list = nlohmann::json::array();
    for (const PasswordProblem& problem : problems) {
        nlohmann::json hints = nlohmann::json::array();
        for (const PasswordHint& hint : problem.hints) hints.push_back({{"text", hint.message}});
        list.push_back({{"text", problem.message}, {"has_hints", !problem.hints.empty()}, {"hints", hints}});
    }
    return {{"errors", list}, {"has_errors", !problems.empty()}};
}

nlohmann::json password_policy_error(const std::vector<PasswordProblem>& problems) {
    nlohmann::json codes = nlohmann::json::array();
    std::string messages;
    auto say = [&](const std::string& message) { messages += (messages.empty() ? "" : " ") + message; };
    nlohmann::json feedback;
    for (const PasswordProblem& problem : problems) {
        codes.push_back(problem.code);
        say(problem.message);
        if (problem.hints.empty()) continue;
        feedback = {{"warning", nullptr}, {"suggestions", nlohmann::json::array()}};
        for (const PasswordHint& hint : problem.hints) {
            say(hint.message);
            if (hint.warning) feedback["warning"] = hint.code;
            else feedback["suggestions"].push_back(hint.code);
        }
    }
    nlohmann::json error = {{"code", "password_policy"}, {"message", messages}, {"violations", codes}};
    if (!feedback.is_null()) error["feedback"] = feedback;
    return error;
}

}  // namespace myaccount::web
