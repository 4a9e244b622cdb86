// Directive table, setters that validate (naming the directive and what it accepts), create/merge.
#include "httpd/config.hpp"

#include <dlfcn.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <exception>

#include <unistd.h>

#include <apr_strings.h>
#include <apr_uri.h>

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
NUMBER_SETTER(set_reset_methods, reset_methods, 1, 2)
NUMBER_SETTER(set_code_lifetime, code_lifetime, 60, 3600)
NUMBER_SETTER(set_registration_postpones, registration_postpones, 0, 100)
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

const char* set_password_reset(cmd_parms* cmd, void*, int on) {
    config_of(cmd).password_reset = on ? 1 : 0;
    return nullptr;
}

// "All" is kept as a marker entry so that names after it are refused as well as names before it.
constexpr const char* scope_all = "*";

const char* set_reset_scope(cmd_parms* cmd, void*, const char* arg) {
    ServerConfig& config = config_of(cmd);
    if (!config.reset_scope) config.reset_scope = apr_array_make(cmd->pool, 4, sizeof(const char*));
    bool all = strcasecmp(arg, "All") == 0;
    bool had_all = config.reset_scope->nelts > 0 && APR_ARRAY_IDX(config.reset_scope, 0, const char*) == scope_all;
    if ((all && config.reset_scope->nelts > 0) || (!all && had_all))
        return apr_psprintf(cmd->pool, "%s: All cannot be combined with organization names", directive(cmd));
    if (!all && check_field(arg, 128))
        return apr_psprintf(cmd->pool, "%s: '%s' is not an organization name", directive(cmd), arg);
    APR_ARRAY_PUSH(config.reset_scope, const char*) = all ? scope_all : apr_pstrdup(cmd->pool, arg);
    return nullptr;
}

const char* set_notify_command(cmd_parms* cmd, void*, const char* arg) {
    char** words = nullptr;
    if (apr_tokenize_to_argv(arg, &words, cmd->pool) != APR_SUCCESS || !words || !words[0])
        return apr_psprintf(cmd->pool, "%s: expected a program and its arguments", directive(cmd));
    if (words[0][0] != '/')
        return apr_psprintf(cmd->pool, "%s: '%s' must be an absolute path (no PATH search is done)", directive(cmd),
                            words[0]);
    if (access(words[0], X_OK) != 0)
        return apr_psprintf(cmd->pool, "%s: '%s' is not an executable file", directive(cmd), words[0]);
    config_of(cmd).notify_command = words;
    return nullptr;
}

// An absolute http(s) URL with a host and no query or fragment, kept without a trailing '/'.
const char* set_url(cmd_parms* cmd, const char* arg, const char*& out) {
    apr_uri_t uri{};
    bool ok = apr_uri_parse(cmd->pool, arg, &uri) == APR_SUCCESS && uri.scheme && uri.hostname && *uri.hostname &&
              (strcasecmp(uri.scheme, "https") == 0 || strcasecmp(uri.scheme, "http") == 0) && !uri.query &&
              !uri.fragment && !has_control_characters(arg) && !std::strchr(arg, ' ');
    if (!ok)
        return apr_psprintf(cmd->pool, "%s: '%s' must be an absolute http:// or https:// URL without query or fragment",
                            directive(cmd), arg);
    std::string url = arg;
    while (url.size() > 1 && url.back() == '/') url.pop_back();
    out = apr_pstrdup(cmd->pool, url.c_str());
    return nullptr;
}

const char* set_portal_url(cmd_parms* cmd, void*, const char* arg) { return set_url(cmd, arg, config_of(cmd).portal_url); }

const char* set_password_change_url(cmd_parms* cmd, void*, const char* arg) {
    return set_url(cmd, arg, config_of(cmd).password_change_url);
}

