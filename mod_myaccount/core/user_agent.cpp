// The table behind name_user_agent: each product by the token it puts in its header.
#include "core/user_agent.hpp"

namespace myaccount {

namespace {

struct Rule {
    std::string_view token;  // a product token ("Edg/") or a platform word ("Windows NT")
    std::string_view name;
};

// Most specific first: the first rule whose token appears names the product.
constexpr Rule browsers[] = {
    {"Edg/", "Edge"},          {"EdgA/", "Edge"},     {"EdgiOS/", "Edge"},
    {"OPR/", "Opera"},         {"OPT/", "Opera"},     {"Opera", "Opera"},
    {"SamsungBrowser/", "Samsung Internet"},          {"YaBrowser/", "Yandex Browser"},
    {"Vivaldi/", "Vivaldi"},   {"FxiOS/", "Firefox"}, {"Firefox/", "Firefox"},
    {"CriOS/", "Chrome"},      {"Chromium/", "Chromium"},
    {"HeadlessChrome/", "Chrome"},                    {"Chrome/", "Chrome"},
    {"Version/", "Safari"},  // Safari says "Version/17.1 ... Safari/605.1.15"; checked after the above
    {"curl/", "curl"},         {"Wget/", "Wget"},     {"python-requests/", "Python"},
    {"myaccountctl", "myaccountctl"},
};

constexpr Rule systems[] = {
    {"iPhone", "iPhone"}, {"iPad", "iPad"},         {"Android", "Android"}, {"CrOS", "ChromeOS"},
    {"Windows", "Windows"}, {"Macintosh", "macOS"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
    {"X11", "Linux"},
};

template <std::size_t N>
std::string first_match(std::string_view text, const Rule (&rules)[N]) {
    for (const Rule& rule : rules)
        if (text.find(rule.token) != std::string_view::npos) return std::string(rule.name);
    return {};
}

}  // namespace

UserAgentName name_user_agent(std::string_view user_agent) {
    UserAgentName name{first_match(user_agent, browsers), first_match(user_agent, systems)};
    // "Version/" alone is no proof of Safari: it must say Safari too.
    if (name.browser == "Safari" && user_agent.find("Safari/") == std::string_view::npos) name.browser.clear();
    return name;
}

}  // namespace myaccount
