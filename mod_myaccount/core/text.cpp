// Validation of user-supplied text: UTF-8 well-formedness, control characters, field lengths.
#include "core/text.hpp"

namespace myaccount {

namespace {

// Length of the well-formed UTF-8 sequence at the start of `text`, or 0 if it is ill-formed.
// Follows the Unicode table of well-formed byte sequences (Unicode 15, table 3-7): this is
// what rules out overlong forms, surrogates (U+D800-U+DFFF) and code points above U+10FFFF.
std::size_t utf8_sequence_length(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const auto in = [](unsigned char b, unsigned char lo, unsigned char hi) { return b >= lo && b <= hi; };
    const unsigned char b0 = byte(0);
    if (b0 <= 0x7F) return 1;
    std::size_t length = 0;
    unsigned char lo = 0x80;  // allowed range of the second byte
    unsigned char hi = 0xBF;
    if (in(b0, 0xC2, 0xDF)) {
        length = 2;
    } else if (in(b0, 0xE0, 0xEF)) {
        length = 3;
        if (b0 == 0xE0) lo = 0xA0;  // overlong
        if (b0 == 0xED) hi = 0x9F;  // surrogates
    } else if (in(b0, 0xF0, 0xF4)) {
        length = 4;
        if (b0 == 0xF0) lo = 0x90;  // overlong
        if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
        return 0;  // continuation byte, overlong lead C0/C1, or F5-FF
    }
    if (text.size() < length || !in(byte(1), lo, hi)) return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (!in(byte(i), 0x80, 0xBF)) return 0;
    }
    return length;
}

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Characters with a meaning in mail headers or address lists: allowing them would let one
// "address" name several recipients or smuggle a display name. Quoted local parts are not supported.
bool is_email_special(char c) {
    switch (c) {
        case ' ': case ',': case ';': case ':': case '<': case '>': case '(': case ')':
        case '[': case ']': case '\\': case '"':
            return true;
        default:
            return false;
    }
}

}  // namespace

std::string percent_encoded(std::string_view text, std::string_view also_kept) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (unsigned char c : text) {
        bool kept = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == '_' || c == '~' || also_kept.find(static_cast<char>(c)) != std::string_view::npos;
        if (kept) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0x0F]);
        }
    }
    return out;
}

std::string escaped_for_markup(const std::string& text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            case '`': out += "&#96;"; break;
            case '{': out += "&#123;"; break;
            case '}': out += "&#125;"; break;
            default: out += c;
        }
    }
    return out;
}

bool is_valid_utf8(std::string_view text) {
    while (!text.empty()) {
        const std::size_t length = utf8_sequence_length(text);
        if (length == 0) return false;
        text.remove_prefix(length);
    }
    return true;
}

std::size_t code_point_count(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;  // every byte but continuations
    }
    return count;
}

bool has_control_characters(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b < 0x20 || b == 0x7F) return true;
        // C1 controls U+0080-U+009F are encoded as C2 80 - C2 9F.
        if (b == 0xC2 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9F) return true;
        }
    }
    return false;
}

const char* to_string(TextProblem problem) {
    switch (problem) {
        case TextProblem::empty: return "empty";
        case TextProblem::too_long: return "too_long";
        case TextProblem::invalid_utf8: return "invalid_utf8";
        case TextProblem::control_characters: return "control_characters";
    }
    return "unknown";
}

std::optional<TextProblem> check_field(std::string_view text, std::size_t max_code_points,
                                       bool required) {
    if (text.empty()) {
        if (required) return TextProblem::empty;
        return std::nullopt;
    }
    // UTF-8 first: the length in code points means nothing for ill-formed text.
    if (!is_valid_utf8(text)) return TextProblem::invalid_utf8;
    if (code_point_count(text) > max_code_points) return TextProblem::too_long;
    if (has_control_characters(text)) return TextProblem::control_characters;
    return std::nullopt;
}

bool is_valid_username(std::string_view username) {
    if (username.empty() || username.size() > 64 || !is_ascii_alnum(username.front())) return false;
    for (const char c : username) {
        if (!is_ascii_alnum(c) && c != '.' && c != '_' && c != '@' && c != '-') return false;
    }
    return true;
}

std::string ascii_lower(std::string_view text) {
    std::string lowered(text);
    for (char& c : lowered)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return lowered;
}

std::string trim_spaces(const std::string& text) {
    std::size_t first = text.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

bool is_valid_email(std::string_view address) {
    // RFC 5321 limits a path to 254 octets, so bytes are counted here, not code points.
    if (address.size() > 254 || !is_valid_utf8(address) || has_control_characters(address)) return false;
    const std::size_t at = address.find('@');
    if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) return false;
    const std::string_view local = address.substr(0, at);
    const std::string_view domain = address.substr(at + 1);
    if (local.empty() || domain.empty()) return false;
    // Legal in RFC 5322, but read as an option by sendmail and friends the notifier may call.
    if (local.front() == '-') return false;
    if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos) {
        return false;
    }
    for (const char c : address) {
        if (is_email_special(c)) return false;
    }
    return true;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
    std::string text;
    for (const std::string& item : items) {
        if (!text.empty()) text += separator;
        text += item;
    }
    return text;
}

}  // namespace myaccount
