// Integration-test harness: temp ServerRoot, CLI runs, httpd start/stop, error-log scanning.
#include "harness.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace it {

const char* source_dir() { return MYACCOUNT_SOURCE_DIR; }
const char* module_path() { return MYACCOUNT_MODULE_PATH; }
const char* ctl_path() { return MYACCOUNT_CTL_PATH; }
const char* httpd_moduledir() { return HTTPD_MODULEDIR; }
const char* httpd_binary() {
    const char* over = std::getenv("MYACCOUNT_IT_HTTPD");
    return over != nullptr && *over != '\0' ? over : "/usr/sbin/apache2";
}

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* sanitizer_log_prefix = "sanitizer";  // run/sanitizer.<pid>

// The sanitizer runtime httpd (not instrumented itself) needs when the module is: the environment's
// MYACCOUNT_HTTPD_PRELOAD, else the build's (tests/CMakeLists.txt under MYACCOUNT_SANITIZE), else none.
std::string httpd_preload() {
    const char* over = std::getenv("MYACCOUNT_HTTPD_PRELOAD");
    if (over != nullptr) return over;
#ifdef MYACCOUNT_SANITIZER_RUNTIME
    return MYACCOUNT_SANITIZER_RUNTIME;
#else
    return {};
#endif
}

// Reports go to run/sanitizer.<pid>; the first error stops the process; leaks are not looked for,
// since httpd leaves its pools to process exit by design.
void add_sanitizer_runtime(EnvOverrides& env, const std::string& rundir) {
    const std::string preload = httpd_preload();
    if (preload.empty()) return;
    const std::string log_path = "log_path=" + rundir + "/" + sanitizer_log_prefix;
    env["LD_PRELOAD"] = preload;
    env["ASAN_OPTIONS"] = "detect_leaks=0:halt_on_error=1:" + log_path;
    env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1:" + log_path;
}

// The files in dir whose names `wanted` accepts, each described by `describe` and then removed.
std::string take_files(const std::string& dir, const std::function<bool(const std::string&)>& wanted,
                       const std::function<std::string(const std::filesystem::path&)>& describe) {
    std::string out;
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ignored)) {
        const std::string name = entry.path().filename().string();
        if (!wanted(name)) continue;
        out += "--- " + name + ":\n" + describe(entry.path()) + "\n";
        std::filesystem::remove(entry.path(), ignored);
    }
    return out;
}

std::vector<std::string> make_env(const EnvOverrides& overrides) {
    std::map<std::string, std::string> all;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string::npos) all[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : overrides) all[k] = v;
    std::vector<std::string> env;
    env.reserve(all.size());
    for (const auto& [k, v] : all) env.push_back(k + "=" + v);
    return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// Waits for pid up to the deadline; returns true and the status when it exited.
bool wait_until(pid_t pid, Clock::time_point deadline, int& status) {
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return true;
        if (r < 0 && errno != EINTR) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(20));
    }
}

}  // namespace

int free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("bind(127.0.0.1:0) failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

namespace {

// One raw HTTP/1.0 request for a static file: "" when nothing answered, else the status line.
std::string probe_http(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return {};
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    std::string status_line;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        const std::string req = "GET /static/hello.txt HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
        if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
            std::string got;
            pollfd p{fd, POLLIN, 0};
            char buf[512];
            while (got.find("\r\n") == std::string::npos && ::poll(&p, 1, 2000) > 0) {
                ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                if (n <= 0) break;
                got.append(buf, static_cast<std::size_t>(n));
            }
            status_line = got.substr(0, got.find("\r\n"));
        }
    }
    ::close(fd);
    return status_line;
}

std::set<Environment*>& live_servers() {
    static std::set<Environment*> servers;
    return servers;
}

