// Authenticator codes, base32, otpauth:// URIs, sealed secrets and QR drawings, on a fixed clock:
// RFC 6238 and RFC 4648 vectors, liboath's window as the verify step uses it, oathtool as a witness.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>

#include "core/methods/totp.hpp"

using namespace myaccount;

namespace {

// RFC 6238 appendix B's SHA1 seed.
const std::string rfc_seed = "12345678901234567890";
constexpr UnixTime now = 1'234'567'890;  // 2009-02-13 23:31:30 UTC, the first second of step 41152263

// What a command prints on its standard output (one line is all these tests need).
std::string output_of(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) throw std::runtime_error("cannot run " + command);
    std::string out;
    char buffer[256];
    while (fgets(buffer, sizeof buffer, pipe.get()) != nullptr) out += buffer;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

int view_box_size(const std::string& svg) {
    std::smatch m;
    CPPUNIT_ASSERT(std::regex_search(svg, m, std::regex("viewBox=\"0 0 (\\d+) (\\d+)\"")));
    CPPUNIT_ASSERT_EQUAL(m[1].str(), m[2].str());
    return std::stoi(m[1].str());
}

}  // namespace

class TotpTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TotpTest);
    CPPUNIT_TEST(rfc6238_sha1_vectors);
    CPPUNIT_TEST(six_digit_codes_are_the_last_six_of_eight);
    CPPUNIT_TEST(window_of_one_accepts_a_step_either_side);
    CPPUNIT_TEST(window_of_zero_accepts_only_the_current_step);
    CPPUNIT_TEST(steps_are_thirty_seconds_from_the_epoch);
    CPPUNIT_TEST(clock_seems_off_only_at_the_edge);
    CPPUNIT_TEST(codes_must_be_six_ascii_digits);
    CPPUNIT_TEST(base32_rfc4648_vectors_without_padding);
    CPPUNIT_TEST(oathtool_agrees_on_base32_and_codes);
    CPPUNIT_TEST(new_secrets_are_160_random_bits);
    CPPUNIT_TEST(grouped_for_typing_in_fours);
    CPPUNIT_TEST(otpauth_uri_plain);
    CPPUNIT_TEST(otpauth_uri_encodes_spaces_colons_and_japanese);
    CPPUNIT_TEST(sealed_secret_opens_only_for_its_account_and_key);
    CPPUNIT_TEST(qr_svg_is_a_plain_drawing);
    CPPUNIT_TEST(qr_svg_size_is_a_qr_version_and_grows_with_the_text);
    CPPUNIT_TEST(qr_svg_has_the_three_finder_patterns);
    CPPUNIT_TEST_SUITE_END();

