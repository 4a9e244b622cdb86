// session_load / session_save hooks for mod_session, backed by the SessionRegistry.
#include "httpd/session_store.hpp"

#include <cstring>
#include <strings.h>
#include <exception>
#include <string>

#include <apr_optional.h>
#include <apr_strings.h>
#include <http_core.h>
#include <util_cookies.h>

extern "C" {
#include <mod_session.h>  // has no extern "C" guard of its own
}

#include "core/crypto.hpp"
#include "core/devices.hpp"
#include "httpd/device_cookie.hpp"
#include "httpd/directive_names.hpp"
#include "httpd/request_context.hpp"
#include "httpd/request_state.hpp"
#include "web/notices.hpp"
#include "web/urlencoded.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {

constexpr const char* user_suffix = "-" MOD_SESSION_USER;
constexpr const char* password_suffix = "-" MOD_SESSION_PW;
constexpr const char* password_placeholder = "*";
constexpr std::size_t max_session_data = 4096;
constexpr const char* remember_cookie = "myaccount_remember";  // "__Host-" in front on https

std::string remember_cookie_name(request_rec* r) {
    return is_https(r) ? std::string("__Host-") + remember_cookie : remember_cookie;
}

bool ends_with(const char* text, const char* suffix) {
    std::size_t n = std::strlen(text), m = std::strlen(suffix);
    return n >= m && std::strcmp(text + n - m, suffix) == 0;
}

// The entries worth keeping, urlencoded; passwords are replaced by a placeholder, expiry dropped
// (the registry enforces lifetimes).
std::string encode_entries(request_rec* r, const apr_table_t* entries) {
    std::string out;
    const apr_array_header_t* fields = apr_table_elts(entries);
    auto* items = reinterpret_cast<const apr_table_entry_t*>(fields->elts);
    for (int i = 0; i < fields->nelts; ++i) {
        if (!items[i].key || !items[i].val || std::strcmp(items[i].key, "expiry") == 0) continue;
        const char* value = ends_with(items[i].key, password_suffix) ? password_placeholder : items[i].val;
        if (!out.empty()) out += '&';
        out += ap_escape_urlencoded(r->pool, items[i].key);
        out += '=';
        out += ap_escape_urlencoded(r->pool, value);
    }
    return out;
}

// Rebuilds the entries of a live session: the account's own user name, the proof as password.
void decode_entries(const std::string& data, const RequestState& state, apr_table_t* entries) {
    for (const auto& [key, value] : web::parse_urlencoded(data)) {
        const char* kept = value.c_str();
        if (ends_with(key.c_str(), user_suffix)) kept = state.session->account.username.c_str();
        else if (ends_with(key.c_str(), password_suffix)) kept = state.session_proof.c_str();
        apr_table_set(entries, key.c_str(), kept);
    }
}

// The value of the first entry whose key ends in `suffix`, or nullptr.
const char* entry_ending(const apr_table_t* entries, const char* suffix) {
    const apr_array_header_t* fields = apr_table_elts(entries);
    auto* items = reinterpret_cast<const apr_table_entry_t*>(fields->elts);
    for (int i = 0; i < fields->nelts; ++i)
        if (items[i].key && items[i].val && ends_with(items[i].key, suffix)) return items[i].val;
    return nullptr;
}

// Sign-in IDs are ASCII and case-insensitive: "ALICE" signs in as alice.
bool same_user(const Account& account, const char* user) {
    return user && strcasecmp(account.username.c_str(), user) == 0;
}

session_rec* blank_session(request_rec* r) {
    auto* z = static_cast<session_rec*>(apr_pcalloc(r->pool, sizeof(session_rec)));
    z->pool = r->pool;
    z->entries = apr_table_make(r->pool, 4);
    return z;
}

void write_cookie(request_rec* r, const Runtime& runtime, const std::string& token) {
    ap_cookie_write(r, cookie_name(r, runtime).c_str(), token.c_str(), cookie_attributes(r), 0,
                    r->err_headers_out, nullptr);
}

void remove_cookie(request_rec* r, const Runtime& runtime) {
    ap_cookie_remove(r, cookie_name(r, runtime).c_str(), cookie_attributes(r), r->err_headers_out, nullptr);
}

// A browser remembered for this account (MyAccountRememberBrowser) begins its session past the
// second step, as proven when it was remembered; 0 for any other.
UnixTime remembered(const Runtime& runtime, SessionRegistry& registry, const RequestState& state, UnixTime now) {
    if (runtime.settings.second_factor.remember_days <= 0 || state.remembered_token.empty()) return 0;
    return registry.remembered_since(state.remembered_token, *state.verified, now);
}