std::string tail(const std::string& text, std::size_t max) {
    return text.size() <= max ? text : "...\n" + text.substr(text.size() - max);
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_data,
                          const EnvOverrides& env, int timeout_seconds) {
    if (argv.empty()) throw std::invalid_argument("run_process: empty argv");
    char out_name[] = "/tmp/myaccount-it-out-XXXXXX";
    char err_name[] = "/tmp/myaccount-it-err-XXXXXX";
    int out_fd = ::mkstemp(out_name);
    int err_fd = ::mkstemp(err_name);
    int in_pipe[2];
    if (out_fd < 0 || err_fd < 0 || ::pipe2(in_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error("run_process: cannot create temp files/pipe");
    ::unlink(out_name);
    ::unlink(err_name);

    std::vector<std::string> args = argv;
    std::vector<std::string> envs = make_env(env);
    std::vector<char*> c_args = c_strings(args);
    std::vector<char*> c_env = c_strings(envs);

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(in_pipe[0], 0);
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        ::execvpe(c_args[0], c_args.data(), c_env.data());
        std::fprintf(stderr, "exec %s: %s\n", c_args[0], std::strerror(errno));
        ::_exit(127);
    }
    ::close(in_pipe[0]);
    std::size_t written = 0;
    while (written < stdin_data.size()) {
        ssize_t n = ::write(in_pipe[1], stdin_data.data() + written, stdin_data.size() - written);
        if (n <= 0) break;  // the child closed stdin; that is its business
        written += static_cast<std::size_t>(n);
    }
    ::close(in_pipe[1]);

    int status = 0;
    ProcessResult result;
    if (!wait_until(pid, Clock::now() + std::chrono::seconds(timeout_seconds), status)) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        result.err = "[harness: killed after " + std::to_string(timeout_seconds) + " s]\n";
    }
    result.exit_code = decode_status(status);
    auto slurp = [](int fd) {
        std::string s;
        ::lseek(fd, 0, SEEK_SET);
        char buf[8192];
        ssize_t n;
        while ((n = ::read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
        return s;
    };
    result.out = slurp(out_fd);
    result.err = slurp(err_fd) + result.err;
    return result;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& data, unsigned mode) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + path);
        out << data;
    }
    ::chmod(path.c_str(), mode);
}

bool path_exists(const std::string& path) {
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0;
}

void make_dir(const std::string& path, unsigned mode) {
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
        throw std::runtime_error("mkdir " + path + ": " + std::strerror(errno));
    ::chmod(path.c_str(), mode);
}

std::vector<std::string> unexpected_error_lines(const std::string& text, std::size_t from,
                                                const std::vector<std::regex>& allowed) {
    static const std::regex severe(R"(^\[[^\]]*\] \[[^\]:]*:(error|crit|alert|emerg)\])");
    // A crashed child is only a [core:notice]; it is never expected.
    static const std::regex crash(R"(AH00052: child pid \d+ exit signal|AH00051: child pid \d+ exit signal)");
    std::vector<std::string> bad;
    if (from > text.size()) from = 0;  // the log was replaced: scan all of it
    std::istringstream in(text.substr(from));
    std::string line;
    while (std::getline(in, line)) {
        if (std::regex_search(line, crash)) {
            bad.push_back(line);
            continue;
        }
        if (!std::regex_search(line, severe)) continue;
        // The event MPM may report a keep-alive connection it was still closing when a test
        // stopped the server: httpd's own shutdown, nothing of ours.
        if (line.find("AH03092") != std::string::npos) continue;
        bool ok = std::any_of(allowed.begin(), allowed.end(),
                              [&](const std::regex& re) { return std::regex_search(line, re); });
        if (!ok) bad.push_back(line);
    }
    return bad;
}

std::string Notification::head() const {
    const auto end = message.find("\n\n");
    return end == std::string::npos ? message : message.substr(0, end + 1);
}

std::string Notification::body() const {
    const auto end = message.find("\n\n");
    return end == std::string::npos ? std::string() : message.substr(end + 2);
}

