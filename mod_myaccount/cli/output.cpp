// How accounts, organizations and security info are shown: aligned text for people, stable JSON for scripts.
#include "cli/output.hpp"

#include "core/account_json.hpp"
#include "core/user_agent.hpp"

#include <algorithm>
#include <ctime>

#include "cli/validation.hpp"

namespace myaccount::cli {

namespace {

std::string or_dash(const std::string& value) { return value.empty() ? "-" : value; }

std::string password_state(const std::string& hash) {
    if (hash.empty()) return "not set (cannot sign in)";
    if (hash.rfind("$argon2id$", 0) == 0) return "set (argon2id)";
    return "set (imported htpasswd hash; re-hashed to argon2id at the next sign-in)";
}

std::string account_status(const Account& a, UnixTime now) {
    if (a.disabled) return "disabled";
    if (a.locked_until > now) return "locked";
    if (a.password_hash.empty()) return "no password";
    return "active";
}

// Rows of cells printed in columns two spaces apart, each cell made safe for the terminal.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    std::vector<std::vector<std::string>> cells;
    for (const auto& row : rows) {
        std::vector<std::string> safe;
        for (std::size_t i = 0; i < row.size(); ++i) {
            safe.push_back(printable(row[i], 4096));
            if (widths.size() <= i) widths.push_back(0);
            // Width in bytes is close enough for the mostly-ASCII data an admin lists.
            widths[i] = std::max(widths[i], safe.back().size());
        }
        cells.push_back(std::move(safe));
    }
    for (const auto& row : cells) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        out << line << '\n';
    }
}

}  // namespace

std::string format_time(UnixTime t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    char buffer[32];
    if (::gmtime_r(&tt, &tm) == nullptr ||
        std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        return std::to_string(t);
    }
    return buffer;
}

nlohmann::json account_json(const Account& account, const std::vector<Membership>& memberships, std::size_t methods) {
    nlohmann::json json = profile_json(account);
    json["disabled"] = account.disabled;
    json["locked_until"] = account.locked_until;
    json["failed_attempts"] = account.failed_attempts;
    json["organizations"] = memberships_json(memberships);
    json["methods"] = methods;
    json["created_at"] = account.created_at;
    json["updated_at"] = account.updated_at;
    return json;
}

nlohmann::json organization_json(const Organization& org) {
    return {{"name", org.name},
            {"domain", org.domain},
            {"require_mfa", to_string(org.require_mfa)},
            {"members_may_leave", org.members_may_leave}};
}

nlohmann::json methods_json(const std::vector<VerificationMethod>& methods) {
    nlohmann::json list = nlohmann::json::array();
    for (const VerificationMethod& m : methods) {
        list.push_back({{"id", m.id},
                        {"kind", to_string(m.kind)},
                        {"address", m.address},
                        {"label", m.label},
                        {"created_at", m.created_at},
                        {"suspended_at", m.suspended_at}});
    }
    return list;
}

nlohmann::json events_json(const std::vector<AuditEvent>& events) {
    nlohmann::json list = nlohmann::json::array();
    for (const AuditEvent& e : events) {
        list.push_back({{"id", e.id},
                        {"at", e.at},
                        {"kind", e.kind},
                        {"client_ip", e.client_ip},
                        {"user_agent", e.user_agent},
                        {"detail", e.detail}});
    }
    return list;
}