// A sign-in from a device the account had devices before, but not this one: its people are told
// (MyAccountAlertNewDevice), in the language the signing-in browser asks for.
void alert_if_new(request_rec* r, Runtime& runtime, const Account& account, const Store::DeviceSighting& sighting) {
    if (!runtime.settings.alert_new_device || !sighting.is_new || sighting.first_of_account || !runtime.renderer)
        return;
    const web::Catalogs& catalogs = runtime.renderer->catalogs();
    const char* accept_language = apr_table_get(r->headers_in, "Accept-Language");
    const std::string lang =
        catalogs.negotiate(accept_language ? accept_language : "", runtime.settings.portal.default_language);
    web::alert_new_device(catalogs, lang, runtime.settings.portal, request_store(r, runtime), runtime.notifier,
                          account, sighting.device);
}

// The device this sign-in comes from (a browser without a device cookie gets one), recorded.
std::int64_t sight_device(request_rec* r, Runtime& runtime, const Account& account) {
    std::string token = device_token_of(r);
    if (token.empty()) token = DeviceRegistry::new_token();
    write_device_cookie(r, token);  // another 400 days from each sign-in
    const Store::DeviceSighting sighting =
        DeviceRegistry(request_store(r, runtime)).sight(account, token, client_of(r), now_of(r));
    alert_if_new(r, runtime, account, sighting);
    return sighting.device.id;
}

void start_session(request_rec* r, Runtime& runtime, RequestState& state, const std::string& data) {
    SessionRegistry registry(request_store(r, runtime), runtime.settings.sessions);
    if (state.session) registry.end(state.session->session.id, "replaced", now_of(r));
    const UnixTime second_step_at = remembered(runtime, registry, state, now_of(r));
    const bool skip_second_step = second_step_at != 0;
    const std::int64_t device_id = sight_device(r, runtime, *state.verified);
    SessionRegistry::Started started =
        registry.start(*state.verified, client_of(r), data, now_of(r), second_step_at, device_id);
    write_cookie(r, runtime, started.token);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s: session %" APR_INT64_T_FMT " started for user '%s'%s",
                  msg::session_started, static_cast<apr_int64_t>(started.session.id),
                  loggable(r, state.verified->username), skip_second_step ? " (remembered browser)" : "");
}

int save_live_session(request_rec* r, Runtime& runtime, RequestState& state, session_rec* z) {
    const char* user = entry_ending(z->entries, user_suffix);
    const char* password = entry_ending(z->entries, password_suffix);
    if (!user) {  // mod_auth_form's logout handler removed the user: sign-out
        end_current_session(r, "signed_out");
        return OK;
    }
    std::string data = encode_entries(r, z->entries);
    bool new_password = password && !constant_time_equal(password, state.session_proof);
    if (new_password && state.verified && same_user(*state.verified, user)) {
        start_session(r, runtime, state, data);  // signed in again: a fresh session id
        return OK;
    }
    if (data != state.stored_data && data.size() <= max_session_data) {
        request_store(r, runtime).update_session_data(state.session->session.id, data);
    }
    return OK;
}

int save_new_session(request_rec* r, Runtime& runtime, RequestState& state, session_rec* z) {
    const char* user = entry_ending(z->entries, user_suffix);
    const char* password = entry_ending(z->entries, password_suffix);
    if (user && password && state.verified && same_user(*state.verified, user)) {
        std::string data = encode_entries(r, z->entries);
        if (data.size() > max_session_data) data.clear();
        start_session(r, runtime, state, data);
    } else if (user && password) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "%s: not keeping a session for '%s': its password was not checked by the myaccount "
                      "provider (use AuthFormProvider myaccount with %s On)",
                      msg::unverified_session, loggable(r, user), directive_name::session);
    } else if (state.clear_cookie) {
        remove_cookie(r, runtime);
    }
    return OK;
}

}  // namespace

