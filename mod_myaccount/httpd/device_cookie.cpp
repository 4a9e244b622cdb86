// The device cookie: read once per request, written at each sign-in, checked by the provider.
#include "httpd/device_cookie.hpp"

#include <util_cookies.h>

#include "core/devices.hpp"
#include "httpd/request_context.hpp"
#include "httpd/request_state.hpp"

namespace myaccount::httpd {

namespace {

constexpr const char* device_cookie = "myaccount_device";  // "__Host-" in front on https
constexpr long device_cookie_seconds = 400L * 86400;

std::string device_cookie_name(request_rec* r) {
    return is_https(r) ? std::string("__Host-") + device_cookie : device_cookie;
}

}  // namespace

const std::string& device_token_of(request_rec* r) {
    RequestState* state = request_state(r, true);
    if (!state->device_token_read) {
        state->device_token_read = true;
        const char* token = nullptr;
        ap_cookie_read(r, device_cookie_name(r).c_str(), &token, 1);
        if (token && DeviceRegistry::looks_like_token(token)) state->device_token = token;
    }
    return state->device_token;
}

void write_device_cookie(request_rec* r, const std::string& token) {
    ap_cookie_write(r, device_cookie_name(r).c_str(), token.c_str(), cookie_attributes(r), device_cookie_seconds,
                    r->err_headers_out, nullptr);
}

std::optional<Account> device_disabled_for(request_rec* r, Runtime& runtime, const char* user) {
    const std::string& token = device_token_of(r);
    if (token.empty()) return std::nullopt;
    Store& store = request_store(r, runtime);
    std::optional<Account> account = store.find_account(user);
    if (!account || !DeviceRegistry(store).disabled_for(*account, token)) return std::nullopt;
    return account;
}

}  // namespace myaccount::httpd
