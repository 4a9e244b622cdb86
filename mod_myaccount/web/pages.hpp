// One function per page or API endpoint; the router picks one.
#pragma once

#include "web/respond.hpp"

namespace myaccount::web {

Response show_profile(Exchange& exchange);   // GET  /
Response show_photo(Exchange& exchange);     // GET  /photo
Response show_login(Exchange& exchange);     // GET  /login
Response sign_out(Exchange& exchange);       // POST /signout, POST /api/v1/signout
Response api_me(Exchange& exchange);         // GET  /api/v1/me
Response serve_static(Exchange& exchange);   // GET  /static/<file>
Response show_password(Exchange& exchange);  // GET  /password
Response change_password(Exchange& exchange);      // POST /password
Response api_change_password(Exchange& exchange);  // POST /api/v1/me/password

}  // namespace myaccount::web