const char* set_address_throttle(cmd_parms* cmd, void*, const char* failures, const char* seconds) {
    ServerConfig& config = config_of(cmd);
    if (const char* error = set_number(cmd, failures, 0, 1000000, config.throttle_failures)) return error;
    return set_number(cmd, seconds, 60, 86400, config.throttle_window);
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
    {"MyAccountPasswordReset", as_cmd(set_password_reset), nullptr, RSRC_CONF, FLAG,
     "On: people may reset a forgotten password at <portal>/reset"},
    {"MyAccountPasswordResetScope", as_cmd(set_reset_scope), nullptr, RSRC_CONF, ITERATE,
     "All, or the organizations whose members may reset their password"},
    {"MyAccountPasswordResetMethods", as_cmd(set_reset_methods), nullptr, RSRC_CONF, TAKE1,
     "registered methods a reset must prove: 1 or 2"},
    {"MyAccountCodeLifetime", as_cmd(set_code_lifetime), nullptr, RSRC_CONF, TAKE1,
     "seconds a one-time code stays valid (60-3600)"},
    {"MyAccountRegistrationPostpones", as_cmd(set_registration_postpones), nullptr, RSRC_CONF, TAKE1,
     "times the request to register reset methods after sign-in may be put off"},
    {"MyAccountNotifyCommand", as_cmd(set_notify_command), nullptr, RSRC_CONF, TAKE1,
     "program (and arguments) run with CHANNEL RECIPIENT appended and the message on standard input"},
    {"MyAccountPortalUrl", as_cmd(set_portal_url), nullptr, RSRC_CONF, TAKE1,
     "absolute URL of the portal: the only base of links in messages"},
    {"MyAccountPasswordChangeUrl", as_cmd(set_password_change_url), nullptr, RSRC_CONF, TAKE1,
     "where people change a password this module does not keep"},
    {"MyAccountAddressThrottle", as_cmd(set_address_throttle), nullptr, RSRC_CONF, TAKE2,
     "failed passwords one client address may make per window, and the window in seconds"},
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
    s.reset.enabled = c.password_reset == 1;
    for (int i = 0; c.reset_scope && i < c.reset_scope->nelts; ++i) {
        const char* name = APR_ARRAY_IDX(c.reset_scope, i, const char*);
        if (name != scope_all) s.reset.organizations.emplace_back(name);
    }
    if (c.reset_methods > 0) s.reset.methods_required = static_cast<int>(c.reset_methods);
    if (c.code_lifetime > 0) s.reset.code_lifetime = c.code_lifetime;
    if (c.registration_postpones >= 0) s.reset.postpones = static_cast<int>(c.registration_postpones);
    for (char** word = c.notify_command; word && *word; ++word) s.notify_command.emplace_back(*word);
    if (c.portal_url) s.portal.portal_url = c.portal_url;
    if (c.password_change_url) s.portal.password_change_url = c.password_change_url;
    if (c.throttle_failures >= 0) s.throttle.limit = c.throttle_failures;
    if (c.throttle_window > 0) s.throttle.window = c.throttle_window;
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
    merged->password_reset = pick(add->password_reset, base->password_reset, -1);
    merged->reset_scope = pick(add->reset_scope, base->reset_scope, static_cast<apr_array_header_t*>(nullptr));
    merged->reset_methods = pick(add->reset_methods, base->reset_methods, -1L);
    merged->code_lifetime = pick(add->code_lifetime, base->code_lifetime, -1L);
    merged->registration_postpones = pick(add->registration_postpones, base->registration_postpones, -1L);
    merged->notify_command = pick(add->notify_command, base->notify_command, static_cast<char**>(nullptr));
    merged->portal_url = pick(add->portal_url, base->portal_url, nullptr);
    merged->password_change_url = pick(add->password_change_url, base->password_change_url, nullptr);
    merged->throttle_failures = pick(add->throttle_failures, base->throttle_failures, -1L);
    merged->throttle_window = pick(add->throttle_window, base->throttle_window, -1L);
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

}  // namespace myaccount::httpd
