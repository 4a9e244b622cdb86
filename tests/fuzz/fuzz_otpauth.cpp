// Authenticator set-up and codes (core/methods/totp): base32 of any secret decodes back to it, the
// otpauth:// URI keeps issuer and user inside its label, and a typed code is judged safely.
#include <liboath/oath.h>

#include <cstdlib>

#include "core/crypto.hpp"
#include "core/methods/totp.hpp"
#include "fuzz_support.hpp"
#include "web/urlencoded.hpp"

using namespace myaccount;

namespace {

constexpr UnixTime now = 1767225600;
const std::string fixed_secret = "12345678901234567890";  // RFC 6238's test secret

void require_base32_round_trip(const std::string& raw) {
    const std::string base32 = base32_of(raw);
    if (raw.empty()) return;
    char* decoded = nullptr;
    std::size_t decoded_length = 0;
    fuzz::require(oath_base32_decode(base32.data(), base32.size(), &decoded, &decoded_length) == OATH_OK,
                  "our base32 is what liboath reads");
    const bool same = std::string_view(decoded, decoded_length) == raw;
    std::free(decoded);
    fuzz::require(same, "base32 decodes back to the secret");
    std::string typed = grouped_for_typing(base32);
    fuzz::require(without_spaces(typed) == base32, "the grouped secret is the secret");
}

void require_uri_shape(const std::string& issuer, const std::string& user) {
    const std::string base32 = base32_of(fixed_secret);
    const std::string uri = otpauth_uri(issuer, user, base32);
    const std::string scheme = "otpauth://totp/";
    fuzz::require(uri.rfind(scheme, 0) == 0, "the URI is an otpauth totp URI");
    const std::size_t query = uri.find('?');
    fuzz::require(query != std::string::npos && uri.find('?', query + 1) == std::string::npos, "one query");
    const std::string label = uri.substr(scheme.size(), query - scheme.size());
    fuzz::require(label.find_first_of("/#& ") == std::string::npos, "the label is one path segment");
    const std::string expected = issuer.empty() ? user : issuer + ":" + user;
    const std::size_t colon = label.find(':');
    const std::string decoded = colon == std::string::npos
                                    ? web::urldecoded(label).value_or("?")
                                    : web::urldecoded(label.substr(0, colon)).value_or("?") + ":" +
                                          web::urldecoded(label.substr(colon + 1)).value_or("?");
    fuzz::require(decoded == expected, "the label reads back as issuer:user");
    fuzz::require(uri.find("?secret=" + base32 + "&") != std::string::npos, "the secret is its own parameter");
}

void require_code_judged(const std::string& code) {
    if (!looks_like_totp_code(code)) return;
    const std::string digits = without_spaces(code);
    fuzz::require(digits.size() == 6, "a code is six digits");
    const std::optional<TotpMatch> match = match_totp(fixed_secret, code, now, 1);
    if (match)
        fuzz::require(totp_code_at(fixed_secret, match->step * totp_period) == digits, "a match is that step's code");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool ready = (crypto_init(), true);
    (void)ready;
    const std::vector<std::string> parts = fuzz::fields_of(fuzz::text_of(data, size), 3);
    require_base32_round_trip(parts[0]);
    require_uri_shape(parts[0], parts[1]);
    require_code_judged(parts[2]);
    return 0;
}
