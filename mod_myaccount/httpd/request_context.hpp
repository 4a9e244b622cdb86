// Helpers every hook uses to reach the core from a request_rec: runtime, clock, client, logging.
#pragma once

#include <string>

#include "core/client_info.hpp"
#include "core/model.hpp"
#include "httpd/module.hpp"
#include "httpd/runtime.hpp"

namespace myaccount::httpd {

// Stable message ids in the error log (grep-able, documented in README).
namespace msg {
inline constexpr const char* not_configured = "MYA0001";
inline constexpr const char* store_failed = "MYA0002";
inline constexpr const char* handler_failed = "MYA0003";
inline constexpr const char* sign_in = "MYA0101";
inline constexpr const char* session_started = "MYA0102";
inline constexpr const char* session_ended = "MYA0103";
inline constexpr const char* unsafe_redirect = "MYA0104";
inline constexpr const char* unverified_session = "MYA0105";
inline constexpr const char* gate_refused = "MYA0106";  // the gate stopped a request (info; warn when misconfigured)
inline constexpr const char* session_hooks_missing = "MYA0201";
inline constexpr const char* startup_failed = "MYA0202";
inline constexpr const char* notify_failed = "MYA0301";  // a notification not sent (CommandNotifier's logger)
}  // namespace msg

// The server's runtime, or nullptr (and one log line) when MyAccountDatabase/KeyFile are missing.
Runtime* runtime_for(request_rec* r);
UnixTime now_of(const request_rec* r);
ClientInfo client_of(const request_rec* r);
bool is_https(request_rec* r);
// This server as the browser addressed it: scheme://Host (what a same-origin Origin header says).
std::string own_origin(request_rec* r);
std::string cookie_name(request_rec* r, const Runtime& runtime);
// The cookie that binds the sign-in form's token to this browser.
std::string login_cookie_name(request_rec* r);
// Cookie attributes for the session cookie on this connection.
const char* cookie_attributes(request_rec* r);
// A user-supplied value made safe for one log line.
const char* loggable(request_rec* r, const std::string& value);

}  // namespace myaccount::httpd
