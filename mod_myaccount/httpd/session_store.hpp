// mod_session storage kept server-side in the module's store (like mod_session_dbd): the cookie
// carries a random token, the password mod_auth_form puts in the session never leaves memory.
#pragma once

#include <httpd.h>

extern "C" {
#include <mod_session.h>  // has no extern "C" guard of its own
}

namespace myaccount::httpd {

int load_session(request_rec* r, session_rec** z);
int save_session(request_rec* r, session_rec* z);
// Ends the request's session now (sign-out) and tells the browser to drop the cookie.
void end_current_session(request_rec* r, const char* reason);

}  // namespace myaccount::httpd
