// /verify: the second step after the password. A code of the default method (an authenticator
// app's, or one sent to an e-mail address or phone), another method, or a recovery code; on
// success the adapter replaces the session with a verified one and the browser goes back where
// it was going. With no 2-step method to prove, a recent proof is the password typed again.
#include <algorithm>

#include "core/methods/phone_number.hpp"
#include "core/methods/recovery_codes.hpp"
#include "core/password_sign_in.hpp"
#include "core/second_factor/requirement.hpp"
#include "core/second_factor/verifier.hpp"
#include "core/text.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/password_problems.hpp"
#include "web/second_step.hpp"
#include "web/security_changes.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

constexpr std::size_t max_code_field = 64;
constexpr const char* recovery_choice = "recovery";

using Result = SecondFactorVerifier::Result;

// What the verify step is about: where it returns to, whether it was asked for a recent proof.
struct Step {
    std::string back;
    bool recent = false;
};

// `wanted` when it is a path on this server (and not the verify step itself), else the portal's start.
std::string back_of(const Exchange& exchange, const std::string* wanted) {
    const std::string start = exchange.request.base_path + "/";
    if (!wanted || !is_return_path(*wanted)) return start;
    const std::string verify = exchange.request.base_path + "/verify";
    if (wanted->rfind(verify, 0) == 0) return start;
    return *wanted;
}

Step step_of(const Exchange& exchange, const std::string* back, const std::string* recent) {
    return {back_of(exchange, back), recent && *recent == "1"};
}

Step step_from_query(const Exchange& exchange) {
    const Request& request = exchange.request;
    return step_of(exchange, request.query_value("return"), request.query_value("recent"));
}

Step step_from_form(const Exchange& exchange) {
    return step_of(exchange, single_field(exchange.request, "return"), single_field(exchange.request, "recent"));
}

SecondFactorVerifier verifier_of(const Exchange& exchange) {
    Context& context = exchange.context;
    return SecondFactorVerifier(context.store, context.key, context.second_factor);
}

// The name a method goes by on the page, as on security info, but a phone only by its last
// digits: whoever stands at this step may have proven no more than the password.
std::string name_of(const Exchange& exchange, const VerificationMethod& method) {
    if (method.kind == MethodKind::phone) return masked_phone(method.address);
    return method_name(exchange, method);
}

// The methods the step may take (active 2-step methods, default first) and whether recovery codes are left.
struct Choices {
    std::vector<VerificationMethod> methods;
    bool recovery = false;
};

Choices choices_of(const Exchange& exchange, const std::vector<VerificationMethod>& all) {
    Choices choices;
    for (const VerificationMethod& method : all)
        if (counts_as_two_step_method(method)) choices.methods.push_back(method);
    std::stable_partition(choices.methods.begin(), choices.methods.end(),
                          [](const VerificationMethod& method) { return method.is_default; });
    bool has_set = std::any_of(all.begin(), all.end(),
                               [](const VerificationMethod& m) { return m.kind == MethodKind::recovery_codes; });
    choices.recovery = has_set && exchange.context.store.recovery_codes_left(exchange.account->id) > 0;
    return choices;
}

// What the page asks for now: one of the methods (by id), a recovery code, or the password.
struct Asked {
    const VerificationMethod* method = nullptr;  // null: a recovery code (or the password)
    bool password = false;
    std::string challenge;  // a code was sent for this challenge
};

std::string verify_link(const Exchange& exchange, const Step& step, const std::string& choice) {
    return verify_url(exchange, step.back, step.recent) + "&method=" + choice;
}

nlohmann::json other_choices(const Exchange& exchange, const Step& step, const Choices& choices, const Asked& asked) {
    nlohmann::json others = nlohmann::json::array();
    for (const VerificationMethod& method : choices.methods) {
        if (asked.method && asked.method->id == method.id) continue;
        others.push_back(
            {{"name", name_of(exchange, method)}, {"url", verify_link(exchange, step, std::to_string(method.id))}});
    }
    if (choices.recovery && (asked.method || asked.password))
        others.push_back({{"name", exchange.text("verify_use_recovery_code")},
                          {"url", verify_link(exchange, step, recovery_choice)}});
    return others;
}

