// Reading a new password from standard input and checking it against the password policy.
#include "cli/password_input.hpp"

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/errors.hpp"
#include "core/password_policy.hpp"

namespace myaccount::cli {

namespace {

// Far above any password the policy accepts (128 code points are at most 512 bytes), yet bounded:
// a line this long is refused as too long without reading the rest.
constexpr std::size_t max_line_bytes = std::size_t{64} * 1024;

void wipe(std::string& s) {
    sodium_memzero(s.data(), s.size());
    s.clear();
}

// Turns terminal echo off for its lifetime.
class EchoOff {
public:
    EchoOff() {
        if (::tcgetattr(STDIN_FILENO, &saved_) == 0) {
            termios quiet = saved_;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    ~EchoOff() {
        if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    termios saved_{};
    bool active_ = false;
};

// One line into `line`; false at end of input with nothing read. Sets `truncated` when the line
// was longer than max_line_bytes.
bool read_line(std::string& line, bool& truncated) {
    line.clear();
    truncated = false;
    bool any = false;
    for (int c = std::getchar(); c != EOF; c = std::getchar()) {
        any = true;
        if (c == '\n') break;
        if (line.size() >= max_line_bytes) {
            truncated = true;
            break;
        }
        line.push_back(static_cast<char>(c));
    }
    if (std::ferror(stdin)) throw CommandError("cannot read the password from standard input");
    if (!truncated && !line.empty() && line.back() == '\r') line.pop_back();
    return any;
}

std::string describe(PasswordRule rule, const PasswordPolicy& policy) {
    switch (rule) {
        case PasswordRule::too_short:
            return "password is too short: at least " + std::to_string(policy.min_length) + " characters";
        case PasswordRule::too_long:
            return "password is too long: at most " + std::to_string(policy.max_length) + " characters";
        case PasswordRule::invalid_utf8:
            return "password is not valid UTF-8";
        case PasswordRule::contains_nul:
            return "password must not contain a NUL character";
        case PasswordRule::common:
            return "password is too common";
        case PasswordRule::personal_info:
            return "password contains the user ID, name or e-mail address";
        case PasswordRule::guessable:
            return "password is too easy to guess: fewer than 10^" + std::to_string(policy.min_guesses_log10) +
                   " guesses by zxcvbn's estimate";
        case PasswordRule::same_as_current:
            return "password is the same as the current one";
        case PasswordRule::breached:
            return "password has appeared in a data breach";
        case PasswordRule::reused:
            return "password was used recently";
    }
    return std::string("password is not allowed (") + to_string(rule) + ")";
}

// zxcvbn's feedback in the words of the portal's English catalog.
const char* describe(GuessWarning warning) {
    switch (warning) {
        case GuessWarning::none: return "";
        case GuessWarning::common_word: return "common words, names and passwords are easy to guess";
        case GuessWarning::personal_word: return "the user ID, name or e-mail address is easy to guess";
        case GuessWarning::keyboard: return "rows and patterns of keys are easy to guess";
        case GuessWarning::repeats: return "repeats like aaa or abcabc are easy to guess";
        case GuessWarning::sequence: return "sequences like abc or 6543 are easy to guess";
        case GuessWarning::dates: return "dates and years are easy to guess";
    }
    return "";
}

const char* describe(GuessSuggestion suggestion) {
    switch (suggestion) {
        case GuessSuggestion::add_words: return "add another word or two, uncommon ones";
        case GuessSuggestion::capitals: return "capital letters don't help very much";
        case GuessSuggestion::substitutions: return "substitutions like @ for a don't help very much";
        case GuessSuggestion::avoid_personal: return "leave out the user ID, name and e-mail address";
        case GuessSuggestion::avoid_keyboard: return "avoid rows and patterns of keys";
        case GuessSuggestion::avoid_repeats: return "avoid repeated words and characters";
        case GuessSuggestion::avoid_sequences: return "avoid sequences";
        case GuessSuggestion::avoid_dates: return "avoid dates and years";
    }
    return "";
}

std::string describe(const GuessFeedback& feedback) {
    std::string text;
    if (feedback.warning != GuessWarning::none) text += std::string("; ") + describe(feedback.warning);
    for (GuessSuggestion suggestion : feedback.suggestions) text += std::string("; ") + describe(suggestion);
    return text;
}

void check_policy(const std::string& password, bool truncated, const PasswordContext& whose) {
    const PasswordPolicy policy;
    if (truncated) throw CommandError(describe(PasswordRule::too_long, policy));
    std::string message;
    for (const PasswordRule rule : violations(policy, password)) {
        message += (message.empty() ? "" : "; ") + describe(rule, policy);
    }
    if (!message.empty()) throw CommandError(message);
    if (std::optional<GuessFeedback> feedback = guessability(policy, password, whose))
        throw CommandError(describe(PasswordRule::guessable, policy) + describe(*feedback));
}

}  // namespace

SecretString::~SecretString() { wipe(value_); }

void read_new_password(SecretString& password, const PasswordContext& whose) {
    bool truncated = false;
    if (::isatty(STDIN_FILENO) == 0) {
        if (!read_line(password.value(), truncated)) {
            throw CommandError("no password on standard input (--password-stdin reads one line)");
        }
        check_policy(password.value(), truncated, whose);
        return;
    }
    SecretString again;
    {
        EchoOff quiet;
        std::cerr << "New password: " << std::flush;
        const bool got = read_line(password.value(), truncated);
        std::cerr << '\n';
        if (!got) throw CommandError("no password entered");
        check_policy(password.value(), truncated, whose);
        std::cerr << "Repeat the password: " << std::flush;
        static_cast<void>(read_line(again.value(), truncated));
        std::cerr << '\n';
    }
    if (again.value() != password.value()) throw CommandError("the passwords do not match");
}

}  // namespace myaccount::cli
