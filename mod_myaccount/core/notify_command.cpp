// Running MyAccountNotifyCommand: one child per message, bounded in time, reaped, its pipes closed.
#include "core/notify_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <ctime>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "core/mail_message.hpp"

namespace myaccount {

namespace {

using Clock = std::chrono::steady_clock;

// The phone channels: a text message, or a voice call (office phones); the command decides how.
bool is_phone_channel(const std::string& channel) { return channel == "sms" || channel == "voice"; }

// A phone channel's recipient, which becomes an argument of the command: E.164, "+" and 8 to 15
// digits, nothing else.
bool is_e164(const std::string& number) {
    if (number.size() < 9 || number.size() > 16 || number.front() != '+') return false;
    return number.find_first_not_of("0123456789", 1) == std::string::npos;
}

[[noreturn]] void throw_errno(int error, const std::string& what) {
    throw std::system_error(error, std::generic_category(), what);
}

// One file descriptor, closed when it goes.
class Descriptor {
public:
    Descriptor() = default;
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() { reset(); }
    int get() const { return fd_; }
    bool open() const { return fd_ >= 0; }
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }
    void close() noexcept { reset(); }

private:
    int fd_ = -1;
};

struct Pipe {
    Descriptor read_end;
    Descriptor write_end;
};

// Close-on-exec, so children other threads start meanwhile do not inherit it.
void open_pipe(Pipe& pipe) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw_errno(errno, "pipe");
    pipe.read_end.reset(fds[0]);
    pipe.write_end.reset(fds[1]);
}

void set_nonblocking(int fd) {
    const int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) throw_errno(errno, "fcntl");
}

