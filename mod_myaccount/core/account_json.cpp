// JSON views of accounts shared by the API and myaccountctl.
#include "core/account_json.hpp"

namespace myaccount {

nlohmann::json profile_json(const Account& account) {
    return {{"username", account.username},
            {"display_name", account.display_name},
            {"job_title", account.job_title},
            {"office", account.office},
            {"emails", account.emails}};
}

nlohmann::json memberships_json(const std::vector<Membership>& memberships) {
    nlohmann::json organizations = nlohmann::json::array();
    for (const Membership& m : memberships)
        organizations.push_back({{"name", m.organization.name},
                                 {"domain", m.organization.domain},
                                 {"kind", to_string(m.kind)},
                                 {"role", m.role}});
    return organizations;
}

}  // namespace myaccount
