// Reading a profile photo from a file and telling its image type from its first bytes.
#include "cli/photo_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

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
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) throw CommandError(path + ": is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CommandError(path + ": cannot open: " + std::strerror(errno));
    // One byte more than allowed tells "exactly at the limit" from "over it" without reading it all.
    std::string bytes(max_bytes + 1, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (in.bad()) throw CommandError(path + ": read error");
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes) {
        throw CommandError(path + ": photo is too large: at most " + std::to_string(max_bytes) +
                           " bytes (--max-bytes N raises the limit)");
    }
    std::optional<std::string> type = detect_image_type(bytes);
    if (!type) throw CommandError(path + ": not a JPEG, PNG, GIF or WebP image");
    return {std::move(*type), std::move(bytes)};
}

}  // namespace myaccount::cli
