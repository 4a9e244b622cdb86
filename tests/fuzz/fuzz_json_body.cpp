// JSON request bodies (web/json_body): anything parses without throwing, and what is taken is an
// object of valid UTF-8 that the API can echo back (dump) without throwing.
#include <vector>

#include "core/text.hpp"
#include "fuzz_support.hpp"
#include "web/json_body.hpp"

using namespace myaccount;

namespace {

// Every key and string in the document, walked without recursion (bodies may nest deeply).
void require_utf8_strings(const nlohmann::json& document) {
    std::vector<const nlohmann::json*> pending{&document};
    while (!pending.empty()) {
        const nlohmann::json* node = pending.back();
        pending.pop_back();
        if (node->is_string())
            fuzz::require(is_valid_utf8(node->get_ref<const std::string&>()), "a body's strings are valid UTF-8");
        if (node->is_object())
            for (const auto& [key, value] : node->items())
                fuzz::require(is_valid_utf8(key), "a body's keys are valid UTF-8");
        if (node->is_structured())
            for (const auto& child : *node) pending.push_back(&child);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::optional<nlohmann::json> body = web::json_object_of(fuzz::text_of(data, size));
    if (!body) return 0;
    fuzz::require(body->is_object(), "a body is taken only as an object");
    require_utf8_strings(*body);
    const std::string echoed = body->dump();  // throws on invalid UTF-8: the strict dump must pass
    fuzz::require(web::json_object_of(echoed).has_value(), "an echoed body reads back as an object");
    return 0;
}
