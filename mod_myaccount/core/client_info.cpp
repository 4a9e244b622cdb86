// Client addresses as the throttles count them.
#include "core/client_info.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace myaccount {

std::string throttled_network(const std::string& ip) {
    in6_addr address{};
    if (inet_pton(AF_INET6, ip.c_str(), &address) != 1) return ip;  // IPv4, or not an address
    char text[INET6_ADDRSTRLEN];
    if (IN6_IS_ADDR_V4MAPPED(&address)) {  // ::ffff:192.0.2.1 counts as 192.0.2.1
        if (!inet_ntop(AF_INET, address.s6_addr + 12, text, sizeof text)) return ip;
        return text;
    }
    std::memset(address.s6_addr + 8, 0, 8);
    if (!inet_ntop(AF_INET6, &address, text, sizeof text)) return ip;
    return std::string(text) + "/64";
}

std::string lockout_network(const std::string& ip) {
    std::string single = throttled_network(ip);
    in_addr v4{};
    if (inet_pton(AF_INET, single.c_str(), &v4) != 1) return single;  // IPv6 /64 already, or not an address
    reinterpret_cast<unsigned char*>(&v4.s_addr)[3] = 0;
    char text[INET_ADDRSTRLEN];
    if (!inet_ntop(AF_INET, &v4, text, sizeof text)) return single;
    return std::string(text) + "/24";
}

}  // namespace myaccount
