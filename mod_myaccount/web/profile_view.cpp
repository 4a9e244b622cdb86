// Shapes account data for the profile page and GET /api/v1/me.
#include "web/profile_view.hpp"

#include "core/account_json.hpp"

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

}  // namespace

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
        emails.push_back({{"address", account.emails[i]}, {"primary", i == 0}});
    nlohmann::json organizations = nlohmann::json::array();
    for (const Membership& m : memberships)
        organizations.push_back({{"name", m.organization.name},
                                 {"domain", m.organization.domain},
                                 {"home", m.kind == MembershipKind::home},
                                 {"guest", m.kind == MembershipKind::guest},
                                 {"role", m.role}});
    return {{"display_name", account.display_name},
            {"initials", initials_of(account.display_name)},
            {"job_title", account.job_title},
            {"office", account.office},
            {"username", account.username},
            {"emails", emails},
            {"organizations", organizations},
            {"has_organizations", !memberships.empty()},
            {"photo_url", base + "/photo"}};
}

nlohmann::json profile_api_view(const Account& account, const std::vector<Membership>& memberships,
                                const std::string& base) {
    nlohmann::json json = profile_json(account);
    json["organizations"] = memberships_json(memberships);
    json["photo_url"] = base + "/photo";
    return json;
}

}  // namespace myaccount::web
