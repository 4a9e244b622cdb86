// Tests of the notification e-mail: headers, RFC 2047 subjects, refused and neutralised injection.
#include <cppunit/extensions/HelperMacros.h>

#include <sodium.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/mail_message.hpp"
#include "core/text.hpp"

using namespace myaccount;

namespace {

constexpr UnixTime fixed_time = 1700000000;  // Tue, 14 Nov 2023 22:13:20 UTC

Notification mail(std::string subject, std::string body = "Hello\n") {
    Notification notification;
    notification.recipient = "alice@example.org";
    notification.subject = std::move(subject);
    notification.body = std::move(body);
    return notification;
}

std::string headers_of(const std::string& message) { return message.substr(0, message.find("\n\n") + 1); }

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

// The Subject header (with its continuation lines) decoded: encoded words joined, folding dropped.
std::string decoded_subject(const std::string& message) {
    const std::string headers = headers_of(message);
    std::size_t at = headers.find("\nSubject: ") + 10;
    std::string decoded;
    for (;;) {
        const std::size_t open = headers.find("=?UTF-8?B?", at);
        const std::size_t end_of_header = headers.find("\n", at);
        if (open == std::string::npos || open > end_of_header) break;
        const std::size_t close = headers.find("?=", open + 10);
        const std::string encoded = headers.substr(open + 10, close - open - 10);
        std::string bytes(encoded.size(), '\0');
        std::size_t length = 0;
        if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), encoded.data(),
                              encoded.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
            throw std::runtime_error("bad base64 in subject");
        }
        bytes.resize(length);
        CPPUNIT_ASSERT_MESSAGE("each encoded word holds whole characters", is_valid_utf8(bytes));
        decoded += bytes;
        at = close + 2;
        if (headers.compare(at, 2, "\n ") == 0) at += 2;  // a continuation line
    }
    return decoded;
}

bool refused(const std::string& recipient) {
    Notification notification = mail("Hi");
    notification.recipient = recipient;
    try {
        compose_email(notification, fixed_time);
    } catch (const std::invalid_argument&) {
        return true;
    }
    return false;
}

}  // namespace

class MailMessageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MailMessageTest);
    CPPUNIT_TEST(composes_headers_then_body);
    CPPUNIT_TEST(dates_are_rfc5322_in_utc);
    CPPUNIT_TEST(encodes_a_japanese_subject);
    CPPUNIT_TEST(folds_a_long_subject_between_characters);
    CPPUNIT_TEST(encodes_ascii_that_looks_encoded);
    CPPUNIT_TEST(empty_subject);
    CPPUNIT_TEST(refuses_recipients_that_would_forge_headers);
    CPPUNIT_TEST(neutralises_line_breaks_in_the_subject);
    CPPUNIT_TEST(keeps_the_body_verbatim);
    CPPUNIT_TEST_SUITE_END();

