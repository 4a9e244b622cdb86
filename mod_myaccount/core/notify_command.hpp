// The Notifier that runs MyAccountNotifyCommand: CMD ARGS... CHANNEL RECIPIENT, message on stdin.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/notifier.hpp"

namespace myaccount {

// Exit 0 = delivered; any other exit, a signal, or no exit within the timeout (the command and
// everything it started are killed) = failed. Each failure is one call of the logger, which names
// the channel, the recipient, the cause and at most 512 bytes of the command's standard error, with
// anything of the message in it cut out; the message itself is never logged. Standard output is
// discarded. The command is run as given (no shell, no PATH search), with the process's environment
// and no descriptor but its standard three.
//
// Plain POSIX (posix_spawn), no httpd: httpd wires the callbacks to its error log and store pool.
// Builds in httpd's parent are safe: no thread starts before the first post(), which is why a
// CommandNotifier must not be used before fork() and then after it.
class CommandNotifier final : public Notifier {
public:
    using Logger = std::function<void(const std::string& line)>;
    // Called for every notification with a challenge id, from post() and send_now() alike (so not
    // inside a store transaction of the caller): record the delivery on the challenge.
    using OutcomeHandler = std::function<void(std::int64_t challenge, bool delivered)>;

    static constexpr std::size_t max_queued = 256;
    static constexpr std::size_t max_stderr = 512;

    // `command`: the program and its arguments (empty: not available). The callbacks may run on the
    // background thread and on callers' threads at once; what they throw is caught and logged.
    CommandNotifier(std::vector<std::string> command, OutcomeHandler on_outcome, Logger log,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
    CommandNotifier(const CommandNotifier&) = delete;
    CommandNotifier& operator=(const CommandNotifier&) = delete;
    ~CommandNotifier() override;

    bool available() const override { return !command_.empty(); }
    // Never throws. A full queue (max_queued) or a stopped notifier: the message is dropped and
    // reported failed.
    void post(Notification notification) override;
    // Never throws; blocks for up to the timeout.
    bool send_now(const Notification& notification) override;
    // Starts the background thread now (a child at start-up), so no request pays for it; post()
    // starts it otherwise. Never throws; false when it could not.
    bool start() noexcept;
    // Sends what is queued until `drain_limit` has passed (a command still running then is killed,
    // the rest reported failed) and joins the thread. Idempotent; later posts fail at once.
    void stop(std::chrono::milliseconds drain_limit = std::chrono::seconds(5)) noexcept;

private:
    using Clock = std::chrono::steady_clock;

    bool deliver(const Notification& notification) noexcept;
    void refuse(const Notification& notification, const char* reason) noexcept;
    bool stopped() const noexcept;  // stop() has begun and its drain time is over
    void report(const Notification& notification, bool delivered) noexcept;
    void log(const std::string& line) noexcept;
    void work() noexcept;

    const std::vector<std::string> command_;
    const OutcomeHandler on_outcome_;
    const Logger log_;
    const std::chrono::milliseconds timeout_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Notification> queue_;
    bool stopping_ = false;
    std::thread worker_;
    // When stop() has begun: the end of the drain, which also cuts short a command running then.
    std::atomic<Clock::rep> drain_deadline_{Clock::time_point::max().time_since_epoch().count()};
};

}  // namespace myaccount
