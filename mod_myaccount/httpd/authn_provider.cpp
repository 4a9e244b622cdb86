// check_password: a live session's proof costs a comparison, an app password a keyed hash; anything
// else is a real sign-in.
#include "httpd/authn_provider.hpp"

#include <cstring>
#include <exception>

#include <http_core.h>

#include "core/app_passwords.hpp"
#include "core/crypto.hpp"
#include "core/password_sign_in.hpp"
#include "core/text.hpp"
#include "httpd/credential_cache.hpp"
#include "httpd/device_cookie.hpp"
#include "httpd/hashing_admission.hpp"
#include "httpd/login_guard.hpp"
#include "httpd/request_context.hpp"
#include "httpd/request_state.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {

// The password mod_auth_form read back from the session we loaded for this very request.
bool is_session_proof(request_rec* r, const char* user, const char* password) {
    RequestState* state = request_state(r, false);
    return state && state->session && !state->session_proof.empty() &&
           state->session->account.username == user && constant_time_equal(password, state->session_proof);
}

// How often a program's app-password sign-ins are recorded for the activity page.
constexpr UnixTime app_password_sighting = 3600;

SignInMethod method_of(request_rec* r) {
    const char* type = ap_auth_type(r);
    if (type && strcasecmp(type, "form") == 0) return SignInMethod::form;
    if (type && strcasecmp(type, "basic") == 0) return SignInMethod::basic;
    return SignInMethod::other;
}

authn_status to_authn_status(SignInResult result) {
    switch (result) {
    case SignInResult::success: return AUTH_GRANTED;
    case SignInResult::unknown_user: return AUTH_USER_NOT_FOUND;  // lets a later provider try
    case SignInResult::error: return AUTH_GENERAL_ERROR;
    default: return AUTH_DENIED;
    }
}

// HTTP Basic with one of the account's app passwords (MyAccountAppPasswords On): granted without
// argon2, and remembered for the gate. Anything else (the account password, a mistyped app
// password) goes on to the password check.
bool is_app_password(request_rec* r, Runtime& runtime, const char* user, const char* password) {
    if (!runtime.settings.second_factor.app_passwords || method_of(r) != SignInMethod::basic) return false;
    const std::string normalized = normalized_app_password(password);
    if (normalized.empty()) return false;
    Store& store = request_store(r, runtime);
    std::optional<Account> account = store.find_account(user);
    const UnixTime now = now_of(r);
    // After "This wasn't me" no app password serves either until a new password is chosen.
    if (!account || account->disabled || account->locked_until > now || account->password_reset_required) return false;
    std::optional<AppPassword> used =
        store.use_app_password(account->id, app_password_hash(runtime.key, account->id, normalized), now);
    if (!used) return false;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s: sign-in of '%s' from %s with app password %" APR_INT64_T_FMT,
                  msg::sign_in, loggable(r, user), r->useragent_ip, static_cast<apr_int64_t>(used->id));
    // On the activity page: a program signs in on every request, so its first request of each hour
    // is what is shown.
    if (now / app_password_sighting != used->last_used_at / app_password_sighting)
        PasswordSignIn(store, runtime.hasher, runtime.settings.lockout)
            .record(user, account, client_of(r), SignInMethod::app_password, SignInResult::success, now);
    RequestState* state = request_state(r, true);
    state->verified = std::move(account);
    state->app_password = true;
    return true;
}

// HTTP Basic credentials the credential cache holds for the account (proven right within
// AuthnCacheTimeout, under its current security stamp): granted without a hash, unless the account
// has been closed or locked since; then the full check answers, with its refusal.
std::optional<Account> cached_sign_in(request_rec* r, Runtime& runtime, PasswordSignIn& passwords, const char* user,
                                      const char* password, const ClientInfo& client) {
    if (method_of(r) != SignInMethod::basic || !is_valid_username(user)) return std::nullopt;
    std::optional<Account> account = request_store(r, runtime).find_account(user);
    if (!account || account->disabled || account->password_reset_required) return std::nullopt;
    if (!CredentialCache(r, runtime.key).holds(*account, password)) return std::nullopt;
    if (passwords.locked_for(*account, client, now_of(r))) return std::nullopt;
    return account;
}