public:
    void rfc6238_sha1_vectors() {
        CPPUNIT_ASSERT_EQUAL(std::string("94287082"), totp_code_at(rfc_seed, 59, 8));
        CPPUNIT_ASSERT_EQUAL(std::string("07081804"), totp_code_at(rfc_seed, 1111111109, 8));
        CPPUNIT_ASSERT_EQUAL(std::string("14050471"), totp_code_at(rfc_seed, 1111111111, 8));
        CPPUNIT_ASSERT_EQUAL(std::string("89005924"), totp_code_at(rfc_seed, 1234567890, 8));
        CPPUNIT_ASSERT_EQUAL(std::string("69279037"), totp_code_at(rfc_seed, 2000000000, 8));
        CPPUNIT_ASSERT_EQUAL(std::string("65353130"), totp_code_at(rfc_seed, 20000000000, 8));
    }

    void six_digit_codes_are_the_last_six_of_eight() {
        // Dynamic truncation takes the value modulo 10^digits: the 6-digit code is the 8-digit one's tail.
        CPPUNIT_ASSERT_EQUAL(std::string("005924"), totp_code_at(rfc_seed, 1234567890));
        CPPUNIT_ASSERT_EQUAL(std::string("287082"), totp_code_at(rfc_seed, 59));
    }

    void window_of_one_accepts_a_step_either_side() {
        const std::int64_t step = now / 30;
        for (int offset : {-30, 0, 30}) {
            std::optional<TotpMatch> match = match_totp(rfc_seed, totp_code_at(rfc_seed, now + offset), now, 1);
            CPPUNIT_ASSERT_MESSAGE(std::to_string(offset), match.has_value());
            CPPUNIT_ASSERT_EQUAL(offset / 30, match->offset);
            CPPUNIT_ASSERT_EQUAL(step + offset / 30, match->step);
        }
        for (int offset : {-90, -60, 60, 90})
            CPPUNIT_ASSERT_MESSAGE(std::to_string(offset),
                                   !match_totp(rfc_seed, totp_code_at(rfc_seed, now + offset), now, 1));
    }

    void window_of_zero_accepts_only_the_current_step() {
        CPPUNIT_ASSERT(match_totp(rfc_seed, totp_code_at(rfc_seed, now), now, 0).has_value());
        CPPUNIT_ASSERT(!match_totp(rfc_seed, totp_code_at(rfc_seed, now - 30), now, 0));
        CPPUNIT_ASSERT(!match_totp(rfc_seed, totp_code_at(rfc_seed, now + 30), now, 0));
        // A wider window reaches further, and says how far.
        std::optional<TotpMatch> two_back = match_totp(rfc_seed, totp_code_at(rfc_seed, now - 60), now, 2);
        CPPUNIT_ASSERT(two_back && two_back->offset == -2);
    }

    void steps_are_thirty_seconds_from_the_epoch() {
        const UnixTime step_start = 41152263LL * 30;  // = 1234567890, the first second of its step
        const std::string code = totp_code_at(rfc_seed, step_start);
        CPPUNIT_ASSERT_EQUAL(code, totp_code_at(rfc_seed, step_start + 29));
        CPPUNIT_ASSERT(code != totp_code_at(rfc_seed, step_start + 30));
        // The last second of a step still takes the next step's code (window 1), not the one after.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{41152264},
                             match_totp(rfc_seed, totp_code_at(rfc_seed, step_start + 30), step_start + 29, 1)->step);
    }

    void clock_seems_off_only_at_the_edge() {
        CPPUNIT_ASSERT(!clock_seems_off(TotpMatch{10, 0}, 1));
        CPPUNIT_ASSERT(clock_seems_off(TotpMatch{10, 1}, 1));
        CPPUNIT_ASSERT(clock_seems_off(TotpMatch{10, -1}, 1));
        CPPUNIT_ASSERT(!clock_seems_off(TotpMatch{10, 1}, 2));
        CPPUNIT_ASSERT(clock_seems_off(TotpMatch{10, -2}, 2));
        CPPUNIT_ASSERT(!clock_seems_off(TotpMatch{10, 0}, 0));
    }

    void codes_must_be_six_ascii_digits() {
        const std::string code = totp_code_at(rfc_seed, now);
        CPPUNIT_ASSERT(looks_like_totp_code("123456"));
        CPPUNIT_ASSERT(looks_like_totp_code("123 456"));
        CPPUNIT_ASSERT(looks_like_totp_code(" 123456 "));
        CPPUNIT_ASSERT_EQUAL(std::string("123456"), without_spaces(" 123 456 "));
        for (const char* bad : {"", "12345", "1234567", "12345a", "١٢٣٤٥٦", "null", "12345\t6", "-12345",
                                "１２３４５６"})
            CPPUNIT_ASSERT_MESSAGE(bad, !looks_like_totp_code(bad));
        CPPUNIT_ASSERT(!looks_like_totp_code(std::string("123456\0", 7)));
        // The right digits typed with spaces match; with anything else they do not.
        CPPUNIT_ASSERT(match_totp(rfc_seed, code.substr(0, 3) + " " + code.substr(3), now, 1).has_value());
        CPPUNIT_ASSERT(!match_totp(rfc_seed, code + "0", now, 1));
        CPPUNIT_ASSERT(!match_totp(rfc_seed, std::string(code + '\0'), now, 1));
        CPPUNIT_ASSERT(!match_totp(rfc_seed, code.substr(1), now, 1));
    }

    void base32_rfc4648_vectors_without_padding() {
        CPPUNIT_ASSERT_EQUAL(std::string(""), base32_of(""));
        CPPUNIT_ASSERT_EQUAL(std::string("MY"), base32_of("f"));
        CPPUNIT_ASSERT_EQUAL(std::string("MZXQ"), base32_of("fo"));
        CPPUNIT_ASSERT_EQUAL(std::string("MZXW6"), base32_of("foo"));
        CPPUNIT_ASSERT_EQUAL(std::string("MZXW6YQ"), base32_of("foob"));
        CPPUNIT_ASSERT_EQUAL(std::string("MZXW6YTB"), base32_of("fooba"));
        CPPUNIT_ASSERT_EQUAL(std::string("MZXW6YTBOI"), base32_of("foobar"));
        // 20 bytes are 32 characters exactly: what every enrolment shows.
        CPPUNIT_ASSERT_EQUAL(std::string("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), base32_of(rfc_seed));
    }

    void oathtool_agrees_on_base32_and_codes() {
        // An independent implementation reads our base32 and computes the same code (SECURITY.md:
        // TOTP is cross-checked with oathtool, not with our own code).
        const std::string secret = new_totp_secret();
        const std::string shown = base32_of(secret);
        CPPUNIT_ASSERT_EQUAL(totp_code_at(secret, now),
                             output_of("oathtool --totp -b '" + shown + "' --now '2009-02-13 23:31:30 UTC'"));
        CPPUNIT_ASSERT_EQUAL(totp_code_at(rfc_seed, now, 8),
                             output_of("oathtool --totp -d 8 -b GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ "
                                       "--now '2009-02-13 23:31:30 UTC'"));
    }

    void new_secrets_are_160_random_bits() {
        const std::string a = new_totp_secret();
        const std::string b = new_totp_secret();
        CPPUNIT_ASSERT_EQUAL(std::size_t{20}, a.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{20}, b.size());
        CPPUNIT_ASSERT(a != b);
        CPPUNIT_ASSERT_EQUAL(std::size_t{32}, base32_of(a).size());
    }

    void grouped_for_typing_in_fours() {
        CPPUNIT_ASSERT_EQUAL(std::string("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"),
                             grouped_for_typing("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
        CPPUNIT_ASSERT_EQUAL(std::string("MZXW 6YT"), grouped_for_typing("MZXW6YT"));
        CPPUNIT_ASSERT_EQUAL(std::string("MZXW"), grouped_for_typing("MZXW"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), grouped_for_typing(""));
    }

    void otpauth_uri_plain() {
        CPPUNIT_ASSERT_EQUAL(std::string("otpauth://totp/Contoso:alice?secret=GEZDGNBV&issuer=Contoso&algorithm=SHA1"
                                         "&digits=6&period=30"),
                             otpauth_uri("Contoso", "alice", "GEZDGNBV"));
        // Unreserved characters stay; '@' and '+' (e-mail-like IDs) are escaped.
        CPPUNIT_ASSERT_EQUAL(std::string("otpauth://totp/A-b.c_d~:x%40y%2Bz?secret=AB&issuer=A-b.c_d~&algorithm=SHA1"
                                         "&digits=6&period=30"),
                             otpauth_uri("A-b.c_d~", "x@y+z", "AB"));
    }

    void otpauth_uri_encodes_spaces_colons_and_japanese() {
        // 社内 = E7 A4 BE E5 86 85, 太郎 = E5 A4 AA E9 83 8E: UTF-8 bytes, upper-case hex.
        CPPUNIT_ASSERT_EQUAL(std::string("otpauth://totp/My%20Account:alice?secret=ABCD&issuer=My%20Account"
                                         "&algorithm=SHA1&digits=6&period=30"),
                             otpauth_uri("My Account", "alice", "ABCD"));
        CPPUNIT_ASSERT_EQUAL(std::string("otpauth://totp/%E7%A4%BE%E5%86%85%20SSO%3A%20Tokyo:%E5%A4%AA%E9%83%8E%3Ax"
                                         "?secret=ABCD&issuer=%E7%A4%BE%E5%86%85%20SSO%3A%20Tokyo"
                                         "&algorithm=SHA1&digits=6&period=30"),
                             otpauth_uri("社内 SSO: Tokyo", "太郎:x", "ABCD"));
        // '&', '=', '?', '#', '/' cannot break out of the label or the parameter.
        CPPUNIT_ASSERT_EQUAL(std::string("otpauth://totp/a%26b%3Dc%3Fd%23e%2Ff:u?secret=AB&issuer=a%26b%3Dc%3Fd%23e%2Ff"
                                         "&algorithm=SHA1&digits=6&period=30"),
                             otpauth_uri("a&b=c?d#e/f", "u", "AB"));
    }

    void sealed_secret_opens_only_for_its_account_and_key() {
        const SecretKey key = SecretKey::from_bytes(std::string(32, '\x11'));
        const SecretKey other_key = SecretKey::from_bytes(std::string(32, '\x22'));
        const std::string secret = new_totp_secret();
        const std::string box = seal_totp_secret(key, 7, secret);
        CPPUNIT_ASSERT(box.find(secret) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(secret, open_totp_secret(key, 7, box));
        CPPUNIT_ASSERT(seal_totp_secret(key, 7, secret) != box);  // a fresh nonce every time
        CPPUNIT_ASSERT_THROW(open_totp_secret(key, 8, box), std::runtime_error);
        CPPUNIT_ASSERT_THROW(open_totp_secret(other_key, 7, box), std::runtime_error);
        std::string tampered = box;
        tampered[tampered.size() - 1] ^= 1;
        CPPUNIT_ASSERT_THROW(open_totp_secret(key, 7, tampered), std::runtime_error);
        // The sealed secret checks codes like the raw one.
        std::optional<TotpMatch> match = match_sealed_totp(key, 7, box, totp_code_at(secret, now), now, 1);
        CPPUNIT_ASSERT(match && match->offset == 0);
        CPPUNIT_ASSERT_THROW(match_sealed_totp(key, 8, box, totp_code_at(secret, now), now, 1), std::runtime_error);
    }

    void qr_svg_is_a_plain_drawing() {
        const std::string svg = qr_svg(otpauth_uri("My Account", "alice", "ABCD"), "Scan <me> & \"you\"");
        CPPUNIT_ASSERT_EQUAL(std::string("<svg "), svg.substr(0, 5));
        CPPUNIT_ASSERT_EQUAL(std::string("</svg>"), svg.substr(svg.size() - 6));
        CPPUNIT_ASSERT(svg.find("role=\"img\"") != std::string::npos);
        CPPUNIT_ASSERT(svg.find("shape-rendering=\"crispEdges\"") != std::string::npos);
        CPPUNIT_ASSERT(svg.find("<title>Scan &lt;me&gt; &amp; &quot;you&quot;</title>") != std::string::npos);
        // One path of dark modules on one white rectangle; nothing that runs or loads.
        CPPUNIT_ASSERT_EQUAL(std::string::size_type{1}, count(svg, "<path"));
        CPPUNIT_ASSERT_EQUAL(std::string::size_type{1}, count(svg, "<rect"));
        for (const char* absent : {"<script", "href", "url(", "<image", "<foreignObject", "<style"})
            CPPUNIT_ASSERT_MESSAGE(absent, svg.find(absent) == std::string::npos);
        CPPUNIT_ASSERT(!std::regex_search(svg, std::regex("\\son[a-z]+=")));
        CPPUNIT_ASSERT_THROW(qr_svg(std::string("a\0b", 3), "t"), std::invalid_argument);
    }

    void qr_svg_size_is_a_qr_version_and_grows_with_the_text() {
        int previous = 0;
        for (std::size_t length : {10u, 100u, 300u, 1000u}) {
            const int size = view_box_size(qr_svg(std::string(length, 'x'), "t"));
            const int modules = size - 2 * 4;  // less the quiet zone of four modules each side
            CPPUNIT_ASSERT_MESSAGE(std::to_string(modules), modules >= 21 && modules <= 177 && (modules - 17) % 4 == 0);
            CPPUNIT_ASSERT(size > previous);
            previous = size;
        }
        // A typical enrolment URI (32-character secret, issuer, user) fits a small, easily scanned code.
        const std::string uri = otpauth_uri("My Account", "alice", base32_of(new_totp_secret()));
        CPPUNIT_ASSERT(view_box_size(qr_svg(uri, "t")) - 8 <= 57);  // version 10 or below
    }

    void qr_svg_has_the_three_finder_patterns() {
        const std::string svg = qr_svg("otpauth://totp/x", "t");
        const int size = view_box_size(svg);
        const std::string far = std::to_string(size - 4 - 7);
        // Each finder pattern's top and bottom edges are runs of seven dark modules.
        for (const std::string& run : {std::string("M4 4h7v1h-7z"), "M" + far + " 4h7v1h-7z", "M4 " + far + "h7v1h-7z",
                                       std::string("M4 10h7v1h-7z"), "M4 " + std::to_string(size - 4 - 1) + "h7v1h-7z"})
            CPPUNIT_ASSERT_MESSAGE(run, svg.find(run) != std::string::npos);
        // The quiet zone stays white: no dark module starts left of or above it.
        CPPUNIT_ASSERT(!std::regex_search(svg, std::regex("M[0-3] ")));
        CPPUNIT_ASSERT(!std::regex_search(svg, std::regex("M\\d+ [0-3]h")));
    }

private:
    static std::string::size_type count(const std::string& text, const std::string& part) {
        std::string::size_type n = 0;
        for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
        return n;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TotpTest);
