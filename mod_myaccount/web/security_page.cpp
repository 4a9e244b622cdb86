// /security: the methods a password reset proves, their registration (password again, then a
// code to the address), removal, and the after-sign-in request to register.
#include <ctime>

#include "core/methods/email.hpp"
#include "core/methods/method_registration.hpp"
#include "core/reset/reset_eligibility.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/password_problems.hpp"
#include "web/profile_view.hpp"

namespace myaccount::web {

namespace {

MethodRegistration registration_of(const Exchange& exchange) {
    Context& context = exchange.context;
    return MethodRegistration(context.store, context.key, context.hasher, context.password_rules, context.reset);
}

std::string date_of(UnixTime when) {
    std::time_t time = static_cast<std::time_t>(when);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
    return text;
}

nlohmann::json methods_view(const Exchange& exchange, std::size_t& count) {
    nlohmann::json methods = nlohmann::json::array();
    for (const VerificationMethod& method : exchange.context.store.methods_of(exchange.account->id)) {
        methods.push_back({{"id", std::to_string(method.id)},
                           {"address_parts", break_points(method.address)},
                           {"added_text", fill(exchange.text("security_added_text"), {{"date", date_of(method.created_at)}})}});
    }
    count = methods.size();
    return methods;
}

Response security_page(const Exchange& exchange, int status, nlohmann::json view) {
    const ResetPolicy& reset = exchange.context.reset;
    std::size_t count = 0;
    view["methods"] = methods_view(exchange, count);
    view["has_methods"] = count > 0;
    view["reset_enabled"] = reset.enabled;
    view["reset_off"] = !reset.enabled;
    view["reset_ready"] = count >= static_cast<std::size_t>(reset.methods_required);
    view["can_add"] = exchange.context.notifier.available();
    view["reset_status_text"] = fill(exchange.text("security_reset_status"),
                                     {{"have", std::to_string(count)}, {"need", std::to_string(reset.methods_required)}});
    if (!view.contains("has_errors")) view.update(error_list({}));
    return page(exchange, status, "security", "security_title", std::move(view), "security");
}

// The add form again with one error; the address typed stays in it.
Response security_error(const Exchange& exchange, int status, const std::string& message) {
    nlohmann::json view = error_list({message});
    const std::string* address = single_field(exchange.request, "address");
    if (address && address->size() <= max_email_method_length) view["entered_address"] = *address;
    return security_page(exchange, status, std::move(view));
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
    return security_page(exchange, status, std::move(view));
}

// Where "not now" goes: the page the sign-in was for, when it is one of this server's.
std::string next_of(const Exchange& exchange, const std::string* wanted) {
    if (wanted && is_local_path(*wanted) && wanted->size() <= 2048) return *wanted;
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
    const Request& request = exchange.request;
    return security_page(exchange, 200, {{"added", request.has_flag("added")}, {"removed", request.has_flag("removed")}});
}

Response add_email_method(Exchange& exchange) {
    const Request& request = exchange.request;
    const std::string* address = single_field(request, "address");
    const std::string* password = single_field(request, "current_password");
    if (!address || !password || address->empty() || password->empty() || password->size() > max_password_field)
        return security_error(exchange, 400, exchange.text("security_error_required"));
    if (!exchange.context.notifier.available())
        return security_error(exchange, 502, exchange.text("security_error_send_failed"));
    MethodRegistration::Begun begun =
        registration_of(exchange).begin(*exchange.account, *address, *password, client_of(exchange), exchange.context.now);
    switch (begun.status) {
    case MethodRegistration::Status::code_ready: break;
    case MethodRegistration::Status::bad_address:
        return security_error(exchange, 400, exchange.text("security_error_address"));
    case MethodRegistration::Status::wrong_password:
        return security_error(exchange, 400, exchange.text("security_error_wrong_password"));
    case MethodRegistration::Status::locked:
        return security_error(exchange, 423, exchange.text("security_error_locked"));
    case MethodRegistration::Status::limit:
        return security_error(exchange, 400, fill(exchange.text("security_error_limit"),
                                                  {{"max", std::to_string(exchange.context.reset.max_methods)}}));
    case MethodRegistration::Status::too_many:
        return security_error(exchange, 429, exchange.text("security_error_too_many"));
    case MethodRegistration::Status::duplicate:
        return security_error(exchange, 400, exchange.text("security_error_duplicate"));
    }
    std::string recipient = normalized_email_address(*address);
    if (!send_verification_code(exchange, recipient, begun.code))
        return security_error(exchange, 502, exchange.text("security_error_send_failed"));
    return code_form(exchange, 200, begun.challenge_token, recipient, {});
}

Response verify_email_method(Exchange& exchange) {
    const Request& request = exchange.request;
    const std::string* token = single_field(request, "challenge");
    const std::string* code = single_field(request, "code");
    MethodRegistration registration = registration_of(exchange);
    const Account& account = *exchange.account;
    std::optional<std::string> added;
    if (token && code && code->size() <= 64)
        added = registration.confirm(account, *token, *code, client_of(exchange), exchange.context.now);
    if (added) {
        post_notice(exchange, account, SecurityNotice::method_added, *added);
        return see_other(exchange, "/security?added=1");
    }
    // Wrong code: the code form again while the check is still open, else back to the page.
    std::optional<Challenge> pending = token ? registration.pending(account, *token, exchange.context.now) : std::nullopt;
    if (!pending) return security_error(exchange, 400, exchange.text("security_error_code"));
    return code_form(exchange, 400, *token, pending->target, {exchange.text("security_error_code")});
}

Response remove_email_method(Exchange& exchange) {
    const std::string* field = single_field(exchange.request, "method");
    std::int64_t id = 0;
    if (field && !field->empty() && field->size() <= 18 &&
        field->find_first_not_of("0123456789") == std::string::npos)
        id = std::stoll(*field);
    std::optional<std::string> removed =
        id > 0 ? registration_of(exchange).remove(*exchange.account, id, client_of(exchange), exchange.context.now)
               : std::nullopt;
    if (!removed) return failure(exchange, Failure::not_found);
    post_notice(exchange, *exchange.account, SecurityNotice::method_removed, *removed);
    return see_other(exchange, "/security?removed=1");
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
