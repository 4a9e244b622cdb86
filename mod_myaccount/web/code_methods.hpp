// Adding a method that a code sent to it proves — an e-mail address, a phone — for the pages and
// the JSON API alike: the start (checks, the code sent now) and the confirmation (the method
// registered, the notice posted). Each way in only words the outcome its own way.
#pragma once

#include <optional>
#include <string>

#include "core/methods/method_registration.hpp"
#include "core/methods/phone_registration.hpp"
#include "web/respond.hpp"

namespace myaccount::web {

MethodRegistration email_registration(const Exchange& exchange);
PhoneRegistration phone_registration(const Exchange& exchange);

// The start: a code went out (`refusal` empty; the challenge token and where it went), or why
// not: the HTTP status, an error code for the API and the message in the user's language.
struct Refusal {
    int status = 400;
    const char* code = "";
    std::string message;
};
struct CodeSent {
    std::string challenge;
    std::string recipient;  // the address as registered, or the E.164 number
    std::optional<Refusal> refusal;
};
// `password`: the current password, which adding an address asks for (counts like a sign-in).
CodeSent begin_email_method(const Exchange& exchange, const std::string& address, const std::string& password);
CodeSent begin_phone_method(const Exchange& exchange, const std::string& typed, PhoneType type);

// The method the code proved, now registered (the user is told); none for a wrong or spent code.
std::optional<VerificationMethod> confirm_email_method(const Exchange& exchange, const std::string& challenge,
                                                       const std::string& code);
std::optional<VerificationMethod> confirm_phone_method(const Exchange& exchange, const std::string& challenge,
                                                       const std::string& code, PhoneType type,
                                                       const std::string& label);

}  // namespace myaccount::web
