// urlencoded names and values: decoding, encoding, and splitting a body into fields.
#include "web/urlencoded.hpp"

#include "core/text.hpp"

namespace myaccount::web {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::string> urldecoded(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] != '%') {
            out += text[i];
        } else {
            if (i + 2 >= text.size()) return std::nullopt;
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out += static_cast<char>(high * 16 + low);
            i += 2;
        }
    }
    return out;
}

Fields parse_urlencoded(std::string_view body) {
    Fields fields;
    while (!body.empty()) {
        const std::size_t amp = body.find('&');
        const std::string_view piece = body.substr(0, amp);
        body.remove_prefix(amp == std::string_view::npos ? body.size() : amp + 1);
        const std::size_t equals = piece.find('=');
        if (equals == std::string_view::npos) continue;
        std::optional<std::string> name = urldecoded(piece.substr(0, equals));
        std::optional<std::string> value = urldecoded(piece.substr(equals + 1));
        if (name && value) fields.emplace_back(std::move(*name), std::move(*value));
    }
    return fields;
}

std::string encode_urlencoded(const Fields& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out += '&';
        out += percent_encoded(name) + '=' + percent_encoded(value);
    }
    return out;
}

}  // namespace myaccount::web
