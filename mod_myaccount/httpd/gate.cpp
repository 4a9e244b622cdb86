// The gate: decides from the request's session (already loaded by the session store), and only
// for sessions not yet verified asks the store for the account's methods; where terms of use are
// required, one indexed query asks whether the person owes an acceptance.
#include "httpd/gate.hpp"

#include <cstring>
#include <exception>
#include <string>

#include <apr_strings.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <strings.h>

#include <nlohmann/json.hpp>

#include "core/second_factor/requirement.hpp"
#include "core/second_factor/second_step.hpp"
#include "core/terms_acceptance.hpp"
#include "core/text.hpp"
#include "httpd/config.hpp"
#include "httpd/directive_names.hpp"
#include "httpd/locations.hpp"
#include "httpd/request_context.hpp"
#include "httpd/request_state.hpp"
#include "httpd/security_headers.hpp"
#include "web/portal.hpp"
#include "web/render.hpp"
#include "web/respond.hpp"
#include "web/second_step.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {

// Who the front says this is, as far as the gate is concerned.
enum class Proven { verified_session, session, app_password, password_elsewhere };

// Writes the whole answer here (the request goes no further: DONE), with the portal's headers,
// so neither an ErrorDocument nor the application behind the gate sees the request.
int answer(request_rec* r, int status, const char* content_type, const std::string& body,
           const std::string& location = {}) {
    ap_discard_request_body(r);
    set_security_headers(r, r->headers_out);
    if (!location.empty()) apr_table_set(r->headers_out, "Location", location.c_str());
    apr_table_setn(r->subprocess_env, "no-gzip", "1");
    r->status = status;
    ap_set_content_type(r, content_type);
    ap_set_content_length(r, static_cast<apr_off_t>(body.size()));
    if (!r->header_only) ap_rwrite(body.data(), static_cast<int>(body.size()), r);
    return DONE;
}

std::string escaped_html(request_rec* r, const std::string& text) {
    return ap_escape_html(r->pool, text.c_str());
}

// A sentence of the gate's answers in the language the client asks for, {url} filled in.
std::string gate_text(request_rec* r, const Runtime& runtime, const char* key, const std::string& url) {
    if (!runtime.renderer) return url;
    const web::Catalogs& catalogs = runtime.renderer->catalogs();
    const char* accept_language = apr_table_get(r->headers_in, "Accept-Language");
    const std::string lang = catalogs.negotiate(accept_language ? accept_language : "", "en");
    return web::fill(catalogs.text(lang, key), {{"url", url}});
}

// This request's path and query as the browser sent them (never an absolute-form URI's host).
std::string this_request(request_rec* r) {
    std::string path = r->parsed_uri.path ? r->parsed_uri.path : "/";
    if (r->parsed_uri.query) path += std::string("?") + r->parsed_uri.query;
    return path;
}

bool is_read(const request_rec* r) {
    return r->method_number == M_GET;
}  // HEAD is a GET to httpd

// What the answers call the step: the link's name and the sentence a refused change reads.
struct StepWords {
    const char* link;
    const char* first;
};
constexpr StepWords second_step_words{"gate_link", "gate_verify_first"};
constexpr StepWords terms_words{"gate_terms_link", "gate_terms_first"};

// Sends the browser where `to` says (the verify step, registering a method first, the terms of
// use); JSON clients get 401 naming it, other methods 403.
int send_to(request_rec* r, const Runtime& runtime, const Directions& to, const StepWords& words) {
    const char* accept = apr_table_get(r->headers_in, "Accept");
    if (web::accepts_json(accept ? accept : "")) {
        apr_table_set(r->err_headers_out, "WWW-Authenticate", to.challenge().c_str());
        return answer(r, HTTP_UNAUTHORIZED, "application/json", to.json_body().dump());
    }
    if (is_read(r)) {
        const std::string name = escaped_html(r, gate_text(r, runtime, words.link, to.url));
        std::string body = "<!DOCTYPE html>\n<html><head><title>" + name + "</title></head><body><p><a href=\"" +
                           escaped_html(r, to.url) + "\">" + name + "</a></p></body></html>\n";
        return answer(r, HTTP_MOVED_TEMPORARILY, "text/html; charset=utf-8", body, to.url);
    }
    return answer(r, HTTP_FORBIDDEN, "text/plain; charset=utf-8", gate_text(r, runtime, words.first, to.url) + "\n");
}

Proven proven_of(request_rec* r, const RequestState* state) {
    if (state && state->session && state->session->account.username == r->user)
        return state->session->session.second_factor_at > 0 ? Proven::verified_session : Proven::session;
    if (state && state->app_password && state->verified && state->verified->username == r->user)
        return Proven::app_password;
    return Proven::password_elsewhere;
}

// A sign-in this request made with the form (inline at this location): the session it starts
// has not passed the second step.
bool form_sign_in(request_rec* r, const RequestState* state) {
    return state && state->form_signed_in && state->verified && state->verified->username == r->user;
}

