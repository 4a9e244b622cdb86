// Wording and addressing of the portal's notifications; no password or code is ever logged here.
#include "web/notices.hpp"

#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

Notification email(const Catalogs& catalogs, const std::string& lang, const std::string& recipient,
                   const std::string& key, const Placeholders& values) {
    Notification notification;
    notification.recipient = recipient;
    notification.subject = fill(catalogs.text(lang, key + "_subject"), values);
    notification.body = fill(catalogs.text(lang, key + "_body"), values);
    // An empty placeholder line (no link configured) leaves no gap behind.
    for (std::size_t at; (at = notification.body.find("\n\n\n")) != std::string::npos;)
        notification.body.erase(at, 1);
    return notification;
}

Notification email(const Exchange& exchange, const std::string& recipient, const std::string& key,
                   const Placeholders& values) {
    return email(exchange.context.renderer.catalogs(), exchange.lang, recipient, key, values);
}

// The catalog key of a notice the portal words; none for those only myaccountctl sends.
const char* key_of(SecurityNotice notice) {
    switch (notice) {
    case SecurityNotice::password_changed: return "mail_password_changed";
    case SecurityNotice::password_reset: return "mail_password_reset";
    case SecurityNotice::method_added: return "mail_method_added";
    case SecurityNotice::method_removed: return "mail_method_removed";
    case SecurityNotice::two_step_method_added: return "mail_two_step_method_added";
    case SecurityNotice::two_step_method_removed: return "mail_two_step_method_removed";
    case SecurityNotice::method_renamed: return "mail_method_renamed";
    case SecurityNotice::default_method_changed: return "mail_default_method_changed";
    case SecurityNotice::recovery_codes_renewed: return "mail_recovery_codes_renewed";
    case SecurityNotice::app_password_created: return "mail_app_password_created";
    case SecurityNotice::app_password_revoked: return "mail_app_password_revoked";
    case SecurityNotice::browser_forgotten: return "mail_browser_forgotten";
    case SecurityNotice::code_replayed: return "mail_code_replayed";
    case SecurityNotice::signed_out_everywhere: return "mail_signed_out_everywhere";
    case SecurityNotice::device_disabled: return "mail_device_disabled";
    case SecurityNotice::organization_left: return "mail_organization_left";
    case SecurityNotice::new_device_sign_in: return "mail_new_device";
    case SecurityNotice::not_me: return "mail_not_me";
    case SecurityNotice::device_enabled:
    case SecurityNotice::password_set_by_admin:
    case SecurityNotice::account_disabled:
    case SecurityNotice::account_enabled: return nullptr;
    }
    return nullptr;
}

}  // namespace

std::string code_minutes(const Exchange& exchange) {
    return std::to_string((exchange.context.reset.code_lifetime + 59) / 60);
}

void post_reset_code(const Exchange& exchange, const std::string& recipient, const std::string& channel,
                     const std::string& code, std::int64_t challenge_id) {
    const PortalSettings& settings = exchange.context.settings;
    if (channel != "email") {
        // A text (or a call) has room for the code and nothing else: no link.
        Notification text = code_by_phone(exchange, recipient, channel, "sms_reset_code", code);
        text.challenge_id = challenge_id;
        exchange.context.notifier.post(std::move(text));
        return;
    }
    std::string link = settings.portal_url.empty()
                           ? std::string()
                           : fill(exchange.text("mail_reset_link"), {{"url", settings.portal_url + "/reset"}});
    Notification notification = email(exchange, recipient, "mail_reset_code",
                                      {{"issuer", settings.issuer}, {"code", code},
                                       {"minutes", code_minutes(exchange)}, {"link", link}});
    notification.challenge_id = challenge_id;
    exchange.context.notifier.post(std::move(notification));
}

Notification code_by_phone(const Exchange& exchange, const std::string& number, const std::string& channel,
                           const char* key, const std::string& code) {
    Notification text;
    text.channel = channel;
    text.recipient = number;
    text.body = fill(exchange.text(key),
                     {{"issuer", exchange.context.settings.issuer}, {"code", code}, {"minutes", code_minutes(exchange)}});
    return text;
}

bool send_verification_code(const Exchange& exchange, const std::string& recipient, const std::string& code) {
    return exchange.context.notifier.send_now(email(
        exchange, recipient, "mail_verify_code",
        {{"issuer", exchange.context.settings.issuer}, {"code", code}, {"minutes", code_minutes(exchange)}}));
}

std::optional<Notification> CatalogWording::word(SecurityNotice notice, const Account& account,
                                                 const std::string& detail) const {
    const char* key = key_of(notice);
    if (!key) return std::nullopt;
    const std::string devices_link =
        settings_.portal_url.empty()
            ? std::string()
            : fill(catalogs_.text(lang_, "mail_devices_link"), {{"url", settings_.portal_url + "/devices"}});
    const std::string reset_link =
        settings_.portal_url.empty()
            ? std::string()
            : fill(catalogs_.text(lang_, "mail_reset_link"), {{"url", settings_.portal_url + "/reset"}});
    Placeholders values = {{"issuer", settings_.issuer},
                           {"username", account.username},
                           {"address", detail},
                           {"method", detail},
                           {"device", detail},
                           {"organization", detail},
                           {"sign_in", detail},
                           {"what", detail},
                           {"devices_link", devices_link},
                           {"reset_link", reset_link}};
    Notification notification = email(catalogs_, lang_, std::string(), key, values);
    notification.body += footer(notice);
    return notification;
}

std::string CatalogWording::footer(SecurityNotice notice) const {
    std::string text;
    // A new device's notice says when and where in its first lines already.
    if (notice != SecurityNotice::new_device_sign_in && circumstances_.when > 0) {
        const ClientInfo& client = circumstances_.client;
        text += fill(catalogs_.text(lang_, "mail_when_where"),
                     {{"time", local_time_text(catalogs_, lang_, settings_.time_zone, circumstances_.when)},
                      {"address", client.ip.empty() ? "—" : client.ip},
                      {"device", browser_summary(catalogs_, lang_, client.user_agent)}});
    }
    if (!settings_.portal_url.empty())
        text += fill(catalogs_.text(lang_, "mail_activity_link"), {{"url", settings_.portal_url + "/activity"}});
    return text.empty() ? text : "\n" + text;
}

void alert_new_device(const Catalogs& catalogs, const std::string& lang, const PortalSettings& settings,
                      Store& store, Notifier& notifier, const Account& account, const Device& device) {
    const std::string sign_in = fill(catalogs.text(lang, "mail_new_device_sign_in"),
                                     {{"device", browser_summary(catalogs, lang, device.user_agent)},
                                      {"date", minute_of(device.first_seen_at)},
                                      {"address", device.last_ip}});
    CatalogWording wording(catalogs, lang, settings, {device.last_sign_in_at, {device.last_ip, device.user_agent}});
    AccountSecurity(store, notifier, wording).tell(account, SecurityNotice::new_device_sign_in, sign_in);
}

void post_notice(const Exchange& exchange, const Account& account, SecurityNotice notice, const std::string& detail) {
    CatalogWording wording(exchange);
    account_security(exchange, wording).tell(account, notice, detail);
}

}  // namespace myaccount::web
