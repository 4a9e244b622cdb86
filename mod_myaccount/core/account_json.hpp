// The one JSON shape of an account's profile and memberships (API responses and CLI output).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.hpp"

namespace myaccount {

// username, display_name, job_title, office, emails: what the organization manages.
nlohmann::json profile_json(const Account& account);
// [{name, domain, kind: "home"|"guest", role}]
nlohmann::json memberships_json(const std::vector<Membership>& memberships);

}  // namespace myaccount
