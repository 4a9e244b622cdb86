// Reading a new password from standard input and checking it against the password policy.
#pragma once

#include <string>

#include "core/password_policy.hpp"

namespace myaccount::cli {

// A password in memory: wiped when it goes out of scope.
class SecretString {
public:
    SecretString() = default;
    ~SecretString();
    SecretString(const SecretString&) = delete;
    SecretString& operator=(const SecretString&) = delete;

    std::string& value() { return value_; }
    const std::string& value() const { return value_; }

private:
    std::string value_;
};

// Reads one line from standard input (dropping one trailing "\n" or "\r\n"); prompts twice, with
// echo off, when standard input is a terminal. Throws CommandError when nothing can be read or the
// password breaks the default PasswordPolicy's lengths ("password is too short: at least 12
// characters") or is too easy to guess, with `whose` words (user ID, name, e-mail) in zxcvbn's
// dictionary. The common-password list and the personal-info rule are the portal's: an
// administrator may set a first password the person then changes.
void read_new_password(SecretString& password, const PasswordContext& whose);

}  // namespace myaccount::cli
