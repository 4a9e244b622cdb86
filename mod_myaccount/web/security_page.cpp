// /security: the list of sign-in and reset methods, app passwords and remembered browsers; the
// e-mail method's registration (password again, then a code to the address); the after-sign-in
// request to register.
#include "web/security_page.hpp"

#include "core/methods/email.hpp"
#include "core/reset/reset_eligibility.hpp"
#include "web/code_methods.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/password_problems.hpp"
#include "web/profile_view.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

// The banner after a change: which query value says what (?added=authenticator, ...). "1" is
// the e-mail method's, as links made before other kinds existed say.
struct Banner {
    const char* field;
    const char* value;
    const char* key;
};
constexpr Banner banners[] = {
    {"added", "1", "security_added"},
    {"added", "email", "security_added"},
    {"added", "authenticator", "security_added_authenticator"},
    {"added", "phone", "security_added_phone"},
    {"removed", "1", "security_removed"},
    {"removed", "email", "security_removed"},
    {"removed", "authenticator", "security_removed_authenticator"},
    {"removed", "phone", "security_removed_phone"},
    {"removed", "recovery_codes", "security_removed_recovery_codes"},
    {"changed", "renamed", "security_renamed"},
    {"changed", "default", "security_default_changed"},
    {"changed", "app_password_revoked", "security_app_password_revoked"},
    {"changed", "browser_forgotten", "security_browser_forgotten"},
    {"changed", "confirmed", "method_confirmed"},
};

std::string banner_text(const Exchange& exchange) {
    for (const Banner& banner : banners) {
        const std::string* value = exchange.request.query_value(banner.field);
        if (value && *value == banner.value) return exchange.text(banner.key);
    }
    return {};
}

void add_methods(const Exchange& exchange, nlohmann::json& view) {
    const ResetPolicy& reset = exchange.context.reset;
    MethodsView methods = methods_view(exchange, exchange.context.store.methods_of(exchange.account->id));
    view["methods"] = std::move(methods.rows);
    view["has_methods"] = methods.count > 0;
    view["has_default_choices"] = !methods.default_choices.empty();
    view["default_choices"] = std::move(methods.default_choices);
    view["default_text"] = methods.default_name;
    nlohmann::json suspended = nlohmann::json::array();
    for (const VerificationMethod& method : exchange.context.store.suspended_methods_of(exchange.account->id))
        suspended.push_back({{"id", std::to_string(method.id)},
                             {"name", method_title(exchange, method)},
                             {"since", fill(exchange.text("suspended_since"), {{"date", local_time_text(exchange, method.suspended_at)}})}});
    view["has_suspended"] = !suspended.empty();
    view["suspended"] = std::move(suspended);
    view["reset_enabled"] = reset.enabled;
    view["reset_off"] = !reset.enabled;
    view["reset_ready"] = methods.count >= static_cast<std::size_t>(reset.methods_required);
    view["reset_status_text"] = fill(exchange.text("security_reset_status"), {{"have", std::to_string(methods.count)},
                                                                             {"need", std::to_string(reset.methods_required)}});
}

// App passwords and remembered browsers: each section only while its feature is on.
void add_app_passwords_and_browsers(const Exchange& exchange, nlohmann::json& view) {
    const SecondFactorPolicy& policy = exchange.context.second_factor;
    Store& store = exchange.context.store;
    AccountId id = exchange.account->id;
    view["app_passwords_on"] = policy.app_passwords;
    if (policy.app_passwords) {
        view["app_passwords"] = app_passwords_view(exchange, store.app_passwords_of(id));
        view["has_app_passwords"] = !view["app_passwords"].empty();
    }
    view["remember_on"] = policy.remember_days > 0;
    if (policy.remember_days > 0) {
        view["browsers"] = remembered_browsers_view(exchange, store.remembered_browsers_of(id, exchange.context.now));
        view["has_browsers"] = !view["browsers"].empty();
    }
}

}  // namespace

Response security_info_page(const Exchange& exchange, int status, nlohmann::json view) {
    add_methods(exchange, view);
    add_app_passwords_and_browsers(exchange, view);
    view["can_add"] = exchange.context.notifier.available();
    if (!view.contains("has_errors")) view.update(error_list({}));
    return page(exchange, status, "security", "security_title", std::move(view), "security");
}

Response security_method_error(const Exchange& exchange, int status, const std::string& message) {
    return security_info_page(exchange, status, {{"method_error", message}});
}

