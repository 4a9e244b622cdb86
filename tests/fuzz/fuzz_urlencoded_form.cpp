// urlencoded bodies (web/urlencoded): any body parses, and the fields it gives encode and parse back
// to themselves.
#include "core/text.hpp"
#include "fuzz_support.hpp"
#include "web/urlencoded.hpp"

using namespace myaccount;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = fuzz::text_of(data, size);
    const web::Fields fields = web::parse_urlencoded(body);
    fuzz::require(web::parse_urlencoded(web::encode_urlencoded(fields)) == fields,
                  "a parsed form encodes and parses back to the same fields");
    for (const auto& [name, value] : fields) {
        const std::optional<std::string> again = web::urldecoded(percent_encoded(value));
        fuzz::require(again && *again == value, "a decoded value encodes and decodes back to itself");
        fuzz::require(name.size() <= body.size() && value.size() <= body.size(), "decoding never grows text");
    }
    return 0;
}
