// Phone numbers as typed (core/methods/phone_number): what is taken is E.164, reads back as itself,
// and shows and masks without losing its last four digits.
#include "core/methods/phone_number.hpp"
#include "fuzz_support.hpp"

using namespace myaccount;

namespace {

void require_e164(const std::string& e164) {
    fuzz::require(e164.size() >= 3 && e164.size() <= 16 && e164[0] == '+', "E.164 is '+' and up to 15 digits");
    for (std::size_t i = 1; i < e164.size(); ++i) fuzz::require(e164[i] >= '0' && e164[i] <= '9', "E.164 is digits");
    fuzz::require(e164_of(e164, "ZZ") == e164, "a kept number reads back as itself");
    const std::string masked = masked_phone(e164);
    const std::string last_four = e164.substr(e164.size() - 4);
    std::string shown_digits;
    for (char c : masked)
        if (c >= '0' && c <= '9') shown_digits += c;
    fuzz::require(shown_digits.size() >= 4 && shown_digits.compare(shown_digits.size() - 4, 4, last_four) == 0,
                  "the masked number ends in the last four digits");
    (void)readable_phone(e164);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::string> parts = fuzz::fields_of(fuzz::text_of(data, size), 2);
    const std::string& region = parts[0];
    const std::string& typed = parts[1];
    if (region.size() > 8) return 0;  // MyAccountDefaultCountry is checked at start-up: two letters
    (void)is_known_region(region);
    if (const std::optional<std::string> e164 = e164_of(typed, region)) require_e164(*e164);
    return 0;
}
