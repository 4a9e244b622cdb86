// Phone numbers as people type them, kept as E.164 (libphonenumber).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace myaccount {

// The longest number a form takes as typed (spaces, dashes, brackets and all).
inline constexpr std::size_t max_typed_phone_number = 32;

// "03-1234-5678" with default region "JP" -> "+81312345678"; "+1 650 253 0000" -> "+16502530000".
// None when it is not a valid number (too short, unknown area, letters, ...). `region` is an ISO
// 3166 two-letter code (MyAccountDefaultCountry).
std::optional<std::string> e164_of(const std::string& typed, const std::string& region);
// The number as its country writes it for reading ("+81 3-1234-5678").
std::string readable_phone(const std::string& e164);
// The readable number with every digit but the country code and the last four hidden
// ("+81 ••-••••-5678"): what a page shows someone who has proven only the password.
std::string masked_phone(const std::string& e164);
// Whether the region code is one libphonenumber knows.
bool is_known_region(const std::string& region);

}  // namespace myaccount
