// The "myaccount" content handler: translates request_rec into a web::Request and back.
#pragma once

struct request_rec;

namespace myaccount::httpd {

int portal_handler(request_rec* r);
// map_to_storage: the portal's URLs name no file, so httpd's directory walk (a stat of each
// component below DocumentRoot on every request) is skipped for them, as mod_proxy does.
int skip_file_mapping(request_rec* r);

}  // namespace myaccount::httpd
