// Per-server and per-directory configuration: what the directives set, unset until they do, and the
// effective Settings of a server with the defaults applied.
#pragma once

#include <string>
#include <vector>

#include "core/defaults.hpp"
#include "core/password_hasher.hpp"
#include "core/password_policy.hpp"
#include "core/password_sign_in.hpp"
#include "core/reset/reset_policy.hpp"
#include "core/second_factor/policy.hpp"
#include "core/session_registry.hpp"
#include "core/store.hpp"
#include "web/portal.hpp"

#include <apr_tables.h>
#include <httpd.h>
#include <http_config.h>

namespace myaccount::httpd {

class Runtime;

// What the directives of one server set. Every field belongs to a row of the directive table
// (httpd/directive_table.hpp), which creates it unset (null / -1) and merges it; resolve() applies
// the defaults. Fields are pointers or longs, so the table's test can tell that none is left out.
struct ServerConfig {
    const char* database;
    const char* templates;
    const char* key_file;
    const char* issuer;
    const char* default_language;
    const char* login_action;
    const char* default_location;
    const char* cookie_name;
    long argon2_memory;
    long argon2_iterations;
    long lockout_threshold;
    long lockout_account_threshold;
    long lockout_duration;
    long idle_timeout;
    long max_lifetime;
    long password_min;
    long password_max;
    long password_history;
    long password_min_guesses;       // a power of ten; 0 = no estimate
    const char* password_blocklist;  // a file, or "None"
    const char* password_breached_hashes;  // a file; unset: no breached-password check
    long password_reset;             // On (1) | Off (0)
    apr_array_header_t* reset_scope; // organization names (const char*); empty = All
    long reset_methods;
    long code_lifetime;
    long registration_postpones;
    char** notify_command;           // program and arguments, NULL-terminated
    const char* portal_url;
    const char* password_change_url;
    long throttle_failures;
    long throttle_window;
    long require_mfa;                // MfaRequirement: Off (0) | Registered (1) | All (2)
    long totp_window;
    long recent_verification;
    long remember_browser;           // days; 0 = never
    long app_passwords;              // On (1) | Off (0)
    long alert_new_device;           // On (1) | Off (0)
    const char* default_country;     // ISO 3166 region, e.g. "JP"
    long activity_retention;         // days
    const char* time_zone;           // "UTC" or "UTC+09:00", as set_time_zone wrote it
    apr_array_header_t* security_alerts;  // const char*: "All", "None", or alert kinds
    long hsts_max_age;               // seconds; 0 = no Strict-Transport-Security
    long hash_concurrency;           // 0 = the CPU cores
    Runtime* runtime = nullptr;  // built in post_config from the resolved values; never merged
};

struct DirConfig {
    int session;  // MyAccountSession On (1) | Off (0)
    int gate;     // MyAccountGate On (1) | Off (0)
    int terms_required;  // MyAccountTermsRequired On (1) | Off (0)
};

// The effective settings of a server, defaults applied.
struct Settings {
    std::string database;
    std::string templates;
    std::string key_file;
    Argon2Params argon2;
    LockoutRule lockout;
    SessionSettings sessions;
    web::PortalSettings portal;
    std::string cookie_name;  // empty: the default name, with "__Host-" in front on https
    std::size_t password_min = defaults::password_min_length.as<std::size_t>();
    std::size_t password_max = defaults::password_max_length.as<std::size_t>();
    int password_history = defaults::password_history.as<int>();
    int password_min_guesses = defaults::password_min_guesses.as<int>();  // log10; 0 = no estimate
    std::string password_blocklist;  // empty: none
    std::string password_breached_hashes;  // empty: no breached-password check
    ResetPolicy reset;
    std::vector<std::string> notify_command;  // empty: no notifications can be sent
    AddressThrottle throttle;
    SecondFactorPolicy second_factor;
    bool alert_new_device = defaults::alert_new_device;  // MyAccountAlertNewDevice
    int activity_retention_days = defaults::activity_retention_days.as<int>();  // MyAccountActivityRetention
    long hsts_max_age = defaults::hsts_max_age.value;  // MyAccountStrictTransportSecurity
    long hash_concurrency = defaults::hash_concurrency.value;  // MyAccountHashConcurrency, 0 = CPU cores
};
Settings resolve(const ServerConfig& config);
// MyAccountPasswordReset, its default applied.
bool password_reset_enabled(const ServerConfig& config);

void* create_server_config(apr_pool_t* pool, server_rec* server);
void* merge_server_config(apr_pool_t* pool, void* base, void* add);
void* create_dir_config(apr_pool_t* pool, char* dir);
void* merge_dir_config(apr_pool_t* pool, void* base, void* add);

ServerConfig& server_config(const server_rec* server);
// Whether MyAccountSession is On for r's location, its default applied.
bool server_side_sessions(const request_rec* r);
// Whether MyAccountGate is On for r's location, its default applied.
bool gate_enabled(const request_rec* r);
// Whether MyAccountTermsRequired is On for r's location, its default applied.
bool terms_required(const request_rec* r);

}  // namespace myaccount::httpd
