// MyAccountGate: 2-step verification for every request of a <Location> or <Directory> behind the
// front, whatever serves it (static files, CGI, a proxied application); MyAccountTermsRequired:
// the terms of use of the person's organizations accepted first.
#pragma once

#include <httpd.h>

namespace myaccount::httpd {

// The fixups hook: after the front authenticated the request, a user who must pass the second
// step and has not is sent to the verify step (browser GET), told so in JSON (Accept:
// application/json: 401) or refused (403). HTTP Basic passes only with an app password. A
// verified session passes without any store query. Where terms are required, someone who owes an
// acceptance is sent to the terms page the same way (JSON: 401 terms_not_accepted). Fails closed
// (500) on any error.
int gate_request(request_rec* r);

}  // namespace myaccount::httpd
