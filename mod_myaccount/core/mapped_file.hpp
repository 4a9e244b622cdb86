// A whole file mapped read-only into memory, for lookups in files too large to read (tens of GB).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace myaccount {

// Owns one read-only mapping: unmapped by the destructor, moved but never copied, so the bytes it
// hands out live exactly as long as it does. Immutable, so threads share it without locking.
class MappedFile {
public:
    // Maps the whole file for lookups that jump around (no read-ahead). Nothing is read here: pages
    // come in from the page cache as lookups touch them. The descriptor is closed at once; the
    // mapping keeps the file it opened alive, even after that is renamed over or deleted.
    // Throws std::runtime_error naming the file when it is missing, unreadable, not a regular file
    // or cannot be mapped.
    static MappedFile open_for_lookups(const std::string& path);

    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    // The file's bytes as they were mapped; empty for an empty file.
    std::string_view bytes() const { return {data_, size_}; }

private:
    MappedFile(const char* data, std::size_t size) : data_(data), size_(size) {}
    void unmap() noexcept;

    const char* data_ = nullptr;  // null when the file was empty (nothing can map 0 bytes)
    std::size_t size_ = 0;
};

}  // namespace myaccount
