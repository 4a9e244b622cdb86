// Tests of CommandNotifier against real commands: scripts/notify-to-file, failures, timeouts, the queue.
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/notify_command.hpp"

using namespace myaccount;
using namespace std::chrono_literals;

namespace {

const std::string notify_to_file = MYACCOUNT_SOURCE_DIR "/scripts/notify-to-file";
const std::string code_body = "Your verification code:\n\n    12345678\n\nIt expires in 15 minutes.\n";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

Notification code_mail(std::int64_t challenge = 0) {
    Notification notification;
    notification.recipient = "alice@example.org";
    notification.subject = "Your code";
    notification.body = code_body;
    notification.challenge_id = challenge;
    return notification;
}

// What a notifier told its callbacks, from whichever thread.
struct Recorder {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::map<std::int64_t, bool> outcomes;

    CommandNotifier::Logger logger() {
        return [this](const std::string& line) {
            const std::lock_guard<std::mutex> lock(mutex);
            lines.push_back(line);
        };
    }
    CommandNotifier::OutcomeHandler on_outcome() {
        return [this](std::int64_t challenge, bool delivered) {
            const std::lock_guard<std::mutex> lock(mutex);
            outcomes[challenge] = delivered;
        };
    }
    std::string log() {
        const std::lock_guard<std::mutex> lock(mutex);
        std::string all;
        for (const auto& line : lines) all += line + "\n";
        return all;
    }
};

// A child of this process left unreaped (a zombie) would be found here.
bool no_zombie_children() {
    int status = 0;
    return waitpid(-1, &status, WNOHANG) <= 0;
}

// Whether a process is gone (or a zombie waiting for a parent that is not us).
bool process_ended(pid_t pid) {
    for (int i = 0; i < 200; ++i) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string fields;
        if (!std::getline(stat, fields)) return true;
        const std::size_t state = fields.rfind(')') + 2;
        if (state < fields.size() && fields[state] == 'Z') return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

pid_t read_pid(const std::string& path) {
    for (int i = 0; i < 200; ++i) {
        const std::string text = read_file(path);
        if (!text.empty() && text.back() == '\n') return static_cast<pid_t>(std::stol(text));
        std::this_thread::sleep_for(10ms);
    }
    throw std::runtime_error("no pid in " + path);
}

}  // namespace

class NotifyCommandTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(NotifyCommandTest);
    CPPUNIT_TEST(send_now_appends_a_record);
    CPPUNIT_TEST(arguments_come_before_channel_and_recipient);
    CPPUNIT_TEST(failing_command_is_logged_without_the_message);
    CPPUNIT_TEST(stderr_echoing_the_message_is_cut_from_the_log);
    CPPUNIT_TEST(unwritable_file_fails);
    CPPUNIT_TEST(missing_program_fails);
    CPPUNIT_TEST(slow_command_is_killed_with_its_children);
    CPPUNIT_TEST(command_that_does_not_read_its_input);
    CPPUNIT_TEST(refuses_recipients_that_read_as_options);
    CPPUNIT_TEST(phone_channels_take_the_text_and_an_e164_number);
    CPPUNIT_TEST(unavailable_without_a_command);
    CPPUNIT_TEST(post_then_stop_delivers_and_reports);
    CPPUNIT_TEST(stop_cuts_a_slow_queue_short);
    CPPUNIT_TEST(posts_after_stop_fail);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        std::string pattern = std::filesystem::temp_directory_path().string() + "/notify_test.XXXXXX";
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        log_file_ = dir_ + "/notifications.log";
    }

    void tearDown() override {
        CPPUNIT_ASSERT_MESSAGE("no child left unreaped", no_zombie_children());
        std::filesystem::remove_all(dir_);
    }

    void send_now_appends_a_record() {
        Recorder recorder;
        CommandNotifier notifier({notify_to_file, log_file_}, recorder.on_outcome(), recorder.logger());
        CPPUNIT_ASSERT(notifier.available());
        CPPUNIT_ASSERT(notifier.send_now(code_mail(42)));
        const std::string records = read_file(log_file_);
        CPPUNIT_ASSERT(records.rfind("=== email alice@example.org\nDate: ", 0) == 0);
        CPPUNIT_ASSERT(contains(records, "\nTo: alice@example.org\nSubject: Your code\n"));
        CPPUNIT_ASSERT(contains(records, "\nContent-Type: text/plain; charset=UTF-8\n"));
        CPPUNIT_ASSERT(contains(records, "\n\n" + code_body + "===\n"));
        CPPUNIT_ASSERT_EQUAL(records.size() - 4, records.find("\n===\n") + 1);  // one record, at the end
        CPPUNIT_ASSERT(recorder.outcomes.at(42));
        CPPUNIT_ASSERT_EQUAL(std::string(), recorder.log());
    }

    void arguments_come_before_channel_and_recipient() {
        Recorder recorder;
        const std::string script = "printf '%s\\n' \"$0\" \"$@\" > '" + dir_ + "/argv'; cat > /dev/null";
        CommandNotifier notifier({"/bin/sh", "-c", script, "first", "second words"}, nullptr, recorder.logger());
        CPPUNIT_ASSERT(notifier.send_now(code_mail()));
        CPPUNIT_ASSERT_EQUAL(std::string("first\nsecond words\nemail\nalice@example.org\n"), read_file(dir_ + "/argv"));
    }

    void failing_command_is_logged_without_the_message() {
        Recorder recorder;
        CommandNotifier notifier({"/bin/false"}, recorder.on_outcome(), recorder.logger());
        CPPUNIT_ASSERT(!notifier.send_now(code_mail(7)));
        CPPUNIT_ASSERT(!recorder.outcomes.at(7));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, recorder.lines.size());
        const std::string log = recorder.log();
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "alice@example.org") && contains(log, "exit status 1"));
        CPPUNIT_ASSERT(!contains(log, "12345678") && !contains(log, "verification"));
    }

    void stderr_echoing_the_message_is_cut_from_the_log() {
        Recorder recorder;
        CommandNotifier notifier({"/bin/sh", "-c", "cat >&2; echo 'mailer: relay refused 123456789' >&2; exit 75"},
                                 nullptr, recorder.logger());
        CPPUNIT_ASSERT(!notifier.send_now(code_mail()));
        const std::string log = recorder.log();
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "exit status 75") && contains(log, "mailer: relay refused"));
        CPPUNIT_ASSERT_MESSAGE(log, !contains(log, "12345678") && !contains(log, "verification"));
        CPPUNIT_ASSERT_MESSAGE(log, !contains(log, "expires in"));
        CPPUNIT_ASSERT(log.size() < 1024);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, recorder.lines.size());
    }

    void unwritable_file_fails() {
        Recorder recorder;
        CommandNotifier notifier({notify_to_file, dir_ + "/missing/notifications.log"}, recorder.on_outcome(),
                                 recorder.logger());
        CPPUNIT_ASSERT(!notifier.send_now(code_mail(3)));
        CPPUNIT_ASSERT(!recorder.outcomes.at(3));
        const std::string log = recorder.log();
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "exit status 2") && contains(log, "missing/notifications.log"));
    }

    void missing_program_fails() {
        Recorder recorder;
        CommandNotifier notifier({dir_ + "/no-such-program"}, recorder.on_outcome(), recorder.logger());
        CPPUNIT_ASSERT(!notifier.send_now(code_mail(4)));
        CPPUNIT_ASSERT(!recorder.outcomes.at(4));
        CPPUNIT_ASSERT_MESSAGE(recorder.log(), contains(recorder.log(), "could not run"));
    }

    void slow_command_is_killed_with_its_children() {
        Recorder recorder;
        const std::string pid_file = dir_ + "/sleeper";
        CommandNotifier notifier({"/bin/sh", "-c", "sleep 30 & echo $! > '" + pid_file + "'; wait"},
                                 recorder.on_outcome(), recorder.logger(), 300ms);
        const auto start = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(!notifier.send_now(code_mail(5)));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < 3s);
        CPPUNIT_ASSERT(!recorder.outcomes.at(5));
        CPPUNIT_ASSERT_MESSAGE(recorder.log(), contains(recorder.log(), "no exit within 300 ms, killed"));
        CPPUNIT_ASSERT_MESSAGE("the command's own child is killed too", process_ended(read_pid(pid_file)));
    }

    void command_that_does_not_read_its_input() {
        Recorder recorder;
        CommandNotifier notifier({"/bin/sh", "-c", "exec 0<&-; exit 0"}, nullptr, recorder.logger());
        Notification big = code_mail();
        big.body = std::string(1 << 20, 'x') + "\n";  // more than a pipe holds: the write meets EPIPE
        CPPUNIT_ASSERT(notifier.send_now(big));       // the exit status decides, and SIGPIPE kills nobody
        CommandNotifier failing({"/bin/sh", "-c", "exec 0<&-; exit 1"}, nullptr, recorder.logger());
        CPPUNIT_ASSERT(!failing.send_now(big));
    }

    void refuses_recipients_that_read_as_options() {
        Recorder recorder;
        CommandNotifier notifier({notify_to_file, log_file_}, recorder.on_outcome(), recorder.logger());
        Notification option = code_mail(6);
        option.recipient = "-oQ/tmp@example.org";
        CPPUNIT_ASSERT(!notifier.send_now(option));
        Notification forged = code_mail(8);
        forged.recipient = "alice@example.org\nBcc: mallory@example.net";
        CPPUNIT_ASSERT(!notifier.send_now(forged));
        Notification sms = code_mail(9);
        sms.channel = "sms";
        CPPUNIT_ASSERT(!notifier.send_now(sms));
        CPPUNIT_ASSERT(!recorder.outcomes.at(6) && !recorder.outcomes.at(8) && !recorder.outcomes.at(9));
        CPPUNIT_ASSERT(!std::filesystem::exists(log_file_));
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, recorder.lines.size());
        CPPUNIT_ASSERT(!contains(recorder.log(), "\nBcc"));
    }

    // A code to a phone: the body alone on the command's input, the number (E.164) as its argument.
    void phone_channels_take_the_text_and_an_e164_number() {
        Recorder recorder;
        CommandNotifier notifier({notify_to_file, log_file_}, recorder.on_outcome(), recorder.logger());
        Notification sms = code_mail(3);
        sms.channel = "sms";
        sms.recipient = "+819012345678";
        CPPUNIT_ASSERT(notifier.send_now(sms));
        Notification call = sms;
        call.channel = "voice";
        call.recipient = "+81312345678";
        CPPUNIT_ASSERT(notifier.send_now(call));
        CPPUNIT_ASSERT_EQUAL("=== sms +819012345678\n" + code_body + "===\n=== voice +81312345678\n" + code_body + "===\n",
                             read_file(log_file_));
        for (const char* number : {"-819012345678", "+81 90 1234 5678", "+8190", "alice@example.org", "+8190123x5678"}) {
            sms.recipient = number;
            CPPUNIT_ASSERT_MESSAGE(number, !notifier.send_now(sms));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, recorder.lines.size());
    }

    void unavailable_without_a_command() {
        Recorder recorder;
        CommandNotifier notifier({}, recorder.on_outcome(), recorder.logger());
        CPPUNIT_ASSERT(!notifier.available());
        CPPUNIT_ASSERT(!notifier.send_now(code_mail(1)));
        notifier.post(code_mail(2));
        CPPUNIT_ASSERT(!recorder.outcomes.at(1) && !recorder.outcomes.at(2));
    }

    void post_then_stop_delivers_and_reports() {
        Recorder recorder;
        CommandNotifier notifier({notify_to_file, log_file_}, recorder.on_outcome(), recorder.logger());
        for (std::int64_t challenge = 1; challenge <= 3; ++challenge) notifier.post(code_mail(challenge));
        notifier.stop();
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, recorder.outcomes.size());
        for (const auto& [challenge, delivered] : recorder.outcomes) CPPUNIT_ASSERT(delivered);
        const std::string records = read_file(log_file_);
        std::size_t count = 0;
        for (std::size_t at = records.find("=== email "); at != std::string::npos;
             at = records.find("=== email ", at + 1)) {
            ++count;
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, count);
        CPPUNIT_ASSERT_EQUAL(std::string(), recorder.log());
    }

    void stop_cuts_a_slow_queue_short() {
        Recorder recorder;
        CommandNotifier notifier({"/bin/sh", "-c", "sleep 30"}, recorder.on_outcome(), recorder.logger());
        const std::int64_t posted = CommandNotifier::max_queued + 10;
        for (std::int64_t challenge = 1; challenge <= posted; ++challenge) notifier.post(code_mail(challenge));
        const auto start = std::chrono::steady_clock::now();
        notifier.stop(200ms);
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < 3s);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(posted), recorder.outcomes.size());
        for (const auto& [challenge, delivered] : recorder.outcomes) CPPUNIT_ASSERT(!delivered);
        const std::string log = recorder.log();
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "the queue is full"));
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "still running when the notifier stopped, killed"));
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "queued notification(s) not sent"));
    }

    void posts_after_stop_fail() {
        Recorder recorder;
        CommandNotifier notifier({notify_to_file, log_file_}, recorder.on_outcome(), recorder.logger());
        notifier.stop();
        notifier.post(code_mail(11));
        CPPUNIT_ASSERT(!recorder.outcomes.at(11));
        CPPUNIT_ASSERT(contains(recorder.log(), "stopped"));
        notifier.stop();  // idempotent
    }

private:
    std::string dir_;
    std::string log_file_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(NotifyCommandTest);
