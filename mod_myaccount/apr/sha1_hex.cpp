#include "apr/sha1_hex.hpp"

#include <apr_sha1.h>

#include <algorithm>
#include <climits>

namespace myaccount {

std::string sha1_hex(std::string_view bytes) {
    apr_sha1_ctx_t context;
    apr_sha1_init(&context);
    // apr_sha1_update_binary takes an unsigned int length: longer input goes in pieces.
    while (!bytes.empty()) {
        const std::size_t piece = std::min<std::size_t>(bytes.size(), UINT_MAX);
        apr_sha1_update_binary(&context, reinterpret_cast<const unsigned char*>(bytes.data()),
                               static_cast<unsigned int>(piece));
        bytes.remove_prefix(piece);
    }
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    apr_sha1_final(digest, &context);
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string hex;
    hex.reserve(std::size_t{2} * APR_SHA1_DIGESTSIZE);
    for (const unsigned char byte : digest) {
        hex.push_back(digits[byte >> 4]);
        hex.push_back(digits[byte & 0x0f]);
    }
    return hex;
}

}  // namespace myaccount
