// Reading a file an administrator names, whole but never beyond a limit.
#pragma once

#include <cstddef>
#include <string>

namespace myaccount::cli {

// The file's bytes; CommandError for a directory, an unreadable file, or one larger than
// max_bytes ("<path>: <what> is too large: at most N bytes<hint>").
std::string read_bounded_file(const std::string& path, std::size_t max_bytes, const std::string& what,
                              const std::string& hint = {});

}  // namespace myaccount::cli
