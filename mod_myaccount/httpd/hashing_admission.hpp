// Sign-in storms: HTTP Basic credentials that arrive while this process's password hashing is at
// its bound (MyAccountHashConcurrency) with its queue full are answered 503 with Retry-After at
// once (mod_auth_basic could only say 401). A form sign-in gets as far as the password provider,
// which the full queue turns away at once too, and the sign-in page says to try again (503).
// Signed-in page views never check a password and are never turned away.
#pragma once

struct request_rec;

namespace myaccount::httpd {

class Runtime;

// The warning that sign-ins were turned away: at most one a second per process, counting those
// since the last one. A line per refused request would flood the log and cost more than the 503.
void log_turned_away(request_rec* r, Runtime& runtime);

// header_parser hook.
int turn_away_when_crowded(request_rec* r);

}  // namespace myaccount::httpd
