// The SQLite store's terms of use: published versions and their texts, and acceptances.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/rows.hpp"

namespace myaccount {

using sqlite::Transaction;

namespace {

// The id of organization `column`'s current version: its latest one in force.
#define MYA_CURRENT_TERMS_OF(column) \
    "(SELECT max(w.id) FROM terms_versions w WHERE w.organization_id = " column " AND w.withdrawn_at = 0)"

TermsAcceptance read_acceptance(const sqlite::Statement& row, int first) {
    TermsAcceptance acceptance;
    acceptance.version_id = row.column_int64(first);
    acceptance.organization_id = row.column_int64(first + 1);
    acceptance.organization_name = row.column_text(first + 2);
    acceptance.version = row.column_text(first + 3);
    acceptance.language = row.column_text(first + 4);
    acceptance.accepted_at = row.column_int64(first + 5);
    acceptance.client_ip = row.column_text(first + 6);
    return acceptance;
}

}  // namespace

std::int64_t SqliteStore::publish_terms(std::int64_t organization, const std::string& version, const TermsText& text,
                                        const std::string& source) {
    Transaction transaction(db_);
    std::int64_t version_id = 0;
    {
        auto existing =
            db_.prepare("SELECT id, withdrawn_at FROM terms_versions WHERE organization_id = ?1 AND version = ?2");
        existing->bind_all(organization, version);
        if (existing->step()) {
            if (existing->column_int64(1) != 0)
                throw StoreError(StoreError::Kind::conflict,
                                 "version " + version + " was withdrawn; publish the terms under a new version");
            version_id = existing->column_int64(0);
        }
    }
    if (version_id == 0) {
        auto insert =
            db_.prepare("INSERT INTO terms_versions (organization_id, version, published_at) VALUES (?1, ?2, ?3)");
        insert->bind_all(organization, version, text.published_at);
        insert->run();
        version_id = db_.last_insert_rowid();
    }
    auto insert = db_.prepare(
        "INSERT INTO terms_texts (version_id, language, source_format, source, body_html, published_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    insert->bind_all(version_id, text.language, text.source_format, source, text.body_html, text.published_at);
    try {
        insert->run();
    } catch (const StoreError& error) {
        if (error.kind() != StoreError::Kind::conflict) throw;
        throw StoreError(StoreError::Kind::conflict, "the " + text.language + " text of version " + version +
                                                         " is published already; publish a new version to change it");
    }
    transaction.commit();
    return version_id;
}

void SqliteStore::withdraw_terms(std::int64_t organization, const std::string& version, UnixTime now) {
    if (write_alone("UPDATE terms_versions SET withdrawn_at = ?3"
                    " WHERE organization_id = ?1 AND version = ?2 AND withdrawn_at = 0",
                    organization, version, now) == 0)
        throw StoreError(StoreError::Kind::not_found, "no version " + version + " in force");
}

std::vector<TermsText> SqliteStore::terms_texts(std::int64_t version_id, bool with_bodies) {
    auto statement = db_.prepare(
        "SELECT language, source_format, CASE WHEN ?2 THEN body_html ELSE '' END, published_at"
        " FROM terms_texts WHERE version_id = ?1 ORDER BY language");
    statement->bind_all(version_id, std::int64_t{with_bodies ? 1 : 0});
    std::vector<TermsText> texts;
    while (statement->step())
        texts.push_back({statement->column_text(0), statement->column_text(1), statement->column_text(2),
                         statement->column_int64(3)});
    return texts;
}

std::vector<TermsVersion> SqliteStore::terms_versions() {
    Transaction transaction(db_, Transaction::Kind::deferred);  // one consistent read
    std::vector<TermsVersion> versions;
    {
        auto statement = db_.prepare(
            "SELECT v.id, v.organization_id, o.name, v.version, v.published_at, v.withdrawn_at,"
            " (SELECT count(*) FROM terms_acceptances a WHERE a.version_id = v.id)"
            " FROM terms_versions v JOIN organizations o ON o.id = v.organization_id ORDER BY o.name, v.id DESC");
        while (statement->step()) {
            TermsVersion version;
            version.id = statement->column_int64(0);
            version.organization_id = statement->column_int64(1);
            version.organization_name = statement->column_text(2);
            version.version = statement->column_text(3);
            version.published_at = statement->column_int64(4);
            version.withdrawn_at = statement->column_int64(5);
            version.acceptances = statement->column_int64(6);
            versions.push_back(std::move(version));
        }
    }
    for (TermsVersion& version : versions) version.texts = terms_texts(version.id, false);
    transaction.commit();
    return versions;
}

std::vector<TermsDue> SqliteStore::terms_due(AccountId id) {
    Transaction transaction(db_, Transaction::Kind::deferred);
    std::vector<TermsDue> due;
    {
        // Home organization first, then guest ones, each by name (as the profile lists them).
        auto statement = db_.prepare(
            "SELECT " MYA_ORGANIZATION_COLUMNS("o.") ", v.id, v.version, v.published_at,"
            " a.version_id, v.organization_id, o.name, v.version, a.language, a.accepted_at, a.client_ip"
            " FROM memberships m JOIN organizations o ON o.id = m.organization_id"
            " JOIN terms_versions v ON v.id = " MYA_CURRENT_TERMS_OF("m.organization_id")
            " LEFT JOIN terms_acceptances a ON a.account_id = m.account_id AND a.version_id = v.id"
            " WHERE m.account_id = ?1 ORDER BY m.kind = 'guest', o.name");
        statement->bind_all(id);
        const int first = sqlite::organization_column_count;
        while (statement->step()) {
            TermsDue item;
            item.organization = sqlite::read_organization(*statement, 0);
            item.current.id = statement->column_int64(first);
            item.current.organization_id = item.organization.id;
            item.current.organization_name = item.organization.name;
            item.current.version = statement->column_text(first + 1);
            item.current.published_at = statement->column_int64(first + 2);
            if (!statement->column_is_null(first + 3)) item.acceptance = read_acceptance(*statement, first + 3);
            due.push_back(std::move(item));
        }
    }
    for (TermsDue& item : due) item.current.texts = terms_texts(item.current.id, true);
    transaction.commit();
    return due;
}

bool SqliteStore::terms_pending(AccountId id) {
    auto statement = db_.prepare("SELECT 1 FROM memberships m JOIN terms_versions v ON v.id = " MYA_CURRENT_TERMS_OF(
        "m.organization_id") " WHERE m.account_id = ?1"
                             " AND NOT EXISTS (SELECT 1 FROM terms_acceptances a WHERE a.account_id = ?1 AND "
                             "a.version_id = v.id)"
                             " LIMIT 1");
    statement->bind_all(id);
    return statement->step();
}

bool SqliteStore::accept_terms(AccountId id, std::int64_t version_id, const std::string& language,
                               const AuditEvent& event) {
    Transaction transaction(db_);
    {
        auto version = db_.prepare("SELECT v.id = " MYA_CURRENT_TERMS_OF(
            "v.organization_id") ","
                                 " EXISTS (SELECT 1 FROM terms_texts t WHERE t.version_id = v.id AND t.language = ?3)"
                                 " FROM terms_versions v JOIN memberships m ON m.organization_id = v.organization_id "
                                 "AND m.account_id = ?1"
                                 " WHERE v.id = ?2");
        version->bind_all(id, version_id, language);
        if (!version->step())
            throw StoreError(StoreError::Kind::not_found,
                             "no terms version " + std::to_string(version_id) + " of the account's organizations");
        if (version->column_int64(0) == 0)
            throw StoreError(StoreError::Kind::conflict,
                             "terms version " + std::to_string(version_id) + " is no longer the current one");
        if (version->column_int64(1) == 0)
            throw StoreError(StoreError::Kind::invalid,
                             "terms version " + std::to_string(version_id) + " has no text in " + language);
    }
    {
        auto insert = db_.prepare(
            "INSERT INTO terms_acceptances (account_id, version_id, language, accepted_at, client_ip, user_agent)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account_id, version_id) DO NOTHING");
        insert->bind_all(id, version_id, language, event.at, event.client_ip, event.user_agent);
        insert->run();
        if (db_.changes() == 0) return false;  // accepted before: the first acceptance stands
    }
    insert_event(event, id);
    transaction.commit();
    return true;
}

std::vector<TermsAcceptance> SqliteStore::terms_accepted_by(AccountId id) {
    auto statement = db_.prepare(
        "SELECT a.version_id, v.organization_id, o.name, v.version, a.language, a.accepted_at, a.client_ip"
        " FROM terms_acceptances a JOIN terms_versions v ON v.id = a.version_id"
        " JOIN organizations o ON o.id = v.organization_id"
        " WHERE a.account_id = ?1 ORDER BY a.accepted_at DESC, a.version_id DESC");
    statement->bind_all(id);
    std::vector<TermsAcceptance> accepted;
    while (statement->step()) accepted.push_back(read_acceptance(*statement, 0));
    return accepted;
}

}  // namespace myaccount
