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

}  // namespace myaccount::web