// The code to the phone (a text message, or a call for an office phone: the notifier command
// decides how to deliver each channel). Sent now: false when it failed.
bool send_second_step_code(const Exchange& exchange, const VerificationMethod& method,
                           const SecondFactorVerifier::SentCode& sent) {
    return exchange.context.notifier.send_now(
        code_by_phone(exchange, sent.recipient, phone_channel(method.phone_type), "text_second_step_code", sent.code));
}

// The verify page: what is asked, the other ways, the "remember this browser" choice, errors.
Response verify_page(const Exchange& exchange, int status, const Step& step, const Choices& choices, const Asked& asked,
                     const std::vector<std::string>& errors) {
    nlohmann::json view = error_list(errors);
    view["interrupt"] = true;
    view["return_to"] = step.back;
    view["recent"] = step.recent;
    view["cancel_url"] = exchange.request.base_path + "/";
    if (asked.password) {
        view["ask_password"] = true;
    } else if (!asked.method) {
        view["ask_recovery"] = true;
    } else {
        const VerificationMethod& method = *asked.method;
        view["method_id"] = std::to_string(method.id);
        view["method_name"] = name_of(exchange, method);
        if (method.kind == MethodKind::authenticator) {
            view["ask_authenticator"] = true;
        } else if (asked.challenge.empty()) {
            view["ask_send"] = true;
            view["send_text"] =
                fill(exchange.text(method.kind == MethodKind::phone ? "verify_send_phone" : "verify_send_email"),
                     {{"recipient", name_of(exchange, method)}});
        } else {
            view["ask_sent_code"] = true;
            view["challenge"] = asked.challenge;
            view["sent_text"] = fill(exchange.text("verify_code_sent"),
                                     {{"recipient", name_of(exchange, method)},
                                      {"minutes", code_minutes(exchange)}});
        }
    }
    view["others"] = other_choices(exchange, step, choices, asked);
    view["has_others"] = !view["others"].empty();
    const std::int64_t days = exchange.context.second_factor.remember_days;
    if (days > 0 && !asked.password) {
        view["can_remember"] = true;
        view["remember_text"] = fill(exchange.text("verify_remember"), {{"days", std::to_string(days)}});
    }
    UnixTime locked = asked.password ? 0 : verifier_of(exchange).locked_until(*exchange.account, exchange.context.now);
    if (locked != 0 && errors.empty())
        view.update(error_list({second_step_locked_text(exchange, locked)}));
    return page(exchange, status, "verify", step.recent ? "verify_recent_title" : "verify_title", std::move(view));
}

// The method the page starts with: the one chosen, else the default (first of the choices).
Asked asked_of(const Choices& choices, const std::string* chosen) {
    Asked asked;
    if (chosen && *chosen == recovery_choice && choices.recovery) return asked;
    std::optional<std::int64_t> id = id_from(chosen);
    for (const VerificationMethod& method : choices.methods)
        if (id && method.id == *id) asked.method = &method;
    if (!asked.method && !choices.methods.empty()) asked.method = &choices.methods.front();
    return asked;
}

// Whether this session has anything to prove here (else the browser goes straight back).
bool anything_to_prove(const Exchange& exchange, const Step& step, const std::vector<VerificationMethod>& methods) {
    const Session& session = *exchange.request.principal->session;
    if (second_step_due_now(exchange, methods) == SecondStepDue::verify) return true;
    return step.recent && !recent_enough(second_factor_policy(exchange), methods, session, exchange.context.now);
}

// A recent proof for an account without a 2-step method is the password.
bool proves_with_password(const Exchange& exchange, const std::vector<VerificationMethod>& methods) {
    return !has_two_step_method(methods) &&
           second_step_due_now(exchange, methods) == SecondStepDue::none;
}

// The browser goes back; after a recovery code or a code at the edge of the window, it sees the
// done page first (a GET after the new session id, so that page's forms carry its token).
Response passed(const Exchange& exchange, const Step& step, const SecondFactorVerifier::Outcome& outcome,
                bool remember) {
    Response response;
    if (outcome.recovery_left >= 0 || outcome.clock_off)
        response = redirect_to(exchange.request.base_path + "/verify/done?return=" + percent_encoded(step.back, "/") +
                               (outcome.recovery_left >= 0 ? "&recovery=1" : "") + (outcome.clock_off ? "&clock=1" : ""));
    else
        response = redirect_to(step.back);
    response.second_factor_passed = true;
    const std::int64_t days = exchange.context.second_factor.remember_days;
    if (remember && days > 0)
        response.remember_cookie =
            SessionRegistry(exchange.context.store, {})
                .remember_browser(*exchange.account, client_of(exchange), days, exchange.context.now,
                                  exchange.request.principal->session ? exchange.request.principal->session->device_id : 0);
    return response;
}

