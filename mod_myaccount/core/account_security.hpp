// The account-security changes (password change, reset and set, disable, enable, unlock), each
// one store write with its audit event, and the decision of who is told of it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/alert_policy.hpp"
#include "core/client_info.hpp"
#include "core/model.hpp"
#include "core/notifier.hpp"
#include "core/password_change.hpp"
#include "core/reset/password_reset.hpp"
#include "core/store.hpp"

namespace myaccount {

// What a person is told of; the service decides when and to whom, the caller how it reads.
enum class SecurityNotice {
    password_changed,       // by the user, knowing the current one
    password_reset,         // by the user, through the reset flow
    password_set_by_admin,  // by an administrator (myaccountctl)
    account_disabled,
    account_enabled,
    method_added,    // detail: the e-mail address added (which itself is not told)
    method_removed,  // detail: the e-mail address removed
    // The 2-step methods of the security info page; detail: the method's name as the page shows it
    // ("Authenticator app: Pixel 8", "Mobile phone: +81 90-1234-5678").
    two_step_method_added,
    two_step_method_removed,
    method_renamed,          // detail: the new name
    default_method_changed,  // detail: the new default
    recovery_codes_renewed,  // a new set: the old one stopped working
    app_password_created,    // detail: its label
    app_password_revoked,    // detail: its label
    browser_forgotten,       // detail: the browser, as the page lists it
    // An authenticator code that had been accepted before was typed again and refused (someone
    // who knows the password may be reading the codes); detail: the authenticator's name.
    code_replayed,
    // Every session of the account ended at the user's request; detail: the address it came from.
    signed_out_everywhere,
    // A device can no longer sign in to the account; detail: the device, as the pages name it.
    device_disabled,
    device_enabled,  // by an administrator; detail: the device
    organization_left,  // the user left a guest organization; detail: its name
    // A sign-in from a device the account had not signed in from before; detail: the sign-in as
    // the message words it (device, time, address).
    new_device_sign_in,
    // "This wasn't me": every session ended, recent methods suspended, a new password due; detail:
    // what the person did not recognize, as the activity page words it.
    not_me,
};

// The wording of a notice for one recipient: the web words it from its catalogs, the CLI in plain
// English. None: the caller has no words for that notice, and nothing is sent.
class NoticeWording {
public:
    virtual ~NoticeWording() = default;
    virtual std::optional<Notification> word(SecurityNotice notice, const Account& account,
                                             const std::string& detail) const = 0;
};

class AccountSecurity {
public:
    // `alerts`: the kinds of notice the site sends (MyAccountSecurityAlerts); the others are
    // recorded as ever, and nobody is told.
    AccountSecurity(Store& store, Notifier& notifier, const NoticeWording& wording, AlertPolicy alerts = {})
        : store_(store), notifier_(notifier), wording_(wording), alerts_(alerts) {}

    // What a change did: the sessions it ended and the addresses a notice was posted to (0 when
    // no notifier is configured).
    struct Done {
        int sessions_ended = 0;
        int told = 0;
    };

    // The user's own change (current password proven by `changer`); told on success.
    PasswordChanger::Outcome change_password(PasswordChanger& changer, const Account& account,
                                             const std::string& current, const std::string& next,
                                             const std::string& confirmation, const ClientInfo& client, UnixTime now);
    // The last step of a reset; told on success.
    PasswordReset::Outcome finish_reset(PasswordReset& reset, const PasswordReset::Flow& flow, const std::string& next,
                                        const std::string& confirmation, const ClientInfo& client, UnixTime now);
    // An administrator's new password (already hashed): one transaction with the hash, every
    // session ended and the event; then the user is told.
    Done set_password(const Account& account, const std::string& hash, const ClientInfo& client, UnixTime now);
    // Disabling ends every session (the security stamp moves); enabling revives none. Both told.
    Done disable(const Account& account, const ClientInfo& client, UnixTime now);
    Done enable(const Account& account, const ClientInfo& client, UnixTime now);
    // Ends every session of the account, this one too, and forgets its remembered browsers (one
    // store transaction with the event: Store::sign_out_everywhere); then the user is told.
    Done sign_out_everywhere(const Account& account, const ClientInfo& client, UnixTime now);
    // Disables one of the account's devices (one store transaction: Store::disable_device) and
    // tells the user; `device_name` words it. None when the account has no such device.
    std::optional<Done> disable_device(const Account& account, std::int64_t device_id, const std::string& device_name,
                                       const ClientInfo& client, UnixTime now);
    // Lets it sign in again (an administrator's act), recorded and told; none when there is none.
    std::optional<Done> enable_device(const Account& account, std::int64_t device_id, const std::string& device_name,
                       const ClientInfo& client, UnixTime now);
    // The user leaves one of their organizations: a guest membership of an organization whose
    // members may leave (Store::leave_organization); then they are told.
    enum class Leaving { left, not_a_member, home_organization, members_may_not_leave };
    Leaving leave_organization(const Account& account, std::int64_t organization_id, const ClientInfo& client,
                               UnixTime now);
    // "This wasn't me" about `what` (an activity entry as the page words it): Store::report_not_me
    // with the methods added in the last `suspend_window` seconds; then the user is told.
    static constexpr UnixTime suspend_window = 7 * 86400;
    struct NotMeDone {
        Done done;
        int methods_suspended = 0;
        int app_passwords_revoked = 0;
    };
    NotMeDone report_not_me(const Account& account, const std::string& what, const ClientInfo& client, UnixTime now);
    // Lifts a lockout; recorded, nobody told (the lock was the user's own failed attempts).
    void unlock(const Account& account, const ClientInfo& client, UnixTime now);

    // code_replayed, at most once an hour for an account (a page sent twice must not flood the
    // inbox, nor someone replaying codes on purpose). Returns how many notices were posted.
    int tell_of_replay(const Account& account, const std::string& method_name, UnixTime now);

    // Who is told: every address of the profile and every registered e-mail method, each once; for
    // method_added not the new address itself. Returns how many notices were posted.
    int tell(const Account& account, SecurityNotice notice, const std::string& detail = {});
    std::vector<std::string> recipients(const Account& account, SecurityNotice notice, const std::string& detail);

private:
    int active_sessions(const Account& account, UnixTime now);

    Store& store_;
    Notifier& notifier_;
    const NoticeWording& wording_;
    AlertPolicy alerts_;
};

}  // namespace myaccount
