// One place for account-security changes and their notices, shared by the portal and myaccountctl.
#include "core/account_security.hpp"

#include <algorithm>

#include "core/audit.hpp"
#include "core/hourly_limits.hpp"
#include "core/methods/email.hpp"

namespace myaccount {

PasswordChanger::Outcome AccountSecurity::change_password(PasswordChanger& changer, const Account& account,
                                                          const std::string& current, const std::string& next,
                                                          const std::string& confirmation, const ClientInfo& client,
                                                          UnixTime now) {
    PasswordChanger::Outcome outcome = changer.change(account, current, next, confirmation, client, now);
    if (outcome.status == PasswordChanger::Status::changed) tell(account, SecurityNotice::password_changed);
    return outcome;
}

PasswordReset::Outcome AccountSecurity::finish_reset(PasswordReset& reset, const PasswordReset::Flow& flow,
                                                     const std::string& next, const std::string& confirmation,
                                                     const ClientInfo& client, UnixTime now) {
    PasswordReset::Outcome outcome = reset.set_password(flow, next, confirmation, client, now);
    if (outcome.status == PasswordReset::Status::reset && flow.account)
        tell(*flow.account, SecurityNotice::password_reset);
    return outcome;
}

AccountSecurity::Done AccountSecurity::set_password(const Account& account, const std::string& hash,
                                                    const ClientInfo& client, UnixTime now) {
    Done done;
    done.sessions_ended = active_sessions(account, now);
    // One transaction: the hash, every session ended, the event in the user's audit trail.
    store_.change_password(account.id, hash, audit_event(account.id, "password_set_by_admin", client, now));
    done.told = tell(account, SecurityNotice::password_set_by_admin);
    return done;
}

AccountSecurity::Done AccountSecurity::disable(const Account& account, const ClientInfo& client, UnixTime now) {
    Done done;
    // The stamp moves with the flag, so every session is dead from this write on; marking them
    // ended keeps the list of signed-in devices truthful.
    done.sessions_ended = store_.disable_account(account.id, audit_event(account.id, "account_disabled", client, now), now);
    done.told = tell(account, SecurityNotice::account_disabled);
    return done;
}

AccountSecurity::Done AccountSecurity::enable(const Account& account, const ClientInfo& client, UnixTime now) {
    Done done;
    store_.enable_account(account.id, audit_event(account.id, "account_enabled", client, now), now);
    done.told = tell(account, SecurityNotice::account_enabled);
    return done;
}

AccountSecurity::Done AccountSecurity::sign_out_everywhere(const Account& account, const ClientInfo& client,
                                                          UnixTime now) {
    Done done;
    done.sessions_ended =
        store_.sign_out_everywhere(account.id, audit_event(account.id, "signed_out_everywhere", client, now), now);
    done.told = tell(account, SecurityNotice::signed_out_everywhere, client.ip);
    return done;
}

std::optional<AccountSecurity::Done> AccountSecurity::disable_device(const Account& account, std::int64_t device_id,
                                                                    const std::string& device_name,
                                                                    const ClientInfo& client, UnixTime now) {
    Done done;
    try {
        done.sessions_ended = store_.disable_device(
            account.id, device_id, audit_event(account.id, "device_disabled", client, now, device_name), now);
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::not_found) return std::nullopt;
        throw;
    }
    done.told = tell(account, SecurityNotice::device_disabled, device_name);
    return done;
}

std::optional<AccountSecurity::Done> AccountSecurity::enable_device(const Account& account, std::int64_t device_id,
                                                                   const std::string& device_name,
                                                                   const ClientInfo& client, UnixTime now) {
    try {
        store_.enable_device(account.id, device_id, audit_event(account.id, "device_enabled", client, now, device_name));
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::not_found) return std::nullopt;
        throw;
    }
    Done done;
    done.told = tell(account, SecurityNotice::device_enabled, device_name);
    return done;
}

AccountSecurity::Leaving AccountSecurity::leave_organization(const Account& account, std::int64_t organization_id,
                                                            const ClientInfo& client, UnixTime now) {
    const std::vector<Membership> memberships = store_.memberships_of(account.id);
    auto member = std::find_if(memberships.begin(), memberships.end(),
                               [&](const Membership& m) { return m.organization.id == organization_id; });
    if (member == memberships.end()) return Leaving::not_a_member;
    if (member->kind == MembershipKind::home) return Leaving::home_organization;
    if (!member->organization.members_may_leave) return Leaving::members_may_not_leave;
    const std::string& name = member->organization.name;
    try {
        store_.leave_organization(account.id, organization_id,
                                  audit_event(account.id, "organization_left", client, now, name));
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::not_found) return Leaving::not_a_member;
        if (e.kind() == StoreError::Kind::conflict) return Leaving::members_may_not_leave;
        throw;
    }
    tell(account, SecurityNotice::organization_left, name);
    return Leaving::left;
}

AccountSecurity::NotMeDone AccountSecurity::report_not_me(const Account& account, const std::string& what,
                                                          const ClientInfo& client, UnixTime now) {
    const Store::NotMe result =
        store_.report_not_me(account.id, now - suspend_window, audit_event(account.id, "not_me", client, now, what), now);
    NotMeDone done;
    done.done.sessions_ended = result.sessions_ended;
    done.methods_suspended = result.methods_suspended;
    done.app_passwords_revoked = result.app_passwords_revoked;
    done.done.told = tell(account, SecurityNotice::not_me, what);
    return done;
}

void AccountSecurity::unlock(const Account& account, const ClientInfo& client, UnixTime now) {
    store_.unlock_account(account.id, audit_event(account.id, "account_unlocked", client, now), now);
}

std::vector<std::string> AccountSecurity::recipients(const Account& account, SecurityNotice notice,
                                                     const std::string& detail) {
    std::vector<std::string> addresses = account.emails;
    // Notices are e-mail: a phone method's number or an authenticator (no address) is no recipient.
    for (const VerificationMethod& method : store_.methods_of(account.id))
        if (method.kind == MethodKind::email) addresses.push_back(method.address);
    std::vector<std::string> unique;
    for (const std::string& address : addresses) {
        if (notice == SecurityNotice::method_added && same_email_address(address, detail)) continue;
        bool seen = std::any_of(unique.begin(), unique.end(),
                                [&](const std::string& kept) { return same_email_address(kept, address); });
        if (!seen) unique.push_back(address);
    }
    return unique;
}

int AccountSecurity::tell(const Account& account, SecurityNotice notice, const std::string& detail) {
    if (!notifier_.available() || !alerts_.tells(notice)) return 0;
    std::optional<Notification> message = wording_.word(notice, account, detail);
    if (!message) return 0;
    int told = 0;
    for (const std::string& address : recipients(account, notice, detail)) {
        Notification notification = *message;
        notification.recipient = address;
        notifier_.post(std::move(notification));
        ++told;
    }
    return told;
}

int AccountSecurity::tell_of_replay(const Account& account, const std::string& method_name, UnixTime now) {
    if (!notifier_.available()) return 0;
    if (!within_hourly_limits(store_, {{"replay-notice", std::to_string(account.id), 1}}, now)) return 0;
    return tell(account, SecurityNotice::code_replayed, method_name);
}

int AccountSecurity::active_sessions(const Account& account, UnixTime now) {
    return static_cast<int>(store_.sessions_of(account.id, /*active_only=*/true, now).size());
}

}  // namespace myaccount
