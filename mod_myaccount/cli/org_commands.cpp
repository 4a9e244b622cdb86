// The "org" commands: organizations and the accounts that belong to them.
#include <string>

#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "cli/output.hpp"
#include "cli/validation.hpp"

namespace myaccount::cli {

namespace {

int org_add(Context& ctx, const ParsedArgs& args) {
    Organization org;
    org.name = args.positionals[0];
    check_text("organization name", org.name, max_org_name_length, true);
    if (auto domain = args.value("domain")) {
        check_domain(*domain);
        org.domain = std::move(*domain);
    }
    Store& store = ctx.store();
    const std::string exists = "organization '" + org.name + "' already exists";
    if (store.find_organization(org.name)) throw CommandError(exists);
    try {
        store.create_organization(org);
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::conflict) throw CommandError(exists);
        throw;
    }
    ctx.out() << "created organization " << org.name << '\n';
    return exit_ok;
}

int org_list(Context& ctx, const ParsedArgs& args) {
    const std::vector<Organization> orgs = ctx.store().list_organizations();
    if (args.has("json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const Organization& o : orgs) list.push_back(organization_json(o));
        print_json(ctx.out(), list);
        return exit_ok;
    }
    print_organization_table(ctx.out(), orgs);
    return exit_ok;
}

int org_add_member(Context& ctx, const ParsedArgs& args) {
    const MembershipKind kind = args.has("guest") ? MembershipKind::guest : MembershipKind::home;
    const std::string role = args.value("role").value_or(kind == MembershipKind::guest ? "Guest" : "Member");
    check_text("role (--role)", role, max_role_length, false);

    Store& store = ctx.store();
    const Organization org = require_organization(store, args.positionals[0]);
    const Account account = require_account(store, args.positionals[1]);
    store.add_membership(account.id, org.id, kind, role);
    ctx.out() << "added " << account.username << " to " << org.name << " as " << to_string(kind)
              << " member";
    if (!role.empty()) ctx.out() << " (role " << role << ")";
    ctx.out() << '\n';
    return exit_ok;
}

int org_require_mfa(Context& ctx, const ParsedArgs& args) {
    const std::optional<MfaRequirement> requirement = mfa_requirement_from(args.positionals[1]);
    if (!requirement)
        throw CommandError("unknown 2-step requirement '" + printable(args.positionals[1]) +
                           "' (use off, registered or all)");
    Store& store = ctx.store();
    const std::optional<Organization> org = store.find_organization(args.positionals[0]);
    if (!org || !store.set_organization_mfa(org->id, *requirement))
        throw CommandError("organization '" + printable(args.positionals[0]) + "' not found");
    switch (*requirement) {
    case MfaRequirement::off:
        ctx.out() << org->name << " asks nothing beyond MyAccountRequireMFA\n";
        break;
    case MfaRequirement::registered:
        ctx.out() << "members of " << org->name << " who registered a 2-step method must use it\n";
        break;
    case MfaRequirement::all:
        ctx.out() << "every member of " << org->name
                  << " must use 2-step verification (those without a method register one at their next sign-in)\n";
        break;
    }
    return exit_ok;
}

int org_members_may_leave(Context& ctx, const ParsedArgs& args) {
    const std::string& answer = args.positionals[1];
    if (answer != "yes" && answer != "no")
        throw UsageError("the answer must be yes or no, not '" + printable(answer) + "'", ctx.command());
    Store& store = ctx.store();
    const std::optional<Organization> org = store.find_organization(args.positionals[0]);
    if (!org || !store.set_members_may_leave(org->id, answer == "yes"))
        throw CommandError("organization '" + printable(args.positionals[0]) + "' not found");
    if (answer == "yes")
        ctx.out() << "guests of " << org->name << " may leave it from the portal\n";
    else
        ctx.out() << "guests of " << org->name << " may not leave it on their own\n";
    return exit_ok;
}

}  // namespace

// Kept as a table, one command per entry, rather than in clang-format's one-field-per-line layout.
// clang-format off
std::vector<Command> org_commands() {
    return {
        {"org", "add", "NAME", 1, 1,
         {{"domain", "DOMAIN", false, "the organization's DNS domain, e.g. contoso.example"}},
         "create an organization", "NAME is its display name (at most 128 characters), unique.", org_add},
        {"org", "list", "", 0, 0, {{"json", nullptr, false, "print JSON ([{name, domain, require_mfa, members_may_leave}]) instead of text"}},
         "list the organizations", "", org_list},
        {"org", "add-member", "ORG USER", 2, 2,
         {{"guest", nullptr, false, "a guest of ORG rather than one of its own people"},
          {"role", "ROLE", false, "free text shown to the user (default Member, or Guest with --guest)"}},
         "add an account to an organization", "Adding an existing member again replaces its kind and role.",
         org_add_member},
        {"org", "require-mfa", "ORG off|registered|all", 2, 2, {},
         "ask 2-step verification of an organization's members (home and guests)",
         "Like MyAccountRequireMFA, for this organization's people only: registered (those with an\n"
         "authenticator app or a phone must use it), all (everyone; who has none registers one first),\n"
         "off (the site's MyAccountRequireMFA alone). An organization only ever asks more than the site.\n"
         "Takes effect on the members' next request.",
         org_require_mfa},
        {"org", "members-may-leave", "ORG yes|no", 2, 2, {},
         "let an organization's guests leave it from the portal, or not",
         "yes (the default): a guest may leave ORG after signing in again; no: the portal explains that\n"
         "ORG's administrator must remove them. Home members never leave their home organization.",
         org_members_may_leave},
    };
}
// clang-format on

}  // namespace myaccount::cli
