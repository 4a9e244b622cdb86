// Tests of what only the SQLite store has: its file, its migrations, and the RAII connection wrappers.
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/schema_migrations.hpp"
#include "store_contract/store_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

namespace {

std::int64_t count_in(sqlite::Database& db, const char* sql) {
    auto statement = db.prepare(sql);
    statement->step();
    return statement->column_int64(0);
}

}  // namespace

class SqliteStoreTest : public StoreFixture {
    CPPUNIT_TEST_SUITE(SqliteStoreTest);
    CPPUNIT_TEST(schema_is_version_11);
    CPPUNIT_TEST(refuses_newer_schema);
    CPPUNIT_TEST(open_refuses_older_schema);
    CPPUNIT_TEST(missing_or_foreign_file_is_io_error);
    CPPUNIT_TEST(new_database_is_private);
    CPPUNIT_TEST(migrates_version_1_database_to_password_history);
    CPPUNIT_TEST(migrates_version_2_database);
    CPPUNIT_TEST(migrates_version_3_database_to_unknown_id_lockouts);
    CPPUNIT_TEST(migrates_version_4_database_keeping_methods_sessions_and_challenges);
    CPPUNIT_TEST(migrates_version_5_database_with_organizations_asking_nothing_more);
    CPPUNIT_TEST(migrates_version_6_database_keeping_sessions_without_a_device);
    CPPUNIT_TEST(pruning_sessions_forgets_expired_remembered_browsers);
    CPPUNIT_TEST(transaction_rolls_back_unless_committed);
    CPPUNIT_TEST(cached_statement_refuses_reentry);
    CPPUNIT_TEST_SUITE_END();

public:
    void schema_is_version_11() {
        CPPUNIT_ASSERT_EQUAL(11, sqlite::supported_schema_version());
        CPPUNIT_ASSERT_EQUAL(11, store_->schema_version());
    }

