// Reading a file an administrator names, whole but never beyond a limit.
#include "cli/bounded_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "cli/errors.hpp"

namespace myaccount::cli {

std::string read_bounded_file(const std::string& path, std::size_t max_bytes, const std::string& what,
                              const std::string& hint) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) throw CommandError(path + ": is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CommandError(path + ": cannot open: " + std::strerror(errno));
    // One byte more than allowed tells "exactly at the limit" from "over it" without reading it all.
    std::string bytes(max_bytes + 1, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (in.bad()) throw CommandError(path + ": read error");
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes)
        throw CommandError(path + ": " + what + " is too large: at most " + std::to_string(max_bytes) + " bytes" +
                           hint);
    return bytes;
}

}  // namespace myaccount::cli
