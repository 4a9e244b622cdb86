// Integration-test harness: a temporary ServerRoot, the real myaccountctl, the real httpd, its logs.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <sys/types.h>

namespace it {

// Build-time locations (tests/CMakeLists.txt passes them as compile definitions).
const char* source_dir();
const char* module_path();
const char* ctl_path();
const char* httpd_moduledir();
const char* httpd_binary();

constexpr const char* kAlicePassword = "correct horse battery staple";

struct ProcessResult {
    int exit_code = -1;        // exit status, or 128+signal when killed
    std::string out;           // stdout
    std::string err;           // stderr
    std::string combined() const { return out + err; }
};

// Environment variables for a child: NAME -> value, overriding the test process's own environment.
using EnvOverrides = std::map<std::string, std::string>;

// fork/exec argv[0] (a path or a name looked up in PATH), feed stdin_data, capture stdout/stderr.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_data = {},
                          const EnvOverrides& env = {}, int timeout_seconds = 60);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& data, unsigned mode = 0644);
bool path_exists(const std::string& path);
void make_dir(const std::string& path, unsigned mode = 0755);

// The lines of `text` at or after byte `from` that are [error]/[crit]/[alert]/[emerg] and match no
// pattern in `allowed`, plus every "child pid N exit signal" (a crashed child), allowed or not.
std::vector<std::string> unexpected_error_lines(const std::string& text, std::size_t from,
                                                const std::vector<std::regex>& allowed);

// One message as scripts/notify-to-file recorded it: "=== CHANNEL RECIPIENT", the message, "===".
struct Notification {
    std::string channel;
    std::string recipient;
    std::string message;  // what the module piped to the notifier (for e-mail an RFC 5322 message)

    std::string head() const;  // the header section (up to the first blank line)
    std::string body() const;  // after the first blank line
    std::string header(const std::string& name) const;  // first value of a header, "" when absent
    // The one-time code: a line of exactly eight digits (surrounding blanks allowed), or the eight
    // digits standing alone in a text message; "" when none.
    std::string code() const;
};

// The records of a notifications file, oldest first.
std::vector<Notification> parse_notifications(const std::string& text);

// scripts/test-server ARGS... (with this build's module, myaccountctl and httpd module folder):
// its stdout; throws std::runtime_error with its output unless it exits 0.
std::string test_server_script();
std::string test_server(const std::vector<std::string>& args);

// One test environment: a temp dir laid out by `scripts/test-server prepare` (run/, docroot/, db/,
// keys/; the key and an empty database made with the CLI); optionally a running httpd with
// conf/demo.conf and the environment `scripts/test-server env` prints.
class Environment {
public:
    explicit Environment(const std::string& label);
    ~Environment();
    Environment(const Environment&) = delete;
    Environment& operator=(const Environment&) = delete;

    const std::string& root() const { return root_; }
    std::string rundir() const { return root_ + "/run"; }
    std::string docroot() const { return root_ + "/docroot"; }
    std::string db() const { return root_ + "/db/myaccount.db"; }
    std::string key() const { return root_ + "/keys/myaccount.key"; }
    std::string error_log() const { return rundir() + "/error.log"; }
    std::string access_log() const { return rundir() + "/access.log"; }
    std::string demo_conf() const;
    const std::string& run_user() const { return run_user_; }
    const std::string& run_group() const { return run_group_; }

    // The standard people and organisations: alice (Contoso home, Fabrikam guest).
    void create_standard_directory();

    // myaccountctl with --db prepended (ctl_raw: exactly these arguments).
    ProcessResult ctl(const std::vector<std::string>& args, const std::string& stdin_data = {});
    ProcessResult ctl_raw(const std::vector<std::string>& args, const std::string& stdin_data = {});
    // Same, but throws std::runtime_error naming the command and its output unless it exits 0.
    std::string ctl_ok(const std::vector<std::string>& args, const std::string& stdin_data = {});
    void add_user(const std::string& username, const std::string& password,
                  const std::string& display_name = {}, const std::string& email = {});
    void set_password(const std::string& username, const std::string& password);

    // sqlite3 -readonly DB <sql>: its stdout (throws on a non-zero exit).
    std::string sql(const std::string& query);
    std::string dump();
    // sqlite3 DB <sql> with write access: only for a set-up no page can make (say why at the call).
    std::string sql_write(const std::string& query);

    // What the demo notifier (scripts/notify-to-file) wrote to <rundir>/notifications.log.
    std::string notifications_file() const { return rundir() + "/notifications.log"; }
    std::vector<Notification> notifications() const;
    std::vector<Notification> notifications_for(const std::string& recipient) const;
    std::size_t notification_count(const std::string& recipient) const;
    // The code of the newest message to recipient that carries one, "" when none.
    std::string last_code_for(const std::string& recipient) const;
    // Polls until recipient has more than `known` messages (the reset notifier runs after the
    // response, on a background thread); the newest one, or nullopt after `seconds`.
    std::optional<Notification> wait_for_notification(const std::string& recipient, std::size_t known,
                                                      double seconds = 5) const;
    // The first message to recipient after the first `known` that matches, polling up to `seconds`.
    std::optional<Notification> wait_for_notification(const std::string& recipient, std::size_t known, double seconds,
                                                      const std::function<bool(const Notification&)>& match) const;
    // The same counting only messages that carry a code (notices may arrive in between).
    std::size_t code_count(const std::string& recipient) const;
    // The code of the first message with a code after the first `known` such messages, "" after `seconds`.
    std::string wait_for_code(const std::string& recipient, std::size_t known, double seconds = 5) const;

    // The environment httpd (and apache2 -t) run with: `scripts/test-server env ROOT PORT`.
    EnvOverrides httpd_env() const;
    // Makes run/ and db/ writable by the run user (needed after the CLI created files as root).
    void fix_ownership();

    // Starts httpd with conf (default: conf/demo.conf); throws std::runtime_error with the error log
    // when it does not come up. fix_owner=false keeps deliberately broken file ownership.
    void start(const std::string& conf = {}, bool fix_owner = true);
    void stop();
    // A graceful restart (SIGUSR1, as `apachectl graceful`): httpd reads its config again and
    // replaces its children; returns once the error log says it resumed, throws after 10 s.
    void graceful_restart();
    bool running() const { return pid_ > 0; }
    int port() const { return port_; }
    std::string base_url() const;

    // The demo config with extra directives appended (server context), written under root().
    std::string demo_plus(const std::string& name, const std::string& extra_directives) const;
    // apache2 -t -f conf with httpd_env() plus overrides.
    ProcessResult config_test(const std::string& conf, const EnvOverrides& overrides = {});

    std::string error_log_text() const;
    // Backtraces (gdb) of the core files crashed children left in run/ (httpd's CoreDumpDirectory
    // under -DMYACCOUNT_CORES), which are then removed; "" when there are none.
    std::string crash_backtraces() const;
    // The AddressSanitizer/UBSan reports httpd's processes wrote to run/ (a module built with
    // MYACCOUNT_SANITIZE), which are then removed; "" when there are none: a clean run is checked.
    std::string sanitizer_reports() const;

private:
    bool try_start(std::string& why);

    std::string root_;
    std::string run_user_;
    std::string run_group_;
    std::string conf_;
    bool fix_owner_ = true;
    pid_t pid_ = -1;
    int port_ = 0;
};

// A loopback TCP port free at the time of the call (the kernel picks it).
int free_loopback_port();

// Every Environment that currently runs an httpd; main() stops them all before it returns.
void stop_all_servers();

}  // namespace it
