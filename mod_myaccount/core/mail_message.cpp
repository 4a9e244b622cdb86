// Composing notification e-mails: headers that cannot be forged, the body as written.
#include "core/mail_message.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <string_view>

#include "core/text.hpp"

namespace myaccount {

namespace {

constexpr std::size_t max_header_line = 78;  // RFC 5322 2.1.1: SHOULD
// Bytes of text per encoded word: 42 bytes are 56 base64 characters, so "=?UTF-8?B?...?=" is 68
// characters and a folded line stays within 78 (RFC 2047 allows 75 per word).
constexpr std::size_t encoded_word_bytes = 42;

// Control characters (C0, DEL, C1) become spaces, so no line break ever reaches a header.
std::string without_controls(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b < 0x20 || b == 0x7F) {
            out += ' ';
        } else if (b == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            out += ' ';
            ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

bool is_printable_ascii(std::string_view text) {
    for (const char c : text) {
        if (c < 0x20 || c > 0x7E) return false;
    }
    return true;
}

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

// RFC 2047 "B" encoded words, split between characters (never inside a UTF-8 sequence) and folded
// onto continuation lines; whitespace between encoded words is not part of the decoded text.
std::string encoded_words(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        std::size_t take = std::min(text.size(), encoded_word_bytes);
        while (take < text.size() && take > 1 && (static_cast<unsigned char>(text[take]) & 0xC0) == 0x80) --take;
        if (!out.empty()) out += "\n ";
        out += "=?UTF-8?B?" + base64(text.substr(0, take)) + "?=";
        text.remove_prefix(take);
    }
    return out;
}

std::string subject_header(std::string_view subject) {
    const std::string clean = without_controls(subject);
    if (clean.empty()) return "Subject:\n";
    const std::string plain = "Subject: " + clean;
    // Text that looks like an encoded word is encoded too, so a reader shows it as written.
    if (is_printable_ascii(clean) && plain.size() <= max_header_line && clean.find("=?") == std::string::npos) {
        return plain + "\n";
    }
    return "Subject: " + encoded_words(clean) + "\n";
}

}  // namespace

std::string rfc5322_date(UnixTime time) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = time;
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr || tm.tm_year + 1900 < 1900 || tm.tm_year + 1900 > 9999) {
        throw std::invalid_argument("date out of range");
    }
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buffer;
}

std::string compose_email(const Notification& notification, UnixTime date) {
    if (!is_valid_email(notification.recipient)) {
        throw std::invalid_argument("the recipient is not one plain e-mail address");
    }
    std::string message;
    message.reserve(notification.body.size() + 512);
    message += "Date: " + rfc5322_date(date) + "\n";
    message += "To: " + notification.recipient + "\n";
    message += subject_header(notification.subject);
    message += "MIME-Version: 1.0\n";
    message += "Content-Type: text/plain; charset=UTF-8\n";
    message += "Content-Transfer-Encoding: 8bit\n";
    message += "\n";
    message += notification.body;
    return message;
}

}  // namespace myaccount
