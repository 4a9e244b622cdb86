// Return and next addresses (web/local_path, core/directions): a path taken as local can never
// leave this server, and the directions that carry it back keep it one query value.
#include "core/directions.hpp"
#include "fuzz_support.hpp"
#include "web/local_path.hpp"
#include "web/urlencoded.hpp"

using namespace myaccount;

namespace {

void require_local(const std::string& path) {
    fuzz::require(!path.empty() && path[0] == '/', "a local path starts with '/'");
    fuzz::require(path.rfind("//", 0) != 0 && path.rfind("/\\", 0) != 0, "a local path names no host");
    for (unsigned char c : path) {
        fuzz::require(c != '\\', "a local path has no backslash");
        fuzz::require(!fuzz::is_control(c), "a local path has no control characters");
    }
}

// RFC 9110 quoted-string read back: the text between the quotes, escapes undone.
std::string unquoted(std::string_view quoted) {
    std::string text;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
        if (quoted[i] == '\\') ++i;
        text += quoted[i];
    }
    return text;
}

void require_one_query_value(const std::string& back) {
    const std::string portal = "/myaccount";
    const std::string url = url_returning_to(portal, "/verify", "return", back);
    const std::string prefix = portal + "/verify?return=";
    fuzz::require(url.rfind(prefix, 0) == 0, "the directions start with the step's page");
    const std::string value = url.substr(prefix.size());
    fuzz::require(value.find_first_of("&#?+ \"") == std::string::npos, "the return address stays one query value");
    fuzz::require(web::urldecoded(value) == back, "the return address decodes to what was asked for");
    const Directions directions{url, "second_factor_required", "verify_url"};
    const std::string challenge = directions.challenge();
    for (unsigned char c : challenge) fuzz::require(!fuzz::is_control(c), "the challenge is one header line");
    const std::string quoted_url = challenge.substr(challenge.find("verify_url=") + 11);
    fuzz::require(unquoted(quoted_url) == url, "the challenge's URL reads back as it was");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path(fuzz::text_of(data, size));
    if (web::is_local_path(path)) require_local(path);
    if (web::is_return_path(path)) {
        fuzz::require(path.size() <= web::max_return_path, "a return path is short");
        require_local(path);
    }
    require_one_query_value(path);
    return 0;
}
