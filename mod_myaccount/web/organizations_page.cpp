// GET /organizations: the user's home organization and the guest organizations they belong to,
// with their role; "Sign in to leave the organization" for a guest one whose members may leave:
// a recent proof (the password, and the second step where it is required) and then Yes / No. The
// JSON twins under /api/v1/me/organizations.
#include <algorithm>

#include "core/account_security.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/profile_view.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

constexpr const char* api_collection = "/api/v1/me/organizations/";

std::vector<Membership> memberships_of(const Exchange& exchange) {
    return exchange.context.store.memberships_of(exchange.account->id);
}

bool may_leave(const Membership& m) { return m.kind == MembershipKind::guest && m.organization.members_may_leave; }

// The membership the id names, or none (malformed, or an organization the user is not in).
std::optional<Membership> membership_named(const Exchange& exchange, const std::string* id_text) {
    std::optional<std::int64_t> id = id_from(id_text);
    if (!id) return std::nullopt;
    const std::vector<Membership> all = memberships_of(exchange);
    auto found = std::find_if(all.begin(), all.end(), [&](const Membership& m) { return m.organization.id == *id; });
    if (found == all.end()) return std::nullopt;
    return *found;
}

Response organizations_page(const Exchange& exchange, const std::string& done_text) {
    nlohmann::json rows = nlohmann::json::array();
    for (const Membership& m : memberships_of(exchange)) {
        nlohmann::json row = organization_view(m);
        row["id"] = std::to_string(m.organization.id);
        row["can_leave"] = may_leave(m);
        row["note"] = m.kind == MembershipKind::home       ? exchange.text("organizations_home_note")
                      : !m.organization.members_may_leave ? exchange.text("organizations_stay_note")
                                                          : std::string();
        rows.push_back(std::move(row));
    }
    nlohmann::json view = {{"organizations", rows}, {"has_organizations", !rows.empty()}, {"done_text", done_text}};
    return page(exchange, 200, "organizations", "organizations", std::move(view), "organizations");
}

// Why this membership cannot be left, as a page (409) or a JSON error.
Response leaving_refused(const Exchange& exchange, AccountSecurity::Leaving why) {
    const bool home = why == AccountSecurity::Leaving::home_organization;
    const char* message = home ? "organizations_home_note" : "organizations_stay_note";
    if (exchange.is_api())
        return api_error(exchange, 409, home ? "home_organization" : "members_may_not_leave", message);
    nlohmann::json view = {{"status", 409},
                           {"title", exchange.text("leave_refused_title")},
                           {"message", exchange.text(message)},
                           {"link_url", exchange.request.base_path + "/organizations"},
                           {"link_text", exchange.text("organizations")}};
    return page(exchange, 409, "error", "leave_refused_title", std::move(view), "organizations");
}

AccountSecurity::Leaving leave(const Exchange& exchange, std::int64_t organization) {
    CatalogWording wording(exchange);
    return account_security(exchange, wording)
        .leave_organization(*exchange.account, organization, client_of(exchange), exchange.context.now);
}

}  // namespace

Response show_organizations(Exchange& exchange) {
    return organizations_page(exchange, exchange.request.has_flag("left") ? exchange.text("organizations_left") : "");
}

Response show_leave_organization(Exchange& exchange) {
    const std::optional<Membership> m = membership_named(exchange, exchange.request.query_value("organization"));
    if (!m) return failure(exchange, Failure::not_found);
    if (m->kind == MembershipKind::home) return leaving_refused(exchange, AccountSecurity::Leaving::home_organization);
    if (!may_leave(*m)) return leaving_refused(exchange, AccountSecurity::Leaving::members_may_not_leave);
    const std::string& base = exchange.request.base_path;
    nlohmann::json view = {
        {"interrupt", true},
        {"icon", "organization"},
        {"title", exchange.text("leave_organization_title")},
        {"paragraphs", {fill(exchange.text("leave_organization_question"), {{"organization", m->organization.name}}),
                        exchange.text("leave_organization_explain")}},
        {"action", base + "/organizations/leave"},
        {"fields", {{{"name", "organization"}, {"value", std::to_string(m->organization.id)}}}},
        {"yes", exchange.text("yes")},
        {"no", exchange.text("no")},
        {"no_url", base + "/organizations"}};
    return page(exchange, 200, "confirm", "leave_organization_title", std::move(view), "organizations");
}

Response leave_organization_form(Exchange& exchange) {
    std::optional<std::int64_t> id = id_from(single_field(exchange.request, "organization"));
    if (!id) return failure(exchange, Failure::not_found);
    const AccountSecurity::Leaving outcome = leave(exchange, *id);
    if (outcome == AccountSecurity::Leaving::not_a_member) return failure(exchange, Failure::not_found);
    if (outcome != AccountSecurity::Leaving::left) return leaving_refused(exchange, outcome);
    return see_other(exchange, "/organizations?left=1");
}

Response api_list_organizations(Exchange& exchange) {
    nlohmann::json list = nlohmann::json::array();
    for (const Membership& m : memberships_of(exchange))
        list.push_back({{"id", m.organization.id},
                        {"name", m.organization.name},
                        {"domain", m.organization.domain},
                        {"kind", to_string(m.kind)},
                        {"role", m.role},
                        {"members_may_leave", m.organization.members_may_leave},
                        {"can_leave", may_leave(m)}});
    return json_response(200, {{"organizations", list}});
}

Response api_leave_organization(Exchange& exchange) {
    const std::string id_text = exchange.request.route.substr(std::string(api_collection).size());
    std::optional<std::int64_t> id = id_from(&id_text);
    if (!id) return failure(exchange, Failure::not_found);
    const AccountSecurity::Leaving outcome = leave(exchange, *id);
    if (outcome == AccountSecurity::Leaving::not_a_member) return failure(exchange, Failure::not_found);
    if (outcome != AccountSecurity::Leaving::left) return leaving_refused(exchange, outcome);
    Response response;
    response.status = 204;
    response.content_type = "application/json";
    return response;
}

}  // namespace myaccount::web
