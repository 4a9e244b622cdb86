// Localized reasons for refused passwords.
#include "web/password_problems.hpp"

namespace myaccount::web {

namespace {
std::string with_limits(const std::string& text, const PasswordPolicy& policy) {
    return fill(text, {{"min", std::to_string(policy.min_length)}, {"max", std::to_string(policy.max_length)}});
}
}  // namespace

std::vector<PasswordProblem> password_problems(const Exchange& exchange, bool mismatch,
                                               const std::vector<PasswordRule>& violations) {
    const PasswordPolicy& policy = exchange.context.password_rules.policy;
    std::vector<PasswordProblem> problems;
    if (mismatch) problems.push_back({"mismatch", exchange.text("password_error_mismatch")});
    for (PasswordRule rule : violations)
        problems.push_back({to_string(rule), with_limits(exchange.text(std::string("password_rule_") + to_string(rule)), policy)});
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

}  // namespace myaccount::web
