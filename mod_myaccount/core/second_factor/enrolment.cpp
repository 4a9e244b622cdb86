// Adding, naming, ordering and removing 2-step methods and app passwords, each change in the audit trail.
#include "core/second_factor/enrolment.hpp"

#include <sodium.h>

#include <algorithm>
#include <string_view>

#include "core/app_passwords.hpp"
#include "core/audit.hpp"
#include "core/lockout.hpp"
#include "core/methods/recovery_codes.hpp"
#include "core/methods/totp.hpp"
#include "core/second_factor/requirement.hpp"
#include "core/text.hpp"

namespace myaccount {

namespace {

using Change = SecondFactorEnrolment::Change;

// A label as it is kept: trimmed, one line of valid text, at most `max` code points; none otherwise.
std::optional<std::string> clean_label(const std::string& typed, std::size_t max) {
    std::string label = trim_spaces(typed);
    if (check_field(label, max, false)) return std::nullopt;
    return label;
}

// The first `max` code points of valid UTF-8 text.
std::string first_code_points(const std::string& text, std::size_t max) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && count++ == max) return text.substr(0, i);
    }
    return text;
}

// At the start of an enrolment nothing is refused for its label: one too long is cut, one that is
// not text is dropped (the page names an unnamed app itself).
std::string label_as_given(const std::string& typed) {
    std::string label = trim_spaces(typed);
    if (!is_valid_utf8(label) || has_control_characters(label)) return {};
    return trim_spaces(first_code_points(label, max_method_label));
}

// What the audit trail says about a method: its kind and whatever the user knows it by.
std::string described(const VerificationMethod& method) {
    std::string name = method.address.empty() ? method.label : method.address;
    return name.empty() ? to_string(method.kind) : std::string(to_string(method.kind)) + " " + name;
}

bool is_pending_authenticator(const std::optional<VerificationMethod>& method, UnixTime now) {
    return method && method->kind == MethodKind::authenticator && !method->active && method->suspended_at == 0 &&
           method->created_at >= now - pending_authenticator_lifetime;
}

// What the page shows of a pending authenticator's raw secret.
SecondFactorEnrolment::NewAuthenticator shown(const std::string& issuer, const Account& account, std::int64_t method_id,
                                              std::string_view secret) {
    SecondFactorEnrolment::NewAuthenticator page;
    page.method_id = method_id;
    page.secret_base32 = base32_of(secret);
    page.otpauth_uri = otpauth_uri(issuer, account.username, page.secret_base32);
    // The otpauth label as the image's name; a page that wants it in the reader's language draws
    // its own with qr_svg(otpauth_uri, title).
    page.qr_svg = qr_svg(page.otpauth_uri, issuer.empty() ? account.username : issuer + ": " + account.username);
    return page;
}

// A not-found from the store (the method went meanwhile) is the caller's not_found.
template <typename Write>
Change written(Write write) {
    try {
        write();
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::not_found) throw;
        return Change::not_found;
    }
    return Change::done;
}

}  // namespace

SecondFactorEnrolment::NewAuthenticator SecondFactorEnrolment::begin_authenticator(const Account& account,
                                                                                   const std::string& label,
                                                                                   const ClientInfo& client,
                                                                                   UnixTime now) {
    std::string secret = new_totp_secret();
    VerificationMethod method;
    method.account_id = account.id;
    method.kind = MethodKind::authenticator;
    method.label = label_as_given(label);
    method.secret_box = seal_totp_secret(key_, account.id, secret);
    method.active = false;
    method.created_at = now;
    method.created_ip = client.ip;
    // Pending authenticators nobody proved in time go with this write.
    method.id = store_.add_pending_method(method, now - pending_authenticator_lifetime);
    NewAuthenticator page = shown(issuer_, account, method.id, secret);
    sodium_memzero(secret.data(), secret.size());
    return page;
}

std::optional<SecondFactorEnrolment::NewAuthenticator> SecondFactorEnrolment::pending_authenticator(
    const Account& account, std::int64_t method_id, UnixTime now) {
    std::optional<VerificationMethod> method = store_.find_method(account.id, method_id);
    if (!is_pending_authenticator(method, now)) return std::nullopt;
    std::string secret = open_totp_secret(key_, account.id, method->secret_box);
    NewAuthenticator page = shown(issuer_, account, method->id, secret);
    sodium_memzero(secret.data(), secret.size());
    return page;
}

