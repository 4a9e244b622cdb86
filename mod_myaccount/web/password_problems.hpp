// Why a new password was refused, in words for people and codes for the API (change and reset).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/password_policy.hpp"
#include "web/respond.hpp"

namespace myaccount::web {

// One line of zxcvbn's feedback: the warning or a suggestion.
struct PasswordHint {
    const char* code;     // stable, for the API: a GuessWarning or GuessSuggestion name
    std::string message;  // localized, for people
    bool warning;         // the warning (why); else a suggestion (what would help)
};

struct PasswordProblem {
    const char* code;     // stable, for the API
    std::string message;  // localized, for people
    std::vector<PasswordHint> hints;  // `guessable` only: why, then what would help
};

std::vector<PasswordProblem> password_problems(const Exchange& exchange, bool mismatch,
                                               const std::vector<PasswordRule>& violations,
                                               const GuessFeedback& feedback);
// "At least {min} characters" with the policy's numbers.
std::string password_min_hint(const Exchange& exchange);
// The view's {errors, has_errors} from localized messages.
nlohmann::json error_list(const std::vector<std::string>& messages);
// The same from the problems of a refused password, each with its hints ({text, has_hints, hints}).
nlohmann::json problem_list(const std::vector<PasswordProblem>& problems);
// The API's error body for refused passwords: {code, message (every problem's and hint's),
// violations (codes), feedback {warning, suggestions} (codes) when one is guessable}.
nlohmann::json password_policy_error(const std::vector<PasswordProblem>& problems);

constexpr std::size_t max_password_field = 4096;  // bytes; the policy's maximum is far below

// The new password and its confirmation from a form: each once and non-empty, the confirmation
// within max_password_field. An overlong new password is kept one byte past the limit, so the
// policy names it too long instead of the form losing it. None when a field is missing.
struct NewPasswordFields {
    std::string next;
    std::string confirmation;
};
std::optional<NewPasswordFields> new_password_fields(const Request& request);
}  // namespace myaccount::web
