// Directives: per-server and per-directory configuration, unset at create, merged field by field.
#pragma once

#include <string>
#include <vector>

#include "core/password_hasher.hpp"
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
    std::size_t password_min = 12;
    std::size_t password_max = 128;
    int password_history = 5;
    std::string password_blocklist;  // empty: none
};
Settings resolve(const ServerConfig& config);

extern const command_rec directives[];

void* create_server_config(apr_pool_t* pool, server_rec* server);
void* merge_server_config(apr_pool_t* pool, void* base, void* add);
void* create_dir_config(apr_pool_t* pool, char* dir);
void* merge_dir_config(apr_pool_t* pool, void* base, void* add);

ServerConfig& server_config(const server_rec* server);
const DirConfig& dir_config(const request_rec* r);
// Paths of the <Location>s that mount the portal (SetHandler myaccount) and cover r's URI.
std::vector<std::string> location_sections(request_rec* r);

}  // namespace myaccount::httpd