// Writing to a command that has stopped reading must not kill the process (outside httpd SIGPIPE
// is not ignored): the signal is blocked for this thread and a pending one taken back.
class SigpipeBlocked {
public:
    SigpipeBlocked() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;
    ~SigpipeBlocked() {
        if (!was_pending_) {
            const timespec zero{};
            while (sigtimedwait(&pipe_, nullptr, &zero) == SIGPIPE) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }

private:
    sigset_t pipe_{};
    sigset_t previous_{};
    bool was_pending_ = false;
};

struct RunResult {
    bool timed_out = false;
    bool status_known = false;
    int status = 0;
    std::string errors;  // the first bytes of the command's standard error
};

// The command as a child in its own process group, so a timeout kills whatever it started too.
// Until reaped, the group id cannot be reused; the destructor kills and reaps whatever is left.
class Child {
public:
    Child(std::vector<std::string>& argv, Pipe& input, Pipe& errors) {
        std::vector<char*> pointers;
        pointers.reserve(argv.size() + 1);
        for (auto& word : argv) pointers.push_back(word.data());
        pointers.push_back(nullptr);

        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
        posix_spawn_file_actions_adddup2(&actions, input.read_end.get(), STDIN_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, errors.write_end.get(), STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
        posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
#endif
        // A clean start: httpd's threads block and ignore signals the command should see.
        sigset_t none;
        sigset_t all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setsigdefault(&attributes, &all);
        posix_spawnattr_setpgroup(&attributes, 0);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
        const int error = posix_spawn(&pid_, pointers[0], &actions, &attributes, pointers.data(), ::environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        if (error != 0) throw_errno(error, "could not run " + argv.front());
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() { kill_and_reap(); }

    int status() const { return status_; }
    bool status_known() const { return status_known_; }

    // True once the child has exited (and is reaped).
    bool poll_exit() {
        if (reaped_) return true;
        int status = 0;
        const pid_t done = waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            reaped_ = true;
            status_known_ = true;
            status_ = status;
        } else if (done < 0 && errno != EINTR) {
            reaped_ = true;  // ECHILD: reaped elsewhere (SIGCHLD ignored); the status is lost
        }
        return reaped_;
    }

    void kill_and_reap() noexcept {
        if (reaped_) return;
        kill(-pid_, SIGKILL);
        int status = 0;
        pid_t done = 0;
        do {
            done = waitpid(pid_, &status, 0);
        } while (done < 0 && errno == EINTR);
        reaped_ = true;
        if (done == pid_) {
            status_known_ = true;
            status_ = status;
        }
    }

private:
    pid_t pid_ = -1;
    bool reaped_ = false;
    bool status_known_ = false;
    int status_ = 0;
};

// Feeds `message` to the child's standard input and keeps the start of its standard error until
// it exits or `deadline()` passes; then kills it. Polls its exit with a short backoff once its
// pipes are done (a command can close them before it exits, or leave them to its own children).
template <typename Deadline>
RunResult run(std::vector<std::string>& argv, const std::string& message, std::size_t max_errors,
              Deadline deadline) {
    Pipe input;
    Pipe errors;
    open_pipe(input);
    open_pipe(errors);
    const SigpipeBlocked sigpipe_blocked;
    Child child(argv, input, errors);
    input.read_end.close();
    errors.write_end.close();
    set_nonblocking(input.write_end.get());
    set_nonblocking(errors.read_end.get());

    RunResult result;
    std::size_t written = 0;
    if (message.empty()) input.write_end.close();
    char buffer[4096];
    const auto read_errors = [&] {
        for (;;) {
            const ssize_t got = read(errors.read_end.get(), buffer, sizeof buffer);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0 && errno == EAGAIN) return;
            if (got <= 0) {
                errors.read_end.close();  // end of file, or an error
                return;
            }
            const std::size_t room = max_errors - std::min(max_errors, result.errors.size());
            result.errors.append(buffer, std::min(room, static_cast<std::size_t>(got)));
        }
    };
    int idle_ms = 1;
    for (;;) {
        if (child.poll_exit()) {
            if (errors.read_end.open()) read_errors();
            break;
        }
        const auto now = Clock::now();
        if (now >= deadline()) {
            child.kill_and_reap();
            result.timed_out = true;
            break;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline() - now).count() + 1;
        pollfd fds[2];
        nfds_t count = 0;
        if (input.write_end.open()) fds[count++] = pollfd{input.write_end.get(), POLLOUT, 0};
        if (errors.read_end.open()) fds[count++] = pollfd{errors.read_end.get(), POLLIN, 0};
        const int wait_ms = static_cast<int>(std::min<long long>(left, count > 0 ? 50 : idle_ms));
        if (count == 0) idle_ms = std::min(idle_ms * 2, 20);
        if (poll(count > 0 ? fds : nullptr, count, wait_ms) < 0 && errno != EINTR) throw_errno(errno, "poll");
        if (input.write_end.open()) {
            const ssize_t put = write(input.write_end.get(), message.data() + written, message.size() - written);
            if (put > 0) written += static_cast<std::size_t>(put);
            // EPIPE: the command stopped reading; whether that was a failure its exit status says.
            if (written == message.size() || (put < 0 && errno != EAGAIN && errno != EINTR)) {
                input.write_end.close();
            }
        }
        if (errors.read_end.open()) read_errors();
    }
    result.status_known = child.status_known();
    result.status = child.status();
    return result;
}

std::string printable(std::string_view text, std::size_t max) {
    std::string out;
    for (const char c : text.substr(0, max)) {
        const auto b = static_cast<unsigned char>(c);
        out += (b < 0x20 || b == 0x7F) ? '?' : c;
    }
    return out;
}

std::string describe(const Notification& notification) {
    return "notification (" + printable(notification.channel, 16) + " to " + printable(notification.recipient, 254) +
           ")";
}

std::string_view trimmed(std::string_view text) {
    const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
}

// The command's standard error made safe for the log: one line, no part of the message (a command
// may echo its input when it fails), no run of digits that could be a code.
std::string loggable_errors(std::string_view errors, std::string_view message) {
    constexpr std::string_view message_text = "[message text]";
    std::string out;
    while (!errors.empty()) {
        const std::size_t end = std::min(errors.find('\n'), errors.size());
        const std::string_view line = trimmed(errors.substr(0, end));
        errors.remove_prefix(std::min(end + 1, errors.size()));
        if (line.empty()) continue;
        const bool from_message = line.size() >= 4 && message.find(line) != std::string_view::npos;
        const bool after_message =
            out.size() >= message_text.size() &&
            out.compare(out.size() - message_text.size(), message_text.size(), message_text) == 0;
        if (from_message && after_message) continue;  // one mark for a run of echoed lines
        if (!out.empty()) out += " | ";
        if (from_message) {
            out += message_text;
            continue;
        }
        std::size_t i = 0;
        while (i < line.size()) {
            std::size_t digits = 0;
            while (i + digits < line.size() && std::isdigit(static_cast<unsigned char>(line[i + digits])) != 0) {
                ++digits;
            }
            if (digits >= 6) {
                out += "[digits]";
                i += digits;
            } else if (digits > 0) {
                out.append(line.substr(i, digits));
                i += digits;
            } else {
                const auto b = static_cast<unsigned char>(line[i++]);
                out += (b < 0x20 || b == 0x7F) ? ' ' : static_cast<char>(b);
            }
        }
    }
    return out;
}

std::string cause(const RunResult& result, std::chrono::milliseconds timeout, bool stopping) {
    if (result.timed_out && stopping) return "still running when the notifier stopped, killed";
    if (result.timed_out) return "no exit within " + std::to_string(timeout.count()) + " ms, killed";
    if (!result.status_known) return "exit status unknown";
    if (WIFEXITED(result.status)) return "exit status " + std::to_string(WEXITSTATUS(result.status));
    if (WIFSIGNALED(result.status)) return "killed by signal " + std::to_string(WTERMSIG(result.status));
    return "exit status unknown";
}

}  // namespace

CommandNotifier::CommandNotifier(std::vector<std::string> command, OutcomeHandler on_outcome, Logger log,
                                 std::chrono::milliseconds timeout)
    : command_(std::move(command)), on_outcome_(std::move(on_outcome)), log_(std::move(log)), timeout_(timeout) {}

CommandNotifier::~CommandNotifier() { stop(); }

void CommandNotifier::post(Notification notification) {
    try {
        const char* refused = nullptr;
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (!available()) {
                refused = "no MyAccountNotifyCommand configured";
            } else if (stopping_) {
                refused = "the notifier has stopped";
            } else if (queue_.size() >= max_queued) {
                refused = "the queue is full";
            } else {
                if (!worker_.joinable()) worker_ = std::thread([this] { work(); });
                queue_.push_back(std::move(notification));  // unchanged if this throws
            }
        }
        if (refused != nullptr) {
            refuse(notification, refused);
        } else {
            wake_.notify_one();
        }
    } catch (const std::exception& e) {
        refuse(notification, e.what());
    } catch (...) {
        refuse(notification, "unknown error");
    }
}

