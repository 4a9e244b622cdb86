// The sign-in guard's reading of a posted form: token fields and NUL bytes.
#include "web/sign_in_form.hpp"

#include "web/urlencoded.hpp"

namespace myaccount::web {

SignInFormScan scan_sign_in_form(std::string_view body) {
    SignInFormScan scan;
    // Decoded whole: fails on any malformed escape, and holds a NUL for a raw one or %00.
    const std::optional<std::string> decoded = urldecoded(body);
    scan.has_nul = !decoded || decoded->find('\0') != std::string::npos;
    for (auto& [name, value] : parse_urlencoded(body)) {
        if (name != sign_in_token_field) continue;
        ++scan.tokens;
        scan.token = std::move(value);
    }
    return scan;
}

}  // namespace myaccount::web
