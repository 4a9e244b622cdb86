// Slow clients (RequestReadTimeout in conf/demo.conf): connections that send a request head and
// then a body that never completes are answered 408 and closed within seconds, and the server
// keeps answering everyone else meanwhile.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "suite.hpp"

using namespace it;

namespace {

// A connected socket to the server, closed with the object.
class RawConnection {
public:
    explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            CPPUNIT_FAIL("cannot connect to the test server");
    }
    ~RawConnection() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    void send_text(const std::string& text) { CPPUNIT_ASSERT(::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) > 0); }

    // What the server sends until it closes the connection, waiting at most `seconds`; `closed`
    // says whether it did.
    std::string read_until_closed(int seconds, bool& closed) {
        std::string received;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        closed = false;
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd wait{fd_, POLLIN, 0};
            if (::poll(&wait, 1, 200) <= 0) continue;
            char buffer[4096];
            const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
            if (got <= 0) {
                closed = true;
                break;
            }
            received.append(buffer, static_cast<std::size_t>(got));
        }
        return received;
    }

private:
    int fd_;
};

int port_of(const std::string& base_url) { return std::stoi(base_url.substr(base_url.rfind(':') + 1)); }

}  // namespace

class SlowClientsTest : public ServerFixture<SlowClientsTest> {
    CPPUNIT_TEST_SUITE(SlowClientsTest);
    CPPUNIT_TEST(testABodyThatNeverCompletesIsCutOffAndOthersAreServed);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "slow-clients"; }

    void testABodyThatNeverCompletesIsCutOffAndOthersAreServed() {
        allow_log(R"(\[reqtimeout:info\])");
        const int port = port_of(env().base_url());
        std::vector<std::unique_ptr<RawConnection>> slow;
        for (int i = 0; i < 8; ++i) {
            slow.push_back(std::make_unique<RawConnection>(port));
            slow.back()->send_text("POST /login.do HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
                                   "httpd_username=al");
        }
        // Everyone else is answered while the slow bodies hang.
        for (int i = 0; i < 20; ++i) IT_ASSERT_STATUS(browser()->get("/static/hello.txt"), 200);
        for (auto& connection : slow) {
            bool closed = false;
            const std::string answer = connection->read_until_closed(30, closed);
            CPPUNIT_ASSERT_MESSAGE("a slow body kept its connection for 30 s: " + answer, closed);
            CPPUNIT_ASSERT_MESSAGE(answer, answer.rfind("HTTP/1.1 408", 0) == 0);
        }
        IT_ASSERT_STATUS(browser()->get("/static/hello.txt"), 200);
    }
};

IT_REGISTER_SUITE(SlowClientsTest);
