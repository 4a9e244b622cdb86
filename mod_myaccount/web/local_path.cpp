// Which redirect targets stay on this server.
#include "web/local_path.hpp"

namespace myaccount::web {

bool is_local_path(const std::string& location) {
    if (location.empty() || location[0] != '/') return false;
    if (location.size() > 1 && (location[1] == '/' || location[1] == '\\')) return false;
    for (unsigned char c : location)
        if (c < 0x20 || c == 0x7f || c == '\\') return false;
    return true;
}

bool is_return_path(const std::string& location) {
    return location.size() <= max_return_path && is_local_path(location);
}

}  // namespace myaccount::web
