// Reading a profile photo from a file and telling its image type from its first bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace myaccount::cli {

constexpr std::size_t default_max_photo_bytes = std::size_t{1024} * 1024;

// "image/jpeg", "image/png", "image/gif" or "image/webp" from the magic bytes; nullopt otherwise.
std::optional<std::string> detect_image_type(std::string_view bytes);

struct PhotoFile {
    std::string content_type;
    std::string bytes;
};

// Reads at most max_bytes; throws CommandError for an unreadable, too large or non-image file.
PhotoFile read_photo_file(const std::string& path, std::size_t max_bytes);

}  // namespace myaccount::cli
