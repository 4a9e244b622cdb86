// Security-info changes shared by the pages and the API: the enrolment's write, then the notice.
#include "web/security_changes.hpp"

#include <algorithm>

#include "core/app_passwords.hpp"
#include "core/audit.hpp"
#include "core/session_registry.hpp"
#include "core/text.hpp"
#include "web/notices.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

void tell(const Exchange& exchange, SecurityNotice notice, const std::string& detail = {}) {
    post_notice(exchange, *exchange.account, notice, detail);
}

void tell_about(const Exchange& exchange, SecurityNotice notice, std::int64_t id) {
    if (std::optional<VerificationMethod> method = own_method(exchange, id))
        tell(exchange, notice, method_title(exchange, *method));
}

}  // namespace

std::optional<VerificationMethod> own_method(const Exchange& exchange, std::int64_t id) {
    return exchange.context.store.find_method(exchange.account->id, id);
}

void tell_if_replayed(const Exchange& exchange, const Account& account, const SecondFactorVerifier::Outcome& outcome) {
    if (!outcome.replayed) return;
    std::optional<VerificationMethod> method = exchange.context.store.find_method(account.id, outcome.method_id);
    if (!method) return;
    CatalogWording wording(exchange);
    account_security(exchange, wording).tell_of_replay(account, method_title(exchange, *method), exchange.context.now);
}

bool acceptable_label(const std::string& label) {
    return !check_field(label, max_method_label, /*required=*/false);
}

Change rename_method(const Exchange& exchange, std::int64_t id, const std::string& label) {
    std::string trimmed = trim_spaces(label);
    if (!acceptable_label(trimmed)) return Change::bad_label;
    Change change = enrolment_of(exchange).rename(*exchange.account, id, trimmed, client_of(exchange),
                                                  exchange.context.now);
    if (change == Change::done) tell_about(exchange, SecurityNotice::method_renamed, id);
    return change;
}

Change make_default_method(const Exchange& exchange, std::int64_t id) {
    std::optional<VerificationMethod> method = own_method(exchange, id);
    if (!method || !method->active || method->kind == MethodKind::recovery_codes) return Change::not_found;
    Change change = enrolment_of(exchange).make_default(*exchange.account, id, client_of(exchange),
                                                        exchange.context.now);
    if (change == Change::done) tell(exchange, SecurityNotice::default_method_changed, method_title(exchange, *method));
    return change;
}

Change remove_method(const Exchange& exchange, std::int64_t id, MethodKind* kind) {
    VerificationMethod removed;
    Change change = enrolment_of(exchange).remove(*exchange.account, id, client_of(exchange), exchange.context.now,
                                                  &removed);
    if (change != Change::done) return change;
    if (kind) *kind = removed.kind;
    // An e-mail address keeps its own words ("... can no longer be used to reset your password").
    if (removed.kind == MethodKind::email)
        tell(exchange, SecurityNotice::method_removed, removed.address);
    else
        tell(exchange, SecurityNotice::two_step_method_removed, method_title(exchange, removed));
    return change;
}

std::optional<SecondFactorEnrolment::NewAuthenticator> begin_authenticator(const Exchange& exchange,
                                                                           const std::string& label) {
    std::string trimmed = trim_spaces(label);
    if (!acceptable_label(trimmed)) return std::nullopt;
    return enrolment_of(exchange).begin_authenticator(*exchange.account, trimmed, client_of(exchange),
                                                      exchange.context.now);
}

SecondFactorEnrolment::Confirmation confirm_authenticator(const Exchange& exchange, std::int64_t id,
                                                          const std::string& code) {
    SecondFactorEnrolment::Confirmation confirmation =
        enrolment_of(exchange).confirm_authenticator(*exchange.account, id, code, client_of(exchange),
                                                     exchange.context.now);
    if (confirmation.result == SecondFactorEnrolment::Confirmed::active) {
        note_second_step_proven(exchange);
        tell_about(exchange, SecurityNotice::two_step_method_added, id);
    }
    return confirmation;
}

void note_second_step_proven(const Exchange& exchange) {
    const std::optional<Principal>& principal = exchange.request.principal;
    if (principal && principal->session)
        SessionRegistry(exchange.context.store, {}).note_second_step(*principal->session, exchange.context.now);
}

bool has_recovery_codes(const Exchange& exchange) {
    for (const VerificationMethod& method : exchange.context.store.methods_of(exchange.account->id))
        if (method.kind == MethodKind::recovery_codes) return true;
    return false;
}

std::vector<std::string> renew_recovery_codes(const Exchange& exchange) {
    std::vector<std::string> codes =
        enrolment_of(exchange).new_recovery_codes(*exchange.account, client_of(exchange), exchange.context.now);
    tell(exchange, SecurityNotice::recovery_codes_renewed);
    return codes;
}

std::optional<std::string> create_app_password(const Exchange& exchange, const std::string& label) {
    std::string trimmed = trim_spaces(label);
    if (!exchange.context.second_factor.app_passwords || trimmed.empty() ||
        check_field(trimmed, max_app_password_label))
        return std::nullopt;
    std::optional<std::string> password = enrolment_of(exchange).create_app_password(
        *exchange.account, trimmed, client_of(exchange), exchange.context.now);
    if (password) tell(exchange, SecurityNotice::app_password_created, trimmed);
    return password;
}

Change revoke_app_password(const Exchange& exchange, std::int64_t id) {
    std::vector<AppPassword> passwords = exchange.context.store.app_passwords_of(exchange.account->id);
    auto found = std::find_if(passwords.begin(), passwords.end(), [&](const AppPassword& p) { return p.id == id; });
    if (found == passwords.end()) return Change::not_found;
    Change change = enrolment_of(exchange).revoke_app_password(*exchange.account, id, client_of(exchange),
                                                               exchange.context.now);
    if (change == Change::done) tell(exchange, SecurityNotice::app_password_revoked, found->label);
    return change;
}

bool forget_browser(const Exchange& exchange, std::int64_t id) {
    const Account& account = *exchange.account;
    Store& store = exchange.context.store;
    std::vector<RememberedBrowser> browsers = store.remembered_browsers_of(account.id, exchange.context.now);
    auto found = std::find_if(browsers.begin(), browsers.end(), [&](const RememberedBrowser& b) { return b.id == id; });
    if (found == browsers.end()) return false;
    try {
        store.forget_remembered_browser(account.id, id,
                                        audit_event(account.id, "browser_forgotten", client_of(exchange),
                                                    exchange.context.now));
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::not_found) throw;
        return false;  // forgotten meanwhile
    }
    tell(exchange, SecurityNotice::browser_forgotten, browser_summary(exchange, found->user_agent));
    return true;
}

}  // namespace myaccount::web