authn_status check_password(request_rec* r, const char* user, const char* password) {
    try {
        if (is_session_proof(r, user, password)) return AUTH_GRANTED;
        LoginFormVerdict verdict = login_form_verdict(r);
        if (verdict == LoginFormVerdict::rejected) {
            // Not posted from this site, or the password may be cut short at a NUL byte: refuse
            // before looking at the password at all.
            request_state(r, true)->login_form_rejected = true;
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          "%s: sign-in form refused: not sent from this site (form token, Origin, "
                          "Sec-Fetch-Site), or a NUL byte",
                          msg::sign_in);
            return AUTH_DENIED;
        }
        Runtime* runtime = runtime_for(r);
        if (!runtime) return AUTH_GENERAL_ERROR;
        if (std::optional<Account> refused = device_disabled_for(r, *runtime, user)) {
            // Before the password: a disabled device learns nothing about it, and costs no hash.
            // Its owner sees the attempt on the activity page.
            PasswordSignIn(request_store(r, *runtime), runtime->hasher, runtime->settings.lockout)
                .record(user, refused, client_of(r), method_of(r), SignInResult::device_disabled, now_of(r));
            RequestState* state = request_state(r, true);
            state->device_disabled = true;
            state->typed_username = user;
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s: sign-in of '%s' from %s refused: device disabled",
                          msg::sign_in, loggable(r, user), r->useragent_ip);
            return AUTH_DENIED;
        }
        if (is_app_password(r, *runtime, user, password)) return AUTH_GRANTED;
        PasswordSignIn passwords(request_store(r, *runtime), runtime->hasher, runtime->settings.lockout,
                                 runtime->settings.throttle, &runtime->key);
        ClientInfo client = client_of(r);
        client.device_token = device_token_of(r);  // a familiar browser is not locked out by others' guesses
        if (std::optional<Account> cached = cached_sign_in(r, *runtime, passwords, user, password, client)) {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "%s: sign-in of '%s' from %s: success (cached credentials)",
                          msg::sign_in, loggable(r, user), r->useragent_ip);
            request_state(r, true)->verified = std::move(cached);
            return AUTH_GRANTED;
        }
        PasswordSignIn::Outcome outcome = passwords.sign_in(user, password, client, method_of(r), now_of(r));
        // An unknown ID may be a password typed into the wrong field: never logged as typed.
        const bool known = outcome.result != SignInResult::unknown_user;
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s: sign-in of %s%s%s from %s: %s", msg::sign_in, known ? "'" : "",
                      known ? loggable(r, user) : "an unknown ID", known ? "'" : "", r->useragent_ip,
                      to_string(outcome.result));
        RequestState* answered = request_state(r, true);
        answered->sign_in_locked = outcome.looks_locked();
        answered->password_reset_required = outcome.result == SignInResult::password_reset_required;
        answered->typed_username = user;
        if (outcome.result == SignInResult::success) {
            RequestState* state = request_state(r, true);
            state->verified = std::move(outcome.account);
            state->form_signed_in = verdict == LoginFormVerdict::acceptable;
            if (method_of(r) == SignInMethod::basic) CredentialCache(r, runtime->key).remember(*state->verified, password);
        }
        return to_authn_status(outcome.result);
    } catch (const HashingBusy&) {
        // Not a wrong password: the sign-in page says to try again shortly (503, Retry-After).
        request_state(r, true)->hashing_busy = true;
        if (Runtime* runtime = server_config(r->server).runtime) log_turned_away(r, *runtime);
        return AUTH_DENIED;
    } catch (const std::exception& e) {
        // Fail closed: an error is never a grant.
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s: password check failed: %s", msg::store_failed, e.what());
        return AUTH_GENERAL_ERROR;
    } catch (...) {
        return AUTH_GENERAL_ERROR;
    }
}

}  // namespace

const authn_provider password_provider = {&check_password, nullptr};

}  // namespace myaccount::httpd
