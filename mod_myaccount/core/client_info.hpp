// Who is on the other end of a request, as far as the audit trail needs to know.
#pragma once

#include <string>

namespace myaccount {

struct ClientInfo {
    std::string ip;
    std::string user_agent;  // bounded by the caller
};

}  // namespace myaccount
