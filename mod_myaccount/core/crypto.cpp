// Random tokens, token hashes, MACs, secret boxes and the key file, all through libsodium.
#include "core/crypto.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

namespace myaccount {

namespace {

// An empty string_view may hold a null pointer, which libsodium's memmove/memcpy must not see.
const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data() != nullptr ? s.data() : "");
}

unsigned char* bytes_of(std::string& s) {
    return reinterpret_cast<unsigned char*>(s.data());
}

// Key material should not outlive its use in freed heap memory.
void wipe(std::string& s) {
    sodium_memzero(s.data(), s.size());
    s.clear();
}

std::string key_format_error(const std::string& path) {
    return path + ": expected 64 hexadecimal characters; create a key with: myaccountctl gen-key " + path;
}

// A key file is tiny; anything much larger is the wrong file, and not worth reading whole.
constexpr std::size_t max_key_file_size = 4096;

// POSIX calls rather than iostreams, so the sysadmin gets the real errno text.
std::string read_small_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        std::string message = path + ": cannot open: " + std::strerror(err);
        if (err == ENOENT) message += "; create a key with: myaccountctl gen-key " + path;
        throw std::runtime_error(message);
    }
    std::string content(max_key_file_size + 1, '\0');
    std::size_t used = 0;
    while (used < content.size()) {
        const ssize_t n = ::read(fd, content.data() + used, content.size() - used);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            sodium_memzero(content.data(), content.size());
            throw std::runtime_error(path + ": cannot read: " + std::strerror(err));
        }
        used += static_cast<std::size_t>(n);
    }
    ::close(fd);
    content.resize(used);
    return content;
}

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category());
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Separates the sub-keys of different operations, so a MAC key never doubles as an encryption key.
constexpr std::string_view mac_domain = "mod_myaccount/hmac-sha256/";
constexpr std::string_view box_domain = "mod_myaccount/secretbox/";

}  // namespace

void crypto_init() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string random_token(std::size_t bytes) {
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string token = base64url_encode(raw);
    wipe(raw);
    return token;
}

std::string random_digits(std::size_t digits) {
    std::string code;
    code.reserve(digits);
    for (std::size_t i = 0; i < digits; ++i) code.push_back(static_cast<char>('0' + randombytes_uniform(10)));
    return code;
}

std::string hash_token(std::string_view token) {
    std::string digest(crypto_generichash_BYTES, '\0');  // 32 bytes: BLAKE2b-256
    crypto_generichash(bytes_of(digest), digest.size(), bytes_of(token), token.size(), nullptr, 0);
    return digest;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    // Compare the common prefix whatever the lengths, so the time depends on lengths only, not content.
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    const int diff = n == 0 ? 0 : sodium_memcmp(a.data(), b.data(), n);
    return (diff == 0) & (a.size() == b.size());
}

std::string base64url_encode(std::string_view bytes) {
    constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes_of(bytes), bytes.size(), variant);
    out.resize(std::strlen(out.c_str()));
    return out;
}

bool base64url_decode(std::string_view text, std::string& out) {
    std::string bin(text.size() / 4 * 3 + 3, '\0');
    std::size_t bin_len = 0;
    // A null end pointer makes libsodium reject any character it cannot decode, and non-zero
    // padding bits, so every value has exactly one accepted encoding.
    if (sodium_base642bin(bytes_of(bin), bin.size(), text.data(), text.size(), nullptr, &bin_len,
                          nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        return false;
    }
    bin.resize(bin_len);
    out = std::move(bin);
    return true;
}

std::string hex_encode(std::string_view bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes_of(bytes), bytes.size());
    out.pop_back();
    return out;
}

