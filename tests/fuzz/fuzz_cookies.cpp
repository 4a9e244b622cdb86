// Cookie values (session, device, remembered browser, sign-in form nonce, reset flow): each is
// taken only when it has the shape of one of our tokens, and then only hashed before a look-up.
#include "core/crypto.hpp"
#include "core/session_registry.hpp"
#include "fuzz_support.hpp"

using namespace myaccount;

namespace {

bool is_base64url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// The values of a Cookie header as httpd's ap_cookie_read finds them: "name=value" between ';'.
std::vector<std::string> cookie_values(std::string_view header) {
    std::vector<std::string> values;
    while (!header.empty()) {
        const std::size_t semicolon = header.find(';');
        std::string_view pair = header.substr(0, semicolon);
        header.remove_prefix(semicolon == std::string_view::npos ? header.size() : semicolon + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const std::size_t equals = pair.find('=');
        if (equals != std::string_view::npos) values.emplace_back(pair.substr(equals + 1));
    }
    return values;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool ready = (crypto_init(), true);
    (void)ready;
    for (const std::string& value : cookie_values(fuzz::text_of(data, size))) {
        if (!SessionRegistry::looks_like_token(value)) continue;
        fuzz::require(value.size() == 43, "a token is 43 characters (32 bytes, base64url)");
        for (char c : value) fuzz::require(is_base64url(c), "a token has only base64url characters");
        const std::string hash = hash_token(value);
        fuzz::require(hash.size() == 32 && hash == hash_token(value), "a token's hash is 32 bytes and stable");
    }
    return 0;
}