    void refuses_newer_schema() {
        store_.reset();
        {
            sqlite::Database db(path_, sqlite::Database::Mode::read_write);
            std::string sql = "PRAGMA user_version = " + std::to_string(sqlite::supported_schema_version() + 1);
            db.exec_script(sql.c_str(), "test");
        }
        StoreError migrate_error = thrown_by([&] { sqlite::migrate_store_file(path_); });
        CPPUNIT_ASSERT(migrate_error.kind() == StoreError::Kind::schema);
        CPPUNIT_ASSERT(contains(migrate_error.what(), "upgrade mod_myaccount"));
        StoreError open_error = thrown_by([&] { sqlite::open_store_file(path_); });
        CPPUNIT_ASSERT(open_error.kind() == StoreError::Kind::schema);
        CPPUNIT_ASSERT(contains(open_error.what(), "upgrade mod_myaccount"));
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version() + 1, sqlite::read_schema_version(path_));
    }

    void open_refuses_older_schema() {
        std::string old_path = dir_ + "/old.db";
        { sqlite::Database db(old_path, sqlite::Database::Mode::read_write_create); }
        StoreError error = thrown_by([&] { sqlite::open_store_file(old_path); });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::schema);
        CPPUNIT_ASSERT(contains(error.what(), "run: myaccountctl --db " + old_path + " init"));
        sqlite::migrate_store_file(old_path);
        CPPUNIT_ASSERT(sqlite::open_store_file(old_path) != nullptr);
    }

    void missing_or_foreign_file_is_io_error() {
        std::string missing = dir_ + "/missing.db";
        CPPUNIT_ASSERT(thrown_by([&] { sqlite::read_schema_version(missing); }).kind() == StoreError::Kind::io);
        CPPUNIT_ASSERT(thrown_by([&] { sqlite::open_store_file(missing); }).kind() == StoreError::Kind::io);
        CPPUNIT_ASSERT(!std::filesystem::exists(missing));  // neither call may create it

        std::string text_file = dir_ + "/notes.txt";
        std::ofstream(text_file) << "this is not a database, but it is long enough to have a header page......"
                                    "................................................................\n";
        StoreError error = thrown_by([&] { sqlite::read_schema_version(text_file); });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::io);
        CPPUNIT_ASSERT(contains(error.what(), text_file));
        CPPUNIT_ASSERT(thrown_by([&] { sqlite::open_store_file(text_file); }).kind() == StoreError::Kind::io);
        CPPUNIT_ASSERT(thrown_by([&] { sqlite::migrate_store_file(text_file); }).kind() == StoreError::Kind::io);
    }

    void new_database_is_private() {
        auto perms = std::filesystem::status(path_).permissions();
        using std::filesystem::perms;
        CPPUNIT_ASSERT((perms & (perms::group_all | perms::others_all)) == perms::none);
    }

    void migrates_version_1_database_to_password_history() {
        CPPUNIT_ASSERT(sqlite::supported_schema_version() >= 2);
        std::string old_path = dir_ + "/v1.db";
        {
            sqlite::Database db(old_path, sqlite::Database::Mode::read_write_create);
            db.exec_script(sqlite::schema::migrations[0].sql, "migration 1");
            db.exec_script("PRAGMA user_version = 1", "set version");
            db.exec_script(
                "INSERT INTO accounts (username, password_hash, created_at, updated_at) VALUES ('lee', 'old', 1, 1)",
                "seed");
        }
        auto migrated = sqlite::migrate_store_file(old_path);
        CPPUNIT_ASSERT_EQUAL(1, migrated.first);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), migrated.second);
        auto store = sqlite::open_store_file(old_path);
        AccountId id = store->find_account("lee")->id;
        store->set_password_hash(id, "new", false, 2);
        CPPUNIT_ASSERT(store->previous_password_hashes(id, 5) == std::vector<std::string>{"old"});
    }

    void migrates_version_2_database() {
        const std::string old_path = old_database("v2", 2, "INSERT INTO accounts (username, created_at, updated_at)"
                                                           " VALUES ('old', 1, 1)");
        auto migrated = sqlite::migrate_store_file(old_path);
        CPPUNIT_ASSERT_EQUAL(2, migrated.first);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), migrated.second);
        auto store = sqlite::open_store_file(old_path);
        Account old = *store->find_account("old");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, old.registration_postponed);
        store->postpone_registration(old.id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->find_account_by_id(old.id)->registration_postponed);
    }

    void migrates_version_3_database_to_unknown_id_lockouts() {
        const std::string old_path = old_database("v3", 3, "");
        auto migrated = sqlite::migrate_store_file(old_path);
        CPPUNIT_ASSERT_EQUAL(3, migrated.first);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), migrated.second);
        auto store = sqlite::open_store_file(old_path);
        CPPUNIT_ASSERT(store->replace_unknown_id_lockout("h", LockoutState{}, LockoutState{1, 0}));
        CPPUNIT_ASSERT((store->unknown_id_lockout("h") == LockoutState{1, 0}));
    }

    void migrates_version_5_database_with_organizations_asking_nothing_more() {
        const std::string old_path = old_database(
            "v5", 5,
            "INSERT INTO organizations (id, name, domain) VALUES (3, 'Contoso', 'contoso.example');"
            "INSERT INTO accounts (id, username, created_at, updated_at) VALUES (1, 'lee', 1, 1);"
            "INSERT INTO memberships (account_id, organization_id, kind) VALUES (1, 3, 'home');");
        auto migrated = sqlite::migrate_store_file(old_path);
        CPPUNIT_ASSERT_EQUAL(5, migrated.first);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), migrated.second);
        auto store = sqlite::open_store_file(old_path);
        std::optional<Organization> contoso = store->find_organization("Contoso");
        CPPUNIT_ASSERT(contoso && contoso->domain == "contoso.example");
        CPPUNIT_ASSERT(contoso->require_mfa == MfaRequirement::off);
        CPPUNIT_ASSERT(store->find_account("lee")->organization_mfa == MfaRequirement::off);
        CPPUNIT_ASSERT(store->set_organization_mfa(contoso->id, MfaRequirement::all));
        CPPUNIT_ASSERT(store->find_account("lee")->organization_mfa == MfaRequirement::all);
    }

    void migrates_version_6_database_keeping_sessions_without_a_device() {
        const std::string old_path = old_database(
            "v6", 6,
            "INSERT INTO accounts (id, username, created_at, updated_at) VALUES (1, 'lee', 1, 1);"
            "INSERT INTO sessions (token_hash, account_id, security_stamp, created_at, last_seen_at, expires_at)"
            " VALUES (x'01', 1, 0, 10, 10, 4000000000);");
        auto migrated = sqlite::migrate_store_file(old_path);
        CPPUNIT_ASSERT_EQUAL(6, migrated.first);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), migrated.second);
        auto store = sqlite::open_store_file(old_path);
        std::optional<Store::SessionWithAccount> kept = store->find_session(std::string("\x01", 1));
        CPPUNIT_ASSERT(kept && kept->session.device_id == 0 && kept->session.ended_at == 0);
        CPPUNIT_ASSERT(store->devices_of(1).empty());
        CPPUNIT_ASSERT(store->sight_device(1, "d", "", "", 20).is_new);
    }

    // The tables 005 rebuilds keep their rows and ids; sessions keep theirs, signed in when created.
    void migrates_version_4_database_keeping_methods_sessions_and_challenges() {
        const std::string old_path = old_database(
            "v4", 4,
            "INSERT INTO accounts (id, username, created_at, updated_at) VALUES (1, 'lee', 1, 1), (2, 'kim', 1, 1);"
            "INSERT INTO verification_methods (id, account_id, kind, address, created_at) VALUES"
            " (7, 1, 'email', 'lee@home.example', 20), (3, 1, 'email', 'Lee@Work.example', 30),"
            " (9, 2, 'email', 'kim@home.example', 10);"
            "INSERT INTO sessions (id, token_hash, account_id, security_stamp, created_at, last_seen_at, expires_at)"
            " VALUES (5, x'0102', 1, 1, 40, 41, 5000);"
            "INSERT INTO challenges (id, token_hash, purpose, account_id, created_at, expires_at, target, proven)"
            " VALUES (8, x'0a0b', 'reset', 1, 50, 5000, '7', '7');");
        auto migrated = sqlite::migrate_store_file(old_path);
        CPPUNIT_ASSERT_EQUAL(4, migrated.first);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), migrated.second);
        {
            sqlite::Database db(old_path, sqlite::Database::Mode::read_only);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_in(db, "SELECT count(*) FROM pragma_foreign_key_check"));
            auto integrity = db.prepare("PRAGMA integrity_check");
            CPPUNIT_ASSERT(integrity->step());
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), integrity->column_text(0));
        }
        auto store = sqlite::open_store_file(old_path);
        std::vector<VerificationMethod> lees = store->methods_of(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, lees.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{7}, lees[0].id);
        // E-mail addresses come over proven, and none of them a default (no 2-step method).
        CPPUNIT_ASSERT(lees[0].kind == MethodKind::email && lees[0].active && !lees[0].is_default);
        CPPUNIT_ASSERT_EQUAL(std::string("lee@home.example"), lees[0].address);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, lees[1].id);
        CPPUNIT_ASSERT(!lees[1].is_default && lees[1].label.empty() && lees[1].secret_box.empty());
        CPPUNIT_ASSERT(!store->methods_of(2).at(0).is_default);

        auto session = store->find_session(std::string("\x01\x02", 2));
        CPPUNIT_ASSERT(session);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, session->session.id);
        CPPUNIT_ASSERT_EQUAL(UnixTime{40}, session->session.signed_in_at);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, session->session.second_factor_at);
        CPPUNIT_ASSERT((store->second_factor_lockout_of(1) == LockoutState{0, 0}));

        auto challenge = store->find_challenge(std::string("\x0a\x0b", 2), ChallengePurpose::reset);
        CPPUNIT_ASSERT(challenge && challenge->id == 8 && challenge->proven == std::vector<std::int64_t>{7});

        // What the old CHECKs refused now goes in; the address stays unique without regard to case.
        Challenge second_factor;
        second_factor.token_hash = "sf";
        second_factor.purpose = ChallengePurpose::second_factor;
        second_factor.account_id = 1;
        second_factor.created_at = 60;
        second_factor.expires_at = 5000;
        CPPUNIT_ASSERT(store->create_challenge(second_factor) > 8);
        VerificationMethod app;
        app.account_id = 1;
        app.kind = MethodKind::authenticator;
        app.secret_box = "sealed";
        app.created_at = 70;
        CPPUNIT_ASSERT(store->add_pending_method(app, 0) > 9);
        CPPUNIT_ASSERT(error_kind([&] {
                           sqlite::Database db(old_path, sqlite::Database::Mode::read_write);
                           db.exec_script("INSERT INTO verification_methods (account_id, kind, address, created_at)"
                                          " VALUES (1, 'email', 'LEE@HOME.EXAMPLE', 80)",
                                          "duplicate");
                       }) == StoreError::Kind::conflict);
    }

    void pruning_sessions_forgets_expired_remembered_browsers() {
        AccountId id = add_account("lee", "hash");
        for (UnixTime expires_at : {UnixTime{500}, UnixTime{1500}}) {
            RememberedBrowser browser;
            browser.account_id = id;
            browser.token_hash = "token-" + std::to_string(expires_at);
            browser.created_at = 100;
            browser.expires_at = expires_at;
            AuditEvent event;
            event.at = 100;
            event.kind = "browser_remembered";
            store_->remember_browser(browser, event);
        }
        store_->prune_sessions(1000);
        CPPUNIT_ASSERT(!store_->find_remembered_browser("token-500"));
        CPPUNIT_ASSERT(store_->find_remembered_browser("token-1500"));
    }

    void transaction_rolls_back_unless_committed() {
        sqlite::Database db(path_, sqlite::Database::Mode::read_write);
        {
            sqlite::Transaction transaction(db);
            auto insert = db.prepare(
                "INSERT INTO accounts (username, created_at, updated_at) VALUES (?1, ?2, ?2)");
            insert->bind_all(std::string("temp"), std::int64_t{1});
            insert->run();
            CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, count_in(db, "SELECT count(*) FROM accounts"));
        }  // no commit
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_in(db, "SELECT count(*) FROM accounts"));
        {
            sqlite::Transaction transaction(db);
            auto insert = db.prepare(
                "INSERT INTO accounts (username, created_at, updated_at) VALUES (?1, ?2, ?2)");
            insert->bind_all(std::string("kept"), std::int64_t{1});
            insert->run();
            transaction.commit();
        }
        CPPUNIT_ASSERT(store_->find_account("kept"));
    }

    void cached_statement_refuses_reentry() {
        sqlite::Database db(path_, sqlite::Database::Mode::read_write);
        auto outer = db.prepare("SELECT count(*) FROM accounts");
        CPPUNIT_ASSERT(thrown_by([&] { db.prepare("SELECT count(*) FROM accounts"); }).kind() ==
                       StoreError::Kind::invalid);
    }

private:
    // A database file at schema `version`, made by the migrations up to it, with `seed` run on it.
    std::string old_database(const std::string& name, int version, const char* seed) {
        const std::string path = dir_ + "/" + name + ".db";
        sqlite::Database db(path, sqlite::Database::Mode::read_write_create);
        for (int applied = 1; applied <= version; ++applied) {
            const sqlite::schema::Migration& migration = sqlite::schema::migrations[applied - 1];
            db.exec_script(migration.sql, migration.name);
        }
        db.exec_script(("PRAGMA user_version = " + std::to_string(version)).c_str(), "set version");
        db.exec_script(seed, "seed");
        return path;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SqliteStoreTest);
