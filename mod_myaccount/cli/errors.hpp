// The two ways a myaccountctl command fails, and the exit status each one maps to.
#pragma once

#include <stdexcept>
#include <string>

namespace myaccount::cli {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;  // the command was understood but could not be carried out
constexpr int exit_usage = 2;    // the command line itself is wrong

// A malformed command line. `command` is what to suggest --help for ("user add", or "" for the top).
class UsageError : public std::runtime_error {
public:
    UsageError(const std::string& message, std::string command = {})
        : std::runtime_error(message), command_(std::move(command)) {}
    const std::string& command() const noexcept { return command_; }

private:
    std::string command_;
};

// A well-formed command that cannot be done: unknown user, invalid value, unreadable file, ...
class CommandError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace myaccount::cli
