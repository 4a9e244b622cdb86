// The module record and hook registration: the only symbol mod_myaccount.so exports.
#include "httpd/module.hpp"

#include <dlfcn.h>

#include <exception>
#include <new>

#include <ap_mpm.h>
#include <ap_provider.h>
#include <http_protocol.h>
#include <http_request.h>
#include <mod_auth.h>

extern "C" {
#include <mod_session.h>  // has no extern "C" guard of its own
}

#include "core/crypto.hpp"
#include "httpd/authn_provider.hpp"
#include "httpd/config.hpp"
#include "httpd/directive_table.hpp"
#include "httpd/activity_pruning.hpp"
#include "httpd/gate.hpp"
#include "httpd/handler.hpp"
#include "httpd/hashing_admission.hpp"
#include "httpd/login_guard.hpp"
#include "httpd/redirect_guard.hpp"
#include "httpd/request_context.hpp"
#include "httpd/runtime.hpp"
#include "httpd/security_headers.hpp"
#include "httpd/session_store.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {

using SessionLoadHook = void (*)(ap_HOOK_session_load_t*, const char* const*, const char* const*, int);
using SessionSaveHook = void (*)(ap_HOOK_session_save_t*, const char* const*, const char* const*, int);

// mod_session may be loaded after us (Debian loads mods-enabled/*.load alphabetically), so its
// hook functions are looked up once every module is loaded instead of being linked.
int register_session_hooks(apr_pool_t*, apr_pool_t*, apr_pool_t*) {
    auto load = reinterpret_cast<SessionLoadHook>(dlsym(RTLD_DEFAULT, "ap_hook_session_load"));
    auto save = reinterpret_cast<SessionSaveHook>(dlsym(RTLD_DEFAULT, "ap_hook_session_save"));
    if (load && save) {
        load(&load_session, nullptr, nullptr, APR_HOOK_MIDDLE);
        save(&save_session, nullptr, nullptr, APR_HOOK_MIDDLE);
    }
    return OK;
}

apr_status_t destroy_runtime(void* runtime) {
    delete static_cast<Runtime*>(runtime);
    return APR_SUCCESS;
}

// Settings that only make sense together, checked for `apache2 -t` as for a start.
int check_settings(apr_pool_t*, apr_pool_t*, apr_pool_t*, server_rec* main_server) {
    for (server_rec* s = main_server; s; s = s->next) {
        const ServerConfig& config = server_config(s);
        if (password_reset_enabled(config) && !config.notify_command) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "%s: %s On needs %s: no code could be sent",
                         msg::not_configured, directive_name::password_reset, directive_name::notify_command);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

// Builds each configured server's runtime; a half-configured server stops start-up.
int build_runtimes(apr_pool_t* pconf, apr_pool_t*, apr_pool_t*, server_rec* main_server) {
    try {
        crypto_init();
    } catch (const std::exception& e) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, main_server, "%s: %s", msg::startup_failed, e.what());
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    for (server_rec* s = main_server; s; s = s->next) {
        ServerConfig& config = server_config(s);
        config.runtime = nullptr;
        if (!config.database && !config.key_file) continue;  // loaded but not used on this server
        if (!config.database || !config.key_file) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                         "%s: mod_myaccount needs both %s and %s; %s is missing", msg::not_configured,
                         directive_name::database, directive_name::secret_key_file,
                         config.database ? directive_name::secret_key_file : directive_name::database);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        try {
            config.runtime = new Runtime(resolve(config), s);
            apr_pool_cleanup_register(pconf, config.runtime, destroy_runtime, apr_pool_cleanup_null);
        } catch (const std::exception& e) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "%s: %s", msg::startup_failed, e.what());
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

apr_status_t stop_notifier(void* runtime) {
    static_cast<Runtime*>(runtime)->notifier.stop();
    return APR_SUCCESS;
}

// Threaded MPMs: the notifier's thread starts with the child (no request pays for it) and what is
// still queued at the child's exit is sent, for a few seconds at most. Prefork ends its children
// from a signal handler, where joining a thread could deadlock: there the thread starts with the
// first message and simply ends with the process.
void watch_child(apr_pool_t* pchild, server_rec* main_server) {
    try {
        int threaded = 0;
        if (ap_mpm_query(AP_MPMQ_IS_THREADED, &threaded) != APR_SUCCESS || threaded == AP_MPMQ_NOT_SUPPORTED) return;
        for (server_rec* s = main_server; s; s = s->next) {
            Runtime* runtime = server_config(s).runtime;
            if (!runtime || !runtime->notifier.available()) continue;
            runtime->notifier.start();
            apr_pool_cleanup_register(pchild, runtime, stop_notifier, apr_pool_cleanup_null);
        }
    } catch (const std::exception& e) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, main_server, "%s: child start: %s", msg::startup_failed, e.what());
    }
}

void register_hooks(apr_pool_t* pool) {
    ap_register_auth_provider(pool, AUTHN_PROVIDER_GROUP, myaccount_provider_name, AUTHN_PROVIDER_VERSION,
                              &password_provider, AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_pre_config(register_session_hooks, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_check_config(check_settings, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_post_config(build_runtimes, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_child_init(watch_child, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_handler(portal_handler, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(skip_file_mapping, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_register_output_filter(redirect_guard_filter_name, redirect_guard_filter, nullptr, AP_FTYPE_CONTENT_SET);
    ap_hook_insert_filter(insert_redirect_guard, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(insert_redirect_guard, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_register_output_filter(error_headers_filter_name, error_headers_filter, nullptr, AP_FTYPE_CONTENT_SET);
    ap_hook_insert_error_filter(insert_error_headers, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_register_input_filter(login_guard_filter_name, login_guard_filter, nullptr, AP_FTYPE_RESOURCE);
    ap_hook_header_parser(turn_away_when_crowded, nullptr, nullptr, APR_HOOK_FIRST);
    ap_hook_header_parser(insert_login_guard, nullptr, nullptr, APR_HOOK_MIDDLE);
    // After core's SetHandler (REALLY_FIRST) and before mod_dir, mod_rewrite's per-directory rules
    // and anything else that would serve or pass on the request.
    ap_hook_fixups(gate_request, nullptr, nullptr, APR_HOOK_FIRST);
    ap_hook_log_transaction(prune_activity_after_response, nullptr, nullptr, APR_HOOK_LAST);
}

}  // namespace

}  // namespace myaccount::httpd

extern "C" {
module AP_MODULE_DECLARE_DATA __attribute__((visibility("default"))) myaccount_module = {
    STANDARD20_MODULE_STUFF,
    myaccount::httpd::create_dir_config,
    myaccount::httpd::merge_dir_config,
    myaccount::httpd::create_server_config,
    myaccount::httpd::merge_server_config,
    myaccount::httpd::directives.data(),
    myaccount::httpd::register_hooks,
    AP_MODULE_FLAG_NONE,
};
}
