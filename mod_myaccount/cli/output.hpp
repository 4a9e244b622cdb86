// How accounts and organizations are shown: aligned text for people, JSON with stable keys for scripts.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.hpp"

namespace myaccount::cli {

// Everything `user show` reports about one account (never its password hash).
struct AccountView {
    Account account;
    std::vector<Membership> memberships;
    std::optional<Photo> photo;  // only the type and size are shown
};

// Keys: username, display_name, job_title, office, emails, disabled, locked_until,
// failed_attempts, organizations [{name, domain, kind, role}], created_at, updated_at.
// Times are Unix seconds; locked_until is 0 when the account is not locked.
nlohmann::json account_json(const Account& account, const std::vector<Membership>& memberships);
nlohmann::json organization_json(const Organization& org);

void print_json(std::ostream& out, const nlohmann::json& value);
void print_account(std::ostream& out, const AccountView& view, UnixTime now);
void print_account_table(std::ostream& out, const std::vector<Account>& accounts, UnixTime now);
void print_organization_table(std::ostream& out, const std::vector<Organization>& orgs);

// "2024-05-01T12:00:00Z"
std::string format_time(UnixTime t);

}  // namespace myaccount::cli
