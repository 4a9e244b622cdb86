// Where the gate and the portal send a browser that owes a step before the page it asked for (the
// second step, registering a method, accepting terms of use), and what a script is told instead.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace myaccount {

struct Directions {
    std::string url;       // e.g. <portal>/verify?return=BACK, <portal>/terms?return=BACK
    const char* error;     // e.g. second_factor_required, terms_not_accepted
    const char* url_name;  // e.g. verify_url, terms_url

    // The 401's body: {"error": ..., url_name: url}.
    nlohmann::json json_body() const;
    // The 401's WWW-Authenticate (RFC 9110 §11.6.1: a 401 carries a challenge):
    // MyAccount error="...", verify_url="..." (the URL as a quoted string).
    std::string challenge() const;
};

// <portal><page>?<parameter>=BACK, BACK percent-encoded ("/" kept).
std::string url_returning_to(const std::string& portal, const char* page, const char* parameter,
                             const std::string& back);

}  // namespace myaccount