void print_json(std::ostream& out, const nlohmann::json& value) {
    // Replace rather than throw on bytes that are not UTF-8 (possible only in hand-edited data).
    out << value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void print_account(std::ostream& out, const AccountView& view, UnixTime now) {
    const Account& a = view.account;
    std::string emails;
    for (std::size_t i = 0; i < a.emails.size(); ++i) {
        emails += (i ? ", " : "") + a.emails[i] + (i == 0 ? " (primary)" : "");
    }
    std::string locked = "no";
    if (a.locked_until > now) locked = "until " + format_time(a.locked_until);
    std::string photo = "none";
    if (view.photo)
        photo = view.photo->content_type + ", " + std::to_string(view.photo->bytes.size()) + " bytes";

    std::vector<std::vector<std::string>> rows = {
        {"username:", a.username},
        {"display name:", or_dash(a.display_name)},
        {"job title:", or_dash(a.job_title)},
        {"office:", or_dash(a.office)},
        {"e-mail:", or_dash(emails)},
        {"status:", account_status(a, now)},
        {"disabled:", a.disabled ? "yes" : "no"},
        {"locked:", locked},
        {"failed attempts:", std::to_string(a.failed_attempts)},
        {"password:", password_state(a.password_hash)},
        {"photo:", photo},
        {"reset methods:", std::to_string(view.methods)},
    };
    if (view.memberships.empty()) rows.push_back({"organizations:", "-"});
    for (std::size_t i = 0; i < view.memberships.size(); ++i) {
        const Membership& m = view.memberships[i];
        std::string text = m.organization.name;
        if (!m.organization.domain.empty()) text += " (" + m.organization.domain + ")";
        text += std::string(", ") + to_string(m.kind);
        if (!m.role.empty()) text += ", " + m.role;
        rows.push_back({i == 0 ? "organizations:" : "", text});
    }
    rows.push_back({"created:", format_time(a.created_at)});
    rows.push_back({"updated:", format_time(a.updated_at)});
    print_table(out, rows);
}

void print_account_table(std::ostream& out, const std::vector<Account>& accounts, UnixTime now) {
    std::vector<std::vector<std::string>> rows = {{"USERNAME", "NAME", "E-MAIL", "STATUS"}};
    for (const Account& a : accounts) {
        rows.push_back(
            {a.username, a.display_name, a.emails.empty() ? "-" : a.emails.front(), account_status(a, now)});
    }
    print_table(out, rows);
}

void print_organization_table(std::ostream& out, const std::vector<Organization>& orgs) {
    // REQUIRE-MFA "-": the site's MyAccountRequireMFA alone.
    std::vector<std::vector<std::string>> rows = {{"NAME", "DOMAIN", "REQUIRE-MFA", "GUESTS-MAY-LEAVE"}};
    for (const Organization& o : orgs)
        rows.push_back({o.name, o.domain.empty() ? "-" : o.domain,
                        o.require_mfa == MfaRequirement::off ? "-" : to_string(o.require_mfa),
                        o.members_may_leave ? "yes" : "no"});
    print_table(out, rows);
}

void print_method_table(std::ostream& out, const std::vector<VerificationMethod>& methods) {
    // The label last: the user's free text, often empty (and an authenticator has no address).
    std::vector<std::vector<std::string>> rows = {{"ID", "KIND", "ADDRESS", "ADDED", "STATE", "LABEL"}};
    for (const VerificationMethod& m : methods) {
        rows.push_back({std::to_string(m.id), to_string(m.kind), or_dash(m.address), format_time(m.created_at),
                        m.suspended_at ? "suspended" : "active", or_dash(m.label)});
    }
    print_table(out, rows);
}

std::string device_name(const Device& device) {
    const UserAgentName name = name_user_agent(device.user_agent);
    const std::string browser = name.browser.empty() ? "Unknown browser" : name.browser;
    return name.os.empty() ? browser : browser + " on " + name.os;
}

nlohmann::json devices_json(const std::vector<Device>& devices) {
    nlohmann::json list = nlohmann::json::array();
    for (const Device& d : devices) {
        const UserAgentName name = name_user_agent(d.user_agent);
        list.push_back({{"id", d.id},
                        {"name", device_name(d)},
                        {"browser", name.browser},
                        {"os", name.os},
                        {"first_seen_at", d.first_seen_at},
                        {"last_sign_in_at", d.last_sign_in_at},
                        {"last_address", d.last_ip},
                        {"disabled", d.disabled_at != 0},
                        {"disabled_at", d.disabled_at}});
    }
    return list;
}

void print_device_table(std::ostream& out, const std::vector<Device>& devices) {
    std::vector<std::vector<std::string>> rows = {{"ID", "DEVICE", "STATE", "FIRST SEEN", "LAST SIGN-IN", "ADDRESS"}};
    for (const Device& d : devices) {
        rows.push_back({std::to_string(d.id), device_name(d), d.disabled_at ? "disabled" : "enabled",
                        format_time(d.first_seen_at), format_time(d.last_sign_in_at), or_dash(d.last_ip)});
    }
    print_table(out, rows);
}

std::string sessions_ended(int count) {
    return std::to_string(count) + (count == 1 ? " session ended" : " sessions ended");
}

void print_event_table(std::ostream& out, const std::vector<AuditEvent>& events) {
    // The user agent last: it is the long one, and would push every column after it far right.
    std::vector<std::vector<std::string>> rows = {{"TIME", "KIND", "CLIENT", "DETAIL", "USER AGENT"}};
    for (const AuditEvent& e : events) {
        rows.push_back({format_time(e.at), e.kind, or_dash(e.client_ip), or_dash(e.detail), or_dash(e.user_agent)});
    }
    print_table(out, rows);
}

namespace {

// Whether each version is its organization's current one: the newest in force (the versions come
// newest first within each organization, as Store::terms_versions gives them).
std::vector<bool> current_versions(const std::vector<TermsVersion>& versions) {
    std::vector<bool> current;
    std::vector<std::int64_t> seen;
    for (const TermsVersion& v : versions) {
        const bool first = v.withdrawn_at == 0 && std::find(seen.begin(), seen.end(), v.organization_id) == seen.end();
        if (first) seen.push_back(v.organization_id);
        current.push_back(first);
    }
    return current;
}

std::vector<std::string> languages_of(const TermsVersion& version) {
    std::vector<std::string> languages;
    for (const TermsText& text : version.texts) languages.push_back(text.language);
    return languages;
}

}  // namespace

nlohmann::json terms_versions_json(const std::vector<TermsVersion>& versions) {
    const std::vector<bool> current = current_versions(versions);
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const TermsVersion& v = versions[i];
        list.push_back({{"organization", v.organization_name},
                        {"version", v.version},
                        {"languages", languages_of(v)},
                        {"published_at", v.published_at},
                        {"withdrawn_at", v.withdrawn_at},
                        {"current", static_cast<bool>(current[i])},
                        {"acceptances", v.acceptances}});
    }
    return list;
}

