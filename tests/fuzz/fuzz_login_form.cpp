// The sign-in guard's reading of a posted form (web/sign_in_form): whenever it finds no NUL byte,
// httpd's own form parser, which mod_auth_form takes the password from, finds none either.
#include "fuzz_support.hpp"
#include "web/sign_in_form.hpp"
#include "web/urlencoded.hpp"

using namespace myaccount;

namespace {

// One hex digit as httpd's form parser (ap_parse_form_data) reads it: it never checks that the
// byte is one, so any byte has a value, and the escape's sum wraps at a byte.
int httpd_nibble(char c) { return c >= 'A' ? ((c & 0xdf) - 'A') + 10 : c - '0'; }

// Whether httpd's form parser would hand mod_auth_form a NUL byte: '+' is a space, '%' starts an
// escape of the next two bytes (a '%' among them starts it again).
bool httpd_form_decoding_has_nul(std::string_view body) {
    int escape_bytes_seen = -1;  // -1: not in an escape
    char first = 0;
    for (char c : body) {
        if (c == '+') c = ' ';
        if (c == '%') {
            escape_bytes_seen = 0;
            continue;
        }
        if (escape_bytes_seen == 0) {
            first = c;
            escape_bytes_seen = 1;
            continue;
        }
        if (escape_bytes_seen == 1) {
            c = static_cast<char>((httpd_nibble(first) * 16 + httpd_nibble(c)) & 0xff);
            escape_bytes_seen = -1;
        }
        if (c == '\0') return true;
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = fuzz::text_of(data, size);
    const web::SignInFormScan scan = web::scan_sign_in_form(body);
    if (!scan.has_nul)
        fuzz::require(!httpd_form_decoding_has_nul(body), "a form judged free of NUL bytes reaches mod_auth_form without one");
    std::size_t token_fields = 0;
    for (const auto& [name, value] : web::parse_urlencoded(body)) token_fields += name == web::sign_in_token_field;
    fuzz::require(static_cast<std::size_t>(scan.tokens) == token_fields, "every token field is counted");
    return 0;
}
