// Reading a profile photo from a file and telling its image type from its first bytes.
#include "cli/photo_file.hpp"

#include "cli/bounded_file.hpp"
#include "cli/errors.hpp"

namespace myaccount::cli {

namespace {

bool starts_with(std::string_view bytes, std::string_view prefix) {
    return bytes.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::optional<std::string> detect_image_type(std::string_view bytes) {
    using namespace std::string_view_literals;
    if (starts_with(bytes, "\xFF\xD8\xFF"sv)) return "image/jpeg";
    if (starts_with(bytes, "\x89PNG\r\n\x1A\n"sv)) return "image/png";
    if (starts_with(bytes, "GIF87a"sv) || starts_with(bytes, "GIF89a"sv)) return "image/gif";
    if (bytes.size() >= 12 && starts_with(bytes, "RIFF"sv) && bytes.substr(8, 4) == "WEBP"sv)
        return "image/webp";
    return std::nullopt;
}

PhotoFile read_photo_file(const std::string& path, std::size_t max_bytes) {
    std::string bytes = read_bounded_file(path, max_bytes, "photo", " (--max-bytes N raises the limit)");
    std::optional<std::string> type = detect_image_type(bytes);
    if (!type) throw CommandError(path + ": not a JPEG, PNG, GIF or WebP image");
    return {std::move(*type), std::move(bytes)};
}

}  // namespace myaccount::cli
