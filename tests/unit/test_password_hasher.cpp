// Tests of argon2id hashing, rehash decisions and legacy htpasswd hash verification.
#include <cppunit/extensions/HelperMacros.h>

#include <apr_md5.h>
#include <apr_sha1.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#include "apr/htpasswd_hashes.hpp"
#include "core/password_hasher.hpp"

using namespace myaccount;

namespace {

// Small parameters keep the suite fast; one test checks the defaults.
const Argon2Params fast{8192, 1};

std::string apr1_hash(const std::string& password) {
    char out[120];
    if (apr_md5_encode(password.c_str(), "$apr1$rR2xQ9pL", out, sizeof out) != APR_SUCCESS) {
        throw std::runtime_error("apr_md5_encode failed");
    }
    return out;
}

std::string sha1_hash(const std::string& password) {
    char out[APR_SHA1PW_IDLEN + 29];
    apr_sha1_base64(password.c_str(), static_cast<int>(password.size()), out);
    return out;
}

template <typename F>
double min_seconds(F f) {
    double best = 1e9;
    for (int i = 0; i < 5; ++i) {
        const auto start = std::chrono::steady_clock::now();
        f();
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
    }
    return best;
}

}  // namespace

class PasswordHasherTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PasswordHasherTest);
    CPPUNIT_TEST(default_hash_uses_owasp_parameters);
    CPPUNIT_TEST(hash_encodes_configured_parameters);
    CPPUNIT_TEST(same_password_gives_different_hashes);
    CPPUNIT_TEST(right_password_matches_wrong_fails);
    CPPUNIT_TEST(no_truncation_at_any_boundary);
    CPPUNIT_TEST(nul_byte_inside_password_matters);
    CPPUNIT_TEST(unicode_password_matches_exact_bytes_only);
    CPPUNIT_TEST(raised_parameters_need_rehash);
    CPPUNIT_TEST(argon2i_hash_matches_and_needs_rehash);
    CPPUNIT_TEST(apr1_hash_matches_and_needs_rehash);
    CPPUNIT_TEST(sha1_hash_matches_and_needs_rehash);
    CPPUNIT_TEST(bcrypt_hash_matches_and_needs_rehash);
    CPPUNIT_TEST(legacy_hash_never_matches_password_with_nul);
    CPPUNIT_TEST(legacy_hash_needs_the_legacy_check);
    CPPUNIT_TEST(empty_hash_never_matches);
    CPPUNIT_TEST(malformed_hashes_never_match);
    CPPUNIT_TEST(dummy_verify_costs_like_real_verify);
    CPPUNIT_TEST(rejects_parameters_below_minimum);
    CPPUNIT_TEST_SUITE_END();

