// Request-level helpers shared by the hooks.
#include "httpd/request_context.hpp"

#include <apr_strings.h>
#include <http_protocol.h>

#include "core/text.hpp"
#include "httpd/directive_table.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {
constexpr std::size_t max_user_agent = 256;
}

Runtime* runtime_for(request_rec* r) {
    Runtime* runtime = server_config(r->server).runtime;
    if (!runtime)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "%s: mod_myaccount is used here but %s or %s is not set for this server", msg::not_configured,
                      directive_name::database, directive_name::secret_key_file);
    return runtime;
}

UnixTime now_of(const request_rec* r) { return static_cast<UnixTime>(apr_time_sec(r->request_time)); }

ClientInfo client_of(const request_rec* r) {
    ClientInfo client;
    client.ip = r->useragent_ip ? r->useragent_ip : "";
    const char* agent = apr_table_get(r->headers_in, "User-Agent");
    std::string text = agent ? std::string(agent).substr(0, max_user_agent) : std::string();
    while (!text.empty() && !is_valid_utf8(text)) text.pop_back();
    if (has_control_characters(text)) text.clear();
    client.user_agent = text;
    return client;
}

bool is_https(request_rec* r) { return std::string(ap_http_scheme(r)) == "https"; }

std::string own_origin(request_rec* r) {
    const char* host = apr_table_get(r->headers_in, "Host");
    return std::string(is_https(r) ? "https://" : "http://") + (host ? host : "");
}

std::string cookie_name(request_rec* r, const Runtime& runtime) {
    if (!runtime.settings.cookie_name.empty()) return runtime.settings.cookie_name;
    // __Host- binds the cookie to this host and path /, and needs Secure: only on https.
    return is_https(r) ? std::string("__Host-") + default_cookie_name : default_cookie_name;
}

std::string login_cookie_name(request_rec* r) {
    return is_https(r) ? "__Host-myaccount_login" : "myaccount_login";
}

const char* cookie_attributes(request_rec* r) {
    return is_https(r) ? "Path=/;HttpOnly;SameSite=Lax;Secure" : "Path=/;HttpOnly;SameSite=Lax";
}

const char* loggable(request_rec* r, const std::string& value) {
    return ap_escape_logitem(r->pool, value.substr(0, 128).c_str());
}

}  // namespace myaccount::httpd