// What went wrong, in words that never tell whether a locked code was right.
std::string problem_of(const Exchange& exchange, const SecondFactorVerifier::Outcome& outcome) {
    switch (outcome.result) {
        case Result::used:
            return exchange.text("verify_error_used");
        case Result::locked:
            return second_step_locked_text(exchange, outcome.locked_until);
        case Result::expired:
            return exchange.text("verify_error_expired");
        case Result::accepted:
        case Result::wrong:
        case Result::no_method:
            break;
    }
    return exchange.text("verify_error_wrong");
}

int status_of(Result result) {
    switch (result) {
        case Result::locked:
            return 423;
        default:
            return 400;
    }
}

// The common start of every verify route: the session, the methods and the choices, or the
// answer for a request that cannot pass the step here.
struct Situation {
    std::vector<VerificationMethod> methods;
    Choices choices;
};

std::optional<Response> refused(const Exchange& exchange, const Step& step, Situation& situation) {
    if (!exchange.request.principal->session) return portal_sign_in_needed(exchange);
    situation.methods = exchange.context.store.methods_of(exchange.account->id);
    if (second_step_due_now(exchange, situation.methods) == SecondStepDue::register_method)
        return redirect_to(register_url(exchange, step.back));
    situation.choices = choices_of(exchange, situation.methods);
    return std::nullopt;
}

}  // namespace

Response show_verify(Exchange& exchange) {
    Step step = step_from_query(exchange);
    Situation situation;
    if (auto answer = refused(exchange, step, situation)) return *answer;
    if (!anything_to_prove(exchange, step, situation.methods)) return redirect_to(step.back);
    if (proves_with_password(exchange, situation.methods)) {
        Asked asked;
        asked.password = true;
        return verify_page(exchange, 200, step, situation.choices, asked, {});
    }
    return verify_page(exchange, 200, step, situation.choices,
                       asked_of(situation.choices, exchange.request.query_value("method")), {});
}

Response show_verify_done(Exchange& exchange) {
    const Step step = step_from_query(exchange);
    nlohmann::json view = {{"interrupt", true},
                           {"done", true},
                           {"continue_url", step.back},
                           {"clock_off", exchange.request.query_value("clock") != nullptr}};
    if (exchange.request.query_value("recovery")) {
        const int left = exchange.context.store.recovery_codes_left(exchange.account->id);
        view["recovery_used"] = true;
        view["recovery_left_text"] = fill(exchange.text("verify_recovery_left"), {{"count", std::to_string(left)}});
        view["recovery_low"] = left <= recovery_codes_low;
        view["security_url"] = exchange.request.base_path + "/security";
    }
    return page(exchange, 200, "verify", "verify_done_title", std::move(view));
}

Response send_verify_code(Exchange& exchange) {
    Step step = step_from_form(exchange);
    Situation situation;
    if (auto answer = refused(exchange, step, situation)) return *answer;
    std::optional<std::int64_t> id = id_from(single_field(exchange.request, "method"));
    Asked asked = asked_of(situation.choices, single_field(exchange.request, "method"));
    if (!id || !asked.method || asked.method->id != *id || !sends_code(asked.method->kind))
        return verify_page(exchange, 400, step, situation.choices, asked, {exchange.text("verify_error_method_gone")});
    SecondFactorVerifier verifier = verifier_of(exchange);
    std::optional<SecondFactorVerifier::SentCode> sent =
        verifier.send_code(*exchange.account, *id, client_of(exchange), exchange.context.now);
    if (!sent && verifier.locked_until(*exchange.account, exchange.context.now) != 0)
        return verify_page(exchange, 423, step, situation.choices, asked, {});  // the page says until when
    if (!sent)
        return verify_page(exchange, 429, step, situation.choices, asked, {exchange.text("verify_error_send_limit")});
    if (!send_second_step_code(exchange, *asked.method, *sent))
        return verify_page(exchange, 502, step, situation.choices, asked, {exchange.text("verify_error_send_failed")});
    asked.challenge = sent->challenge_token;
    return verify_page(exchange, 200, step, situation.choices, asked, {});
}

