// What every fuzz target shares: the input as text, cut into fields, and a stop on a broken invariant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace myaccount::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// The input cut at its first count-1 NUL bytes into count fields (missing ones are empty), so a
// seed stays a readable file: "alice@example.com\0Subject\0Body".
inline std::vector<std::string> fields_of(std::string_view input, std::size_t count) {
    std::vector<std::string> fields;
    while (fields.size() + 1 < count) {
        const std::size_t nul = input.find('\0');
        fields.emplace_back(input.substr(0, nul));
        input.remove_prefix(nul == std::string_view::npos ? input.size() : nul + 1);
    }
    fields.emplace_back(input);
    return fields;
}

// A broken invariant is a finding: name it and abort, so libFuzzer keeps the input as a crash.
inline void require(bool holds, const char* invariant) {
    if (holds) return;
    std::fprintf(stderr, "invariant broken: %s\n", invariant);
    std::abort();
}

inline bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace myaccount::fuzz
