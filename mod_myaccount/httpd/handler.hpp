// The "myaccount" content handler: translates request_rec into a web::Request and back.
#pragma once

struct request_rec;

namespace myaccount::httpd {

int portal_handler(request_rec* r);

}  // namespace myaccount::httpd