Response check_verify_code(Exchange& exchange) {
    const Request& request = exchange.request;
    Step step = step_from_form(exchange);
    Situation situation;
    if (auto answer = refused(exchange, step, situation)) return *answer;
    const std::string* chosen = single_field(request, "method");
    const std::string* code = single_field(request, "code");
    const std::string typed = code && code->size() <= max_code_field ? *code : std::string();
    const Account& account = *exchange.account;
    const ClientInfo client = client_of(exchange);
    SecondFactorVerifier verifier = verifier_of(exchange);
    Asked asked = asked_of(situation.choices, chosen);
    SecondFactorVerifier::Outcome outcome;
    if (chosen && *chosen == recovery_choice) {
        asked = Asked{};
        outcome = verifier.check_recovery_code(account, typed, client, exchange.context.now);
    } else {
        std::optional<std::int64_t> id = id_from(chosen);
        if (!id || !asked.method || asked.method->id != *id)
            return verify_page(exchange, 400, step, situation.choices, asked,
                               {exchange.text("verify_error_method_gone")});
        if (asked.method->kind == MethodKind::authenticator) {
            outcome = verifier.check_authenticator(account, *id, typed, client, exchange.context.now);
        } else {
            const std::string* challenge = single_field(request, "challenge");
            outcome = verifier.check_sent_code(account, challenge ? *challenge : std::string(), typed, client,
                                               exchange.context.now);
            // A wrong code keeps the code form; an expired one offers to send a new code.
            if (outcome.result == Result::wrong && challenge) asked.challenge = *challenge;
        }
    }
    if (outcome.result == Result::accepted) {
        const std::string* remember = single_field(request, "remember");
        return passed(exchange, step, outcome, remember && *remember == "1");
    }
    if (outcome.result == Result::no_method) return failure(exchange, Failure::not_found);
    tell_if_replayed(exchange, account, outcome);
    return verify_page(exchange, status_of(outcome.result), step, situation.choices, asked,
                       {problem_of(exchange, outcome)});
}

Response confirm_password_step(Exchange& exchange) {
    Step step = step_from_form(exchange);
    Situation situation;
    if (auto answer = refused(exchange, step, situation)) return *answer;
    if (!proves_with_password(exchange, situation.methods)) return redirect_to(verify_url(exchange, step.back, true));
    const std::string* password = single_field(exchange.request, "current_password");
    Context& context = exchange.context;
    PasswordSignIn passwords(context.store, context.hasher, context.password_rules.lockout,
                             context.password_rules.throttle);
    PasswordSignIn::Proof proof = PasswordSignIn::Proof::wrong;
    if (password && !password->empty() && password->size() <= max_password_field)
        proof = passwords.reauthenticate(*exchange.account, *password, client_of(exchange), SignInMethod::other,
                                         context.now);
    if (proof == PasswordSignIn::Proof::proven) {
        Response response = redirect_to(step.back);
        response.password_confirmed = true;
        return response;
    }
    Asked asked;
    asked.password = true;
    const bool locked = proof == PasswordSignIn::Proof::locked;
    return verify_page(exchange, locked ? 423 : 400, step, situation.choices, asked,
                       {exchange.text(locked ? "verify_password_locked" : "verify_password_wrong")});
}

Response show_register_first(Exchange& exchange) {
    std::vector<VerificationMethod> methods = exchange.context.store.methods_of(exchange.account->id);
    if (exchange.request.principal->session &&
        second_step_due_now(exchange, methods) == SecondStepDue::register_method) {
        const std::string* next = exchange.request.query_value("next");
        nlohmann::json view = {{"interrupt", true}, {"second_factor", true}, {"next", back_of(exchange, next)}};
        return page(exchange, 200, "register", "register_second_factor_title", std::move(view));
    }
    if (!exchange.context.reset.enabled) return redirect_to(back_of(exchange, exchange.request.query_value("next")));
    return show_register(exchange);
}

}  // namespace myaccount::web
