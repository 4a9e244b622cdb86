// The directive table: each directive's name, where it may appear, its setter, the fields it sets,
// its default and accepted range. httpd's command table, create, merge and the table's unit test
// (tests/unit/test_directive_table.cpp, which also holds README.md to it) are all made from it.
#pragma once

#include <array>
#include <iterator>
#include <type_traits>
#include <variant>

#include "core/defaults.hpp"
#include "httpd/config.hpp"
#include "httpd/directive_names.hpp"

namespace myaccount::httpd {

// Defaults only the module has (core/defaults.hpp holds those the core shares).
// MYACCOUNT_DEFAULT_DATADIR is where the build installs templates and data files.
inline constexpr const char* default_templates = MYACCOUNT_DEFAULT_DATADIR "/templates";
inline constexpr const char* default_blocklist = MYACCOUNT_DEFAULT_DATADIR "/common-passwords.txt";
inline constexpr const char* default_cookie_name = "myaccount_session";  // "__Host-" in front on https
inline constexpr bool default_server_side_sessions = false;
inline constexpr bool default_gate = false;
inline constexpr bool default_terms_required = false;
// MyAccountRequireMFA's words, in the order of MfaRequirement (the value the config keeps).
inline constexpr const char* mfa_requirement_words[] = {"Off", "Registered", "All"};
// The words MyAccountPasswordResetScope takes for everyone and MyAccountPasswordBlocklist for no list.
inline constexpr const char* scope_everyone = "All";
inline constexpr const char* no_blocklist = "None";
// MyAccountSecurityAlerts' words for every kind and for none.
inline constexpr const char* alerts_all = "All";
inline constexpr const char* alerts_none = "None";

// How httpd calls a setter: with one argument (TAKE1; ITERATE calls it once per argument), with
// two (TAKE2), or with On|Off (FLAG).
struct Setter {
    using Take1 = const char* (*)(cmd_parms*, void*, const char*);
    using Take2 = const char* (*)(cmd_parms*, void*, const char*, const char*);
    using Flag = const char* (*)(cmd_parms*, void*, int);

    cmd_how how;
    std::variant<Take1, Take2, Flag> function;