SecretKey SecretKey::load_file(const std::string& path) {
    std::string content = read_small_file(path);
    std::string_view hex(content);
    if (!hex.empty() && hex.back() == '\n') hex.remove_suffix(1);
    if (!hex.empty() && hex.back() == '\r') hex.remove_suffix(1);

    std::string raw(size, '\0');
    std::size_t raw_len = 0;
    const char* end = nullptr;
    const bool ok = hex.size() == 2 * size &&
                    sodium_hex2bin(bytes_of(raw), raw.size(), hex.data(), hex.size(), nullptr,
                                   &raw_len, &end) == 0 &&
                    raw_len == size && end == hex.data() + hex.size();
    wipe(content);
    if (!ok) {
        wipe(raw);
        throw std::runtime_error(key_format_error(path));
    }
    SecretKey key = from_bytes(raw);
    wipe(raw);
    return key;
}

SecretKey SecretKey::from_bytes(std::string_view raw) {
    if (raw.size() != size) {
        throw std::runtime_error("secret key must be " + std::to_string(size) + " bytes, got " +
                                 std::to_string(raw.size()));
    }
    SecretKey key;
    key.key_.assign(raw.data(), raw.size());
    return key;
}

void SecretKey::generate_file(const std::string& path) {
    // O_EXCL: never replace a key silently, since that signs everyone out and voids pending links.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        const int err = errno;
        if (err == EEXIST) {
            throw std::runtime_error(path + ": already exists; not overwriting it (replacing the key "
                                            "ends all sessions and voids pending links)");
        }
        throw std::runtime_error(path + ": cannot create: " + std::strerror(err));
    }
    std::string raw(size, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string text = hex_encode(raw) + "\n";
    wipe(raw);
    try {
        write_all(fd, text);
        if (::fsync(fd) != 0) throw std::system_error(errno, std::generic_category());
    } catch (const std::system_error& e) {
        wipe(text);
        ::close(fd);
        ::unlink(path.c_str());  // a half-written key would fail to load later, far from the cause
        throw std::runtime_error(path + ": cannot write: " + e.code().message());
    }
    wipe(text);
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(path.c_str());
        throw std::runtime_error(path + ": cannot write: " + std::strerror(err));
    }
}

std::string SecretKey::subkey(std::string_view purpose) const {
    // Keyed BLAKE2b takes an arbitrary purpose string, unlike crypto_kdf's 8-byte context.
    std::string sub(crypto_secretbox_KEYBYTES, '\0');
    static_assert(crypto_secretbox_KEYBYTES == crypto_auth_hmacsha256_KEYBYTES);
    crypto_generichash(bytes_of(sub), sub.size(), bytes_of(purpose), purpose.size(),
                       bytes_of(key_), key_.size());
    return sub;
}

std::string SecretKey::mac(std::string_view purpose, std::string_view message) const {
    std::string key = subkey(std::string(mac_domain).append(purpose));
    unsigned char tag[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(tag, bytes_of(message), message.size(), bytes_of(key));
    wipe(key);
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(tag), sizeof tag));
}

std::string SecretKey::seal(std::string_view purpose, std::string_view plaintext) const {
    std::string key = subkey(std::string(box_domain).append(purpose));
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
    unsigned char* nonce = bytes_of(box);
    // Random 24-byte nonces: collisions are negligible, so no counter state is needed across children.
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, bytes_of(plaintext), plaintext.size(),
                          nonce, bytes_of(key));
    wipe(key);
    return box;
}

std::string SecretKey::open(std::string_view purpose, std::string_view box) const {
    constexpr std::size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    if (box.size() < overhead) throw std::runtime_error("sealed data is too short");
    std::string key = subkey(std::string(box_domain).append(purpose));
    const unsigned char* nonce = bytes_of(box);
    std::string plain(box.size() - overhead, '\0');
    const int rc = crypto_secretbox_open_easy(bytes_of(plain), nonce + crypto_secretbox_NONCEBYTES,
                                              box.size() - crypto_secretbox_NONCEBYTES, nonce,
                                              bytes_of(key));
    wipe(key);
    if (rc != 0) {
        throw std::runtime_error(
            "sealed data failed authentication (altered, or sealed under another key or purpose)");
    }
    return plain;
}

}  // namespace myaccount