std::string Notification::header(const std::string& name) const {
    std::istringstream in(head());
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.size() > name.size() && line[name.size()] == ':' &&
            strncasecmp(line.c_str(), name.c_str(), name.size()) == 0) {
            const auto value = line.find_first_not_of(" \t", name.size() + 1);
            return value == std::string::npos ? std::string() : line.substr(value);
        }
    }
    return {};
}

std::string Notification::code() const {
    static const std::regex code_line(R"(^\s*([0-9]{8})\s*$)");
    std::istringstream in(message);
    std::string line;
    std::smatch m;
    while (std::getline(in, line))
        if (std::regex_match(line, m, code_line)) return m.str(1);
    // A text message has no line of its own for it: "12345678 is your ...", "... code is 12345678.".
    static const std::regex texted(R"((?:^|[^0-9])([0-9]{8})(?![0-9]))");
    if (channel == "sms" && std::regex_search(message, m, texted)) return m.str(1);
    return {};
}

std::vector<Notification> parse_notifications(const std::string& text) {
    std::vector<Notification> out;
    std::istringstream in(text);
    std::string line;
    Notification current;
    bool open = false;
    while (std::getline(in, line)) {
        if (!open) {
            if (line.rfind("=== ", 0) != 0) continue;
            const auto space = line.find(' ', 4);
            current = Notification{};
            current.channel = line.substr(4, space == std::string::npos ? std::string::npos : space - 4);
            if (space != std::string::npos) current.recipient = line.substr(space + 1);
            open = true;
        } else if (line == "===") {
            out.push_back(std::move(current));
            open = false;
        } else {
            current.message += line + "\n";
        }
    }
    return out;  // a record still being written (no closing "===") is left out
}

// ------------------------------------------------------------------------------------------------

Environment::Environment(const std::string& label) {
    std::string tmpl = "/tmp/myaccount-it-" + label + "-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = buf.data();

    // The folder layout (run/, db/, keys/, docroot/), the key and the empty database come from the
    // same script the browser tests and the demo use.
    test_server({"prepare", root_});
    const EnvOverrides env = httpd_env();
    run_user_ = env.at("MYACCOUNT_RUN_USER");
    run_group_ = env.at("MYACCOUNT_RUN_GROUP");
}

Environment::~Environment() {
    try {
        stop();
    } catch (...) {
    }
    const char* keep = std::getenv("MYACCOUNT_IT_KEEP");
    if (keep != nullptr && *keep != '\0') {
        std::cerr << "[harness] kept " << root_ << "\n";
        return;
    }
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
}

std::string Environment::demo_conf() const { return std::string(source_dir()) + "/conf/demo.conf"; }

void Environment::create_standard_directory() {
    ctl_ok({"user", "add", "alice", "--name", "Alice Example", "--email", "alice@contoso.example",
            "--title", "Engineer", "--office", "Tokyo HQ", "--password-stdin"},
           std::string(kAlicePassword) + "\n");
    ctl_ok({"org", "add", "Contoso", "--domain", "contoso.example"});
    ctl_ok({"org", "add-member", "Contoso", "alice"});
    ctl_ok({"org", "add", "Fabrikam"});
    ctl_ok({"org", "add-member", "Fabrikam", "alice", "--guest"});
}

