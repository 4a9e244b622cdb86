// The SQLite store's organizations and the memberships of accounts in them.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Transaction;

std::int64_t SqliteStore::create_organization(const Organization& org) {
    Transaction transaction(db_);
    auto insert = db_.prepare("INSERT INTO organizations (name, domain) VALUES (?1, ?2)");
    insert->bind_all(org.name, org.domain);
    try {
        insert->run();
    } catch (const StoreError& error) {
        if (error.kind() != StoreError::Kind::conflict) throw;
        throw StoreError(StoreError::Kind::conflict, "organization name already taken: " + org.name);
    }
    std::int64_t id = db_.last_insert_rowid();
    transaction.commit();
    return id;
}

std::optional<Organization> SqliteStore::find_organization(const std::string& name) {
    auto statement = db_.prepare("SELECT " MYA_ORGANIZATION_COLUMNS("") " FROM organizations WHERE name = ?1");
    statement->bind_all(name);
    if (!statement->step()) return std::nullopt;
    return sqlite::read_organization(*statement, 0);
}

std::vector<Organization> SqliteStore::list_organizations() {
    auto statement = db_.prepare("SELECT " MYA_ORGANIZATION_COLUMNS("") " FROM organizations ORDER BY name");
    std::vector<Organization> orgs;
    while (statement->step()) orgs.push_back(sqlite::read_organization(*statement, 0));
    return orgs;
}

bool SqliteStore::set_organization_mfa(std::int64_t organization, MfaRequirement requirement) {
    auto update = db_.prepare("UPDATE organizations SET require_mfa = ?2 WHERE id = ?1");
    update->bind_all(organization, std::string_view(sqlite::organization_mfa_text(requirement)));
    update->run();
    return db_.changes() > 0;
}

bool SqliteStore::set_members_may_leave(std::int64_t organization, bool allowed) {
    auto update = db_.prepare("UPDATE organizations SET members_may_leave = ?2 WHERE id = ?1");
    update->bind_all(organization, std::int64_t{allowed ? 1 : 0});
    update->run();
    return db_.changes() > 0;
}

void SqliteStore::add_membership(AccountId account, std::int64_t organization, MembershipKind kind,
                                 const std::string& role) {
    Transaction transaction(db_);
    auto upsert = db_.prepare(
        "INSERT INTO memberships (account_id, organization_id, kind, role) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (account_id, organization_id) DO UPDATE SET kind = excluded.kind, role = excluded.role");
    upsert->bind_all(account, organization, std::string_view(to_string(kind)), role);
    upsert->run();
    bump_profile_version(account);
    transaction.commit();
}

void SqliteStore::leave_organization(AccountId account, std::int64_t organization, const AuditEvent& event) {
    Transaction transaction(db_);
    {
        // The rule is checked by the statement itself: an administrator's "no" that lands
        // meanwhile wins.
        auto leave = db_.prepare(
            "DELETE FROM memberships WHERE account_id = ?1 AND organization_id = ?2 AND kind = 'guest'"
            " AND (SELECT members_may_leave FROM organizations WHERE id = ?2) = 1");
        leave->bind_all(account, organization);
        leave->run();
        if (db_.changes() == 0) {
            auto member = db_.prepare(
                "SELECT 1 FROM memberships WHERE account_id = ?1 AND organization_id = ?2 AND kind = 'guest'");
            member->bind_all(account, organization);
            if (!member->step())
                throw StoreError(StoreError::Kind::not_found, "no guest membership in organization " +
                                                                  std::to_string(organization));
            throw StoreError(StoreError::Kind::conflict, "the members of organization " +
                                                             std::to_string(organization) + " may not leave it");
        }
    }
    bump_profile_version(account);
    insert_event(event, account);
    transaction.commit();
}

void SqliteStore::bump_profile_version(AccountId account) {
    auto bump = db_.prepare("UPDATE accounts SET profile_version = profile_version + 1 WHERE id = ?1");
    bump->bind_all(account);
    bump->run();
}

std::vector<Membership> SqliteStore::memberships_of(AccountId account) {
    // Home organization first, then guest memberships, each by name.
    auto statement = db_.prepare(
        "SELECT " MYA_ORGANIZATION_COLUMNS("o.") ", m.kind, m.role FROM memberships m"
        " JOIN organizations o ON o.id = m.organization_id WHERE m.account_id = ?1"
        " ORDER BY m.kind = 'guest', o.name");
    statement->bind_all(account);
    std::vector<Membership> memberships;
    while (statement->step()) {
        Membership membership;
        membership.organization = sqlite::read_organization(*statement, 0);
        std::string kind = statement->column_text(sqlite::organization_column_count);
        auto parsed = membership_kind_from(kind);
        if (!parsed) throw StoreError(StoreError::Kind::io, "unknown membership kind in database: " + kind);
        membership.kind = *parsed;
        membership.role = statement->column_text(sqlite::organization_column_count + 1);
        memberships.push_back(std::move(membership));
    }
    return memberships;
}

}  // namespace myaccount