int load_session(request_rec* r, session_rec** z) {
    if (!server_side_sessions(r)) return DECLINED;
    RequestState* state = request_state(r, true);
    if (state->loaded) {
        *z = state->loaded;
        return OK;
    }
    session_rec* session = blank_session(r);
    state->loaded = session;
    *z = session;
    try {
        Runtime* runtime = runtime_for(r);
        if (!runtime) return OK;
        const char* remembered = nullptr;
        const char* token = nullptr;
        // Remove our cookies from the request so applications behind the front never see them.
        ap_cookie_read(r, remember_cookie_name(r).c_str(), &remembered, 1);
        if (remembered) state->remembered_token = remembered;
        device_token_of(r);
        ap_cookie_read(r, cookie_name(r, *runtime).c_str(), &token, 1);
        if (!token) return OK;
        SessionRegistry registry(request_store(r, *runtime), runtime->settings.sessions);
        state->session = registry.resume(token, now_of(r));
        if (!state->session) {
            state->clear_cookie = true;
            return OK;
        }
        state->session_proof = random_token(32);
        state->stored_data = state->session->session.data;
        decode_entries(state->stored_data, *state, session->entries);
    } catch (const std::exception& e) {
        // Fail closed: the request carries on without a session, so it is not signed in.
        state->session.reset();
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s: could not load the session: %s", msg::store_failed, e.what());
    }
    return OK;
}

int save_session(request_rec* r, session_rec* z) {
    if (!server_side_sessions(r)) return DECLINED;
    RequestState* state = request_state(r, false);
    if (!state || state->ended) return OK;
    try {
        Runtime* runtime = runtime_for(r);
        if (!runtime) return OK;
        return state->session ? save_live_session(r, *runtime, *state, z) : save_new_session(r, *runtime, *state, z);
    } catch (const std::exception& e) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s: could not save the session: %s", msg::store_failed, e.what());
        return HTTP_INTERNAL_SERVER_ERROR;
    }
}

namespace {

// A front that keeps mod_auth_form's credentials in another session store (mod_session_cookie,
// mod_session_dbd): remove them as mod_auth_form's own logout handler does, so the portal's
// sign-out signs out there too. mod_session writes the emptied session with the response.
void forget_front_credentials(request_rec* r) {
    auto load = APR_RETRIEVE_OPTIONAL_FN(ap_session_load);
    auto set = APR_RETRIEVE_OPTIONAL_FN(ap_session_set);
    const char* realm = ap_auth_name(r);
    session_rec* z = nullptr;
    if (!load || !set || !realm || load(r, &z) != APR_SUCCESS || !z) return;
    set(r, z, apr_pstrcat(r->pool, realm, user_suffix, nullptr), nullptr);
    set(r, z, apr_pstrcat(r->pool, realm, password_suffix, nullptr), nullptr);
}

}  // namespace

void end_current_session(request_rec* r, const char* reason) {
    RequestState* state = request_state(r, true);
    Runtime* runtime = runtime_for(r);
    if (!runtime || state->ended) return;
    if (!server_side_sessions(r)) forget_front_credentials(r);
    state->ended = true;
    remove_cookie(r, *runtime);
    if (!state->session) return;
    SessionRegistry(request_store(r, *runtime), runtime->settings.sessions)
        .end(state->session->session.id, reason, now_of(r));
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s: session %" APR_INT64_T_FMT " ended (%s)", msg::session_ended,
                  static_cast<apr_int64_t>(state->session->session.id), reason);
}

bool replace_current_session(request_rec* r, SessionProof proof) {
    RequestState* state = request_state(r, false);
    Runtime* runtime = runtime_for(r);
    if (!state || !state->session || state->ended || !runtime) return false;
    SessionRegistry registry(request_store(r, *runtime), runtime->settings.sessions);
    const Session& current = state->session->session;
    std::optional<SessionRegistry::Started> started =
        proof == SessionProof::second_step ? registry.pass_second_step(current, client_of(r), now_of(r))
                                           : registry.confirm_password(current, client_of(r), now_of(r));
    if (!started) return false;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "%s: session %" APR_INT64_T_FMT " replaced by %" APR_INT64_T_FMT " for user '%s' (%s)",
                  msg::session_started, static_cast<apr_int64_t>(current.id),
                  static_cast<apr_int64_t>(started->session.id), loggable(r, state->session->account.username),
                  proof == SessionProof::second_step ? "second step passed" : "password confirmed");
    state->session->session = std::move(started->session);
    write_cookie(r, *runtime, started->token);
    return true;
}

void write_remember_cookie(request_rec* r, const std::string& token, std::int64_t days) {
    ap_cookie_write(r, remember_cookie_name(r).c_str(), token.c_str(), cookie_attributes(r),
                    static_cast<long>(days * 86400), r->err_headers_out, nullptr);
}

}  // namespace myaccount::httpd
