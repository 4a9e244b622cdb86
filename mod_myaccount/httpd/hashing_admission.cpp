#include "httpd/hashing_admission.hpp"

#include <optional>
#include <string>

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <http_protocol.h>
#include <apr_strings.h>
#include <strings.h>

#include "core/hashing_slots.hpp"
#include "core/text.hpp"
#include "httpd/credential_cache.hpp"
#include "httpd/request_state.hpp"
#include "httpd/config.hpp"
#include "httpd/request_context.hpp"
#include "httpd/runtime.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {

bool brings_basic_credentials(request_rec* r) {
    const char* authorization = apr_table_get(r->headers_in, "Authorization");
    return authorization && strncasecmp(authorization, "Basic ", 6) == 0;
}

// Credentials the credential cache holds need no hash: a script with them is not turned away.
bool cached_credentials(request_rec* r, Runtime& runtime) {
    const char* user = nullptr;
    const char* password = nullptr;
    if (ap_get_basic_auth_components(r, &user, &password) != APR_SUCCESS || !is_valid_username(user)) return false;
    const std::optional<Account> account = request_store(r, runtime).find_account(user);
    return account && CredentialCache(r, runtime.key).holds(*account, password);
}

}  // namespace

void log_turned_away(request_rec* r, Runtime& runtime) {
    ++runtime.turned_away_unlogged;
    const UnixTime now = now_of(r);
    UnixTime last = runtime.turned_away_logged_at.load();
    if (now <= last || !runtime.turned_away_logged_at.compare_exchange_strong(last, now)) return;
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  "%s: %ld sign-in(s) turned away since the last such line (this one from %s): too many password "
                  "checks at once in this process",
                  msg::sign_in, runtime.turned_away_unlogged.exchange(0), r->useragent_ip);
}

int turn_away_when_crowded(request_rec* r) {
    try {
        Runtime* runtime = server_config(r->server).runtime;
        if (r->main || !runtime || !runtime->hashing_slots.crowded()) return DECLINED;
        if (!brings_basic_credentials(r) || cached_credentials(r, *runtime)) return DECLINED;
        apr_table_setn(r->err_headers_out, "Retry-After", apr_itoa(r->pool, busy_retry_after_seconds));
        log_turned_away(r, *runtime);
        return HTTP_SERVICE_UNAVAILABLE;
    } catch (...) {
        return DECLINED;  // admission is an optimisation: the hasher's own bound still holds
    }
}

}  // namespace myaccount::httpd
