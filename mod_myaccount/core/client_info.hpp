// Who is on the other end of a request, as far as the audit trail and the throttles need to know.
#pragma once

#include <string>

namespace myaccount {

struct ClientInfo {
    std::string ip;
    std::string user_agent;  // bounded by the caller
};

// The part of a client address the per-address limits count: an IPv4 address whole, an IPv6
// address by its /64 (one subscriber's network holds 2^64 addresses), an IPv4-mapped one as its
// IPv4 address; anything unparsable as given.
std::string throttled_network(const std::string& ip);

}  // namespace myaccount
