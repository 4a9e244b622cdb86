// Authenticator apps through liboath: secrets, base32, otpauth:// URIs, code checks, QR codes as SVG.
#include "core/methods/totp.hpp"

#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "core/text.hpp"

namespace myaccount {

namespace {

// liboath asks for one oath_init per process before any other call; once_flag is constant-
// initialised, so this is no static object with a constructor in the module.
void ensure_oath() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (oath_init() != OATH_OK) throw std::runtime_error("liboath could not be initialised");
    });
}

// liboath hands out malloc'ed strings.
struct FreeWithFree {
    void operator()(char* p) const { std::free(p); }
};
using OathString = std::unique_ptr<char, FreeWithFree>;

struct FreeQrCode {
    void operator()(QRcode* code) const { QRcode_free(code); }
};

bool is_ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

// liboath compares candidate codes through this, so the comparison takes the same time whatever
// digits match (0 = the same, as strcmp).
int constant_time_compare(void* typed, const char* candidate) {
    return constant_time_equal(*static_cast<const std::string*>(typed), candidate) ? 0 : 1;
}

constexpr int quiet_zone = 4;         // modules of white around the code (ISO/IEC 18004)
constexpr int pixels_per_module = 4;  // the drawing's natural size; pages may scale it

// The dark modules as one path: a rectangle per horizontal run, in module units.
std::string dark_module_path(const QRcode& code) {
    std::string d;
    const int width = code.width;
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width;) {
            if ((code.data[y * width + x] & 1) == 0) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < width && (code.data[y * width + x + run] & 1) != 0) ++run;
            d += "M" + std::to_string(x + quiet_zone) + " " + std::to_string(y + quiet_zone) + "h" +
                 std::to_string(run) + "v1h-" + std::to_string(run) + "z";
            x += run;
        }
    }
    return d;
}

}  // namespace

std::string new_totp_secret() {
    std::string raw(totp_secret_bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    return raw;
}

std::string base32_of(std::string_view raw_secret) {
    if (raw_secret.empty()) return {};
    ensure_oath();
    char* out = nullptr;
    std::size_t out_length = 0;
    if (oath_base32_encode(raw_secret.data(), raw_secret.size(), &out, &out_length) != OATH_OK)
        throw std::runtime_error("liboath could not encode a secret as base32");
    OathString owned(out);
    std::string text(out, out_length);
    text.erase(std::find(text.begin(), text.end(), '='), text.end());  // apps and oathtool take it unpadded
    return text;
}

std::string grouped_for_typing(std::string_view base32) {
    std::string out;
    for (std::size_t i = 0; i < base32.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back(' ');
        out.push_back(base32[i]);
    }
    return out;
}

std::string otpauth_uri(const std::string& issuer, const std::string& user, std::string_view base32) {
    // Key URI format: the issuer both as the label's prefix (older apps read only that) and as a
    // parameter (newer ones prefer it).
    std::string label = issuer.empty() ? percent_encoded(user) : percent_encoded(issuer) + ":" + percent_encoded(user);
    std::string uri = "otpauth://totp/" + label + "?secret=" + std::string(base32);
    if (!issuer.empty()) uri += "&issuer=" + percent_encoded(issuer);
    uri += "&algorithm=SHA1&digits=" + std::to_string(totp_digits) + "&period=" + std::to_string(totp_period);
    return uri;
}

std::string without_spaces(const std::string& code) {
    std::string out;
    out.reserve(code.size());
    for (char c : code)
        if (c != ' ') out.push_back(c);
    return out;
}

bool looks_like_totp_code(const std::string& code) {
    std::string digits = without_spaces(code);
    return digits.size() == static_cast<std::size_t>(totp_digits) &&
           std::all_of(digits.begin(), digits.end(), is_ascii_digit);
}

std::optional<TotpMatch> match_totp(std::string_view raw_secret, const std::string& code, UnixTime now, int window) {
    if (!looks_like_totp_code(code) || raw_secret.empty() || now < 0) return std::nullopt;
    ensure_oath();
    std::string typed = without_spaces(code);
    int position = 0;
    std::uint64_t step = 0;
    // Searches the current step first, then one step after and before, and so on: nearest first.
    int rc = oath_totp_validate3_callback(
        raw_secret.data(), raw_secret.size(), static_cast<time_t>(now), totp_period, OATH_TOTP_DEFAULT_START_TIME,
        totp_digits, static_cast<std::size_t>(std::max(window, 0)), &position, &step, constant_time_compare, &typed);
    if (rc < 0) return std::nullopt;
    return TotpMatch{static_cast<std::int64_t>(step), position};
}

bool clock_seems_off(const TotpMatch& match, int window) {
    return window > 0 && (match.offset == window || match.offset == -window);
}

std::string totp_code_at(std::string_view raw_secret, UnixTime at, int digits) {
    ensure_oath();
    char code[16] = {};
    if (oath_totp_generate(raw_secret.data(), raw_secret.size(), static_cast<time_t>(at), totp_period,
                           OATH_TOTP_DEFAULT_START_TIME, static_cast<unsigned>(digits), code) != OATH_OK)
        throw std::runtime_error("liboath could not compute a TOTP code");
    return code;
}

namespace {
// Bound to the account: a box copied into another account's row does not open there.
std::string secret_purpose(AccountId account) {
    return "totp-secret/" + std::to_string(account);
}
}  // namespace

std::string seal_totp_secret(const SecretKey& key, AccountId account, std::string_view raw_secret) {
    return key.seal(secret_purpose(account), raw_secret);
}

std::string open_totp_secret(const SecretKey& key, AccountId account, std::string_view box) {
    return key.open(secret_purpose(account), box);
}

std::optional<TotpMatch> match_sealed_totp(const SecretKey& key, AccountId account, std::string_view box,
                                           const std::string& code, UnixTime now, int window) {
    std::string secret = open_totp_secret(key, account, box);
    std::optional<TotpMatch> match = match_totp(secret, code, now, window);
    sodium_memzero(secret.data(), secret.size());
    return match;
}

std::string qr_svg(const std::string& text, const std::string& title) {
    if (text.find('\0') != std::string::npos) throw std::invalid_argument("a QR code of text with a NUL byte");
    // 8-bit mode, case-sensitive: the URI's lower-case parts and percent escapes stay as they are.
    std::unique_ptr<QRcode, FreeQrCode> code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!code) throw std::runtime_error("libqrencode could not encode the text (too long?)");
    const std::string size = std::to_string(code->width + 2 * quiet_zone);
    const std::string pixels = std::to_string((code->width + 2 * quiet_zone) * pixels_per_module);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size + "\" width=\"" + pixels +
           "\" height=\"" + pixels + "\" role=\"img\" shape-rendering=\"crispEdges\"><title>" +
           escaped_for_markup(title) + "</title><rect width=\"" + size + "\" height=\"" + size +
           "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + dark_module_path(*code) + "\"/></svg>";
}

}  // namespace myaccount