    static constexpr Setter take1(Take1 function) { return {TAKE1, function}; }
    static constexpr Setter iterate(Take1 function) { return {ITERATE, function}; }
    static constexpr Setter take2(Take2 function) { return {TAKE2, function}; }
    static constexpr Setter flag(Flag function) { return {FLAG, function}; }
};

// A field a directive sets: in the server's config, or in the directory's for directory directives.
using Field = std::variant<std::monostate, long ServerConfig::*, const char* ServerConfig::*,
                           apr_array_header_t* ServerConfig::*, char** ServerConfig::*, int DirConfig::*>;

// What applies while a directive is unset: whole numbers (one per argument, each with the range the
// setter accepts), or a word as the directive would take it; neither when there is no value to
// show (a required directive, or one whose absence turns something off).
struct Default {
    std::array<const defaults::Bounded*, 2> numbers{};
    const char* word = nullptr;
};
constexpr Default number(const defaults::Bounded& value) { return {{&value, nullptr}, nullptr}; }
constexpr Default numbers(const defaults::Bounded& first, const defaults::Bounded& second) {
    return {{&first, &second}, nullptr};
}
constexpr Default word(const char* value) { return {{}, value}; }
constexpr Default on_off(bool on) { return word(on ? "On" : "Off"); }
inline constexpr Default no_value{};

struct Directive {
    const char* name;
    int where;  // RSRC_CONF: server and virtual host; OR_AUTHCFG: directory and .htaccess (AuthConfig)
    Setter set;
    std::array<Field, 2> fields;  // one per argument for whole numbers
    Default fallback;
    const char* help;  // as `apache2 -L` shows it
};

// The setters (httpd/config.cpp). Each names its directive and what it accepts when it refuses an
// argument; the shared ones find their field and range in the directive's row.
const char* set_database(cmd_parms* cmd, void* dir, const char* arg);
const char* set_key_file(cmd_parms* cmd, void* dir, const char* arg);
const char* set_templates(cmd_parms* cmd, void* dir, const char* arg);
const char* set_blocklist(cmd_parms* cmd, void* dir, const char* arg);
const char* set_breached_hashes(cmd_parms* cmd, void* dir, const char* arg);
const char* set_issuer(cmd_parms* cmd, void* dir, const char* arg);
const char* set_language(cmd_parms* cmd, void* dir, const char* arg);
const char* set_local_path(cmd_parms* cmd, void* dir, const char* arg);
const char* set_cookie_name(cmd_parms* cmd, void* dir, const char* arg);
const char* set_url(cmd_parms* cmd, void* dir, const char* arg);
const char* set_reset_scope(cmd_parms* cmd, void* dir, const char* arg);
const char* set_notify_command(cmd_parms* cmd, void* dir, const char* arg);
const char* set_number(cmd_parms* cmd, void* dir, const char* arg);
const char* set_numbers(cmd_parms* cmd, void* dir, const char* first, const char* second);
const char* set_flag(cmd_parms* cmd, void* dir, int on);
const char* set_session(cmd_parms* cmd, void* dir, int on);
const char* set_dir_flag(cmd_parms* cmd, void* dir, int on);
const char* set_requirement(cmd_parms* cmd, void* dir, const char* arg);
const char* set_country(cmd_parms* cmd, void* dir, const char* arg);
const char* set_time_zone(cmd_parms* cmd, void* dir, const char* arg);
const char* set_security_alerts(cmd_parms* cmd, void* dir, const char* arg);

// In the order of README.md's directive reference.
inline constexpr Directive directive_table[] = {
    {directive_name::database, RSRC_CONF, Setter::take1(set_database), {&ServerConfig::database}, no_value,
     "SQLite database file of accounts and sessions (create with: myaccountctl --db FILE init)"},
    {directive_name::secret_key_file, RSRC_CONF, Setter::take1(set_key_file), {&ServerConfig::key_file}, no_value,
     "file with the 32-byte key (64 hex characters) for secrets at rest and tokens"},
    {directive_name::templates, RSRC_CONF, Setter::take1(set_templates), {&ServerConfig::templates},
     word(default_templates), "folder of the page templates, message catalogs and static files"},
    {directive_name::issuer, RSRC_CONF, Setter::take1(set_issuer), {&ServerConfig::issuer}, word(defaults::issuer),
     "the organization's name as the pages show it"},
    {directive_name::default_language, RSRC_CONF, Setter::take1(set_language), {&ServerConfig::default_language},
     word(defaults::default_language), "language when the browser asks for none we have: en or ja"},
    {directive_name::login_action, RSRC_CONF, Setter::take1(set_local_path), {&ServerConfig::login_action},
     word(defaults::login_action), "path of the front's form-login-handler the sign-in form posts to"},
    {directive_name::default_location, RSRC_CONF, Setter::take1(set_local_path), {&ServerConfig::default_location},
     no_value, "where a sign-in lands when it names no safe page of this server"},
    {directive_name::session_cookie_name, RSRC_CONF, Setter::take1(set_cookie_name), {&ServerConfig::cookie_name},
     word(default_cookie_name), "name of the session cookie"},
    {directive_name::session_idle_timeout, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::idle_timeout},
     number(defaults::session_idle_timeout), "seconds of inactivity that end a session"},
    {directive_name::session_max_lifetime, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::max_lifetime},
     number(defaults::session_max_lifetime), "seconds after which a session ends however active"},
    {directive_name::argon2_memory, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::argon2_memory},
     number(defaults::argon2_memory_kib), "argon2id memory in KiB for new password hashes (8192-4194304)"},
    {directive_name::argon2_iterations, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::argon2_iterations},
     number(defaults::argon2_iterations), "argon2id passes for new password hashes (1-16)"},
    {directive_name::lockout_threshold, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::lockout_threshold},
     number(defaults::lockout_threshold),
     "failed passwords from one client network (IPv4 /24, IPv6 /64) that lock the account for that network (0 = never)"},
    {directive_name::lockout_account_threshold, RSRC_CONF, Setter::take1(set_number),
     {&ServerConfig::lockout_account_threshold}, number(defaults::lockout_account_threshold),
     "consecutive failed passwords from anywhere that lock the account for all but familiar clients (0 = never)"},
    {directive_name::lockout_duration, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::lockout_duration},
     number(defaults::lockout_duration), "seconds an account stays locked"},
    {directive_name::password_min_length, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::password_min},
     number(defaults::password_min_length), "fewest characters (code points) of a new password"},
    {directive_name::password_max_length, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::password_max},
     number(defaults::password_max_length), "most characters (code points) of a password"},
    {directive_name::password_history, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::password_history},
     number(defaults::password_history), "earlier passwords a new one may not repeat (0-24)"},
    {directive_name::password_min_guesses, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::password_min_guesses},
     number(defaults::password_min_guesses),
     "fewest guesses zxcvbn must estimate for a new password, as a power of ten: 8 = 10^8, 0 = no estimate (0-20)"},
    {directive_name::password_blocklist, RSRC_CONF, Setter::take1(set_blocklist), {&ServerConfig::password_blocklist},
     word(default_blocklist), "file of common passwords (one a line) that new passwords may not be, or None"},
    {directive_name::password_breached_hashes, RSRC_CONF, Setter::take1(set_breached_hashes),
     {&ServerConfig::password_breached_hashes}, no_value,
     "Pwned Passwords file (SHA-1 HASH:COUNT lines, ordered by hash) that new passwords may not be in"},
    {directive_name::password_reset, RSRC_CONF, Setter::flag(set_flag), {&ServerConfig::password_reset},
     on_off(defaults::password_reset), "On: people may reset a forgotten password at <portal>/reset"},
    {directive_name::password_reset_scope, RSRC_CONF, Setter::iterate(set_reset_scope), {&ServerConfig::reset_scope},
     word(scope_everyone), "All, or the organizations whose members may reset their password"},
    {directive_name::password_reset_methods, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::reset_methods},
     number(defaults::reset_methods_required), "registered methods a reset must prove: 1 or 2"},
    {directive_name::code_lifetime, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::code_lifetime},
     number(defaults::code_lifetime), "seconds a one-time code stays valid (60-3600)"},
    {directive_name::registration_postpones, RSRC_CONF, Setter::take1(set_number),
     {&ServerConfig::registration_postpones}, number(defaults::registration_postpones),
     "times the request to register reset methods after sign-in may be put off"},
    {directive_name::notify_command, RSRC_CONF, Setter::take1(set_notify_command), {&ServerConfig::notify_command},
     no_value,
     "program (and arguments) run with CHANNEL RECIPIENT appended and the message on standard input"},
    {directive_name::portal_url, RSRC_CONF, Setter::take1(set_url), {&ServerConfig::portal_url}, no_value,
     "absolute URL of the portal: the only base of links in messages"},
    {directive_name::password_change_url, RSRC_CONF, Setter::take1(set_url), {&ServerConfig::password_change_url},
     no_value, "where people change a password this module does not keep"},
    {directive_name::address_throttle, RSRC_CONF, Setter::take2(set_numbers),
     {&ServerConfig::throttle_failures, &ServerConfig::throttle_window},
     numbers(defaults::address_throttle_limit, defaults::address_throttle_window),
     "failed passwords one client address may make per window, and the window in seconds"},
    {directive_name::require_mfa, RSRC_CONF, Setter::take1(set_requirement), {&ServerConfig::require_mfa},
     word(mfa_requirement_words[0]),
     "who must pass 2-step verification: Off, Registered (those with a method) or All"},
    {directive_name::totp_window, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::totp_window},
     number(defaults::totp_window), "authenticator codes accepted this many 30-second steps either side of now (0-3)"},
    {directive_name::recent_verification, RSRC_CONF, Setter::take1(set_number),
     {&ServerConfig::recent_verification}, number(defaults::recent_verification),
     "seconds a 2-step verification counts as recent for changing security info (60-86400)"},
    {directive_name::remember_browser, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::remember_browser},
     number(defaults::remember_browser_days), "days a verified browser is not asked again, 0 = never (0-365)"},
    {directive_name::app_passwords, RSRC_CONF, Setter::flag(set_flag), {&ServerConfig::app_passwords},
     on_off(defaults::app_passwords), "On: people may make app passwords for programs on HTTP Basic"},
    {directive_name::alert_new_device, RSRC_CONF, Setter::flag(set_flag), {&ServerConfig::alert_new_device},
     on_off(defaults::alert_new_device), "On: people are told of a sign-in from a device they had not used before"},
    {directive_name::default_country, RSRC_CONF, Setter::take1(set_country), {&ServerConfig::default_country},
     word(defaults::default_country), "ISO 3166 country of phone numbers typed without +, e.g. JP"},
    {directive_name::activity_retention, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::activity_retention},
     number(defaults::activity_retention_days), "days sign-ins and security events stay on the activity page (1-3650)"},
    {directive_name::time_zone, RSRC_CONF, Setter::take1(set_time_zone), {&ServerConfig::time_zone},
     word(defaults::time_zone), "the offset times are shown in: UTC or +HH:MM / -HH:MM, e.g. +09:00"},
    {directive_name::security_alerts, RSRC_CONF, Setter::iterate(set_security_alerts), {&ServerConfig::security_alerts},
     word(alerts_all), "All, None, or the kinds of security alert sent: password methods sessions devices organizations account not_me"},
    {directive_name::strict_transport_security, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::hsts_max_age},
     number(defaults::hsts_max_age), "seconds of Strict-Transport-Security sent on https, 0 = none (0-63072000)"},
    {directive_name::hash_concurrency, RSRC_CONF, Setter::take1(set_number), {&ServerConfig::hash_concurrency},
     number(defaults::hash_concurrency),
     "password hashes one httpd process runs at once, 0 = as many as the CPU cores (0-256); more wait, then 503"},
    {directive_name::session, OR_AUTHCFG, Setter::flag(set_session), {&DirConfig::session},
     on_off(default_server_side_sessions), "On: keep mod_session's sessions server-side in the module's store"},
    {directive_name::gate, OR_AUTHCFG, Setter::flag(set_dir_flag), {&DirConfig::gate}, on_off(default_gate),
     "On: requests here must have passed 2-step verification where it is required"},
    {directive_name::terms_required, OR_AUTHCFG, Setter::flag(set_dir_flag), {&DirConfig::terms_required},
     on_off(default_terms_required), "On: requests here wait until the person accepted their organizations' terms of use"},
};

// httpd's form of the table, null-terminated, for the module record (made in httpd/config.cpp).
extern const std::array<command_rec, std::size(directive_table) + 1> directives;

// The value a field holds until its directive sets it.
template <typename Config, typename T>
constexpr T unset_value(T Config::*) {
    if constexpr (std::is_pointer_v<T>) {
        return nullptr;
    } else {
        return -1;
    }
}

template <typename Member, typename Config>
inline constexpr bool is_field_of = false;
template <typename T, typename Config>
inline constexpr bool is_field_of<T Config::*, Config> = true;

// Calls visit(member) for every field of a `Config` (ServerConfig or DirConfig) the table sets.
template <typename Config, typename Visit>
void for_each_field(Visit visit) {
    for (const Directive& directive : directive_table)
        for (const Field& field : directive.fields)
            std::visit(
                [&visit](auto member) {
                    if constexpr (is_field_of<decltype(member), Config>) visit(member);
                },
                field);
}

}  // namespace myaccount::httpd