public:
    void composes_headers_then_body() {
        CPPUNIT_ASSERT_EQUAL(std::string("Date: Tue, 14 Nov 2023 22:13:20 +0000\n"
                                         "To: alice@example.org\n"
                                         "Subject: Your verification code\n"
                                         "MIME-Version: 1.0\n"
                                         "Content-Type: text/plain; charset=UTF-8\n"
                                         "Content-Transfer-Encoding: 8bit\n"
                                         "\n"
                                         "Hello\n"),
                             compose_email(mail("Your verification code"), fixed_time));
    }

    void dates_are_rfc5322_in_utc() {
        CPPUNIT_ASSERT_EQUAL(std::string("Thu, 01 Jan 1970 00:00:00 +0000"), rfc5322_date(0));
        CPPUNIT_ASSERT_EQUAL(std::string("Mon, 05 Feb 2024 03:04:05 +0000"), rfc5322_date(1707102245));
        CPPUNIT_ASSERT_EQUAL(std::string("Thu, 29 Feb 2024 23:59:59 +0000"), rfc5322_date(1709251199));
    }

    void encodes_a_japanese_subject() {
        const std::string subject = "\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc\xe3\x83\x89\xe3\x81\xae"
                                    "\xe5\x86\x8d\xe8\xa8\xad\xe5\xae\x9a";  // パスワードの再設定
        const std::string message = compose_email(mail(subject), fixed_time);
        CPPUNIT_ASSERT(message.find("\nSubject: =?UTF-8?B?44OR44K544Ov44O844OJ44Gu5YaN6Kit5a6a?=\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT_EQUAL(subject, decoded_subject(message));
    }

    void folds_a_long_subject_between_characters() {
        std::string subject;
        for (int i = 0; i < 20; ++i) subject += "\xe5\x86\x8d\xe8\xa8\xad\xe5\xae\x9a a";  // 再設定 a
        const std::string message = compose_email(mail(subject), fixed_time);
        const std::string headers = headers_of(message);
        CPPUNIT_ASSERT(headers.find("?=\n =?UTF-8?B?") != std::string::npos);
        for (const auto& line : lines_of(headers)) {
            CPPUNIT_ASSERT_MESSAGE(line, line.size() <= 78);
            for (const char c : line) CPPUNIT_ASSERT(c >= 0x20 && c <= 0x7E);  // headers are plain ASCII
        }
        CPPUNIT_ASSERT_EQUAL(subject, decoded_subject(message));
        // A long ASCII subject is encoded as well rather than overrunning the line.
        const std::string long_ascii(100, 'x');
        const std::string ascii_message = compose_email(mail(long_ascii), fixed_time);
        CPPUNIT_ASSERT_EQUAL(long_ascii, decoded_subject(ascii_message));
    }

    void encodes_ascii_that_looks_encoded() {
        const std::string subject = "=?UTF-8?B?SGk=?=";
        const std::string message = compose_email(mail(subject), fixed_time);
        CPPUNIT_ASSERT(message.find("\nSubject: " + subject + "\n") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(subject, decoded_subject(message));
    }

    void empty_subject() {
        CPPUNIT_ASSERT(compose_email(mail(""), fixed_time).find("\nSubject:\nMIME-Version") != std::string::npos);
    }

    void refuses_recipients_that_would_forge_headers() {
        CPPUNIT_ASSERT(!refused("alice@example.org"));
        CPPUNIT_ASSERT(refused(""));
        CPPUNIT_ASSERT(refused("alice@example.org\nBcc: mallory@example.net"));
        CPPUNIT_ASSERT(refused("alice@example.org\r\nBcc: mallory@example.net"));
        CPPUNIT_ASSERT(refused("alice@example.org\r"));
        CPPUNIT_ASSERT(refused(std::string("alice@example.org\0x", 19)));
        CPPUNIT_ASSERT(refused("alice@example.org\t"));
        CPPUNIT_ASSERT(refused("alice@example.org\xc2\x85"));  // NEL, a C1 line break
        CPPUNIT_ASSERT(refused("alice@example.org,mallory@example.net"));
        CPPUNIT_ASSERT(refused("alice@example.org mallory@example.net"));
        CPPUNIT_ASSERT(refused("Mallory <mallory@example.net>"));
    }

    void neutralises_line_breaks_in_the_subject() {
        const std::string message =
            compose_email(mail("Hi\r\nBcc: mallory@example.net\n\nforged body\x7f\xc2\x85."), fixed_time);
        const std::string headers = headers_of(message);
        CPPUNIT_ASSERT_EQUAL(std::size_t{6}, lines_of(headers).size());
        for (const auto& line : lines_of(headers)) CPPUNIT_ASSERT(line.rfind("Bcc:", 0) != 0);
        CPPUNIT_ASSERT(headers.find("\nSubject: Hi  Bcc: mallory@example.net  forged body  .\n") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("Hello\n"), message.substr(headers.size() + 1));
    }

    void keeps_the_body_verbatim() {
        const std::string body = "Your code:\n\n    12345678\n\n.\nFrom here\r\nno final newline \xe2\x9c\x93";
        const std::string message = compose_email(mail("Code", body), fixed_time);
        const std::string headers = headers_of(message);
        CPPUNIT_ASSERT_EQUAL(body, message.substr(headers.size() + 1));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailMessageTest);
