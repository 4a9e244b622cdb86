// The changes to security info the pages and the JSON API share: each one the enrolment's change
// (with its audit event) and then the notice to the user, so both ways in behave alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/second_factor/enrolment.hpp"
#include "core/second_factor/verifier.hpp"
#include "web/respond.hpp"

namespace myaccount::web {

// One of the signed-in account's methods, active or pending; none for another account's id.
std::optional<VerificationMethod> own_method(const Exchange& exchange, std::int64_t id);

using Change = SecondFactorEnrolment::Change;

Change rename_method(const Exchange& exchange, std::int64_t id, const std::string& label);
// not_found also for a method that cannot be the default (recovery codes, a pending authenticator).
Change make_default_method(const Exchange& exchange, std::int64_t id);
// `kind` (may be null) receives the kind of the method removed.
Change remove_method(const Exchange& exchange, std::int64_t id, MethodKind* kind = nullptr);

// A new authenticator with the label typed (trimmed; "" allowed); none for a bad label.
std::optional<SecondFactorEnrolment::NewAuthenticator> begin_authenticator(const Exchange& exchange,
                                                                           const std::string& label);
SecondFactorEnrolment::Confirmation confirm_authenticator(const Exchange& exchange, std::int64_t id,
                                                          const std::string& code);

// The signed-in session proved a 2-step method as it added it: it has passed the second step
// (else the next request would stop it at the verify step for the method it just proved).
void note_second_step_proven(const Exchange& exchange);

// Whether the account has a set of recovery codes now.
bool has_recovery_codes(const Exchange& exchange);
// A new set of recovery codes (the old set stops working), to show once.
std::vector<std::string> renew_recovery_codes(const Exchange& exchange);

// App passwords: the new password to show once (none: a bad label, or the feature is off).
std::optional<std::string> create_app_password(const Exchange& exchange, const std::string& label);
Change revoke_app_password(const Exchange& exchange, std::int64_t id);

// Forgets one of the account's remembered browsers; false when it has no such one.
bool forget_browser(const Exchange& exchange, std::int64_t id);

// After a refused code: tells `account`'s owner when it was an authenticator code accepted before
// (AccountSecurity::tell_of_replay). The account is the verify step's or a reset flow's.
void tell_if_replayed(const Exchange& exchange, const Account& account, const SecondFactorVerifier::Outcome& outcome);

// A label as typed is acceptable: at most max_method_label code points of one line (may be empty).
bool acceptable_label(const std::string& label);

}  // namespace myaccount::web
