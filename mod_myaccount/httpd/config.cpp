// Directive setters: each checks its argument (naming the directive and what it accepts) and stores
// it in the field its row of the directive table names; httpd's command table made from the table.
#include "httpd/directive_table.hpp"

#include <dlfcn.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <unistd.h>

#include <apr_strings.h>
#include <apr_uri.h>

#include "apr/sha1_hex.hpp"
#include "core/breached_passwords.hpp"
#include "core/crypto.hpp"
#include "core/local_time.hpp"
#include "core/methods/phone_number.hpp"
#include "core/password_blocklist.hpp"
#include "core/text.hpp"
#include "httpd/module.hpp"
#include "store/open_store.hpp"
#include "web/render.hpp"

namespace myaccount::httpd {

namespace {

ServerConfig& config_of(cmd_parms* cmd) { return server_config(cmd->server); }
const char* directive(cmd_parms* cmd) { return cmd->cmd->name; }
const Directive& row_of(const cmd_parms* cmd) { return *static_cast<const Directive*>(cmd->info); }

// The field of the server's config that the directive's row names at `index`.
template <typename T>
T& field_of(cmd_parms* cmd, std::size_t index = 0) {
    return config_of(cmd).*std::get<T ServerConfig::*>(row_of(cmd).fields.at(index));
}

// Parses a whole number in the range the row gives for argument `index` into its field, or returns a
// message for the sysadmin.
const char* parse_number(cmd_parms* cmd, const char* arg, std::size_t index) {
    const defaults::Bounded& range = *row_of(cmd).fallback.numbers.at(index);
    errno = 0;
    char* end = nullptr;
    long value = std::strtol(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || !range.admits(value))
        return apr_psprintf(cmd->pool, "%s: '%s' is not a whole number from %ld to %ld", directive(cmd), arg,
                            static_cast<long>(range.min), static_cast<long>(range.max));
    field_of<long>(cmd, index) = value;
    return nullptr;
}

}  // namespace

const char* set_number(cmd_parms* cmd, void*, const char* arg) { return parse_number(cmd, arg, 0); }

const char* set_numbers(cmd_parms* cmd, void*, const char* first, const char* second) {
    if (const char* error = parse_number(cmd, first, 0)) return error;
    return parse_number(cmd, second, 1);
}

const char* set_database(cmd_parms* cmd, void*, const char* arg) {
    // A file path is taken relative to ServerRoot, as httpd's own paths; a URL stays as written.
    bool file = true;
    try {
        file = StoreLocation::parse(arg).is_file();
    } catch (...) {
        // judged below, with the error the store gives
    }
    const char* path = file ? ap_server_root_relative(cmd->pool, arg) : arg;
    if (!path) return apr_psprintf(cmd->pool, "%s: invalid path '%s'", directive(cmd), arg);
    try {
        const SchemaVersions schema = check_schema(StoreLocation::parse(path));
        int version = schema.found;
        int supported = schema.supported;
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
        // A URL may carry a password: never echoed, and no file to create.
        if (!file) return apr_psprintf(cmd->pool, "%s: %s", directive(cmd), e.what());
        return apr_psprintf(cmd->pool, "%s: %s (create it with: myaccountctl --db %s init)", directive(cmd),
                            e.what(), path);
    }
    config_of(cmd).database = path;
    return nullptr;
}

namespace {

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

}  // namespace

const char* set_key_file(cmd_parms* cmd, void*, const char* arg) {
    return set_checked_path(cmd, arg, field_of<const char*>(cmd), [](const char* path) { SecretKey::load_file(path); });
}

const char* set_templates(cmd_parms* cmd, void*, const char* arg) {
    // Parses every template now, so a broken one stops start-up.
    return set_checked_path(cmd, arg, field_of<const char*>(cmd), [](const char* path) { web::Renderer::load(path); });
}

const char* set_blocklist(cmd_parms* cmd, void*, const char* arg) {
    if (strcasecmp(arg, no_blocklist) == 0) {
        field_of<const char*>(cmd) = no_blocklist;
        return nullptr;
    }
    return set_checked_path(cmd, arg, field_of<const char*>(cmd),
                            [](const char* path) { PasswordBlocklist::load(path); });
}

const char* set_breached_hashes(cmd_parms* cmd, void*, const char* arg) {
    // Maps the file and looks at its first line only: tens of GB are never read at start-up.
    return set_checked_path(cmd, arg, field_of<const char*>(cmd), [](const char* path) {
        if (const std::optional<std::string> problem = BreachedPasswords::open(path, sha1_hex).format_problem())
            throw std::runtime_error(std::string("breached-password hashes ") + path + ": " + *problem);
    });
}

const char* set_issuer(cmd_parms* cmd, void*, const char* arg) {
    if (check_field(arg, 128))
        return apr_psprintf(cmd->pool, "%s: expected 1 to 128 characters of UTF-8 text without control characters",
                            directive(cmd));
    field_of<const char*>(cmd) = arg;
    return nullptr;
}

const char* set_language(cmd_parms* cmd, void*, const char* arg) {
    if (std::string(arg) != "en" && std::string(arg) != "ja")
        return apr_psprintf(cmd->pool, "%s: '%s' is not one of: en, ja", directive(cmd), arg);
    field_of<const char*>(cmd) = arg;
    return nullptr;
}

const char* set_local_path(cmd_parms* cmd, void*, const char* arg) {
    if (!web::is_local_path(arg))
        return apr_psprintf(cmd->pool, "%s: '%s' must be a path on this server starting with a single '/'",
                            directive(cmd), arg);
    field_of<const char*>(cmd) = arg;
    return nullptr;
}

const char* set_cookie_name(cmd_parms* cmd, void*, const char* arg) {
    std::string name = arg;
    bool ok = !name.empty() && name.size() <= 64 &&
              name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") ==
                  std::string::npos;
    if (!ok) return apr_psprintf(cmd->pool, "%s: '%s' must be 1 to 64 of A-Z a-z 0-9 _ -", directive(cmd), arg);
    field_of<const char*>(cmd) = arg;
    return nullptr;
}

const char* set_flag(cmd_parms* cmd, void*, int on) {
    field_of<long>(cmd) = on ? 1 : 0;
    return nullptr;
}

const char* set_session(cmd_parms* cmd, void* dir, int on) {
    // Every LoadModule has run by now, so this tells whether mod_session is there to call us.
    if (on && !dlsym(RTLD_DEFAULT, "ap_hook_session_load"))
        return apr_psprintf(cmd->pool,
                            "%s On needs mod_session: load it (LoadModule session_module .../mod_session.so, "
                            "or a2enmod session)",
                            directive(cmd));
    static_cast<DirConfig*>(dir)->*std::get<int DirConfig::*>(row_of(cmd).fields[0]) = on ? 1 : 0;
    return nullptr;
}

const char* set_dir_flag(cmd_parms* cmd, void* dir, int on) {
    static_cast<DirConfig*>(dir)->*std::get<int DirConfig::*>(row_of(cmd).fields[0]) = on ? 1 : 0;
    return nullptr;
}

const char* set_requirement(cmd_parms* cmd, void*, const char* arg) {
    for (std::size_t i = 0; i < std::size(mfa_requirement_words); ++i) {
        if (strcasecmp(arg, mfa_requirement_words[i]) != 0) continue;
        field_of<long>(cmd) = static_cast<long>(i);
        return nullptr;
    }
    return apr_psprintf(cmd->pool, "%s: '%s' is not one of: Off, Registered, All", directive(cmd), arg);
}

const char* set_country(cmd_parms* cmd, void*, const char* arg) {
    std::string region = arg;
    for (char& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (region.size() != 2 || !is_known_region(region))
        return apr_psprintf(cmd->pool, "%s: '%s' is not a two-letter ISO 3166 country code (e.g. JP, US, GB)",
                            directive(cmd), arg);
    field_of<const char*>(cmd) = apr_pstrdup(cmd->pool, region.c_str());
    return nullptr;
}

const char* set_time_zone(cmd_parms* cmd, void*, const char* arg) {
    const std::optional<TimeZone> zone = time_zone_from(arg);
    if (!zone)
        return apr_psprintf(cmd->pool, "%s: '%s' is not UTC or an offset such as +09:00 or -05:30", directive(cmd), arg);
    field_of<const char*>(cmd) = apr_pstrdup(cmd->pool, zone->name.c_str());
    return nullptr;
}

// "All" and "None" stand alone; kinds may come in any number and order.
const char* set_security_alerts(cmd_parms* cmd, void*, const char* arg) {
    apr_array_header_t*& words = field_of<apr_array_header_t*>(cmd);
    if (!words) words = apr_array_make(cmd->pool, 8, sizeof(const char*));
    const bool whole = strcasecmp(arg, alerts_all) == 0 || strcasecmp(arg, alerts_none) == 0;
    const bool had_whole = words->nelts > 0 && !alert_kind_from(APR_ARRAY_IDX(words, 0, const char*));
    if ((whole && words->nelts > 0) || (!whole && had_whole))
        return apr_psprintf(cmd->pool, "%s: All and None stand alone", directive(cmd));
    if (!whole && !alert_kind_from(arg))
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not All, None or one of: password methods sessions devices organizations "
                            "account not_me",
                            directive(cmd), arg);
    APR_ARRAY_PUSH(words, const char*) = strcasecmp(arg, alerts_all) == 0    ? alerts_all
                                         : strcasecmp(arg, alerts_none) == 0 ? alerts_none
                                                                              : apr_pstrdup(cmd->pool, arg);
    return nullptr;
}

// "All" is kept as an entry of its own, so that names after it are refused as well as names before it.
const char* set_reset_scope(cmd_parms* cmd, void*, const char* arg) {
    apr_array_header_t*& scope = field_of<apr_array_header_t*>(cmd);
    if (!scope) scope = apr_array_make(cmd->pool, 4, sizeof(const char*));
    bool all = strcasecmp(arg, scope_everyone) == 0;
    bool had_all = scope->nelts > 0 && strcasecmp(APR_ARRAY_IDX(scope, 0, const char*), scope_everyone) == 0;
    if ((all && scope->nelts > 0) || (!all && had_all))
        return apr_psprintf(cmd->pool, "%s: All cannot be combined with organization names", directive(cmd));
    if (!all && check_field(arg, 128))
        return apr_psprintf(cmd->pool, "%s: '%s' is not an organization name", directive(cmd), arg);
    APR_ARRAY_PUSH(scope, const char*) = all ? scope_everyone : apr_pstrdup(cmd->pool, arg);
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
    field_of<char**>(cmd) = words;
    return nullptr;
}

// An absolute http(s) URL with a host and no query or fragment, kept without a trailing '/'.
const char* set_url(cmd_parms* cmd, void*, const char* arg) {
    apr_uri_t uri{};
    bool ok = apr_uri_parse(cmd->pool, arg, &uri) == APR_SUCCESS && uri.scheme && uri.hostname && *uri.hostname &&
              (strcasecmp(uri.scheme, "https") == 0 || strcasecmp(uri.scheme, "http") == 0) && !uri.query &&
              !uri.fragment && !has_control_characters(arg) && !std::strchr(arg, ' ');
    if (!ok)
        return apr_psprintf(cmd->pool, "%s: '%s' must be an absolute http:// or https:// URL without query or fragment",
                            directive(cmd), arg);
    std::string url = arg;
    while (url.size() > 1 && url.back() == '/') url.pop_back();
    field_of<const char*>(cmd) = apr_pstrdup(cmd->pool, url.c_str());
    return nullptr;
}

namespace {

// httpd calls every setter through one of these, so no exception unwinds into httpd.
template <typename Function, typename... Args>
const char* guarded(cmd_parms* cmd, void* dir, Args... args) noexcept {
    try {
        return std::get<Function>(row_of(cmd).set.function)(cmd, dir, args...);
    } catch (const std::exception& e) {
        return apr_psprintf(cmd->pool, "%s: %s", directive(cmd), e.what());
    } catch (...) {
        return apr_psprintf(cmd->pool, "%s: unexpected error", directive(cmd));
    }
}

const char* call_take1(cmd_parms* cmd, void* dir, const char* arg) { return guarded<Setter::Take1>(cmd, dir, arg); }
const char* call_take2(cmd_parms* cmd, void* dir, const char* first, const char* second) {
    return guarded<Setter::Take2>(cmd, dir, first, second);
}
const char* call_flag(cmd_parms* cmd, void* dir, int on) { return guarded<Setter::Flag>(cmd, dir, on); }

template <typename Setter>
cmd_func as_cmd(Setter setter) {
    // httpd's table stores every setter as one untyped pointer; going through void(*)() is the
    // sanctioned way to say the cast is deliberate.
    return reinterpret_cast<cmd_func>(reinterpret_cast<void (*)()>(setter));
}

struct CallerOf {
    cmd_func operator()(Setter::Take1) const { return as_cmd(call_take1); }
    cmd_func operator()(Setter::Take2) const { return as_cmd(call_take2); }
    cmd_func operator()(Setter::Flag) const { return as_cmd(call_flag); }
};

command_rec command_of(const Directive& directive) {
    // httpd hands cmd_data back as cmd->info, which the setters only read.
    return {directive.name, std::visit(CallerOf{}, directive.set.function), const_cast<Directive*>(&directive),
            directive.where, directive.set.how, directive.help};
}

template <std::size_t... index>
std::array<command_rec, sizeof...(index) + 1> command_table(std::index_sequence<index...>) {
    return {command_of(directive_table[index])..., command_rec{nullptr, nullptr, nullptr, 0, RAW_ARGS, nullptr}};
}

}  // namespace

const std::array<command_rec, std::size(directive_table) + 1> directives =
    command_table(std::make_index_sequence<std::size(directive_table)>());

}  // namespace myaccount::httpd
