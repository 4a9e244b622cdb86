// The profile as the organization manages it, shaped once for the page and once for the API.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.hpp"

namespace myaccount::web {

nlohmann::json profile_page_view(const Account& account, const std::vector<Membership>& memberships,
                                 const std::string& base);
nlohmann::json profile_api_view(const Account& account, const std::vector<Membership>& memberships,
                                const std::string& base);

// One membership for a page: name, domain, home/guest and the role in the reader's words.
nlohmann::json organization_view(const Membership& membership);

// Which pages of the portal exist, for the templates to link only to those: {"devices": false,
// ...}. Terms of use come in a later release.
nlohmann::json portal_features();

// Text split after each '@' and '.' so a page can offer a line break there (<wbr>) and nowhere
// mid-word: [{"text": "alice@", "wbr": false}, {"text": "example.", "wbr": true}, ...]. Each part
// stays plain text for the template to escape.
nlohmann::json break_points(const std::string& text);

// One or two letters for the avatar: "Alice Example" -> "AE", "山田 太郎" -> "山".
std::string initials_of(const std::string& display_name);

}  // namespace myaccount::web
