// What a page or API handler sees of a request and gives back: plain data, no httpd types.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.hpp"

namespace myaccount::web {

using Fields = std::vector<std::pair<std::string, std::string>>;

// The signed-in person as the front established them for this request.
struct Principal {
    std::string username;                 // r->user
    std::optional<Account> account;       // loaded by the session store, when it has it
    std::string csrf_binding;             // secret per-session value the CSRF token is bound to
    // The module's server-side session behind this request, when there is one (MyAccountSession
    // On): when the password was proven and whether and when the second step was passed.
    std::optional<Session> session;
};

struct Request {
    std::string method;          // "GET", "POST", ...
    std::string base_path;       // where SetHandler myaccount is mounted, e.g. "/myaccount"
    std::string route;           // the path below base_path, e.g. "/", "/photo", "/api/v1/me"
    Fields query_fields;         // the query decoded by httpd, in order
    bool https = false;
    std::string client_ip;
    std::string user_agent;
    std::string device_token;  // the device cookie ("" without one): familiar clients, smart lockout
    std::string accept_language;
    std::string content_type;
    std::string accept;          // Accept header (JSON clients get JSON answers from the second step)
    std::string csrf_header;     // X-CSRF-Token
    std::string origin;          // Origin header, if any
    std::string own_origin;      // this server as the browser addressed it: scheme://Host
    std::string sec_fetch_site;  // Sec-Fetch-Site header, if any
    std::string redirect_url;    // REDIRECT_URL when served as an ErrorDocument
    std::string redirect_query;  // REDIRECT_QUERY_STRING
    int redirect_status = 0;     // REDIRECT_STATUS
    std::optional<Principal> principal;
    std::string login_nonce;     // the browser's sign-in form cookie (binds the form's CSRF token)
    std::string reset_token;     // the browser's password-reset flow cookie
    bool login_form_rejected = false;  // the sign-in this page answers lacked a valid form token
    bool login_locked = false;         // the sign-in this page answers met a temporary lock
    bool login_busy = false;           // ... was turned away: too many password checks at once
    bool login_device_disabled = false; // ... came from a device disabled for that account
    bool login_reset_required = false;  // ... had the right password, but a new one is due first
    std::string login_username;        // the sign-in ID that sign-in typed
    Fields form;                 // urlencoded body fields, in order (POST only)
    std::string body;            // raw body for JSON requests
    bool body_error = false;     // the body could not be read or parsed (too large, bad encoding)

    const std::string* form_value(const std::string& name) const;   // first value, or null
    const std::string* query_value(const std::string& name) const;  // first value, or null
    bool has_flag(const std::string& name) const;                   // the query says name=1
    std::size_t form_count(const std::string& name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Location, ...)
    std::string body;
    bool end_session = false;    // the adapter ends the server-side session and clears its cookie
    std::string end_reason = "signed_out";  // recorded with the ended session (activity page)
    std::string new_login_nonce; // the adapter sets it as the sign-in form cookie
    // Set: the adapter sets the reset flow cookie to it; set to "": the adapter clears the cookie.
    std::optional<std::string> reset_cookie;
    // The second step was just passed: the adapter replaces the session with a new one (new id)
    // marked verified now, before the response goes out.
    bool second_factor_passed = false;
    // The password was typed again (a recent proof without any 2-step method): the adapter
    // replaces the session with a new one whose password time is now.
    bool password_confirmed = false;
    // Set: the adapter sets the remembered-browser cookie to it (MyAccountRememberBrowser).
    std::optional<std::string> remember_cookie;

    void set_header(const std::string& name, const std::string& value);
};

}  // namespace myaccount::web
