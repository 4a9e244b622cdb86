// mod_session storage kept server-side in the module's store (like mod_session_dbd): the cookie
// carries a random token, the password mod_auth_form puts in the session never leaves memory.
#pragma once

#include <cstdint>
#include <string>

#include <httpd.h>

extern "C" {
#include <mod_session.h>  // has no extern "C" guard of its own
}

namespace myaccount::httpd {

int load_session(request_rec* r, session_rec** z);
int save_session(request_rec* r, session_rec* z);
// Ends the request's session now (sign-out) and tells the browser to drop the cookie.
void end_current_session(request_rec* r, const char* reason);

// What this request proved beyond the password of its session: the second step, or the password
// typed again (a recent proof for security info without any 2-step method).
enum class SessionProof { second_step, password };
// Replaces the request's live session by a new one so marked (new id, new cookie); false, and
// nothing changed, when there is none or it ended meanwhile (sign out everywhere won the race).
bool replace_current_session(request_rec* r, SessionProof proof);
// Sets the remembered-browser cookie (HttpOnly, SameSite=Lax, Secure and "__Host-" on https) for `days`.
void write_remember_cookie(request_rec* r, const std::string& token, std::int64_t days);

}  // namespace myaccount::httpd
