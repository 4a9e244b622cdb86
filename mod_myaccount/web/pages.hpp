// One function per page or API endpoint; the router picks one.
#pragma once

#include "web/respond.hpp"

namespace myaccount::web {

Response show_profile(Exchange& exchange);   // GET  /
Response show_photo(Exchange& exchange);     // GET  /photo
Response show_login(Exchange& exchange);     // GET  /login
Response sign_out(Exchange& exchange);       // POST /signout, POST /api/v1/signout
// This browser's session ends with `reason`: the API answers api_body, a page goes to the sign-in
// page with ?login_flag=1 (which says why).
Response signed_out(Exchange& exchange, const char* login_flag, nlohmann::json api_body, const char* reason);
Response show_sign_out_everywhere(Exchange& exchange);  // GET  /sign-out-everywhere (Yes / No)
Response sign_out_everywhere(Exchange& exchange);       // POST /sign-out-everywhere, DELETE /api/v1/me/sessions
Response show_devices(Exchange& exchange);              // GET  /devices: where the user is signed in
Response end_session_form(Exchange& exchange);          // POST /devices/sessions/end {session}
Response end_other_sessions_form(Exchange& exchange);   // POST /devices/sessions/end-others
Response show_disable_device(Exchange& exchange);       // GET  /devices/disable?device=ID (Yes / No)
Response disable_device_form(Exchange& exchange);       // POST /devices/disable {device}
Response api_list_devices(Exchange& exchange);          // GET  /api/v1/me/devices
Response api_change_device(Exchange& exchange);         // PATCH /api/v1/me/devices/ID {"disabled": true}
Response show_organizations(Exchange& exchange);        // GET  /organizations
Response show_leave_organization(Exchange& exchange);   // GET  /organizations/leave?organization=ID (Yes / No)
Response leave_organization_form(Exchange& exchange);   // POST /organizations/leave {organization}
Response api_list_organizations(Exchange& exchange);    // GET  /api/v1/me/organizations
Response api_leave_organization(Exchange& exchange);    // DELETE /api/v1/me/organizations/ID
Response show_activity(Exchange& exchange);            // GET  /activity[?page=N]
Response api_activity(Exchange& exchange);             // GET  /api/v1/me/activity[?page=N&per_page=M]
Response show_not_me(Exchange& exchange);              // GET  /activity/not-me?entry=s12 (Yes / No)
Response not_me_form(Exchange& exchange);              // POST /activity/not-me {entry}: signs everything out
Response api_not_me(Exchange& exchange);               // POST /api/v1/me/activity/not-me {"id": "s12"}
Response confirm_method_form(Exchange& exchange);      // POST /security/methods/confirm {method}: a suspended one
Response show_terms(Exchange& exchange);               // GET  /terms[?return=…]
Response accept_terms_form(Exchange& exchange);        // POST /terms/accept {version, language, return}
Response decline_terms_form(Exchange& exchange);       // POST /terms/decline: signs this browser out
Response api_terms(Exchange& exchange);                // GET  /api/v1/me/terms
Response api_accept_terms(Exchange& exchange);         // POST /api/v1/me/terms/acceptances {version_id, language}
Response api_list_sessions(Exchange& exchange);         // GET  /api/v1/me/sessions
Response api_end_session(Exchange& exchange);           // DELETE /api/v1/me/sessions/{id|others}
Response api_me(Exchange& exchange);         // GET  /api/v1/me
Response serve_static(Exchange& exchange);   // GET  /static/<file>
Response show_password(Exchange& exchange);  // GET  /password
Response change_password(Exchange& exchange);      // POST /password
Response api_change_password(Exchange& exchange);  // POST /api/v1/me/password

// Self-service password reset (not signed in).
Response show_reset(Exchange& exchange);           // GET  /reset
Response start_reset(Exchange& exchange);          // POST /reset
Response show_reset_verify(Exchange& exchange);    // GET  /reset/verify
Response send_reset_code(Exchange& exchange);      // POST /reset/send
Response check_reset_code(Exchange& exchange);     // POST /reset/code
Response check_reset_app_code(Exchange& exchange);  // POST /reset/app-code (an authenticator's code)
Response check_reset_recovery_code(Exchange& exchange);  // POST /reset/recovery-code
Response show_reset_password(Exchange& exchange);  // GET  /reset/password
Response finish_reset(Exchange& exchange);         // POST /reset/password

// Security info: sign-in and reset methods, app passwords, remembered browsers (signed in).
Response show_security(Exchange& exchange);        // GET  /security
Response add_email_method(Exchange& exchange);     // POST /security/email
Response verify_email_method(Exchange& exchange);  // POST /security/email/verify
Response show_add_method(Exchange& exchange);      // GET  /security/add
Response start_authenticator(Exchange& exchange);  // POST /security/authenticator
Response confirm_authenticator_form(Exchange& exchange);  // POST /security/authenticator/confirm
Response create_recovery_codes(Exchange& exchange);       // POST /security/recovery-codes
Response add_phone_method(Exchange& exchange);     // POST /security/phone
Response verify_phone_method(Exchange& exchange);  // POST /security/phone/verify
Response rename_method_form(Exchange& exchange);   // POST /security/methods/rename
Response default_method_form(Exchange& exchange);  // POST /security/methods/default
Response remove_method_form(Exchange& exchange);   // POST /security/methods/remove (and /security/email/remove)
Response create_app_password_form(Exchange& exchange);  // POST /security/app-passwords
Response revoke_app_password_form(Exchange& exchange);  // POST /security/app-passwords/revoke
Response forget_browser_form(Exchange& exchange);       // POST /security/browsers/forget
// The same as JSON: GET, POST /api/v1/me/methods; GET, PATCH, DELETE /api/v1/me/methods/{id};
// POST /api/v1/me/methods/{id}/verify.
Response api_list_methods(Exchange& exchange);
Response api_add_method(Exchange& exchange);
Response api_show_method(Exchange& exchange);
Response api_verify_method(Exchange& exchange);
Response api_change_method(Exchange& exchange);
Response api_remove_method(Exchange& exchange);
Response show_register(Exchange& exchange);        // GET  /security/register (after sign-in)
Response postpone_register(Exchange& exchange);    // POST /security/postpone

// The second step (signed in, open before it is passed): web/verify_page.cpp.
Response show_verify(Exchange& exchange);            // GET  /verify?return=…[&recent=1][&method=ID|recovery]
Response check_verify_code(Exchange& exchange);      // POST /verify
Response show_verify_done(Exchange& exchange);       // GET  /verify/done?return=…[&recovery=1][&clock=1]
Response send_verify_code(Exchange& exchange);       // POST /verify/send (e-mail and phone methods)
Response confirm_password_step(Exchange& exchange);  // POST /verify/password (a recent proof without methods)
// GET /security/register: registering a 2-step method first (MyAccountRequireMFA All), else the
// request to register reset methods (show_register).
Response show_register_first(Exchange& exchange);

// The sign-in form's nonce: the browser's cookie while it is well formed, else a fresh one
// the response must set (several open tabs all stay valid).
struct FormNonce {
    std::string value;
    bool fresh = false;
};
FormNonce sign_in_form_nonce(const Request& request);
// Reset forms carry mac(flow token): only the browser holding the flow can post to it.
std::string reset_form_token(const SecretKey& key, const std::string& flow_token);

}  // namespace myaccount::web