int refuse_password_elsewhere(request_rec* r, const Runtime& runtime, const std::string& portal) {
    const char* type = ap_auth_type(r);
    if (type && strcasecmp(type, "basic") == 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "%s: '%s' refused at a gated location: 2-step verification is "
                      "required and HTTP Basic sent the account password, not an app password",
                      msg::gate_refused, loggable(r, r->user));
        apr_table_setn(r->err_headers_out, "WWW-Authenticate", "Basic realm=\"app password\"");
        return answer(r, HTTP_FORBIDDEN, "text/plain; charset=utf-8",
                      gate_text(r, runtime, "gate_basic_refused", portal + "/security") + "\n");
    }
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  "%s: '%s' refused at a gated location: the front signed the request in without a session of "
                  "ours; %s needs %s On (with AuthFormProvider myaccount) to pass the second step",
                  msg::gate_refused, loggable(r, r->user), directive_name::gate, directive_name::session);
    return answer(r, HTTP_FORBIDDEN, "text/plain; charset=utf-8",
                  gate_text(r, runtime, "gate_cannot_pass", portal + "/") + "\n");
}

int second_step_decision(request_rec* r, Runtime& runtime) {
    const SecondFactorPolicy& site = runtime.settings.second_factor;
    RequestState* state = request_state(r, false);
    const Proven proven = proven_of(r, state);
    // The common case: a verified session, or a program with an app password. No query at all.
    if (proven == Proven::verified_session || proven == Proven::app_password) return DECLINED;
    // An unverified session carries its account (and what its organizations ask): still no query.
    if (proven == Proven::session && policy_for(site, state->session->account).requirement == MfaRequirement::off)
        return DECLINED;
    Store& store = request_store(r, runtime);
    std::optional<Account> account;
    if (proven == Proven::session)
        account = state->session->account;
    else if (state && state->verified && state->verified->username == r->user)
        account = state->verified;
    else
        account = store.find_account(r->user);
    const SecondFactorPolicy policy = account ? policy_for(site, *account) : site;
    if (policy.requirement == MfaRequirement::off) return DECLINED;
    std::vector<VerificationMethod> methods;
    if (account) methods = store.methods_of(account->id);
    SecondStepDue due = proven == Proven::session ? second_step_due(policy, methods, state->session->session)
                                                  : second_step_due(policy, methods);
    if (due == SecondStepDue::none) return DECLINED;
    const std::string portal = portal_path(r, runtime.settings.portal.portal_url);
    if (proven != Proven::session && !form_sign_in(r, state)) return refuse_password_elsewhere(r, runtime, portal);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s: '%s' %s before %s", msg::gate_refused, loggable(r, r->user),
                  due == SecondStepDue::verify ? "sent to the verify step" : "asked to register a method",
                  loggable(r, this_request(r)));
    return send_to(r, runtime, second_step_directions(portal, due, this_request(r)), second_step_words);
}

// The account the front signed in, from what this request already loaded where it can.
std::optional<Account> signed_in_account(request_rec* r, Runtime& runtime) {
    const RequestState* state = request_state(r, false);
    if (state && state->session && state->session->account.username == r->user) return state->session->account;
    if (state && state->verified && state->verified->username == r->user) return state->verified;
    return request_store(r, runtime).find_account(r->user);
}

// Terms of use: someone who has not accepted the current version of one of their organizations'
// terms reads them first (and comes back); someone the store does not know has none to accept.
int terms_decision(request_rec* r, Runtime& runtime) {
    const std::optional<Account> account = signed_in_account(r, runtime);
    if (!account || !request_store(r, runtime).terms_pending(account->id)) return DECLINED;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s: '%s' sent to the terms of use before %s", msg::gate_refused,
                  loggable(r, r->user), loggable(r, this_request(r)));
    const std::string portal = portal_path(r, runtime.settings.portal.portal_url);
    return send_to(r, runtime, terms_directions(portal, this_request(r)), terms_words);
}

// The second step first: the terms page itself asks for it, so nobody reads terms unverified.
int gate_decision(request_rec* r, Runtime& runtime) {
    if (gate_enabled(r)) {
        const int second_step = second_step_decision(r, runtime);
        if (second_step != DECLINED) return second_step;
    }
    return terms_required(r) ? terms_decision(r, runtime) : DECLINED;
}

}  // namespace

int gate_request(request_rec* r) {
    // Subrequests serve a request the gate already judged; the portal applies the same rule itself.
    if (r->main || !r->user || (!gate_enabled(r) && !terms_required(r))) return DECLINED;
    if (r->handler && std::strcmp(r->handler, myaccount_handler_name) == 0) return DECLINED;
    try {
        Runtime* runtime = runtime_for(r);
        if (!runtime) return HTTP_INTERNAL_SERVER_ERROR;
        return gate_decision(r, *runtime);
    } catch (const std::exception& e) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s: gate: %s", msg::store_failed, e.what());
    } catch (...) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s: gate: unexpected error", msg::store_failed);
    }
    return HTTP_INTERNAL_SERVER_ERROR;  // fail closed: never through
}

}  // namespace myaccount::httpd