bool CommandNotifier::send_now(const Notification& notification) { return deliver(notification); }

bool CommandNotifier::start() noexcept {
    try {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (available() && !stopping_ && !worker_.joinable()) worker_ = std::thread([this] { work(); });
        return worker_.joinable();
    } catch (...) {
        return false;
    }
}

void CommandNotifier::stop(std::chrono::milliseconds drain_limit) noexcept {
    std::thread worker;
    try {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (!stopping_) {
                stopping_ = true;
                drain_deadline_ = (Clock::now() + drain_limit).time_since_epoch().count();
            }
            worker = std::move(worker_);
        }
        wake_.notify_all();
        if (worker.joinable()) worker.join();
    } catch (...) {
        if (worker.joinable()) worker.detach();  // join failed: never std::terminate in a cleanup
    }
}

bool CommandNotifier::stopped() const noexcept {
    return Clock::now().time_since_epoch().count() >= drain_deadline_.load();
}

void CommandNotifier::work() noexcept {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        if (stopped()) {
            std::deque<Notification> left;
            left.swap(queue_);
            lock.unlock();
            log(std::to_string(left.size()) + " queued notification(s) not sent: stopped before they were");
            for (const auto& notification : left) report(notification, false);
            lock.lock();
            continue;
        }
        const Notification next = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        deliver(next);
        lock.lock();
    }
}

bool CommandNotifier::deliver(const Notification& notification) noexcept {
    const char* refused = nullptr;
    std::string message;
    if (!available()) {
        refused = "no MyAccountNotifyCommand configured";
    } else if (stopped()) {
        refused = "the notifier has stopped";
    } else if (is_phone_channel(notification.channel)) {
        // The command reads the text itself; it has no header to forge.
        if (is_e164(notification.recipient)) message = notification.body;
        else refused = "recipient refused";
    } else if (notification.channel != "email") {
        refused = "unsupported channel";
    } else if (notification.recipient.empty() || notification.recipient.front() == '-') {
        refused = "recipient refused";  // a leading '-' would read as an option of the command
    } else {
        try {
            message = compose_email(notification, std::time(nullptr));
        } catch (const std::invalid_argument&) {
            refused = "recipient refused";
        } catch (const std::exception& e) {
            refuse(notification, e.what());
            return false;
        }
    }
    if (refused != nullptr) {
        refuse(notification, refused);
        return false;
    }
    bool delivered = false;
    try {
        std::vector<std::string> argv = command_;
        argv.push_back(notification.channel);
        argv.push_back(notification.recipient);
        const auto deadline = Clock::now() + timeout_;
        const RunResult result = run(argv, message, max_stderr, [this, deadline] {
            return std::min(deadline, Clock::time_point(Clock::duration(drain_deadline_.load())));
        });
        delivered = !result.timed_out && result.status_known && WIFEXITED(result.status) &&
                    WEXITSTATUS(result.status) == 0;
        if (!delivered) {
            std::string line = describe(notification) + " failed: " + cause(result, timeout_, stopped());
            const std::string errors = loggable_errors(result.errors, message);
            if (!errors.empty()) line += "; stderr: " + errors;
            log(line);
        }
    } catch (const std::exception& e) {
        log(describe(notification) + " failed: " + e.what());
    } catch (...) {
        log(describe(notification) + " failed: unknown error");
    }
    report(notification, delivered);
    return delivered;
}

void CommandNotifier::refuse(const Notification& notification, const char* reason) noexcept {
    try {
        log(describe(notification) + " not sent: " + reason);
    } catch (...) {  // no memory left for the line
    }
    report(notification, false);
}

void CommandNotifier::report(const Notification& notification, bool delivered) noexcept {
    if (notification.challenge_id == 0 || !on_outcome_) return;
    try {
        on_outcome_(notification.challenge_id, delivered);
    } catch (const std::exception& e) {
        log(std::string("recording a notification's delivery failed: ") + e.what());
    } catch (...) {
        log("recording a notification's delivery failed");
    }
}

void CommandNotifier::log(const std::string& line) noexcept {
    if (!log_) return;
    try {
        log_(line);
    } catch (...) {  // a logger that throws has nowhere left to report to
    }
}

}  // namespace myaccount