ProcessResult Environment::ctl_raw(const std::vector<std::string>& args, const std::string& stdin_data) {
    std::vector<std::string> argv{ctl_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessResult r = run_process(argv, stdin_data);
    if (running() && fix_owner_) fix_ownership();
    return r;
}

ProcessResult Environment::ctl(const std::vector<std::string>& args, const std::string& stdin_data) {
    std::vector<std::string> argv{"--db", db()};
    if (!args.empty() && args[0] == "gen-key") argv.clear();
    argv.insert(argv.end(), args.begin(), args.end());
    return ctl_raw(argv, stdin_data);
}

std::string Environment::ctl_ok(const std::vector<std::string>& args, const std::string& stdin_data) {
    ProcessResult r = ctl(args, stdin_data);
    if (r.exit_code != 0) {
        std::string cmd = "myaccountctl";
        for (const auto& a : args) cmd += " '" + a + "'";
        throw std::runtime_error(cmd + " exited " + std::to_string(r.exit_code) +
                                 "\nstdout: " + r.out + "\nstderr: " + r.err);
    }
    return r.out;
}

void Environment::add_user(const std::string& username, const std::string& password,
                           const std::string& display_name, const std::string& email) {
    std::string name = display_name.empty() ? username + " Test" : display_name;
    std::string mail = email.empty() ? username + "@contoso.example" : email;
    ctl_ok({"user", "add", username, "--name", name, "--email", mail, "--password-stdin"},
           password + "\n");
}

void Environment::set_password(const std::string& username, const std::string& password) {
    ctl_ok({"user", "set-password", username, "--password-stdin"}, password + "\n");
}

std::string Environment::sql(const std::string& query) {
    ProcessResult r = run_process({"sqlite3", "-readonly", db(), query});
    if (r.exit_code != 0)
        throw std::runtime_error("sqlite3 \"" + query + "\" exited " + std::to_string(r.exit_code) +
                                 ": " + r.err);
    return r.out;
}

std::string Environment::sql_write(const std::string& query) {
    ProcessResult r = run_process({"sqlite3", "-cmd", ".timeout 5000", db(), query});
    if (r.exit_code != 0)
        throw std::runtime_error("sqlite3 (write) \"" + query + "\" exited " + std::to_string(r.exit_code) + ": " + r.err);
    if (running() && fix_owner_) fix_ownership();
    return r.out;
}

std::string Environment::dump() {
    ProcessResult r = run_process({"sqlite3", "-readonly", db(), ".dump"});
    if (r.exit_code != 0) throw std::runtime_error("sqlite3 .dump failed: " + r.err);
    return r.out;
}

std::string test_server_script() { return std::string(source_dir()) + "/scripts/test-server"; }

std::string test_server(const std::vector<std::string>& args) {
    std::vector<std::string> argv{test_server_script()};
    argv.insert(argv.end(), args.begin(), args.end());
    // This build's module and myaccountctl, and the httpd module folder CMake found.
    const EnvOverrides env{{"MYACCOUNT_MODULE_PATH", module_path()},
                           {"MYACCOUNT_CTL_PATH", ctl_path()},
                           {"MYACCOUNT_HTTPD_MODULEDIR", httpd_moduledir()}};
    ProcessResult r = run_process(argv, {}, env);
    if (r.exit_code != 0) {
        std::string cmd;
        for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
        throw std::runtime_error(cmd + " exited " + std::to_string(r.exit_code) + "\nstdout: " + r.out +
                                 "\nstderr: " + r.err);
    }
    return r.out;
}

EnvOverrides Environment::httpd_env() const {
    EnvOverrides env;
    std::istringstream lines(test_server({"env", root_, std::to_string(port_)}));
    std::string line;
    while (std::getline(lines, line)) {
        const auto eq = line.find('=');
        if (eq == std::string::npos || eq == 0)
            throw std::runtime_error("scripts/test-server env: not NAME=VALUE: " + line);
        env[line.substr(0, eq)] = line.substr(eq + 1);
    }
    if (env.count("MYACCOUNT_RUN_USER") == 0 || env.count("MYACCOUNT_RUN_GROUP") == 0)
        throw std::runtime_error("scripts/test-server env printed no MYACCOUNT_RUN_USER/GROUP");
    add_sanitizer_runtime(env, rundir());
    return env;
}

void Environment::fix_ownership() {
    if (::geteuid() != 0) return;
    const std::string owner = run_user_ + ":" + run_group_;
    ProcessResult r = run_process({"chown", "-R", owner, rundir(), root_ + "/db"});
    if (r.exit_code != 0) throw std::runtime_error("chown failed: " + r.combined());
}

std::string Environment::crash_backtraces() const {
    return take_files(
        rundir(), [](const std::string& name) { return name == "core" || name.rfind("core.", 0) == 0; },
        [](const std::filesystem::path& core) {
            ProcessResult gdb = run_process({"gdb", "-batch", "-nx", "-ex", "thread apply all bt 40", httpd_binary(),
                                             core.string()});
            return "backtrace:\n" + tail(gdb.combined(), 12000);
        });
}

std::string Environment::sanitizer_reports() const {
    const std::string prefix = std::string(sanitizer_log_prefix) + ".";
    return take_files(
        rundir(), [&](const std::string& name) { return name.rfind(prefix, 0) == 0; },
        [](const std::filesystem::path& report) { return tail(read_file(report.string()), 12000); });
}

std::vector<Notification> Environment::notifications() const {
    return parse_notifications(read_file(notifications_file()));
}

std::vector<Notification> Environment::notifications_for(const std::string& recipient) const {
    std::vector<Notification> out;
    for (auto& n : notifications())
        if (n.recipient == recipient) out.push_back(std::move(n));
    return out;
}

std::size_t Environment::notification_count(const std::string& recipient) const {
    return notifications_for(recipient).size();
}

std::string Environment::last_code_for(const std::string& recipient) const {
    const std::vector<Notification> all = notifications_for(recipient);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        std::string code = it->code();
        if (!code.empty()) return code;
    }
    return {};
}

