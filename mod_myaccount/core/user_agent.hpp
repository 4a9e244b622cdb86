// A browser and an operating system named from a User-Agent header, for people to recognise their
// sessions and devices ("Chrome on Windows", "Safari on iPhone"). A small table of the products'
// own tokens, most specific first (Edge and Opera also say "Chrome", Chrome also says "Safari",
// an iPhone also says "Mac OS X"), checked by tests with real headers; no version numbers.
#pragma once

#include <string>
#include <string_view>

namespace myaccount {

struct UserAgentName {
    std::string browser;  // "Chrome", "Edge", "Firefox", "Safari", ...; "" when unknown
    std::string os;       // "Windows", "macOS", "iPhone", "iPad", "Android", "ChromeOS", "Linux"; "" when unknown
};

UserAgentName name_user_agent(std::string_view user_agent);

}  // namespace myaccount
