// Directives: per-server and per-directory configuration, unset at create, merged field by field.
#pragma once

#include <string>
#include <vector>

#include "core/authenticator.hpp"
#include "core/defaults.hpp"
#include "core/password_hasher.hpp"
#include "core/password_reset.hpp"
#include "core/password_policy.hpp"
#include "core/session_registry.hpp"
#include "core/store.hpp"
#include "web/portal.hpp"

#include <apr_tables.h>
#include <httpd.h>
#include <http_config.h>

namespace myaccount::httpd {

class Runtime;

// Values stay "unset" (null / -1) until a directive sets them; resolve() applies the defaults.
struct ServerConfig {
    const char* database = nullptr;
    const char* templates = nullptr;
    const char* key_file = nullptr;
    const char* issuer = nullptr;
    const char* default_language = nullptr;
    const char* login_action = nullptr;
    const char* default_location = nullptr;
    const char* cookie_name = nullptr;
    long argon2_memory = -1;
    long argon2_iterations = -1;
    long lockout_threshold = -1;
    long lockout_duration = -1;
    long idle_timeout = -1;
    long max_lifetime = -1;
    long password_min = -1;
    long password_max = -1;
    long password_history = -1;
    const char* password_blocklist = nullptr;  // a file, or "None"
    int password_reset = -1;                   // On|Off
    apr_array_header_t* reset_scope = nullptr; // organization names (const char*); empty = All
    long reset_methods = -1;
    long code_lifetime = -1;
    long registration_postpones = -1;
    char** notify_command = nullptr;           // program and arguments, NULL-terminated
    const char* portal_url = nullptr;
    const char* password_change_url = nullptr;
    long throttle_failures = -1;
    long throttle_window = -1;
    Runtime* runtime = nullptr;  // built in post_config from the resolved values
};

struct DirConfig {
    int session = -1;  // MyAccountSession On|Off
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
    std::string cookie_name;  // empty: "myaccount_session", or "__Host-myaccount_session" on https
    std::size_t password_min = defaults::password_min_length.as<std::size_t>();
    std::size_t password_max = defaults::password_max_length.as<std::size_t>();
    int password_history = defaults::password_history.as<int>();
    std::string password_blocklist;  // empty: none
    ResetPolicy reset;
    std::vector<std::string> notify_command;  // empty: no notifications can be sent
    AddressThrottle throttle;
};
Settings resolve(const ServerConfig& config);

extern const command_rec directives[];

void* create_server_config(apr_pool_t* pool, server_rec* server);
void* merge_server_config(apr_pool_t* pool, void* base, void* add);
void* create_dir_config(apr_pool_t* pool, char* dir);
void* merge_dir_config(apr_pool_t* pool, void* base, void* add);

ServerConfig& server_config(const server_rec* server);
const DirConfig& dir_config(const request_rec* r);

}  // namespace myaccount::httpd