namespace {

// The add form again with one error; the address typed stays in it.
Response security_error(const Exchange& exchange, int status, const std::string& message) {
    nlohmann::json view = error_list({message});
    const std::string* address = single_field(exchange.request, "address");
    if (address && address->size() <= max_email_method_length) view["entered_address"] = *address;
    return security_info_page(exchange, status, std::move(view));
}

// A catalog sentence around "{address}", as {before, address_parts, after}: the address can then
// wrap at its '@' and '.' (see break_points) while every part stays escaped text.
nlohmann::json sentence_with_address(const std::string& sentence, const std::string& address) {
    const std::string marker = "{address}";
    std::size_t at = sentence.find(marker);
    if (at == std::string::npos) return {{"before", sentence}, {"address_parts", nlohmann::json::array()}, {"after", ""}};
    return {{"before", sentence.substr(0, at)},
            {"address_parts", break_points(address)},
            {"after", sentence.substr(at + marker.size())}};
}

Response code_form(const Exchange& exchange, int status, const std::string& challenge_token, const std::string& address,
                   const std::vector<std::string>& errors) {
    nlohmann::json view = error_list(errors);
    view["stage_code"] = true;
    view["challenge"] = challenge_token;
    view["pending_address"] = address;
    view["code_sent"] = sentence_with_address(
        fill(exchange.text("security_code_sent"), {{"minutes", code_minutes(exchange)}}), address);
    return security_info_page(exchange, status, std::move(view));
}

// Where "not now" goes: the page the sign-in was for, when it is one of this server's.
std::string next_of(const Exchange& exchange, const std::string* wanted) {
    if (wanted && is_return_path(*wanted)) return *wanted;
    const std::string& fallback = exchange.context.settings.default_location;
    return fallback.empty() ? exchange.request.base_path + "/" : fallback;
}

// What the request to register says about "not now": how often it is left, that this is the last
// time (said before it is used), or, with none left, nothing but registering and signing out.
nlohmann::json postpone_view(const Exchange& exchange, const Account& account, bool can_postpone) {
    std::int64_t left = exchange.context.reset.postpones - account.registration_postponed;
    bool last = can_postpone && left == 1;
    nlohmann::json view = {{"can_postpone", can_postpone}, {"last_postpone", last}};
    if (!can_postpone) return view;
    view["postpones_left_text"] =
        last ? exchange.text("register_postpone_last")
             : fill(exchange.text("register_postpones_left"), {{"count", std::to_string(left)}});
    return view;
}

}  // namespace

Response show_security(Exchange& exchange) {
    nlohmann::json view = {{"done_text", banner_text(exchange)}};
    // An authenticator accepted only at the edge of the window: its phone's clock is off.
    const std::string* clock = exchange.request.query_value("clock");
    if (clock && *clock == "off") view["warning_text"] = exchange.text("authenticator_clock_off_added");
    return security_info_page(exchange, 200, std::move(view));
}

Response add_email_method(Exchange& exchange) {
    const Request& request = exchange.request;
    const std::string* address = single_field(request, "address");
    const std::string* password = single_field(request, "current_password");
    if (!address || !password || address->empty() || password->empty() || password->size() > max_password_field)
        return security_error(exchange, 400, exchange.text("security_error_required"));
    CodeSent sent = begin_email_method(exchange, *address, *password);
    if (sent.refusal) return security_error(exchange, sent.refusal->status, sent.refusal->message);
    return code_form(exchange, 200, sent.challenge, sent.recipient, {});
}

Response verify_email_method(Exchange& exchange) {
    const Request& request = exchange.request;
    const std::string* token = single_field(request, "challenge");
    const std::string* code = single_field(request, "code");
    if (token && code && confirm_email_method(exchange, *token, *code)) return see_other(exchange, "/security?added=1");
    // Wrong code: the code form again while the check is still open, else back to the page.
    std::optional<Challenge> pending =
        token ? email_registration(exchange).pending(*exchange.account, *token, exchange.context.now) : std::nullopt;
    if (!pending) return security_error(exchange, 400, exchange.text("security_error_code"));
    return code_form(exchange, 400, *token, pending->target, {exchange.text("security_error_code")});
}

Response show_register(Exchange& exchange) {
    std::string next = next_of(exchange, exchange.request.query_value("next"));
    ResetEligibility eligibility(exchange.context.store, exchange.context.reset);
    if (!eligibility.needs_registration(*exchange.account)) {
        return redirect_to(next);
    }
    const Account& account = *exchange.account;
    nlohmann::json view = postpone_view(exchange, account, eligibility.may_postpone(account));
    view["next"] = next;
    view["interrupt"] = true;  // no side navigation: the ways on are on the page itself
    return page(exchange, 200, "register", "register_title", std::move(view));
}

Response postpone_register(Exchange& exchange) {
    std::string next = next_of(exchange, single_field(exchange.request, "next"));
    ResetEligibility eligibility(exchange.context.store, exchange.context.reset);
    const Account& account = *exchange.account;
    if (eligibility.needs_registration(account)) {
        if (!eligibility.may_postpone(account)) return see_other(exchange, "/security/register");
        exchange.context.store.postpone_registration(account.id);
    }
    return redirect_to(next);
}

}  // namespace myaccount::web
