// Phone numbers through Google's libphonenumber: national formats in, E.164 kept, read back formatted.
#include "core/methods/phone_number.hpp"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <set>
#include <vector>

#include "core/text.hpp"

namespace myaccount {

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// Longer is not a phone number typed by a person; libphonenumber would refuse it anyway.
constexpr std::size_t max_typed_length = 64;

// The library's one instance: thread-safe, made on first use, logging nowhere by default.
const PhoneNumberUtil& phone_numbers() {
    return *PhoneNumberUtil::GetInstance();
}

// libphonenumber reads letters as keypad digits ("1-800-FLOWERS"); a number for 2-step codes is
// typed as digits, so letters (ASCII or full-width) mean it is not one.
bool has_letters(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
        // Full-width A-Z and a-z: U+FF21-FF3A, U+FF41-FF5A (EF BC A1-BA, EF BD 81-9A).
        if (c == 0xEF && i + 2 < text.size()) {
            const auto b1 = static_cast<unsigned char>(text[i + 1]);
            const auto b2 = static_cast<unsigned char>(text[i + 2]);
            if ((b1 == 0xBC && b2 >= 0xA1 && b2 <= 0xBA) || (b1 == 0xBD && b2 >= 0x81 && b2 <= 0x9A)) return true;
        }
    }
    return false;
}

std::string upper_region(const std::string& region) {
    std::string upper;
    for (char c : region) upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    return upper;
}

}  // namespace

std::optional<std::string> e164_of(const std::string& typed, const std::string& region) {
    if (typed.size() > max_typed_length || !is_valid_utf8(typed) || has_control_characters(typed) || has_letters(typed))
        return std::nullopt;
    PhoneNumber number;
    if (phone_numbers().Parse(typed, upper_region(region), &number) != PhoneNumberUtil::NO_PARSING_ERROR)
        return std::nullopt;
    // An extension would be dropped from the E.164 form: another number than the one typed.
    if (number.has_extension() || !phone_numbers().IsValidNumber(number)) return std::nullopt;
    std::string e164;
    phone_numbers().Format(number, PhoneNumberUtil::E164, &e164);
    return e164;
}

std::string readable_phone(const std::string& e164) {
    PhoneNumber number;
    // "ZZ": no default region; an E.164 number names its own.
    if (phone_numbers().Parse(e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return e164;
    std::string readable;
    phone_numbers().Format(number, PhoneNumberUtil::INTERNATIONAL, &readable);
    return readable;
}

std::string masked_phone(const std::string& e164) {
    const std::string readable = readable_phone(e164);
    const std::size_t national = readable.find(' ');  // after "+CC"
    const std::size_t from = national == std::string::npos ? 0 : national;
    std::vector<std::size_t> digits;
    for (std::size_t i = from; i < readable.size(); ++i)
        if (readable[i] >= '0' && readable[i] <= '9') digits.push_back(i);
    const std::size_t hidden = digits.size() > 4 ? digits.size() - 4 : 0;
    std::string masked = readable;
    for (std::size_t n = hidden; n-- > 0;) masked.replace(digits[n], 1, "\u2022");  // back to front: indexes stay
    return masked;
}

bool is_known_region(const std::string& region) {
    std::set<std::string> regions;
    phone_numbers().GetSupportedRegions(&regions);
    return regions.count(upper_region(region)) > 0;
}

}  // namespace myaccount
