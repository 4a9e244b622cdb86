#include "httpd/hashing_admission.hpp"

#include <string>

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <apr_strings.h>
#include <strings.h>

#include "core/hashing_slots.hpp"
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

}  // namespace

int turn_away_when_crowded(request_rec* r) {
    try {
        Runtime* runtime = server_config(r->server).runtime;
        if (r->main || !runtime || !runtime->hashing_slots.crowded()) return DECLINED;
        if (!brings_basic_credentials(r)) return DECLINED;
        apr_table_setn(r->err_headers_out, "Retry-After", apr_itoa(r->pool, busy_retry_after_seconds));
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "%s: a sign-in from %s turned away: too many password checks at once in this process",
                      msg::sign_in, r->useragent_ip);
        return HTTP_SERVICE_UNAVAILABLE;
    } catch (...) {
        return DECLINED;  // admission is an optimisation: the hasher's own bound still holds
    }
}

}  // namespace myaccount::httpd