std::optional<Notification> Environment::wait_for_notification(const std::string& recipient, std::size_t known,
                                                               double seconds) const {
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    for (;;) {
        std::vector<Notification> all = notifications_for(recipient);
        if (all.size() > known) return all.back();
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
}

std::optional<Notification> Environment::wait_for_notification(
    const std::string& recipient, std::size_t known, double seconds,
    const std::function<bool(const Notification&)>& match) const {
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    for (;;) {
        const std::vector<Notification> all = notifications_for(recipient);
        for (std::size_t i = known; i < all.size(); ++i)
            if (match(all[i])) return all[i];
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
}

std::size_t Environment::code_count(const std::string& recipient) const {
    std::size_t n = 0;
    for (const auto& message : notifications_for(recipient))
        if (!message.code().empty()) ++n;
    return n;
}

std::string Environment::wait_for_code(const std::string& recipient, std::size_t known, double seconds) const {
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    for (;;) {
        std::size_t seen = 0;
        for (const auto& message : notifications_for(recipient)) {
            std::string code = message.code();
            if (!code.empty() && seen++ == known) return code;
        }
        if (Clock::now() >= deadline) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
}

std::string Environment::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string Environment::error_log_text() const { return read_file(error_log()); }

std::string Environment::demo_plus(const std::string& name, const std::string& extra_directives) const {
    const std::string path = root_ + "/" + name + ".conf";
    write_file(path, read_file(demo_conf()) + "\n" + extra_directives + "\n");
    return path;
}

void Environment::start(const std::string& conf, bool fix_owner) {
    if (running()) return;
    conf_ = conf.empty() ? demo_conf() : conf;
    fix_owner_ = fix_owner;
    if (fix_owner) fix_ownership();
    std::string why;
    for (int attempt = 0; attempt < 4; ++attempt) {
        port_ = free_loopback_port();
        if (try_start(why)) {
            live_servers().insert(this);
            return;
        }
        bool bind_race = why.find("could not bind") != std::string::npos ||
                         why.find("Address already in use") != std::string::npos;
        if (!bind_race) break;
    }
    throw std::runtime_error("httpd did not start:\n" + why);
}

bool Environment::try_start(std::string& why) {
    const std::size_t log_start = error_log_text().size();
    const std::string out_path = rundir() + "/httpd.out";
    // MYACCOUNT_CORES: a crashed child leaves a core in run/ for crash_backtraces().
    std::vector<std::string> args{httpd_binary(), "-f", conf_, "-DFOREGROUND", "-DMYACCOUNT_CORES"};
    std::vector<std::string> envs = make_env(httpd_env());
    std::vector<char*> c_args = c_strings(args);
    std::vector<char*> c_env = c_strings(envs);
    const pid_t parent = ::getpid();

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // no stray httpd when the test binary dies
        if (::getppid() != parent) ::_exit(126);
        const struct rlimit no_core_limit{RLIM_INFINITY, RLIM_INFINITY};
        ::setrlimit(RLIMIT_CORE, &no_core_limit);  // best effort: the hard limit may forbid it
        int null_fd = ::open("/dev/null", O_RDONLY);
        int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        ::dup2(null_fd, 0);
        ::dup2(out_fd, 1);
        ::dup2(out_fd, 2);
        ::execve(c_args[0], c_args.data(), c_env.data());
        std::fprintf(stderr, "exec %s: %s\n", c_args[0], std::strerror(errno));
        ::_exit(127);
    }
    ::setpgid(pid, pid);
    pid_ = pid;

    const auto deadline = Clock::now() + std::chrono::seconds(10);
    std::string last_status;
    while (Clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            pid_ = -1;
            std::string log = error_log_text();
            why = "httpd exited with " + std::to_string(decode_status(status)) + "\n--- error.log:\n" +
                  tail(log.substr(std::min(log_start, log.size())), 6000) + "\n--- httpd stdout/stderr:\n" +
                  tail(read_file(out_path), 4000);
            return false;
        }
        last_status = probe_http(port_);
        if (last_status.rfind("HTTP/1.1 200", 0) == 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::string log = error_log_text();
    why = "httpd did not answer GET /static/hello.txt with 200 within 10 s (last status line: '" +
          last_status + "')\n--- error.log:\n" + tail(log.substr(std::min(log_start, log.size())), 6000);
    stop();
    return false;
}

void Environment::graceful_restart() {
    if (pid_ <= 0) throw std::runtime_error("graceful restart: httpd is not running");
    const std::size_t log_start = error_log_text().size();
    ::kill(pid_, SIGUSR1);
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
        // Logged at notice level, which httpd writes whatever the LogLevel.
        const bool resumed = error_log_text().find("resuming normal operations", log_start) != std::string::npos;
        if (resumed && probe_http(port_).rfind("HTTP/1.1 200", 0) == 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("httpd did not resume within 10 s of a graceful restart:\n" +
                             tail(error_log_text().substr(log_start), 4000));
}

void Environment::stop() {
    if (pid_ <= 0) return;
    const pid_t pid = pid_;
    pid_ = -1;
    live_servers().erase(this);
    // A graceful stop (SIGWINCH): children finish what they are doing (a request, a notification
    // being sent) and exit on their own; SIGTERM only if that takes too long.
    ::kill(pid, SIGWINCH);
    int status = 0;
    if (!wait_until(pid, Clock::now() + std::chrono::seconds(10), status)) ::kill(pid, SIGTERM);
    if (!wait_until(pid, Clock::now() + std::chrono::seconds(10), status)) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    // Children that outlived their parent (they should not) go with the process group.
    ::kill(-pid, SIGKILL);
}

ProcessResult Environment::config_test(const std::string& conf, const EnvOverrides& overrides) {
    EnvOverrides env = httpd_env();
    if (port_ == 0) env["MYACCOUNT_PORT"] = std::to_string(free_loopback_port());
    for (const auto& [k, v] : overrides) env[k] = v;
    return run_process({httpd_binary(), "-t", "-f", conf}, {}, env, 60);
}

void stop_all_servers() {
    std::vector<Environment*> servers(live_servers().begin(), live_servers().end());
    for (Environment* e : servers) e->stop();
}

}  // namespace it
