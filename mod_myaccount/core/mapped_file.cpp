// Maps a file read-only, with the descriptor and the mapping each released by an owner.
#include "core/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

namespace myaccount {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem, int error) {
    throw std::runtime_error(path + ": " + problem + (error != 0 ? std::string(": ") + std::strerror(error) : ""));
}

// Closes the descriptor when the mapping is made, or when making it failed.
class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

// The size of a regular file; refuses what cannot be mapped whole (a directory, a pipe, or more
// than the address space holds on a 32-bit system).
std::size_t mappable_size(const std::string& path, int fd) {
    struct stat about {};
    if (::fstat(fd, &about) != 0) fail(path, "cannot read its size", errno);
    if (S_ISDIR(about.st_mode)) fail(path, "is a directory, not a file", 0);
    if (!S_ISREG(about.st_mode)) fail(path, "is not a regular file", 0);
    const auto size = static_cast<std::uint64_t>(about.st_size);
    if (size > std::numeric_limits<std::size_t>::max()) fail(path, "is too large to map on this system", 0);
    return static_cast<std::size_t>(size);
}

}  // namespace

MappedFile MappedFile::open_for_lookups(const std::string& path) {
    const Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.get() < 0) fail(path, "cannot open", errno);
    const std::size_t size = mappable_size(path, file.get());
    if (size == 0) return MappedFile(nullptr, 0);
    void* data = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, file.get(), 0);
    if (data == MAP_FAILED) fail(path, "cannot map", errno);
    MappedFile mapped(static_cast<const char*>(data), size);
    // Lookups are binary searches: read-ahead would only fill the page cache with pages never read.
    static_cast<void>(::madvise(data, size, MADV_RANDOM));
    return mapped;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        unmap();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

MappedFile::~MappedFile() {
    unmap();
}

void MappedFile::unmap() noexcept {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
    data_ = nullptr;
    size_ = 0;
}

}  // namespace myaccount
