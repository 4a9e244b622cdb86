// How accounts, organizations and security info are shown: aligned text for people, stable JSON for scripts.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/methods/method.hpp"
#include "core/model.hpp"

namespace myaccount::cli {

// Everything `user show` reports about one account (never its password hash).
struct AccountView {
    Account account;
    std::vector<Membership> memberships;
    std::optional<Photo> photo;  // only the type and size are shown
    std::size_t methods = 0;     // password-reset methods registered
};

// Keys: username, display_name, job_title, office, emails, disabled, locked_until,
// failed_attempts, organizations [{name, domain, kind, role}], methods (how many password-reset
// methods), created_at, updated_at. Times are Unix seconds; locked_until is 0 when not locked.
nlohmann::json account_json(const Account& account, const std::vector<Membership>& memberships, std::size_t methods);
nlohmann::json organization_json(const Organization& org);
// An array of {id, kind, address, label, created_at, suspended_at (Unix seconds; 0: not suspended by
// "This wasn't me")}.
nlohmann::json methods_json(const std::vector<VerificationMethod>& methods);
// An array of {id, at (Unix seconds), kind, client_ip, user_agent, detail}.
nlohmann::json events_json(const std::vector<AuditEvent>& events);

void print_json(std::ostream& out, const nlohmann::json& value);
void print_account(std::ostream& out, const AccountView& view, UnixTime now);
void print_account_table(std::ostream& out, const std::vector<Account>& accounts, UnixTime now);
void print_organization_table(std::ostream& out, const std::vector<Organization>& orgs);
void print_method_table(std::ostream& out, const std::vector<VerificationMethod>& methods);
void print_event_table(std::ostream& out, const std::vector<AuditEvent>& events);
// An array of {id, name, browser, os, first_seen_at, last_sign_in_at, last_address, disabled, disabled_at}.
nlohmann::json devices_json(const std::vector<Device>& devices);
void print_device_table(std::ostream& out, const std::vector<Device>& devices);
// "Chrome on Windows", as the portal's English pages name a device.
std::string device_name(const Device& device);
// "1 session ended", "3 sessions ended".
std::string sessions_ended(int count);

// An array of {organization, version, languages, published_at, withdrawn_at, current, acceptances}.
nlohmann::json terms_versions_json(const std::vector<TermsVersion>& versions);
void print_terms_table(std::ostream& out, const std::vector<TermsVersion>& versions);
// An array of {organization, version, language, accepted_at, address}.
nlohmann::json terms_acceptances_json(const std::vector<TermsAcceptance>& accepted);
void print_acceptance_table(std::ostream& out, const std::vector<TermsAcceptance>& accepted);

// "2024-05-01T12:00:00Z"
std::string format_time(UnixTime t);

}  // namespace myaccount::cli
