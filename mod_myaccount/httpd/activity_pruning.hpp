// MyAccountActivityRetention: sign-ins and security events older than the retention are deleted
// after a response has gone out (the log_transaction hook), a few small batches about once an hour
// a process, so no request waits for it and the database is never held for long.
#pragma once

#include <httpd.h>

namespace myaccount::httpd {

int prune_activity_after_response(request_rec* r);

}  // namespace myaccount::httpd
