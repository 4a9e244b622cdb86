// The portal's second-step rule: each signed-in route asks the session what it owes (the rule is
// the core's, core/second_factor/second_step.hpp) and sends it to the verify step first.
#include "web/second_step.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/second_factor/requirement.hpp"
#include "core/text.hpp"

namespace myaccount::web {

namespace {

bool is_browser_read(const Request& request) {
    return request.method == "GET" || request.method == "HEAD";
}

// Where the verify step (or the registration) sends the browser back to afterwards.
std::string comeback_of(const Exchange& exchange, const char* form_page) {
    if (is_browser_read(exchange.request)) return this_page(exchange);
    return exchange.request.base_path + (form_page ? form_page : "/");
}

}  // namespace

Response portal_sign_in_needed(const Exchange& exchange) {
    if (wants_json(exchange))
        return json_response(
            403, {{"error", "second_factor_required"}, {"message", exchange.text("second_step_needs_session")}});
    nlohmann::json view = {{"status", "403"},
                           {"title", exchange.text("second_step_needs_session_title")},
                           {"message", exchange.text("second_step_needs_session")}};
    return page(exchange, 403, "error", "second_step_needs_session_title", std::move(view));
}

namespace {

// The browser goes to the verify step (or registers a method first); a script is told where.
Response directed(const Exchange& exchange, SecondStepDue due, const char* form_page, bool recent) {
    const Directions to =
        second_step_directions(exchange.request.base_path, due, comeback_of(exchange, form_page), recent);
    if (!wants_json(exchange)) return redirect_to(to.url);
    Response response = json_response(401, to.json_body());
    response.set_header("WWW-Authenticate", to.challenge());
    return response;
}

}  // namespace

std::string second_step_locked_text(const Exchange& exchange, UnixTime until) {
    const UnixTime minutes = std::max<UnixTime>(1, (until - exchange.context.now + 59) / 60);
    return fill(exchange.text("verify_locked"), {{"minutes", std::to_string(minutes)}});
}

std::string this_page(const Exchange& exchange) {
    const Request& request = exchange.request;
    std::string url = request.base_path + request.route;
    char separator = '?';
    for (const auto& [name, value] : request.query_fields) {
        url += separator + percent_encoded(name, "/") + "=" + percent_encoded(value, "/");
        separator = '&';
    }
    return url;
}

std::string verify_url(const Exchange& exchange, const std::string& return_to, bool recent) {
    return second_step_directions(exchange.request.base_path, SecondStepDue::verify, return_to, recent).url;
}

std::string register_url(const Exchange& exchange, const std::string& next) {
    return second_step_directions(exchange.request.base_path, SecondStepDue::register_method, next).url;
}

bool accepts_json(const std::string& accept) {
    auto names = [&accept](const char* type) {
        return std::search(accept.begin(), accept.end(), type, type + std::strlen(type), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == b;
               }) != accept.end();
    };
    return names("application/json") && !names("text/html");
}

bool wants_json(const Exchange& exchange) {
    return exchange.is_api() || accepts_json(exchange.request.accept);
}

bool registers_a_method(const std::string& route) {
    return route == "/security/register" || route == "/security/authenticator" ||
           route.rfind("/security/authenticator/", 0) == 0 || route == "/security/add" || route == "/security/phone" ||
           route == "/security/phone/verify";
}

SecondFactorPolicy second_factor_policy(const Exchange& exchange) {
    return policy_for(exchange.context.second_factor, *exchange.account);
}

SecondStepDue second_step_due_now(const Exchange& exchange, const std::vector<VerificationMethod>& methods) {
    const auto& session = exchange.request.principal->session;
    const SecondFactorPolicy policy = second_factor_policy(exchange);
    return session ? second_step_due(policy, methods, *session) : second_step_due(policy, methods);
}

std::optional<Response> second_step_first(Exchange& exchange, Proof proof, bool exempt, const char* form_page) {
    if (exempt) return std::nullopt;
    const SecondFactorPolicy policy = second_factor_policy(exchange);
    const std::optional<Session>& session = exchange.request.principal->session;
    // The common case costs no query: nothing is required, or this session passed the step and
    // the route needs no fresher proof.
    if (proof == Proof::session &&
        (policy.requirement == MfaRequirement::off || (session && session->second_factor_at > 0)))
        return std::nullopt;
    const std::vector<VerificationMethod> methods = exchange.context.store.methods_of(exchange.account->id);
    switch (second_step_due_now(exchange, methods)) {
        case SecondStepDue::none:
            break;
        case SecondStepDue::verify:
            if (!session) return portal_sign_in_needed(exchange);
            return directed(exchange, SecondStepDue::verify, form_page, false);
        case SecondStepDue::register_method:
            if (registers_a_method(exchange.request.route)) break;
            if (!session) return portal_sign_in_needed(exchange);
            return directed(exchange, SecondStepDue::register_method, form_page, false);
    }
    // Without a session of ours the front vouches for every request and nothing here can prove
    // more (where 2-step verification is required, the answer above already refused it).
    if (proof == Proof::recent && session && !recent_enough(policy, methods, *session, exchange.context.now))
        return directed(exchange, SecondStepDue::verify, form_page, true);
    return std::nullopt;
}

}  // namespace myaccount::web