void print_terms_table(std::ostream& out, const std::vector<TermsVersion>& versions) {
    const std::vector<bool> current = current_versions(versions);
    std::vector<std::vector<std::string>> rows = {
        {"ORGANIZATION", "VERSION", "LANGUAGES", "PUBLISHED", "STATE", "ACCEPTED BY"}};
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const TermsVersion& v = versions[i];
        std::string languages;
        for (const std::string& language : languages_of(v)) languages += (languages.empty() ? "" : ",") + language;
        const std::string state = current[i] ? "current" : v.withdrawn_at ? "withdrawn " + format_time(v.withdrawn_at)
                                                                          : "replaced";
        rows.push_back({v.organization_name, v.version, languages, format_time(v.published_at), state,
                        std::to_string(v.acceptances)});
    }
    print_table(out, rows);
}

nlohmann::json terms_acceptances_json(const std::vector<TermsAcceptance>& accepted) {
    nlohmann::json list = nlohmann::json::array();
    for (const TermsAcceptance& a : accepted)
        list.push_back({{"organization", a.organization_name},
                        {"version", a.version},
                        {"language", a.language},
                        {"accepted_at", a.accepted_at},
                        {"address", a.client_ip}});
    return list;
}

void print_acceptance_table(std::ostream& out, const std::vector<TermsAcceptance>& accepted) {
    std::vector<std::vector<std::string>> rows = {{"ACCEPTED", "ORGANIZATION", "VERSION", "LANGUAGE", "ADDRESS"}};
    for (const TermsAcceptance& a : accepted)
        rows.push_back({format_time(a.accepted_at), a.organization_name, a.version, a.language, or_dash(a.client_ip)});
    print_table(out, rows);
}

}  // namespace myaccount::cli
