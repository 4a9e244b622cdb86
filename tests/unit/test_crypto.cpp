// Tests of tokens, token hashes, base64url, the key file, MACs and secret boxes.
#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>

#include "core/crypto.hpp"

using namespace myaccount;

namespace {

std::string make_temp_dir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/crypto_test.XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return templ;
}

void write_file(const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The message load_file gave, or "" if it did not throw.
std::string load_error(const std::string& path) {
    try {
        SecretKey::load_file(path);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

const std::string key_hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

}  // namespace

class CryptoTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CryptoTest);
    CPPUNIT_TEST(token_has_43_urlsafe_characters);
    CPPUNIT_TEST(tokens_are_unique);
    CPPUNIT_TEST(token_length_follows_bytes);
    CPPUNIT_TEST(hash_token_is_deterministic_32_bytes);
    CPPUNIT_TEST(hash_token_differs_per_token);
    CPPUNIT_TEST(constant_time_equal_compares_content_and_length);
    CPPUNIT_TEST(base64url_round_trips_all_lengths);
    CPPUNIT_TEST(base64url_uses_urlsafe_alphabet_without_padding);
    CPPUNIT_TEST(base64url_rejects_garbage);
    CPPUNIT_TEST(hex_encode_is_lowercase);
    CPPUNIT_TEST(generated_key_file_loads_and_is_private);
    CPPUNIT_TEST(generate_refuses_existing_file);
    CPPUNIT_TEST(generate_reports_missing_directory);
    CPPUNIT_TEST(key_file_accepts_trailing_newline);
    CPPUNIT_TEST(bad_key_files_are_explained);
    CPPUNIT_TEST(missing_key_file_is_explained);
    CPPUNIT_TEST(from_bytes_requires_32_bytes);
    CPPUNIT_TEST(mac_depends_on_key_purpose_and_message);
    CPPUNIT_TEST(seal_open_round_trip);
    CPPUNIT_TEST(seal_uses_fresh_nonce);
    CPPUNIT_TEST(open_detects_tampering);
    CPPUNIT_TEST(open_fails_for_other_purpose_or_key);
    CPPUNIT_TEST(open_rejects_short_input);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { dir_ = make_temp_dir(); }
    void tearDown() override {
        for (const char* name : {"key", "other", "bad"}) ::unlink((dir_ + "/" + name).c_str());
        ::rmdir(dir_.c_str());
    }

    void token_has_43_urlsafe_characters() {
        const std::string token = random_token();
        CPPUNIT_ASSERT_EQUAL(std::size_t{43}, token.size());
        CPPUNIT_ASSERT_EQUAL(std::string::npos,
                             token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"));
    }

    void tokens_are_unique() {
        std::set<std::string> seen;
        for (int i = 0; i < 1000; ++i) seen.insert(random_token());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1000}, seen.size());
    }

    void token_length_follows_bytes() {
        CPPUNIT_ASSERT_EQUAL(std::size_t{22}, random_token(16).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, random_token(0).size());
        std::string raw;
        CPPUNIT_ASSERT(base64url_decode(random_token(20), raw));
        CPPUNIT_ASSERT_EQUAL(std::size_t{20}, raw.size());
    }

    void hash_token_is_deterministic_32_bytes() {
        const std::string token = random_token();
        const std::string h = hash_token(token);
        CPPUNIT_ASSERT_EQUAL(std::size_t{32}, h.size());
        CPPUNIT_ASSERT(h == hash_token(token));
        // BLAKE2b-256 of the empty string, a published test vector.
        CPPUNIT_ASSERT_EQUAL(std::string("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"),
                             hex_encode(hash_token("")));
    }

    void hash_token_differs_per_token() {
        CPPUNIT_ASSERT(hash_token("a") != hash_token("b"));
        CPPUNIT_ASSERT(hash_token(random_token()) != hash_token(random_token()));
    }

    void constant_time_equal_compares_content_and_length() {
        CPPUNIT_ASSERT(constant_time_equal("", ""));
        CPPUNIT_ASSERT(constant_time_equal("abc", "abc"));
        CPPUNIT_ASSERT(!constant_time_equal("abc", "abd"));
        CPPUNIT_ASSERT(!constant_time_equal("abc", "abcd"));
        CPPUNIT_ASSERT(!constant_time_equal("abcd", "abc"));
        CPPUNIT_ASSERT(!constant_time_equal("", "a"));
        CPPUNIT_ASSERT(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
        CPPUNIT_ASSERT(!constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
    }

    void base64url_round_trips_all_lengths() {
        for (std::size_t n = 0; n < 70; ++n) {
            std::string raw(n, '\0');
            for (std::size_t i = 0; i < n; ++i) raw[i] = static_cast<char>(i * 37 + n);
            std::string back;
            CPPUNIT_ASSERT(base64url_decode(base64url_encode(raw), back));
            CPPUNIT_ASSERT(raw == back);
        }
    }

    void base64url_uses_urlsafe_alphabet_without_padding() {
        CPPUNIT_ASSERT_EQUAL(std::string("-_8"), base64url_encode("\xfb\xff"));
        CPPUNIT_ASSERT_EQUAL(std::string("YQ"), base64url_encode("a"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), base64url_encode(""));
    }

    void base64url_rejects_garbage() {
        std::string out = "unchanged";
        CPPUNIT_ASSERT(!base64url_decode("ab$d", out));
        CPPUNIT_ASSERT(!base64url_decode("YQ==", out));       // padding is not part of this variant
        CPPUNIT_ASSERT(!base64url_decode("+/8", out));        // standard alphabet
        CPPUNIT_ASSERT(!base64url_decode("Y", out));          // impossible length
        CPPUNIT_ASSERT(!base64url_decode("YR", out));         // non-zero padding bits
        CPPUNIT_ASSERT(!base64url_decode("YQ ", out));
        CPPUNIT_ASSERT(!base64url_decode(std::string("YQ\0", 3), out));
        CPPUNIT_ASSERT_EQUAL(std::string("unchanged"), out);
        CPPUNIT_ASSERT(base64url_decode("", out));
        CPPUNIT_ASSERT_EQUAL(std::string(""), out);
    }

    void hex_encode_is_lowercase() {
        CPPUNIT_ASSERT_EQUAL(std::string("00ff7f"), hex_encode(std::string("\x00\xff\x7f", 3)));
        CPPUNIT_ASSERT_EQUAL(std::string(""), hex_encode(""));
    }

    void generated_key_file_loads_and_is_private() {
        const std::string path = dir_ + "/key";
        SecretKey::generate_file(path);
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(static_cast<mode_t>(0600), st.st_mode & 07777);
        const std::string content = read_file(path);
        CPPUNIT_ASSERT_EQUAL(std::size_t{65}, content.size());
        CPPUNIT_ASSERT_EQUAL('\n', content.back());

        const SecretKey a = SecretKey::load_file(path);
        const SecretKey b = SecretKey::load_file(path);
        CPPUNIT_ASSERT_EQUAL(a.mac("csrf", "hello"), b.mac("csrf", "hello"));
        CPPUNIT_ASSERT_EQUAL(std::string("secret"), b.open("flash", a.seal("flash", "secret")));

        SecretKey::generate_file(dir_ + "/other");
        const SecretKey c = SecretKey::load_file(dir_ + "/other");
        CPPUNIT_ASSERT(a.mac("csrf", "hello") != c.mac("csrf", "hello"));
    }

    void generate_refuses_existing_file() {
        const std::string path = dir_ + "/key";
        write_file(path, key_hex + "\n");
        std::string message;
        try {
            SecretKey::generate_file(path);
        } catch (const std::runtime_error& e) {
            message = e.what();
        }
        CPPUNIT_ASSERT(contains(message, path));
        CPPUNIT_ASSERT(contains(message, "already exists"));
        CPPUNIT_ASSERT_EQUAL(key_hex + "\n", read_file(path));  // untouched
    }

    void generate_reports_missing_directory() {
        const std::string path = dir_ + "/no/such/dir/key";
        std::string message;
        try {
            SecretKey::generate_file(path);
        } catch (const std::runtime_error& e) {
            message = e.what();
        }
        CPPUNIT_ASSERT(contains(message, path));
        CPPUNIT_ASSERT(contains(message, "No such file"));
    }

    void key_file_accepts_trailing_newline() {
        const std::string path = dir_ + "/key";
        write_file(path, key_hex);
        const std::string without = SecretKey::load_file(path).mac("p", "m");
        write_file(path, key_hex + "\n");
        CPPUNIT_ASSERT_EQUAL(without, SecretKey::load_file(path).mac("p", "m"));
        write_file(path, key_hex + "\r\n");
        CPPUNIT_ASSERT_EQUAL(without, SecretKey::load_file(path).mac("p", "m"));
        std::string upper = key_hex;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        write_file(path, upper);
        CPPUNIT_ASSERT_EQUAL(without, SecretKey::load_file(path).mac("p", "m"));
        std::string raw;
        for (int i = 0; i < 32; ++i) raw.push_back(static_cast<char>(i));  // the bytes key_hex spells
        CPPUNIT_ASSERT_EQUAL(without, SecretKey::from_bytes(raw).mac("p", "m"));
    }

    void bad_key_files_are_explained() {
        const std::string path = dir_ + "/bad";
        const std::string bad_contents[] = {
            "",
            "\n",
            key_hex.substr(0, 63),
            key_hex + "00",
            key_hex + "\n\n",
            " " + key_hex,
            key_hex.substr(0, 63) + "g",
            key_hex.substr(0, 62) + "\n\n",
            std::string(64, '\0'),
            std::string(10000, 'a'),
        };
        for (const std::string& content : bad_contents) {
            write_file(path, content);
            const std::string message = load_error(path);
            CPPUNIT_ASSERT_EQUAL(path + ": expected 64 hexadecimal characters; create a key with: "
                                        "myaccountctl gen-key " + path,
                                 message);
        }
    }

    void missing_key_file_is_explained() {
        const std::string path = dir_ + "/key";
        const std::string message = load_error(path);
        CPPUNIT_ASSERT(contains(message, path + ": cannot open"));
        CPPUNIT_ASSERT(contains(message, "No such file"));
        CPPUNIT_ASSERT(contains(message, "myaccountctl gen-key " + path));
        // A directory is not a key file, and creating one there would not help.
        const std::string dir_message = load_error(dir_);
        CPPUNIT_ASSERT(contains(dir_message, dir_ + ": cannot read"));
        CPPUNIT_ASSERT(!contains(dir_message, "gen-key"));
    }

    void from_bytes_requires_32_bytes() {
        CPPUNIT_ASSERT_THROW(SecretKey::from_bytes(std::string(31, 'k')), std::runtime_error);
        CPPUNIT_ASSERT_THROW(SecretKey::from_bytes(std::string(33, 'k')), std::runtime_error);
        CPPUNIT_ASSERT_NO_THROW(SecretKey::from_bytes(std::string(32, 'k')));
    }

    void mac_depends_on_key_purpose_and_message() {
        const SecretKey key = SecretKey::from_bytes(std::string(32, 'k'));
        const SecretKey other = SecretKey::from_bytes(std::string(32, 'K'));
        const std::string tag = key.mac("csrf", "session-1");
        CPPUNIT_ASSERT_EQUAL(std::size_t{43}, tag.size());  // 32-byte HMAC-SHA-256, base64url
        std::string raw;
        CPPUNIT_ASSERT(base64url_decode(tag, raw));
        CPPUNIT_ASSERT_EQUAL(tag, key.mac("csrf", "session-1"));
        CPPUNIT_ASSERT(tag != key.mac("csrf", "session-2"));
        CPPUNIT_ASSERT(tag != key.mac("reset", "session-1"));
        CPPUNIT_ASSERT(tag != other.mac("csrf", "session-1"));
    }

    void seal_open_round_trip() {
        const SecretKey key = SecretKey::from_bytes(std::string(32, 'k'));
        for (const std::string& plain : {std::string(), std::string("totp seed"), std::string("a\0b", 3),
                                        std::string(100000, 'x')}) {
            const std::string box = key.seal("totp", plain);
            CPPUNIT_ASSERT_EQUAL(plain.size() + 24 + 16, box.size());
            CPPUNIT_ASSERT(key.open("totp", box) == plain);
        }
        const std::string box = key.seal("totp", "visible?");
        CPPUNIT_ASSERT_EQUAL(std::string::npos, box.find("visible?"));
    }

    void seal_uses_fresh_nonce() {
        const SecretKey key = SecretKey::from_bytes(std::string(32, 'k'));
        CPPUNIT_ASSERT(key.seal("totp", "same") != key.seal("totp", "same"));
    }

    void open_detects_tampering() {
        const SecretKey key = SecretKey::from_bytes(std::string(32, 'k'));
        const std::string box = key.seal("totp", "JBSWY3DPEHPK3PXP");
        for (std::size_t i = 0; i < box.size(); ++i) {
            std::string altered = box;
            altered[i] = static_cast<char>(altered[i] ^ 0x01);
            CPPUNIT_ASSERT_THROW(key.open("totp", altered), std::runtime_error);
        }
        CPPUNIT_ASSERT_THROW(key.open("totp", box.substr(0, box.size() - 1)), std::runtime_error);
        CPPUNIT_ASSERT_THROW(key.open("totp", box + "x"), std::runtime_error);
    }

    void open_fails_for_other_purpose_or_key() {
        const SecretKey key = SecretKey::from_bytes(std::string(32, 'k'));
        const SecretKey other = SecretKey::from_bytes(std::string(32, 'K'));
        const std::string box = key.seal("totp", "seed");
        CPPUNIT_ASSERT_THROW(key.open("flash", box), std::runtime_error);
        CPPUNIT_ASSERT_THROW(other.open("totp", box), std::runtime_error);
        CPPUNIT_ASSERT_EQUAL(std::string("seed"), key.open("totp", box));
    }

    void open_rejects_short_input() {
        const SecretKey key = SecretKey::from_bytes(std::string(32, 'k'));
        CPPUNIT_ASSERT_THROW(key.open("totp", ""), std::runtime_error);
        CPPUNIT_ASSERT_THROW(key.open("totp", std::string(39, 'x')), std::runtime_error);
        CPPUNIT_ASSERT_THROW(key.open("totp", std::string(40, 'x')), std::runtime_error);
    }

private:
    std::string dir_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CryptoTest);