public:
    void default_hash_uses_owasp_parameters() {
        const PasswordHasher hasher;
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{19456}, hasher.params().memory_kib);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, hasher.params().iterations);
        const std::string hash = hasher.hash("correct horse battery staple");
        const std::string prefix = "$argon2id$v=19$m=19456,t=2,p=1$";
        CPPUNIT_ASSERT_EQUAL(prefix, hash.substr(0, prefix.size()));
        const auto verdict = hasher.verify(hash, "correct horse battery staple");
        CPPUNIT_ASSERT(verdict.match);
        CPPUNIT_ASSERT(!verdict.needs_rehash);
    }

    void hash_encodes_configured_parameters() {
        const std::string hash = PasswordHasher(fast).hash("pw");
        const std::string prefix = "$argon2id$v=19$m=8192,t=1,p=1$";
        CPPUNIT_ASSERT_EQUAL(prefix, hash.substr(0, prefix.size()));
        // salt: 16 bytes = 22 base64 characters, then '$' and the 32-byte tag
        const std::size_t dollar = hash.find('$', prefix.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{22}, dollar - prefix.size());
    }

    void same_password_gives_different_hashes() {
        const PasswordHasher hasher(fast);
        const std::string a = hasher.hash("same password");
        const std::string b = hasher.hash("same password");
        CPPUNIT_ASSERT(a != b);
        CPPUNIT_ASSERT(hasher.verify(a, "same password").match);
        CPPUNIT_ASSERT(hasher.verify(b, "same password").match);
    }

    void right_password_matches_wrong_fails() {
        const PasswordHasher hasher(fast);
        const std::string hash = hasher.hash("Tr0ub4dor&3");
        CPPUNIT_ASSERT(hasher.verify(hash, "Tr0ub4dor&3").match);
        CPPUNIT_ASSERT(!hasher.verify(hash, "Tr0ub4dor&4").match);
        CPPUNIT_ASSERT(!hasher.verify(hash, "tr0ub4dor&3").match);
        CPPUNIT_ASSERT(!hasher.verify(hash, "Tr0ub4dor&3 ").match);
        CPPUNIT_ASSERT(!hasher.verify(hash, "").match);
        CPPUNIT_ASSERT(!hasher.verify(hash, "Tr0ub4dor&3").needs_rehash);
        CPPUNIT_ASSERT(!hasher.verify(hash, "wrong").needs_rehash);
    }

    void no_truncation_at_any_boundary() {
        const PasswordHasher hasher(fast);
        for (const std::size_t n : {std::size_t{64}, std::size_t{72}, std::size_t{128}, std::size_t{255},
                                    std::size_t{256}, std::size_t{1000}}) {
            const std::string hash = hasher.hash(std::string(n, 'A') + "x");
            CPPUNIT_ASSERT(hasher.verify(hash, std::string(n, 'A') + "x").match);
            CPPUNIT_ASSERT(!hasher.verify(hash, std::string(n, 'A') + "y").match);
            CPPUNIT_ASSERT(!hasher.verify(hash, std::string(n, 'A')).match);
        }
    }

    void nul_byte_inside_password_matters() {
        const PasswordHasher hasher(fast);
        const std::string with_nul("secret\0tail", 11);
        const std::string hash = hasher.hash(with_nul);
        CPPUNIT_ASSERT(hasher.verify(hash, with_nul).match);
        CPPUNIT_ASSERT(!hasher.verify(hash, "secret").match);
        CPPUNIT_ASSERT(!hasher.verify(hash, std::string("secret\0tai", 10)).match);
        CPPUNIT_ASSERT(!hasher.verify(hasher.hash("secret"), with_nul).match);
    }

    void unicode_password_matches_exact_bytes_only() {
        const PasswordHasher hasher(fast);
        const std::string password = "  a b\tc \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80 \xef\xac\x81";
        const std::string hash = hasher.hash(password);
        CPPUNIT_ASSERT(hasher.verify(hash, password).match);
        CPPUNIT_ASSERT(!hasher.verify(hash, "a b\tc \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80 \xef\xac\x81").match);
        // The documented choice: no Unicode normalization. The same text in another form —
        // decomposed u + U+0308 for the precomposed U+00FC, "fi" for the ligature U+FB01 (NFKC's
        // folding) — is another password.
        CPPUNIT_ASSERT(!hasher.verify(hash, "  a b\tc u\xcc\x88 \xe6\xbc\xa2 \xf0\x9f\x98\x80 \xef\xac\x81").match);
        CPPUNIT_ASSERT(!hasher.verify(hash, "  a b\tc \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80 fi").match);
    }

    void raised_parameters_need_rehash() {
        const std::string hash = PasswordHasher(fast).hash("pw");
        CPPUNIT_ASSERT(!PasswordHasher(fast).verify(hash, "pw").needs_rehash);

        const auto more_time = PasswordHasher(Argon2Params{8192, 2}).verify(hash, "pw");
        CPPUNIT_ASSERT(more_time.match);
        CPPUNIT_ASSERT(more_time.needs_rehash);

        const auto more_memory = PasswordHasher(Argon2Params{16384, 1}).verify(hash, "pw");
        CPPUNIT_ASSERT(more_memory.match);
        CPPUNIT_ASSERT(more_memory.needs_rehash);
    }

    void argon2i_hash_matches_and_needs_rehash() {
        char out[crypto_pwhash_argon2i_STRBYTES];
        CPPUNIT_ASSERT_EQUAL(0, crypto_pwhash_argon2i_str(out, "pw", 2, 3, 8192 * 1024));
        const PasswordHasher hasher(fast);
        const auto verdict = hasher.verify(out, "pw");
        CPPUNIT_ASSERT(verdict.match);
        CPPUNIT_ASSERT(verdict.needs_rehash);
        CPPUNIT_ASSERT(!hasher.verify(out, "pW").match);
    }

    void apr1_hash_matches_and_needs_rehash() {
        const PasswordHasher hasher(fast, htpasswd_hash_matches);
        const std::string hash = apr1_hash("legacy pass");
        CPPUNIT_ASSERT_EQUAL(std::string("$apr1$"), hash.substr(0, 6));
        const auto verdict = hasher.verify(hash, "legacy pass");
        CPPUNIT_ASSERT(verdict.match);
        CPPUNIT_ASSERT(verdict.needs_rehash);
        const auto wrong = hasher.verify(hash, "legacy pasS");
        CPPUNIT_ASSERT(!wrong.match);
        CPPUNIT_ASSERT(!wrong.needs_rehash);
    }

    void sha1_hash_matches_and_needs_rehash() {
        const PasswordHasher hasher(fast, htpasswd_hash_matches);
        const std::string hash = sha1_hash("legacy pass");
        CPPUNIT_ASSERT_EQUAL(std::string("{SHA}"), hash.substr(0, 5));
        const auto verdict = hasher.verify(hash, "legacy pass");
        CPPUNIT_ASSERT(verdict.match);
        CPPUNIT_ASSERT(verdict.needs_rehash);
        CPPUNIT_ASSERT(!hasher.verify(hash, "legacy").match);
    }

    void bcrypt_hash_matches_and_needs_rehash() {
        const unsigned char salt[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        char out[64];
        CPPUNIT_ASSERT_EQUAL(APR_SUCCESS, apr_bcrypt_encode("legacy pass", 4, salt, sizeof salt, out, sizeof out));
        const PasswordHasher hasher(fast, htpasswd_hash_matches);
        const auto verdict = hasher.verify(out, "legacy pass");
        CPPUNIT_ASSERT(verdict.match);
        CPPUNIT_ASSERT(verdict.needs_rehash);
        CPPUNIT_ASSERT(!hasher.verify(out, "legacy pas").match);
    }

    void legacy_hash_never_matches_password_with_nul() {
        const PasswordHasher hasher(fast, htpasswd_hash_matches);
        // APR sees C strings: "secret\0tail" would reach it as "secret" and match.
        CPPUNIT_ASSERT(!hasher.verify(apr1_hash("secret"), std::string("secret\0tail", 11)).match);
        CPPUNIT_ASSERT(!hasher.verify(sha1_hash("secret"), std::string("secret\0", 7)).match);
        CPPUNIT_ASSERT(hasher.verify(apr1_hash("secret"), "secret").match);
    }

    // The core knows no htpasswd format of its own: without APR's check such hashes never match.
    void legacy_hash_needs_the_legacy_check() {
        const PasswordHasher hasher(fast);
        CPPUNIT_ASSERT(!hasher.verify(apr1_hash("secret"), "secret").match);
        CPPUNIT_ASSERT(!hasher.verify(sha1_hash("secret"), "secret").match);
    }

    void empty_hash_never_matches() {
        const PasswordHasher hasher(fast);
        for (const std::string& password : {std::string(), std::string("x"), std::string("\0", 1)}) {
            const auto verdict = hasher.verify("", password);
            CPPUNIT_ASSERT(!verdict.match);
            CPPUNIT_ASSERT(!verdict.needs_rehash);
        }
    }

    void malformed_hashes_never_match() {
        const PasswordHasher hasher(fast);
        const std::string good = hasher.hash("pw");
        for (const std::string& hash :
             {std::string("pw"), std::string("*"), std::string("!"), std::string("$argon2id$"),
              std::string("$argon2id$v=19$m=8192,t=1,p=1$garbage"), good.substr(0, good.size() - 1),
              std::string("$apr1$"), std::string("{SHA}"), std::string("$2y$"),
              good + std::string("\0", 1), std::string("\0", 1) + good}) {
            CPPUNIT_ASSERT(!hasher.verify(hash, "pw").match);
            CPPUNIT_ASSERT(!hasher.verify(hash, "").match);
        }
    }

    void dummy_verify_costs_like_real_verify() {
        const PasswordHasher hasher;  // defaults: the timing that matters in production
        const std::string hash = hasher.hash("real password");
        const double real = min_seconds([&] { hasher.verify(hash, "wrong password"); });
        const double dummy = min_seconds([&] { hasher.verify_dummy("wrong password"); });
        const double no_hash = min_seconds([&] { hasher.verify("", "wrong password"); });
        // Generous bounds: the aim is "one argon2id run each", not a benchmark.
        CPPUNIT_ASSERT(dummy > real * 0.5 && dummy < real * 2);
        CPPUNIT_ASSERT(no_hash > real * 0.5 && no_hash < real * 2);
    }

    void rejects_parameters_below_minimum() {
        CPPUNIT_ASSERT_THROW(PasswordHasher(Argon2Params{8192, 0}), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(PasswordHasher(Argon2Params{7, 1}), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(PasswordHasher(Argon2Params{~std::uint64_t{0}, 1}), std::invalid_argument);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordHasherTest);
