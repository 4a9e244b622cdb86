// Reading a new password from standard input and checking it against the password policy.
#pragma once

#include <string>

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
// password breaks the default PasswordPolicy ("password is too short: at least 12 characters").
void read_new_password(SecretString& password);

}  // namespace myaccount::cli
