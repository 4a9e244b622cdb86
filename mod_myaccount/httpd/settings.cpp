// From directives to settings: configs created unset and merged field by field as the directive
// table says, then resolved into a server's Settings with the defaults applied.
#include "httpd/config.hpp"

#include <new>

#include <cstring>
#include <strings.h>

#include "core/local_time.hpp"
#include "httpd/directive_table.hpp"
#include "httpd/module.hpp"

namespace myaccount::httpd {

namespace {

template <typename Config>
Config* create_config(apr_pool_t* pool) {
    auto* config = new (apr_pcalloc(pool, sizeof(Config))) Config{};  // trivially destructible: no cleanup needed
    for_each_field<Config>([config](auto field) { config->*field = unset_value(field); });
    return config;
}

// Each field as `add` sets it, else as `base` does.
template <typename Config>
Config* merge_configs(apr_pool_t* pool, const void* base_v, const void* add_v) {
    const auto* base = static_cast<const Config*>(base_v);
    const auto* add = static_cast<const Config*>(add_v);
    Config* merged = create_config<Config>(pool);
    for_each_field<Config>([&](auto field) {
        merged->*field = add->*field != unset_value(field) ? add->*field : base->*field;
    });
    return merged;
}

const DirConfig& dir_config(const request_rec* r) {
    return *static_cast<const DirConfig*>(ap_get_module_config(r->per_dir_config, &myaccount_module));
}

}  // namespace

void* create_server_config(apr_pool_t* pool, server_rec*) { return create_config<ServerConfig>(pool); }

void* merge_server_config(apr_pool_t* pool, void* base, void* add) {
    return merge_configs<ServerConfig>(pool, base, add);  // the runtime is built later, for the merged config
}

void* create_dir_config(apr_pool_t* pool, char*) { return create_config<DirConfig>(pool); }

void* merge_dir_config(apr_pool_t* pool, void* base, void* add) { return merge_configs<DirConfig>(pool, base, add); }

ServerConfig& server_config(const server_rec* server) {
    return *static_cast<ServerConfig*>(ap_get_module_config(server->module_config, &myaccount_module));
}

bool password_reset_enabled(const ServerConfig& config) {
    return config.password_reset == -1 ? defaults::password_reset : config.password_reset == 1;
}

bool server_side_sessions(const request_rec* r) {
    int session = dir_config(r).session;
    return session == -1 ? default_server_side_sessions : session == 1;
}

bool gate_enabled(const request_rec* r) {
    int gate = dir_config(r).gate;
    return gate == -1 ? default_gate : gate == 1;
}

bool terms_required(const request_rec* r) {
    int required = dir_config(r).terms_required;
    return required == -1 ? default_terms_required : required == 1;
}

namespace {

// MyAccountSecurityAlerts as set_security_alerts kept it; unset: every kind.
AlertPolicy alert_policy_of(const apr_array_header_t* words) {
    if (!words || words->nelts == 0) return {};
    AlertPolicy policy = AlertPolicy::none();
    for (int i = 0; i < words->nelts; ++i) {
        const char* word = APR_ARRAY_IDX(words, i, const char*);
        if (std::strcmp(word, alerts_all) == 0) return {};
        if (const std::optional<AlertKind> kind = alert_kind_from(word)) policy.turn_on(*kind);
    }
    return policy;
}

// What a directive set, converted into `out`; the default `out` was made with stays otherwise.
template <typename T>
void take(long value, T& out) {
    if (value != -1) out = static_cast<T>(value);
}
void take(const char* value, std::string& out) {
    if (value) out = value;
}

}  // namespace

Settings resolve(const ServerConfig& c) {
    Settings s;
    s.templates = default_templates;
    take(c.database, s.database);
    take(c.templates, s.templates);
    take(c.key_file, s.key_file);
    take(c.argon2_memory, s.argon2.memory_kib);
    take(c.argon2_iterations, s.argon2.iterations);
    take(c.lockout_threshold, s.lockout.threshold);
    take(c.lockout_duration, s.lockout.duration);
    take(c.lockout_account_threshold, s.lockout.account_threshold);
    take(c.idle_timeout, s.sessions.idle_timeout);
    take(c.max_lifetime, s.sessions.max_lifetime);
    take(c.issuer, s.portal.issuer);
    take(c.default_language, s.portal.default_language);
    take(c.login_action, s.portal.login_action);
    take(c.default_location, s.portal.default_location);
    take(c.cookie_name, s.cookie_name);
    take(c.password_min, s.password_min);
    take(c.password_max, s.password_max);
    take(c.password_history, s.password_history);
    take(c.password_min_guesses, s.password_min_guesses);
    if (!c.password_blocklist) s.password_blocklist = default_blocklist;
    else if (strcasecmp(c.password_blocklist, no_blocklist) != 0) s.password_blocklist = c.password_blocklist;
    take(c.password_breached_hashes, s.password_breached_hashes);
    s.reset.enabled = password_reset_enabled(c);
    for (int i = 0; c.reset_scope && i < c.reset_scope->nelts; ++i) {
        const char* name = APR_ARRAY_IDX(c.reset_scope, i, const char*);
        if (strcasecmp(name, scope_everyone) != 0) s.reset.organizations.emplace_back(name);
    }
    take(c.reset_methods, s.reset.methods_required);
    take(c.code_lifetime, s.reset.code_lifetime);
    take(c.registration_postpones, s.reset.postpones);
    for (char** word = c.notify_command; word && *word; ++word) s.notify_command.emplace_back(*word);
    take(c.portal_url, s.portal.portal_url);
    take(c.password_change_url, s.portal.password_change_url);
    take(c.throttle_failures, s.throttle.limit);
    take(c.throttle_window, s.throttle.window);
    SecondFactorPolicy& second = s.second_factor;
    take(c.require_mfa, second.requirement);
    take(c.totp_window, second.totp_window);
    take(c.recent_verification, second.recent);
    take(c.code_lifetime, second.code_lifetime);
    take(c.remember_browser, second.remember_days);
    if (c.app_passwords != -1) second.app_passwords = c.app_passwords == 1;
    if (c.alert_new_device != -1) s.alert_new_device = c.alert_new_device == 1;
    second.lockout = s.lockout;  // wrong codes lock as wrong passwords do (counted apart)
    take(c.default_country, s.portal.default_country);
    take(c.activity_retention, s.activity_retention_days);
    take(c.hsts_max_age, s.hsts_max_age);
    take(c.hash_concurrency, s.hash_concurrency);
    if (c.time_zone) s.portal.time_zone = *time_zone_from(c.time_zone);  // set_time_zone checked it
    s.portal.alerts = alert_policy_of(c.security_alerts);
    return s;
}

}  // namespace myaccount::httpd
