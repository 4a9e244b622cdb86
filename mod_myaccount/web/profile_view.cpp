// Shapes account data for the profile page and GET /api/v1/me.
#include "web/profile_view.hpp"

#include "core/account_json.hpp"
#include "core/text.hpp"

#include <cctype>
#include <sstream>

namespace myaccount::web {

namespace {

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

// The first UTF-8 code point of a non-empty word.
std::string first_code_point(const std::string& word) {
    std::size_t length = 1;
    auto lead = static_cast<unsigned char>(word[0]);
    if (lead >= 0xF0) length = 4;
    else if (lead >= 0xE0) length = 3;
    else if (lead >= 0xC0) length = 2;
    return word.substr(0, length);
}

std::string upper_ascii(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// The roles `myaccountctl org add-member` gives by default are shown in the reader's language
// (catalog org_role_*); a role the administrator typed is shown as typed. A guest's "Guest" role
// is left out: the guest badge beside it already says so.
nlohmann::json role_view(const Membership& membership) {
    std::string known = ascii_lower(trim_spaces(membership.role));
    bool guest_kind = membership.kind == MembershipKind::guest;
    bool member = known == "member";
    bool guest = known == "guest";
    return {{"role_member", member},
            {"role_guest", guest && !guest_kind},
            {"role_custom", member || guest ? std::string() : membership.role}};
}

}  // namespace

nlohmann::json organization_view(const Membership& membership) {
    nlohmann::json view = role_view(membership);
    view["name"] = membership.organization.name;
    view["domain"] = membership.organization.domain;
    view["home"] = membership.kind == MembershipKind::home;
    view["guest"] = membership.kind == MembershipKind::guest;
    return view;
}

// Han, kana and hangul names take one character as their avatar ("山田 花子" -> "山").
bool is_east_asian(const std::string& code_point) {
    return code_point.size() >= 3 && static_cast<unsigned char>(code_point[0]) >= 0xE2 &&
           static_cast<unsigned char>(code_point[0]) <= 0xED;
}

std::string initials_of(const std::string& display_name) {
    std::vector<std::string> words = words_of(display_name);
    if (words.empty()) return "?";
    std::string first = first_code_point(words.front());
    if (is_east_asian(first) || words.size() == 1) return upper_ascii(first);
    std::string last = first_code_point(words.back());
    return upper_ascii(first + (is_east_asian(last) ? "" : last));
}

nlohmann::json profile_page_view(const Account& account, const std::vector<Membership>& memberships,
                                 const std::string& base) {
    nlohmann::json emails = nlohmann::json::array();
    for (std::size_t i = 0; i < account.emails.size(); ++i)
        emails.push_back({{"address_parts", break_points(account.emails[i])}, {"primary", i == 0}});
    nlohmann::json organizations = nlohmann::json::array();
    for (const Membership& m : memberships) organizations.push_back(organization_view(m));
    return {{"display_name", account.display_name},
            {"initials", initials_of(account.display_name)},
            {"job_title", account.job_title},
            {"office", account.office},
            {"username", account.username},
            {"username_parts", break_points(account.username)},
            {"emails", emails},
            {"organizations", organizations},
            {"has_organizations", !memberships.empty()},
            {"features", portal_features()},
            {"photo_url", base + "/photo"}};
}

nlohmann::json portal_features() {
    return {{"devices", true},
            {"organizations", true},
            {"activity", true},
            {"terms", true},
            {"sign_out_everywhere", true}};
}

nlohmann::json break_points(const std::string& text) {
    nlohmann::json parts = nlohmann::json::array();
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t mark = text.find_first_of("@.", start);
        std::size_t end = mark == std::string::npos ? text.size() : mark + 1;
        parts.push_back({{"text", text.substr(start, end - start)}, {"wbr", start > 0}});
        start = end;
    }
    return parts;
}

nlohmann::json profile_api_view(const Account& account, const std::vector<Membership>& memberships,
                                const std::string& base) {
    nlohmann::json json = profile_json(account);
    json["organizations"] = memberships_json(memberships);
    json["photo_url"] = base + "/photo";
    return json;
}

}  // namespace myaccount::web
