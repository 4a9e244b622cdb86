// The portal's entry point: one request in, one response out, everything it needs passed in.
#pragma once

#include <string>
#include <vector>

#include "core/alert_policy.hpp"
#include "core/crypto.hpp"
#include "core/local_time.hpp"
#include "core/defaults.hpp"
#include "core/notifier.hpp"
#include "core/password_change.hpp"
#include "core/password_hasher.hpp"
#include "core/model.hpp"
#include "core/reset/reset_policy.hpp"
#include "core/second_factor/policy.hpp"
#include "core/session_registry.hpp"
#include "core/store.hpp"
#include "web/http.hpp"
#include "web/local_path.hpp"
#include "web/page_cache.hpp"
#include "web/render.hpp"

namespace myaccount::web {

struct PortalSettings {
    std::string issuer = defaults::issuer;                  // MyAccountIssuer
    std::string login_action = defaults::login_action;      // MyAccountLoginAction: the front's form-login-handler
    std::string default_language = defaults::default_language;  // MyAccountDefaultLanguage
    std::string default_location;         // where a sign-in lands when it names no safe place
    std::string portal_url;               // MyAccountPortalUrl: the only base of links in messages
    std::string password_change_url;      // MyAccountPasswordChangeUrl: for passwords kept elsewhere
    std::string default_country = defaults::default_country;  // MyAccountDefaultCountry: phone numbers typed without +
    TimeZone time_zone;  // MyAccountTimeZone: the activity page's and the notices' times
    AlertPolicy alerts;  // MyAccountSecurityAlerts: the kinds of security notice sent
};

struct Context {
    Store& store;
    const Renderer& renderer;
    const SecretKey& key;
    const PortalSettings& settings;
    UnixTime now;
    PageCache& pages;  // per process: rendered pages by version-bearing keys
    const PasswordHasher& hasher;
    const PasswordChangeRules& password_rules;
    const ResetPolicy& reset;
    Notifier& notifier;
    const SecondFactorPolicy& second_factor;
    const SessionSettings& sessions;
};

// Routes the request to its page or API handler. Never throws: failures become 500 responses
// (the caller logs `error_detail` when set).
Response handle(const Request& request, Context& context, std::string& error_detail);

// Splits a request path into where the portal is mounted and the route below it, given the
// paths of the <Location> sections that apply to the request (outermost first).
struct Mount {
    std::string base;
    std::string route;
};
Mount resolve_mount(const std::string& uri, const std::vector<std::string>& sections);

// Sign-in forms carry mac(nonce) for a nonce kept in a cookie, so a sign-in cannot be posted
// from another site (login CSRF: signing the victim in as the attacker).
std::string login_form_token(const SecretKey& key, const std::string& nonce);
bool login_form_token_ok(const SecretKey& key, const std::string& nonce, const std::string& token);

// The headers every portal response carries (CSP, framing, caching, referrer, sniffing).
void add_security_headers(Response& response, bool cacheable);

}  // namespace myaccount::web
