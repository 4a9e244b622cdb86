// Notification e-mails (core/mail_message): whatever the recipient, subject and body, the header
// block has exactly the fields compose_email writes, and the body follows unchanged.
#include <stdexcept>

#include "core/mail_message.hpp"
#include "core/text.hpp"
#include "fuzz_support.hpp"

using namespace myaccount;

namespace {

constexpr UnixTime sent_at = 1767225600;  // 2026-01-01
const char* const header_fields[] = {"Date: ", "To: ", "Subject:", "MIME-Version: ", "Content-Type: ",
                                     "Content-Transfer-Encoding: "};

// Checks the header block line by line; returns where the body starts.
std::size_t require_header_block(const std::string& message) {
    std::size_t at = 0;
    std::size_t field = 0;
    for (;;) {
        const std::size_t end = message.find('\n', at);
        fuzz::require(end != std::string::npos, "the header block ends with a blank line");
        const std::string_view line(message.data() + at, end - at);
        at = end + 1;
        if (line.empty()) break;
        for (unsigned char c : line) fuzz::require(!fuzz::is_control(c), "a header line has no control characters");
        fuzz::require(line.size() <= 998, "a header line is within RFC 5322's limit");
        if (line[0] == ' ') {
            fuzz::require(field > 0 && std::string_view(header_fields[field - 1]) == "Subject:",
                          "only the subject is folded");
            continue;
        }
        fuzz::require(field < std::size(header_fields) && line.rfind(header_fields[field], 0) == 0,
                      "no header line the composer did not write");
        ++field;
    }
    fuzz::require(field == std::size(header_fields), "every header field is there once");
    return at;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::string> parts = fuzz::fields_of(fuzz::text_of(data, size), 3);
    Notification notification;
    notification.recipient = parts[0];
    notification.subject = parts[1];
    notification.body = parts[2];
    std::string message;
    try {
        message = compose_email(notification, sent_at);
    } catch (const std::invalid_argument&) {
        fuzz::require(!is_valid_email(notification.recipient), "only a bad recipient is refused");
        return 0;
    }
    const std::size_t body_at = require_header_block(message);
    fuzz::require(message.compare(body_at, std::string::npos, notification.body) == 0, "the body follows verbatim");
    return 0;
}
