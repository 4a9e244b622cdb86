// The security info page's words for methods, app passwords and remembered browsers, shaped once
// for the pages and once for the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/methods/method.hpp"
#include "core/model.hpp"
#include "core/second_factor/enrolment.hpp"
#include "web/respond.hpp"

namespace myaccount::web {

// "2026-12-06" (UTC), as every date on the security pages reads.
std::string date_of(UnixTime when);
// "2026-12-07 15:30 UTC".
std::string minute_of(UnixTime when);
// In the reader's language and the configured zone (MyAccountTimeZone): "7 Dec 2026, 15:30 (UTC)",
// "2026年12月8日 0:30（UTC+09:00）".
std::string local_time_text(const Exchange& exchange, UnixTime when);
std::string local_time_text(const Catalogs& catalogs, const std::string& lang, const TimeZone& zone, UnixTime when);

// What a method is called where one name must do (a notice, a button's description): the
// address, the readable phone number, the authenticator's label or else its kind.
std::string method_name(const Exchange& exchange, const VerificationMethod& method);
// The kind as people say it: "E-mail", "Mobile phone", "Authenticator app", "Recovery codes".
std::string method_kind_text(const Exchange& exchange, const VerificationMethod& method);
// Kind and name in one: "Authenticator app: Pixel 8", "E-mail: alice@example.net", or the kind
// alone when the name is the kind ("Recovery codes").
std::string method_title(const Exchange& exchange, const VerificationMethod& method);

// The rows of the method list, the choices of the default method, and whether there is one.
struct MethodsView {
    nlohmann::json rows = nlohmann::json::array();
    nlohmann::json default_choices = nlohmann::json::array();
    std::string default_name;   // "" when no method is the default
    std::size_t count = 0;      // methods listed
};
MethodsView methods_view(const Exchange& exchange, const std::vector<VerificationMethod>& methods);

// A method as the API lists it: no secret, no hash.
nlohmann::json method_api_view(const VerificationMethod& method, int recovery_left);

// A browser as people know it from its User-Agent ("Edge / Windows"); the raw string, shortened,
// when nothing is recognised.
std::string browser_summary(const Exchange& exchange, const std::string& user_agent);
std::string browser_summary(const Catalogs& catalogs, const std::string& lang, const std::string& user_agent);

// App passwords and remembered browsers as the page lists them.
nlohmann::json app_passwords_view(const Exchange& exchange, const std::vector<AppPassword>& passwords);
nlohmann::json remembered_browsers_view(const Exchange& exchange, const std::vector<RememberedBrowser>& browsers);

// The enrolment service with the portal's store, key, policy and issuer.
SecondFactorEnrolment enrolment_of(const Exchange& exchange);

// A positive id from a form field or a path segment: digits only, at most 18 of them; none else.
std::optional<std::int64_t> id_from(const std::string* text);

}  // namespace myaccount::web
