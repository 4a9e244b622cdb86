// The messages the portal sends people (codes, "your password was changed", ...), worded from
// the catalogs in the user's language and handed to the notifier.
#pragma once

#include <string>
#include <vector>

#include "core/account_security.hpp"
#include "core/model.hpp"
#include "web/respond.hpp"

namespace myaccount::web {

// A one-time code for a reset, by `channel` (an e-mail, a text or a call): queued, sent after the
// response; the outcome lands on the challenge.
void post_reset_code(const Exchange& exchange, const std::string& recipient, const std::string& channel,
                     const std::string& code, std::int64_t challenge_id);
// A one-time code proving a new address: sent now; false when the notifier failed.
bool send_verification_code(const Exchange& exchange, const std::string& recipient, const std::string& code);

// When and from where a change was made, for the notice that tells of it.
struct Circumstances {
    UnixTime when = 0;
    ClientInfo client;
};

// The portal's wording of the account-security notices, from the catalogs in the user's language:
// what happened (`detail` fills {address}, {method}, ...), when (MyAccountTimeZone), from which
// address and device, and where to say "This wasn't me" (the activity page of MyAccountPortalUrl).
// Who is told is decided by AccountSecurity.
class CatalogWording final : public NoticeWording {
public:
    CatalogWording(const Catalogs& catalogs, std::string lang, const PortalSettings& settings,
                   Circumstances circumstances)
        : catalogs_(catalogs), lang_(std::move(lang)), settings_(settings), circumstances_(std::move(circumstances)) {}
    explicit CatalogWording(const Exchange& exchange)
        : CatalogWording(exchange.context.renderer.catalogs(), exchange.lang, exchange.context.settings,
                         {exchange.context.now, client_of(exchange)}) {}
    std::optional<Notification> word(SecurityNotice notice, const Account& account,
                                     const std::string& detail) const override;

private:
    // "When: ... / From: ..., Chrome on Windows" and the activity page's link.
    std::string footer(SecurityNotice notice) const;

    const Catalogs& catalogs_;
    std::string lang_;
    const PortalSettings& settings_;
    Circumstances circumstances_;
};

// The account-security service with the portal's store, notifier and wording; `wording` must
// outlive it.
inline AccountSecurity account_security(const Exchange& exchange, const CatalogWording& wording) {
    return AccountSecurity(exchange.context.store, exchange.context.notifier, wording, exchange.context.settings.alerts);
}

// A sign-in of `account` from `device`, which it had not signed in from before: its people are told
// when, from where and on what, in `lang`, with the devices page to disable it if it was not them.
void alert_new_device(const Catalogs& catalogs, const std::string& lang, const PortalSettings& settings,
                      Store& store, Notifier& notifier, const Account& account, const Device& device);

// Tells the account's people of a method added or removed (AccountSecurity::tell); queued.
void post_notice(const Exchange& exchange, const Account& account, SecurityNotice notice,
                 const std::string& detail = {});

// A one-time code by text message (or a call: `channel` "voice") to `number`: the catalog text
// `key` with {issuer}, {code} and {minutes}. The caller sends or posts it.
Notification code_by_phone(const Exchange& exchange, const std::string& number, const std::string& channel,
                           const char* key, const std::string& code);

// How long a one-time code lives, in whole minutes, for the pages and messages.
std::string code_minutes(const Exchange& exchange);

}  // namespace myaccount::web
