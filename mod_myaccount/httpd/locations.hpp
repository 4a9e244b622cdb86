// Where the portal is mounted, read from httpd's own <Location> sections and SetHandler.
#pragma once

#include <string>
#include <vector>

#include <httpd.h>

namespace myaccount::httpd {

// The handler SetHandler names for r's location (before httpd applies it in the fixups), or "".
std::string configured_handler(request_rec* r);
// Paths of the <Location>s that mount the portal (SetHandler myaccount) and cover r's URI.
std::vector<std::string> location_sections(request_rec* r);
// Whether the <Location> whose SetHandler decides r's URI sets ours: the last plain <Location>
// covering it with a SetHandler, and no <LocationMatch> with one (those are not judged here).
bool portal_serves(request_rec* r);
// Where the portal is mounted, for links made outside its requests (the sign-in redirect): the
// path of MyAccountPortalUrl when set, else the first <Location> with SetHandler myaccount.
std::string portal_path(request_rec* r, const std::string& portal_url);

}  // namespace myaccount::httpd