SecondFactorEnrolment::Confirmation SecondFactorEnrolment::confirm_authenticator(
    const Account& account, std::int64_t method_id, const std::string& code, const ClientInfo& client, UnixTime now) {
    Confirmation confirmation;
    std::optional<VerificationMethod> method = store_.find_method(account.id, method_id);
    if (!is_pending_authenticator(method, now)) {
        confirmation.result = Confirmed::gone;
        return confirmation;
    }
    LockoutState lockout = store_.second_factor_lockout_of(account.id);
    if (is_locked(lockout, now)) {
        confirmation.result = Confirmed::locked;
        confirmation.locked_until = lockout.locked_until;
        return confirmation;
    }
    std::optional<TotpMatch> match =
        match_sealed_totp(key_, account.id, method->secret_box, code, now, policy_.totp_window);
    if (!match) {
        lockout = count_second_factor_failure(store_, account.id, policy_.lockout, now);
        if (is_locked(lockout, now)) {
            store_.record_event(audit_event(account.id, "second_factor_locked", client, now, "authenticator"));
            confirmation.result = Confirmed::locked;
            confirmation.locked_until = lockout.locked_until;
        }
        return confirmation;  // wrong_code, or the wrong code that locked
    }
    // The step that proved it is its first accepted one: the same code cannot pass the verify step.
    if (!store_.activate_method(account.id, method_id, match->step,
                                audit_event(account.id, "method_added", client, now, described(*method)))) {
        confirmation.result = Confirmed::gone;
        return confirmation;
    }
    confirmation.result = Confirmed::active;
    confirmation.clock_off = clock_seems_off(*match, policy_.totp_window);
    return confirmation;
}

std::vector<std::string> SecondFactorEnrolment::new_recovery_codes(const Account& account, const ClientInfo& client,
                                                                   UnixTime now) {
    std::vector<std::string> codes = myaccount::new_recovery_codes();
    std::vector<std::string> hashes;
    for (const std::string& code : codes)
        hashes.push_back(recovery_code_hash(key_, account.id, normalized_recovery_code(code)));
    store_.replace_recovery_codes(account.id, hashes, audit_event(account.id, "recovery_codes_created", client, now));
    return codes;
}

Change SecondFactorEnrolment::rename(const Account& account, std::int64_t method_id, const std::string& label,
                                     const ClientInfo& client, UnixTime now) {
    std::optional<std::string> cleaned = clean_label(label, max_method_label);
    if (!cleaned) return Change::bad_label;
    std::optional<VerificationMethod> method = store_.find_method(account.id, method_id);
    if (!method || !method->active) return Change::not_found;
    return written([&] {
        store_.rename_method(account.id, method_id, *cleaned,
                             audit_event(account.id, "method_renamed", client, now, described(*method)));
    });
}

Change SecondFactorEnrolment::make_default(const Account& account, std::int64_t method_id, const ClientInfo& client,
                                           UnixTime now) {
    std::optional<VerificationMethod> method = store_.find_method(account.id, method_id);
    // The default is what the verify step offers first: an active authenticator or phone.
    if (!method || !counts_as_two_step_method(*method)) return Change::not_found;
    return written([&] {
        store_.set_default_method(account.id, method_id,
                                  audit_event(account.id, "default_method_set", client, now, described(*method)));
    });
}

Change SecondFactorEnrolment::remove(const Account& account, std::int64_t method_id, const ClientInfo& client,
                                     UnixTime now, VerificationMethod* removed) {
    std::optional<VerificationMethod> method = store_.find_method(account.id, method_id);
    if (!method) return Change::not_found;
    // Refused when everyone must use 2-step verification (MyAccountRequireMFA All, or an
    // organization of the account asks it) and this is the last method: the user would owe a
    // registration at once. Where only those who registered use it, a user may step back out,
    // like at the peers (the change needs a recent second step).
    std::vector<VerificationMethod> remaining = store_.methods_of(account.id);
    remaining.erase(std::remove_if(remaining.begin(), remaining.end(),
                                   [method_id](const VerificationMethod& other) { return other.id == method_id; }),
                    remaining.end());
    if (counts_as_two_step_method(*method) && must_register_second_factor(policy_for(policy_, account), remaining))
        return Change::last_method;
    Change change = written([&] {
        store_.remove_method(account.id, method_id,
                             audit_event(account.id, "method_removed", client, now, described(*method)));
    });
    if (change == Change::done && removed != nullptr) {
        *removed = std::move(*method);
        removed->secret_box.clear();  // nothing the caller needs, nothing to leak
    }
    return change;
}

std::optional<std::string> SecondFactorEnrolment::create_app_password(const Account& account, const std::string& label,
                                                                      const ClientInfo& client, UnixTime now) {
    if (!policy_.app_passwords) return std::nullopt;
    std::optional<std::string> cleaned = clean_label(label, max_app_password_label);
    if (!cleaned || cleaned->empty()) return std::nullopt;  // a program needs a name to be revoked by
    std::string password = new_app_password();
    AppPassword row;
    row.account_id = account.id;
    row.label = *cleaned;
    row.hash = app_password_hash(key_, account.id, normalized_app_password(password));
    row.created_at = now;
    row.created_ip = client.ip;
    store_.create_app_password(row, audit_event(account.id, "app_password_created", client, now, *cleaned));
    return password;
}

Change SecondFactorEnrolment::revoke_app_password(const Account& account, std::int64_t id, const ClientInfo& client,
                                                  UnixTime now) {
    if (!policy_.app_passwords) return Change::not_found;
    std::vector<AppPassword> passwords = store_.app_passwords_of(account.id);
    auto found = std::find_if(passwords.begin(), passwords.end(), [&](const AppPassword& p) { return p.id == id; });
    if (found == passwords.end()) return Change::not_found;
    return written([&] {
        store_.revoke_app_password(account.id, id,
                                   audit_event(account.id, "app_password_revoked", client, now, found->label));
    });
}

}  // namespace myaccount
