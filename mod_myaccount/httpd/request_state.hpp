// What the session store, the password provider, the handler and the redirect guard learn about
// one request and pass to each other (kept on the main request, freed with its pool).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/session_registry.hpp"

#include "httpd/runtime.hpp"
#include "httpd/session_store.hpp"

namespace myaccount::httpd {

struct RequestState {
    // The store connection this request uses from the session load to the handler (one lease,
    // returned to the child's pool with the request).
    std::unique_ptr<StorePool::Lease> store;
    // Set by the session store when the cookie named a live session.
    std::optional<SessionRegistry::Active> session;
    // Per-request stand-in for the password in the session mod_auth_form reads back; it proves
    // "this came from the live session" to our provider without any password being stored.
    std::string session_proof;
    std::string stored_data;       // the session's entries as loaded, to notice changes
    session_rec* loaded = nullptr; // what mod_session got from us for this request
    bool clear_cookie = false;     // the browser sent a cookie that names no live session
    bool ended = false;            // the session ended during this request (sign-out)
    // Set by the login guard on form posts: the guard is in place, some of the body went through
    // it, it judged the whole form, the form came from this site (see login_guard.hpp), and
    // whether a value held a NUL byte (the password mod_auth_form passes on would be cut short).
    bool login_form_guarded = false;
    const request_rec* guarded_request = nullptr;  // the request (of an internal redirect chain) the guard reads
    bool form_body_started = false;
    bool login_form_judged = false;
    bool login_form_ok = false;
    bool form_had_nul = false;
    // Set by the provider when it refused a sign-in for the form's sake (the page then says why).
    bool login_form_rejected = false;
    // Set by the provider when a password posted in a form signed someone in during this request
    // (the sign-in redirect is then checked and may ask them to register reset methods first).
    bool form_signed_in = false;
    // Set by the provider for the sign-in page that answers a failed form sign-in: the ID as typed
    // (the form keeps it) and whether the answer is "temporarily locked".
    std::string typed_username;
    bool sign_in_locked = false;
    // The password was not checked: too many checks at once in this process (HashingBusy).
    bool hashing_busy = false;
    // Set by the password provider when a password check succeeded during this request.
    std::optional<Account> verified;
    // Set by the password provider when what it granted was an app password (HTTP Basic): the
    // gate lets it through where 2-step verification is required, as it does not the account's.
    bool app_password = false;
    // The remembered-browser cookie, taken out of the request by the session store (applications
    // behind the front never see it); a sign-in during this request skips the second step with it.
    std::string remembered_token;
    // The device cookie (device_token_of: read once and taken out of the request), and whether the
    // provider refused a sign-in because that device is disabled for the account.
    std::string device_token;
    bool device_token_read = false;
    bool device_disabled = false;
    // The provider refused the right password because a new one is due ("This wasn't me").
    bool password_reset_required = false;
};

// The state of the client request r serves (through subrequests and internal redirects), created
// on first use when `create`.
RequestState* request_state(request_rec* r, bool create);

// The store connection of r's main request, leased from the runtime on first use.
Store& request_store(request_rec* r, Runtime& runtime);

}  // namespace myaccount::httpd
