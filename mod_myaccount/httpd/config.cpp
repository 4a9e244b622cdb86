// Directive table, setters that validate (naming the directive and what it accepts), create/merge.
#include "httpd/config.hpp"

#include <dlfcn.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <exception>

#include <apr_strings.h>
#include <ap_expr.h>
#include <http_core.h>

#include "core/crypto.hpp"
#include "core/password_blocklist.hpp"
#include "core/text.hpp"
#include "httpd/module.hpp"
#include "store/sqlite_store.hpp"
#include "web/render.hpp"

namespace myaccount::httpd {

namespace {

ServerConfig& config_of(cmd_parms* cmd) { return server_config(cmd->server); }
const char* directive(cmd_parms* cmd) { return cmd->cmd->name; }

// Parses a whole number in [low, high] into `out`, or returns a message for the sysadmin.
const char* set_number(cmd_parms* cmd, const char* arg, long low, long high, long& out) {
    errno = 0;
    char* end = nullptr;
    long value = std::strtol(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || value < low || value > high)
        return apr_psprintf(cmd->pool, "%s: '%s' is not a whole number from %ld to %ld", directive(cmd), arg, low, high);
    out = value;
    return nullptr;
}

#define NUMBER_SETTER(name, field, low, high)                                     \
    const char* name(cmd_parms* cmd, void*, const char* arg) {                    \
        return set_number(cmd, arg, low, high, config_of(cmd).field);             \
    }

NUMBER_SETTER(set_argon2_memory, argon2_memory, 8192, 4194304)
NUMBER_SETTER(set_argon2_iterations, argon2_iterations, 1, 16)
NUMBER_SETTER(set_lockout_threshold, lockout_threshold, 0, 100000)
NUMBER_SETTER(set_lockout_duration, lockout_duration, 1, 30L * 86400)
NUMBER_SETTER(set_idle_timeout, idle_timeout, 60, 7L * 86400)
NUMBER_SETTER(set_max_lifetime, max_lifetime, 300, 90L * 86400)
NUMBER_SETTER(set_password_min, password_min, 8, 64)
NUMBER_SETTER(set_password_max, password_max, 64, 1024)
NUMBER_SETTER(set_password_history, password_history, 0, 24)
#undef NUMBER_SETTER

const char* set_database(cmd_parms* cmd, void*, const char* arg) {
    const char* path = ap_server_root_relative(cmd->pool, arg);
    if (!path) return apr_psprintf(cmd->pool, "%s: invalid path '%s'", directive(cmd), arg);
    try {
        int version = read_schema_version(path);
        int supported = supported_schema_version();
        if (version > supported)
            return apr_psprintf(cmd->pool,
                                "%s %s: the database has schema version %d, newer than this mod_myaccount "
                                "supports (%d); upgrade mod_myaccount",
                                directive(cmd), path, version, supported);
        if (version < supported)
            return apr_psprintf(cmd->pool,
                                "%s %s: the database has schema version %d, this mod_myaccount needs %d; "
                                "migrate it with: myaccountctl --db %s init",
                                directive(cmd), path, version, supported, path);
    } catch (const std::exception& e) {
        return apr_psprintf(cmd->pool, "%s: %s (create it with: myaccountctl --db %s init)", directive(cmd),
                            e.what(), path);
    }
    config_of(cmd).database = path;
    return nullptr;
}

// Resolves a path against ServerRoot and lets `check` read it now, so a bad file stops start-up.
template <typename Check>
const char* set_checked_path(cmd_parms* cmd, const char* arg, const char*& out, Check check) {
    const char* path = ap_server_root_relative(cmd->pool, arg);
    if (!path) return apr_psprintf(cmd->pool, "%s: invalid path '%s'", directive(cmd), arg);
    try {
        check(path);
    } catch (const std::exception& e) {
        return apr_psprintf(cmd->pool, "%s: %s", directive(cmd), e.what());
    }
    out = path;
    return nullptr;
}

const char* set_key_file(cmd_parms* cmd, void*, const char* arg) {
    return set_checked_path(cmd, arg, config_of(cmd).key_file, [](const char* path) { SecretKey::load_file(path); });
}

const char* set_templates(cmd_parms* cmd, void*, const char* arg) {
    // Parses every template now, so a broken one stops start-up.
    return set_checked_path(cmd, arg, config_of(cmd).templates,
                            [](const char* path) { web::Renderer::load(path); });
}

const char* set_blocklist(cmd_parms* cmd, void*, const char* arg) {
    if (strcasecmp(arg, "None") == 0) {
        config_of(cmd).password_blocklist = "None";
        return nullptr;
    }
    return set_checked_path(cmd, arg, config_of(cmd).password_blocklist,
                            [](const char* path) { PasswordBlocklist::load(path); });
}

const char* set_issuer(cmd_parms* cmd, void*, const char* arg) {
    if (check_field(arg, 128))
        return apr_psprintf(cmd->pool, "%s: expected 1 to 128 characters of UTF-8 text without control characters",
                            directive(cmd));
    config_of(cmd).issuer = arg;
    return nullptr;
}

const char* set_language(cmd_parms* cmd, void*, const char* arg) {
    if (std::string(arg) != "en" && std::string(arg) != "ja")
        return apr_psprintf(cmd->pool, "%s: '%s' is not one of: en, ja", directive(cmd), arg);
    config_of(cmd).default_language = arg;
    return nullptr;
}

const char* set_local_path(cmd_parms* cmd, const char* arg, const char*& out) {
    if (!web::is_local_path(arg))
        return apr_psprintf(cmd->pool, "%s: '%s' must be a path on this server starting with a single '/'",
                            directive(cmd), arg);
    out = arg;
    return nullptr;
}

const char* set_login_action(cmd_parms* cmd, void*, const char* arg) {
    return set_local_path(cmd, arg, config_of(cmd).login_action);
}

const char* set_default_location(cmd_parms* cmd, void*, const char* arg) {
    return set_local_path(cmd, arg, config_of(cmd).default_location);
}

const char* set_cookie_name(cmd_parms* cmd, void*, const char* arg) {
    std::string name = arg;
    bool ok = !name.empty() && name.size() <= 64 &&
              name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") ==
                  std::string::npos;
    if (!ok) return apr_psprintf(cmd->pool, "%s: '%s' must be 1 to 64 of A-Z a-z 0-9 _ -", directive(cmd), arg);
    config_of(cmd).cookie_name = arg;
    return nullptr;
}

const char* set_session(cmd_parms* cmd, void* dir, int on) {
    // Every LoadModule has run by now, so this tells whether mod_session is there to call us.
    if (on && !dlsym(RTLD_DEFAULT, "ap_hook_session_load"))
        return apr_psprintf(cmd->pool,
                            "%s On needs mod_session: load it (LoadModule session_module .../mod_session.so, "
                            "or a2enmod session)",
                            directive(cmd));
    static_cast<DirConfig*>(dir)->session = on ? 1 : 0;
    return nullptr;
}

template <typename Setter>
cmd_func as_cmd(Setter setter) {
    // httpd's table stores every setter as one untyped pointer; going through void(*)() is the
    // sanctioned way to say the cast is deliberate.
    return reinterpret_cast<cmd_func>(reinterpret_cast<void (*)()>(setter));
}

}  // namespace

const command_rec directives[] = {
    {"MyAccountDatabase", as_cmd(set_database), nullptr, RSRC_CONF, TAKE1,
     "SQLite database file of accounts and sessions (create with: myaccountctl --db FILE init)"},
    {"MyAccountSecretKeyFile", as_cmd(set_key_file), nullptr, RSRC_CONF, TAKE1,
     "file with the 32-byte key (64 hex characters) for secrets at rest and tokens"},
    {"MyAccountTemplates", as_cmd(set_templates), nullptr, RSRC_CONF, TAKE1,
     "folder of the page templates, message catalogs and static files"},
    {"MyAccountIssuer", as_cmd(set_issuer), nullptr, RSRC_CONF, TAKE1,
     "the organization's name as the pages show it"},
    {"MyAccountDefaultLanguage", as_cmd(set_language), nullptr, RSRC_CONF, TAKE1,
     "language when the browser asks for none we have: en or ja"},
    {"MyAccountLoginAction", as_cmd(set_login_action), nullptr, RSRC_CONF, TAKE1,
     "path of the front's form-login-handler the sign-in form posts to"},
    {"MyAccountDefaultLocation", as_cmd(set_default_location), nullptr, RSRC_CONF, TAKE1,
     "where a sign-in lands when it names no safe page of this server"},
    {"MyAccountSessionCookieName", as_cmd(set_cookie_name), nullptr, RSRC_CONF, TAKE1,
     "name of the session cookie"},
    {"MyAccountArgon2Memory", as_cmd(set_argon2_memory), nullptr, RSRC_CONF, TAKE1,
     "argon2id memory in KiB for new password hashes (8192-4194304)"},
    {"MyAccountArgon2Iterations", as_cmd(set_argon2_iterations), nullptr, RSRC_CONF, TAKE1,
     "argon2id passes for new password hashes (1-16)"},
    {"MyAccountLockoutThreshold", as_cmd(set_lockout_threshold), nullptr, RSRC_CONF, TAKE1,
     "consecutive failed passwords that lock an account (0 = never)"},
    {"MyAccountLockoutDuration", as_cmd(set_lockout_duration), nullptr, RSRC_CONF, TAKE1,
     "seconds an account stays locked"},
    {"MyAccountSessionIdleTimeout", as_cmd(set_idle_timeout), nullptr, RSRC_CONF, TAKE1,
     "seconds of inactivity that end a session"},
    {"MyAccountSessionMaxLifetime", as_cmd(set_max_lifetime), nullptr, RSRC_CONF, TAKE1,
     "seconds after which a session ends however active"},
    {"MyAccountPasswordMinLength", as_cmd(set_password_min), nullptr, RSRC_CONF, TAKE1,
     "fewest characters (code points) of a new password"},
    {"MyAccountPasswordMaxLength", as_cmd(set_password_max), nullptr, RSRC_CONF, TAKE1,
     "most characters (code points) of a password"},
    {"MyAccountPasswordHistory", as_cmd(set_password_history), nullptr, RSRC_CONF, TAKE1,
     "earlier passwords a new one may not repeat (0-24)"},
    {"MyAccountPasswordBlocklist", as_cmd(set_blocklist), nullptr, RSRC_CONF, TAKE1,
     "file of common passwords (one a line) that new passwords may not be, or None"},
    {"MyAccountSession", as_cmd(set_session), nullptr, OR_AUTHCFG, FLAG,
     "On: keep mod_session's sessions server-side in the module's store"},
    {nullptr, nullptr, nullptr, 0, RAW_ARGS, nullptr},
};

Settings resolve(const ServerConfig& c) {
    Settings s;
    s.database = c.database ? c.database : "";
    s.templates = c.templates ? c.templates : MYACCOUNT_DEFAULT_DATADIR "/templates";
    s.key_file = c.key_file ? c.key_file : "";
    if (c.argon2_memory > 0) s.argon2.memory_kib = static_cast<std::uint64_t>(c.argon2_memory);
    if (c.argon2_iterations > 0) s.argon2.iterations = static_cast<std::uint64_t>(c.argon2_iterations);
    if (c.lockout_threshold >= 0) s.lockout.threshold = c.lockout_threshold;
    if (c.lockout_duration > 0) s.lockout.duration = c.lockout_duration;
    if (c.idle_timeout > 0) s.sessions.idle_timeout = c.idle_timeout;
    if (c.max_lifetime > 0) s.sessions.max_lifetime = c.max_lifetime;
    if (c.issuer) s.portal.issuer = c.issuer;
    if (c.default_language) s.portal.default_language = c.default_language;
    if (c.login_action) s.portal.login_action = c.login_action;
    if (c.default_location) s.portal.default_location = c.default_location;
    if (c.cookie_name) s.cookie_name = c.cookie_name;
    if (c.password_min > 0) s.password_min = static_cast<std::size_t>(c.password_min);
    if (c.password_max > 0) s.password_max = static_cast<std::size_t>(c.password_max);
    if (c.password_history >= 0) s.password_history = static_cast<int>(c.password_history);
    if (!c.password_blocklist) s.password_blocklist = MYACCOUNT_DEFAULT_DATADIR "/common-passwords.txt";
    else if (strcasecmp(c.password_blocklist, "None") != 0) s.password_blocklist = c.password_blocklist;
    return s;
}

void* create_server_config(apr_pool_t* pool, server_rec*) {
    void* memory = apr_pcalloc(pool, sizeof(ServerConfig));
    return new (memory) ServerConfig{};  // trivially destructible: no cleanup needed
}

void* merge_server_config(apr_pool_t* pool, void* base_v, void* add_v) {
    const auto* base = static_cast<const ServerConfig*>(base_v);
    const auto* add = static_cast<const ServerConfig*>(add_v);
    auto* merged = static_cast<ServerConfig*>(create_server_config(pool, nullptr));
    auto pick = [](auto mine, auto theirs, auto unset) { return mine != unset ? mine : theirs; };
    merged->database = pick(add->database, base->database, nullptr);
    merged->templates = pick(add->templates, base->templates, nullptr);
    merged->key_file = pick(add->key_file, base->key_file, nullptr);
    merged->issuer = pick(add->issuer, base->issuer, nullptr);
    merged->default_language = pick(add->default_language, base->default_language, nullptr);
    merged->login_action = pick(add->login_action, base->login_action, nullptr);
    merged->default_location = pick(add->default_location, base->default_location, nullptr);
    merged->cookie_name = pick(add->cookie_name, base->cookie_name, nullptr);
    merged->argon2_memory = pick(add->argon2_memory, base->argon2_memory, -1L);
    merged->argon2_iterations = pick(add->argon2_iterations, base->argon2_iterations, -1L);
    merged->lockout_threshold = pick(add->lockout_threshold, base->lockout_threshold, -1L);
    merged->lockout_duration = pick(add->lockout_duration, base->lockout_duration, -1L);
    merged->idle_timeout = pick(add->idle_timeout, base->idle_timeout, -1L);
    merged->max_lifetime = pick(add->max_lifetime, base->max_lifetime, -1L);
    merged->password_min = pick(add->password_min, base->password_min, -1L);
    merged->password_max = pick(add->password_max, base->password_max, -1L);
    merged->password_history = pick(add->password_history, base->password_history, -1L);
    merged->password_blocklist = pick(add->password_blocklist, base->password_blocklist, nullptr);
    return merged;
}

void* create_dir_config(apr_pool_t* pool, char*) {
    auto* config = static_cast<DirConfig*>(apr_pcalloc(pool, sizeof(DirConfig)));
    config->session = -1;
    return config;
}

void* merge_dir_config(apr_pool_t* pool, void* base_v, void* add_v) {
    const auto* base = static_cast<const DirConfig*>(base_v);
    const auto* add = static_cast<const DirConfig*>(add_v);
    auto* merged = static_cast<DirConfig*>(apr_pcalloc(pool, sizeof(DirConfig)));
    merged->session = add->session != -1 ? add->session : base->session;
    return merged;
}

ServerConfig& server_config(const server_rec* server) {
    return *static_cast<ServerConfig*>(ap_get_module_config(server->module_config, &myaccount_module));
}

const DirConfig& dir_config(const request_rec* r) {
    return *static_cast<const DirConfig*>(ap_get_module_config(r->per_dir_config, &myaccount_module));
}

std::vector<std::string> location_sections(request_rec* r) {
    // httpd keeps no record of which <Location> set the handler, so look at every plain
    // <Location> of this server whose SetHandler is ours and whose path covers the request.
    std::vector<std::string> sections;
    auto* server = static_cast<core_server_config*>(ap_get_core_module_config(r->server->module_config));
    for (int i = 0; server && i < server->sec_url->nelts; ++i) {
        auto* vector = APR_ARRAY_IDX(server->sec_url, i, ap_conf_vector_t*);
        auto* section = static_cast<core_dir_config*>(ap_get_core_module_config(vector));
        if (!section || !section->d || section->r || section->d_is_fnmatch || !section->expr_handler) continue;
        if (std::strncmp(r->uri, section->d, std::strlen(section->d)) != 0) continue;
        const char* error = nullptr;
        const char* handler = ap_expr_str_exec(r, section->expr_handler, &error);
        if (handler && !error && std::strcmp(handler, myaccount_handler_name) == 0) sections.emplace_back(section->d);
    }
    return sections;
}

}  // namespace myaccount::httpd
