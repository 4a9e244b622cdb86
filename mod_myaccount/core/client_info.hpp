// Who is on the other end of a request, as far as the audit trail and the throttles need to know.
#pragma once

#include <string>

namespace myaccount {

struct ClientInfo {
    std::string ip;
    std::string user_agent;    // bounded by the caller
    std::string device_token = {};  // the device cookie, "" without one (core/devices.hpp)
};

// The part of a client address the per-address limits count: an IPv4 address whole, an IPv6
// address by its /64 (one subscriber's network holds 2^64 addresses), an IPv4-mapped one as its
// IPv4 address; anything unparsable as given.
std::string throttled_network(const std::string& ip);

// The client network an account's failed passwords are counted by (smart lockout): an IPv4
// address by its /24, an IPv6 address by its /64, an IPv4-mapped one as IPv4; anything unparsable
// as given. Wider than throttled_network: an attacker rarely holds addresses in many such networks.
std::string lockout_network(const std::string& ip);

}  // namespace myaccount
