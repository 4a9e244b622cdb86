// Wording and addressing of the portal's notifications; no password or code is ever logged here.
#include "web/notices.hpp"

#include "core/methods/email.hpp"

#include <algorithm>

namespace myaccount::web {

namespace {

Notification email(const Exchange& exchange, const std::string& recipient, const std::string& key,
                   const Placeholders& values) {
    Notification notification;
    notification.recipient = recipient;
    notification.subject = fill(exchange.text(key + "_subject"), values);
    notification.body = fill(exchange.text(key + "_body"), values);
    // An empty placeholder line (no link configured) leaves no gap behind.
    for (std::size_t at; (at = notification.body.find("\n\n\n")) != std::string::npos;)
        notification.body.erase(at, 1);
    return notification;
}

const char* key_of(Notice notice) {
    switch (notice) {
    case Notice::password_changed: return "mail_password_changed";
    case Notice::password_reset: return "mail_password_reset";
    case Notice::method_added: return "mail_method_added";
    case Notice::method_removed: return "mail_method_removed";
    }
    return "mail_password_changed";
}

// The profile's addresses and the registered ones, each once.
std::vector<std::string> addresses_of(const Exchange& exchange, const Account& account) {
    std::vector<std::string> addresses = account.emails;
    for (const VerificationMethod& method : exchange.context.store.methods_of(account.id))
        addresses.push_back(method.address);
    std::vector<std::string> unique;
    for (const std::string& address : addresses) {
        bool seen = std::any_of(unique.begin(), unique.end(),
                                [&](const std::string& kept) { return same_email_address(kept, address); });
        if (!seen) unique.push_back(address);
    }
    return unique;
}

}  // namespace

std::string code_minutes(const Exchange& exchange) {
    return std::to_string((exchange.context.reset.code_lifetime + 59) / 60);
}

void post_reset_code(const Exchange& exchange, const std::string& recipient, const std::string& code,
                     std::int64_t challenge_id) {
    const PortalSettings& settings = exchange.context.settings;
    std::string link = settings.portal_url.empty()
                           ? std::string()
                           : fill(exchange.text("mail_reset_link"), {{"url", settings.portal_url + "/reset"}});
    Notification notification = email(exchange, recipient, "mail_reset_code",
                                      {{"issuer", settings.issuer}, {"code", code},
                                       {"minutes", code_minutes(exchange)}, {"link", link}});
    notification.challenge_id = challenge_id;
    exchange.context.notifier.post(std::move(notification));
}

bool send_verification_code(const Exchange& exchange, const std::string& recipient, const std::string& code) {
    return exchange.context.notifier.send_now(email(
        exchange, recipient, "mail_verify_code",
        {{"issuer", exchange.context.settings.issuer}, {"code", code}, {"minutes", code_minutes(exchange)}}));
}

void post_notice(const Exchange& exchange, const Account& account, Notice notice, const std::string& detail) {
    if (!exchange.context.notifier.available()) return;
    Placeholders values = {{"issuer", exchange.context.settings.issuer},
                           {"username", account.username},
                           {"address", detail}};
    for (const std::string& address : addresses_of(exchange, account)) {
        if (notice == Notice::method_added && same_email_address(address, detail)) continue;
        exchange.context.notifier.post(email(exchange, address, key_of(notice), values));
    }
}

}  // namespace myaccount::web
