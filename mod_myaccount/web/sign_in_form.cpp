// The sign-in guard's reading of a posted form: token fields and NUL bytes.
#include "web/sign_in_form.hpp"

#include "web/urlencoded.hpp"

namespace myaccount::web {

SignInFormScan scan_sign_in_form(std::string_view body) {
    SignInFormScan scan;
    scan.has_nul = body.find('\0') != std::string_view::npos || body.find("%00") != std::string_view::npos;
    for (auto& [name, value] : parse_urlencoded(body)) {
        if (name != sign_in_token_field) continue;
        ++scan.tokens;
        scan.token = std::move(value);
    }
    return scan;
}

}  // namespace myaccount::web
