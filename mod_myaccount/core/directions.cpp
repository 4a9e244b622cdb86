// The directions to a step a request owes, for browsers (a URL) and scripts (a 401's body and challenge).
#include "core/directions.hpp"

#include "core/text.hpp"

namespace myaccount {

namespace {

// A quoted-string of RFC 9110 §5.6.4: '"' and '\' escaped; nothing else of a URL needs it.
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

}  // namespace

nlohmann::json Directions::json_body() const {
    return {{"error", error}, {url_name, url}};
}

std::string Directions::challenge() const {
    return std::string("MyAccount error=") + quoted(error) + ", " + url_name + "=" + quoted(url);
}

std::string url_returning_to(const std::string& portal, const char* page, const char* parameter,
                             const std::string& back) {
    return portal + page + "?" + parameter + "=" + percent_encoded(back, "/");
}

}  // namespace myaccount
