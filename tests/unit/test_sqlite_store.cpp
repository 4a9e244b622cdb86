// Tests of the SQLite store: migrations, every Store method, and the RAII transaction wrapper.
#include <cppunit/extensions/HelperMacros.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/schema_migrations.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/schema.hpp"
#include "store_fixture.hpp"

using namespace myaccount;

namespace {

// Runs `action` and returns the StoreError it threw; fails the test if it threw nothing.
StoreError thrown_by(const std::function<void()>& action) {
    try {
        action();
    } catch (const StoreError& error) {
        return error;
    }
    CPPUNIT_FAIL("expected a StoreError");
    return StoreError(StoreError::Kind::io, "unreachable");
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

NewAccount new_account(const std::string& username, std::vector<std::string> emails = {}) {
    NewAccount account;
    account.username = username;
    account.profile.display_name = "Display " + username;
    account.profile.job_title = "Engineer";
    account.profile.office = "B1";
    if (!emails.empty()) account.profile.emails = std::move(emails);
    account.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    return account;
}

Session new_session(AccountId account, const std::string& token_hash, UnixTime now, UnixTime lifetime) {
    Session session;
    session.token_hash = token_hash;
    session.account_id = account;
    session.security_stamp = 1;
    session.created_at = now;
    session.last_seen_at = now;
    session.expires_at = now + lifetime;
    session.client_ip = "192.0.2.1";
    session.user_agent = "test";
    return session;
}

SignInAttempt attempt(const std::string& username, std::optional<AccountId> id, UnixTime at, SignInResult result) {
    SignInAttempt a;
    a.username = username;
    a.account_id = id;
    a.at = at;
    a.client_ip = "198.51.100.7";
    a.user_agent = "curl";
    a.method = SignInMethod::form;
    a.result = result;
    return a;
}

std::int64_t count_rows(sqlite::Database& db, const char* sql) {
    auto statement = db.prepare(sql);
    statement->step();
    return statement->column_int64(0);
}

}  // namespace

class SqliteStoreTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(SqliteStoreTest);
    CPPUNIT_TEST(migrates_fresh_database_and_again_idempotently);
    CPPUNIT_TEST(refuses_newer_schema);
    CPPUNIT_TEST(open_refuses_older_schema);
    CPPUNIT_TEST(missing_or_foreign_file_is_io_error);
    CPPUNIT_TEST(new_database_is_private);
    CPPUNIT_TEST(account_crud_and_case_insensitive_lookup);
    CPPUNIT_TEST(emails_keep_their_order);
    CPPUNIT_TEST(password_and_disable_bump_security_stamp);
    CPPUNIT_TEST(lockout_counts_failures_and_resets);
    CPPUNIT_TEST(recent_sign_ins_newest_first);
    CPPUNIT_TEST(sessions_lifecycle);
    CPPUNIT_TEST(photo_set_get_remove);
    CPPUNIT_TEST(organizations_and_membership_upsert);
    CPPUNIT_TEST(transaction_rolls_back_unless_committed);
    CPPUNIT_TEST(failed_write_leaves_nothing_half_written);
    CPPUNIT_TEST(batch_creates_all_in_order);
    CPPUNIT_TEST(batch_with_existing_user_creates_none);
    CPPUNIT_TEST(batch_with_names_differing_in_case_creates_none);
    CPPUNIT_TEST(batch_failing_late_creates_none);
    CPPUNIT_TEST(cached_statement_refuses_reentry);
    CPPUNIT_TEST(password_history_keeps_old_hashes_newest_first);
    CPPUNIT_TEST(first_password_leaves_no_history);
    CPPUNIT_TEST(password_history_keeps_at_most_24);
    CPPUNIT_TEST(password_history_of_unknown_account_is_empty);
    CPPUNIT_TEST(migrates_version_1_database_to_password_history);
    CPPUNIT_TEST_SUITE_END();

public:

    void migrates_fresh_database_and_again_idempotently() {
        std::string other = dir_ + "/fresh.db";
        auto first = sqlite::migrate_store_file(other);
        CPPUNIT_ASSERT_EQUAL(0, first.first);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), first.second);
        CPPUNIT_ASSERT(sqlite::supported_schema_version() >= 1);
        auto again = sqlite::migrate_store_file(other);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), again.first);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), again.second);
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), sqlite::read_schema_version(other));
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), store_->schema_version());
        // Read-only inspection works while another connection has the WAL database open.
        CPPUNIT_ASSERT_EQUAL(sqlite::supported_schema_version(), sqlite::read_schema_version(path_));
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

    void account_crud_and_case_insensitive_lookup() {
        AccountId alice = store_->create_account(new_account("Alice"), 1000);
        AccountId bob = store_->create_account(new_account("bob"), 1001);
        CPPUNIT_ASSERT(alice != bob);

        auto found = store_->find_account("ALICE");
        CPPUNIT_ASSERT(found);
        CPPUNIT_ASSERT_EQUAL(alice, found->id);
        CPPUNIT_ASSERT_EQUAL(std::string("Alice"), found->username);  // stored as typed at creation
        CPPUNIT_ASSERT_EQUAL(std::string("Display Alice"), found->display_name);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, found->security_stamp);
        CPPUNIT_ASSERT_EQUAL(UnixTime{1000}, found->created_at);
        CPPUNIT_ASSERT(!found->disabled);
        CPPUNIT_ASSERT(store_->find_account_by_id(bob));
        CPPUNIT_ASSERT(!store_->find_account("carol"));
        CPPUNIT_ASSERT(!store_->find_account_by_id(9999));

        StoreError conflict = thrown_by([&] { store_->create_account(new_account("aLiCe"), 1002); });
        CPPUNIT_ASSERT(conflict.kind() == StoreError::Kind::conflict);

        auto all = store_->list_accounts();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Alice"), all[0].username);
        CPPUNIT_ASSERT_EQUAL(std::string("bob"), all[1].username);

        ProfileFields change;
        change.job_title = "Manager";
        store_->update_profile(alice, change, 2000);
        auto updated = store_->find_account_by_id(alice);
        CPPUNIT_ASSERT_EQUAL(std::string("Manager"), updated->job_title);
        CPPUNIT_ASSERT_EQUAL(std::string("Display Alice"), updated->display_name);  // unset: kept
        CPPUNIT_ASSERT_EQUAL(std::string("B1"), updated->office);
        CPPUNIT_ASSERT_EQUAL(UnixTime{2000}, updated->updated_at);

        CPPUNIT_ASSERT(thrown_by([&] { store_->update_profile(9999, change, 1); }).kind() ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT(thrown_by([&] { store_->set_password_hash(9999, "x", true, 1); }).kind() ==
                       StoreError::Kind::not_found);
    }

    void emails_keep_their_order() {
        AccountId id = store_->create_account(new_account("dana", {"b@example.org", "a@example.org", "c@example.org"}), 1);
        auto account = store_->find_account("dana");
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, account->emails.size());
        CPPUNIT_ASSERT_EQUAL(std::string("b@example.org"), account->emails[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("a@example.org"), account->emails[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("c@example.org"), account->emails[2]);

        ProfileFields change;
        change.emails = std::vector<std::string>{"z@example.org", "y@example.org"};
        store_->update_profile(id, change, 2);
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, account->emails.size());
        CPPUNIT_ASSERT_EQUAL(std::string("z@example.org"), account->emails[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("y@example.org"), account->emails[1]);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->list_accounts()[0].emails.size());

        ProfileFields other;  // emails unset: kept
        other.office = "B2";
        store_->update_profile(id, other, 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->find_account_by_id(id)->emails.size());
    }

    void password_and_disable_bump_security_stamp() {
        AccountId id = store_->create_account(new_account("erin"), 1);
        store_->set_password_hash(id, "new-hash", false, 2);
        auto account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::string("new-hash"), account->password_hash);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, account->security_stamp);

        store_->set_password_hash(id, "newer-hash", true, 3);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->find_account_by_id(id)->security_stamp);

        store_->set_disabled(id, true, 4);
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT(account->disabled);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, account->security_stamp);

        store_->set_disabled(id, false, 5);
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT(!account->disabled);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, account->security_stamp);
    }

    void lockout_counts_failures_and_resets() {
        AccountId id = store_->create_account(new_account("frank"), 1);
        LockoutRule rule{3, 900};
        store_->record_sign_in(attempt("frank", id, 100, SignInResult::bad_password), rule);
        store_->record_sign_in(attempt("frank", id, 101, SignInResult::bad_password), rule);
        auto account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, account->failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, account->locked_until);

        store_->record_sign_in(attempt("frank", id, 102, SignInResult::bad_password), rule);
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, account->failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{102 + 900}, account->locked_until);

        // Attempts rejected because of the lock are recorded but do not count.
        store_->record_sign_in(attempt("frank", id, 103, SignInResult::locked), rule);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->find_account_by_id(id)->failed_attempts);

        store_->unlock(id, 200);
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account->failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, account->locked_until);

        store_->record_sign_in(attempt("frank", id, 300, SignInResult::bad_password), rule);
        store_->record_sign_in(attempt("frank", id, 301, SignInResult::bad_password), rule);
        store_->record_sign_in(attempt("frank", id, 302, SignInResult::success), rule);
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account->failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, account->locked_until);

        LockoutRule never{0, 900};
        for (UnixTime t = 400; t < 410; ++t) {
            store_->record_sign_in(attempt("frank", id, t, SignInResult::bad_password), never);
        }
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10}, account->failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, account->locked_until);

        // Unknown users are recorded without touching any account.
        store_->record_sign_in(attempt("nobody", std::nullopt, 500, SignInResult::unknown_user), rule);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10}, store_->find_account_by_id(id)->failed_attempts);
    }

    void recent_sign_ins_newest_first() {
        AccountId id = store_->create_account(new_account("gina"), 1);
        LockoutRule rule;
        store_->record_sign_in(attempt("gina", id, 10, SignInResult::success), rule);
        store_->record_sign_in(attempt("GINA", id, 30, SignInResult::bad_password), rule);
        auto basic = attempt("gina", id, 20, SignInResult::disabled);
        basic.method = SignInMethod::basic;
        store_->record_sign_in(basic, rule);

        auto recent = store_->recent_sign_ins(id, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, recent.size());
        CPPUNIT_ASSERT_EQUAL(UnixTime{30}, recent[0].at);
        CPPUNIT_ASSERT_EQUAL(std::string("GINA"), recent[0].username);
        CPPUNIT_ASSERT(recent[0].result == SignInResult::bad_password);
        CPPUNIT_ASSERT_EQUAL(UnixTime{20}, recent[1].at);
        CPPUNIT_ASSERT(recent[1].method == SignInMethod::basic);
        CPPUNIT_ASSERT(recent[1].result == SignInResult::disabled);
        CPPUNIT_ASSERT_EQUAL(UnixTime{10}, recent[2].at);
        CPPUNIT_ASSERT(recent[2].account_id && *recent[2].account_id == id);
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.7"), recent[2].client_ip);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->recent_sign_ins(id, 2).size());
    }

    void sessions_lifecycle() {
        AccountId id = store_->create_account(new_account("hank", {"hank@example.org"}), 1);
        AccountId other = store_->create_account(new_account("ivy"), 1);
        // Token hashes are raw bytes, NULs included.
        std::string hash_a("a\0\x01\xff" "a-token", 11);
        std::string hash_b("b\0\x02\xfe" "b-token", 11);
        std::int64_t a = store_->create_session(new_session(id, hash_a, 1000, 3600));
        std::int64_t b = store_->create_session(new_session(id, hash_b, 1000, 3600));
        store_->create_session(new_session(other, "ivy-token", 1000, 3600));
        CPPUNIT_ASSERT(thrown_by([&] { store_->create_session(new_session(id, hash_a, 1000, 60)); }).kind() ==
                       StoreError::Kind::conflict);

        auto found = store_->find_session(hash_a);
        CPPUNIT_ASSERT(found);
        CPPUNIT_ASSERT_EQUAL(a, found->session.id);
        CPPUNIT_ASSERT(found->session.token_hash == hash_a);
        CPPUNIT_ASSERT_EQUAL(UnixTime{4600}, found->session.expires_at);
        CPPUNIT_ASSERT_EQUAL(std::string("hank"), found->account.username);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, found->account.emails.size());
        CPPUNIT_ASSERT(!store_->find_session(std::string("a\0", 2)));

        store_->touch_session(a, 1500);
        store_->touch_session(a, 1400);  // out of order: ignored
        store_->update_session_data(a, "lang=en");
        found = store_->find_session(hash_a);
        CPPUNIT_ASSERT_EQUAL(UnixTime{1500}, found->session.last_seen_at);
        CPPUNIT_ASSERT_EQUAL(std::string("lang=en"), found->session.data);

        store_->end_session(a, "signed_out", 1600);
        store_->end_session(a, "expired", 1700);  // already ended: first reason kept
        found = store_->find_session(hash_a);
        CPPUNIT_ASSERT_EQUAL(UnixTime{1600}, found->session.ended_at);
        CPPUNIT_ASSERT_EQUAL(std::string("signed_out"), found->session.end_reason);

        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->sessions_of(id, false, 1700).size());
        auto active = store_->sessions_of(id, true, 1700);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, active.size());
        CPPUNIT_ASSERT_EQUAL(b, active[0].id);
        CPPUNIT_ASSERT(store_->sessions_of(id, true, 5000).empty());  // b expired at 4600

        CPPUNIT_ASSERT_EQUAL(1, store_->end_all_sessions(id, "signed_out_everywhere", 1800));
        CPPUNIT_ASSERT_EQUAL(0, store_->end_all_sessions(id, "signed_out_everywhere", 1900));
        CPPUNIT_ASSERT(store_->sessions_of(id, true, 1900).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->sessions_of(other, true, 1900).size());

        // a ended at 1600, b at 1800; ivy's runs until 4600.
        CPPUNIT_ASSERT_EQUAL(1, store_->prune_sessions(1700));
        CPPUNIT_ASSERT(!store_->find_session(hash_a));
        CPPUNIT_ASSERT(store_->find_session(hash_b));
        CPPUNIT_ASSERT_EQUAL(2, store_->prune_sessions(4601));
        CPPUNIT_ASSERT(store_->sessions_of(other, false, 0).empty());
    }

    void photo_set_get_remove() {
        AccountId id = store_->create_account(new_account("jo"), 1);
        CPPUNIT_ASSERT(!store_->find_photo(id));
        Photo photo{"image/png", std::string("\x89PNG\r\n\x1a\n\0\0", 10), 50};
        store_->set_photo(id, photo);
        auto found = store_->find_photo(id);
        CPPUNIT_ASSERT(found);
        CPPUNIT_ASSERT_EQUAL(std::string("image/png"), found->content_type);
        CPPUNIT_ASSERT(found->bytes == photo.bytes);
        CPPUNIT_ASSERT_EQUAL(UnixTime{50}, found->updated_at);

        store_->set_photo(id, Photo{"image/jpeg", "\xff\xd8\xff", 60});
        found = store_->find_photo(id);
        CPPUNIT_ASSERT_EQUAL(std::string("image/jpeg"), found->content_type);
        CPPUNIT_ASSERT_EQUAL(std::string("\xff\xd8\xff"), found->bytes);

        store_->remove_photo(id);
        CPPUNIT_ASSERT(!store_->find_photo(id));
        store_->remove_photo(id);  // removing nothing is fine
        CPPUNIT_ASSERT(thrown_by([&] { store_->set_photo(9999, photo); }).kind() == StoreError::Kind::not_found);
    }

    void organizations_and_membership_upsert() {
        std::int64_t contoso = store_->create_organization(Organization{0, "Contoso", "contoso.example"});
        std::int64_t fabrikam = store_->create_organization(Organization{0, "Fabrikam", ""});
        CPPUNIT_ASSERT(thrown_by([&] { store_->create_organization(Organization{0, "CONTOSO", ""}); }).kind() ==
                       StoreError::Kind::conflict);
        auto found = store_->find_organization("contoso");
        CPPUNIT_ASSERT(found);
        CPPUNIT_ASSERT_EQUAL(contoso, found->id);
        CPPUNIT_ASSERT_EQUAL(std::string("contoso.example"), found->domain);
        CPPUNIT_ASSERT(!store_->find_organization("Northwind"));
        auto orgs = store_->list_organizations();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, orgs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Contoso"), orgs[0].name);

        AccountId id = store_->create_account(new_account("kim"), 1);
        store_->add_membership(id, fabrikam, MembershipKind::guest, "Guest");
        store_->add_membership(id, contoso, MembershipKind::guest, "Guest");
        store_->add_membership(id, contoso, MembershipKind::home, "Member");  // replaces
        auto memberships = store_->memberships_of(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, memberships.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Contoso"), memberships[0].organization.name);
        CPPUNIT_ASSERT(memberships[0].kind == MembershipKind::home);
        CPPUNIT_ASSERT_EQUAL(std::string("Member"), memberships[0].role);
        CPPUNIT_ASSERT_EQUAL(std::string("Fabrikam"), memberships[1].organization.name);
        CPPUNIT_ASSERT(memberships[1].kind == MembershipKind::guest);
        CPPUNIT_ASSERT(thrown_by([&] { store_->add_membership(id, 9999, MembershipKind::home, ""); }).kind() ==
                       StoreError::Kind::not_found);
    }

    void transaction_rolls_back_unless_committed() {
        sqlite::Database db(path_, sqlite::Database::Mode::read_write);
        {
            sqlite::Transaction transaction(db);
            auto insert = db.prepare(
                "INSERT INTO accounts (username, created_at, updated_at) VALUES (?1, ?2, ?2)");
            insert->bind_all(std::string("temp"), std::int64_t{1});
            insert->run();
            CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, count_rows(db, "SELECT count(*) FROM accounts"));
        }  // no commit
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_rows(db, "SELECT count(*) FROM accounts"));
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

    void failed_write_leaves_nothing_half_written() {
        // The second address is empty, which the schema refuses after the account row went in.
        StoreError error = thrown_by(
            [&] { store_->create_account(new_account("lee", {"lee@example.org", ""}), 1); });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::invalid);
        CPPUNIT_ASSERT(!store_->find_account("lee"));
        sqlite::Database db(path_, sqlite::Database::Mode::read_write);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_rows(db, "SELECT count(*) FROM account_emails"));
        // The connection is still usable afterwards.
        CPPUNIT_ASSERT(store_->create_account(new_account("lee", {"lee@example.org"}), 2) > 0);
    }

    void batch_creates_all_in_order() {
        CPPUNIT_ASSERT(store_->create_accounts({}, 1).empty());
        std::vector<AccountId> ids = store_->create_accounts(
            {new_account("mia", {"mia@example.org", "m@example.org"}), new_account("ned"), new_account("Ola")}, 500);
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, ids.size());
        const char* names[] = {"mia", "ned", "Ola"};
        for (std::size_t i = 0; i < ids.size(); ++i) {
            auto found = store_->find_account_by_id(ids[i]);
            CPPUNIT_ASSERT(found);
            CPPUNIT_ASSERT_EQUAL(std::string(names[i]), found->username);
            CPPUNIT_ASSERT_EQUAL(UnixTime{500}, found->created_at);
        }
        CPPUNIT_ASSERT(store_->find_account("mia")->emails ==
                       std::vector<std::string>({"mia@example.org", "m@example.org"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, store_->list_accounts().size());
    }

    void batch_with_existing_user_creates_none() {
        store_->create_account(new_account("alice"), 1);
        StoreError error = thrown_by([&] {
            store_->create_accounts({new_account("bob"), new_account("ALICE"), new_account("carol")}, 2);
        });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(contains(error.what(), "ALICE"));
        auto all = store_->list_accounts();
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), all[0].username);
        CPPUNIT_ASSERT(!store_->find_account("bob"));
    }

    void batch_with_names_differing_in_case_creates_none() {
        StoreError error = thrown_by([&] {
            store_->create_accounts({new_account("dora"), new_account("erik"), new_account("Dora")}, 1);
        });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(contains(error.what(), "Dora"));
        CPPUNIT_ASSERT(store_->list_accounts().empty());
        // The connection is still usable, and the same names go in once the clash is gone.
        CPPUNIT_ASSERT_EQUAL(std::size_t{2},
                             store_->create_accounts({new_account("dora"), new_account("erik")}, 2).size());
    }

    void batch_failing_late_creates_none() {
        // Not a conflict: the last account's empty address is refused after the others went in.
        StoreError error = thrown_by([&] {
            store_->create_accounts({new_account("pia", {"pia@example.org"}), new_account("quinn", {""})}, 1);
        });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::invalid);
        CPPUNIT_ASSERT(store_->list_accounts().empty());
        sqlite::Database db(path_, sqlite::Database::Mode::read_write);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_rows(db, "SELECT count(*) FROM account_emails"));
    }

    void cached_statement_refuses_reentry() {
        sqlite::Database db(path_, sqlite::Database::Mode::read_write);
        auto outer = db.prepare("SELECT count(*) FROM accounts");
        CPPUNIT_ASSERT(thrown_by([&] { db.prepare("SELECT count(*) FROM accounts"); }).kind() ==
                       StoreError::Kind::invalid);
    }

    void password_history_keeps_old_hashes_newest_first() {
        AccountId id = store_->create_account(new_account("hank"), 1);  // created with a hash
        const std::string first = store_->find_account_by_id(id)->password_hash;
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 24).empty());

        store_->set_password_hash(id, "hash-b", false, 2);
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 24) == std::vector<std::string>{first});
        store_->set_password_hash(id, "hash-c", true, 3);
        CPPUNIT_ASSERT((store_->previous_password_hashes(id, 24) == std::vector<std::string>{"hash-b", first}));
        // Setting the same hash again is no change of password: nothing is added.
        store_->set_password_hash(id, "hash-c", false, 4);
        CPPUNIT_ASSERT((store_->previous_password_hashes(id, 24) == std::vector<std::string>{"hash-b", first}));
        // Replaced within the same second: still newest first.
        store_->set_password_hash(id, "hash-d", false, 4);
        CPPUNIT_ASSERT((store_->previous_password_hashes(id, 24) ==
                        std::vector<std::string>{"hash-c", "hash-b", first}));

        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 1) == std::vector<std::string>{"hash-c"});
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 0).empty());
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, -1).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("hash-d"), store_->find_account_by_id(id)->password_hash);

        // Another account's history is its own.
        AccountId other = store_->create_account(new_account("ivy"), 5);
        store_->set_password_hash(other, "ivy-2", false, 6);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->previous_password_hashes(other, 24).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, store_->previous_password_hashes(id, 24).size());
    }

    void first_password_leaves_no_history() {
        NewAccount without = new_account("jill");
        without.password_hash.clear();
        AccountId id = store_->create_account(without, 1);
        store_->set_password_hash(id, "first-hash", false, 2);
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 24).empty());
        store_->set_password_hash(id, "second-hash", false, 3);
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 24) == std::vector<std::string>{"first-hash"});
    }

    void password_history_keeps_at_most_24() {
        AccountId id = store_->create_account(new_account("kim"), 1);
        for (int i = 1; i <= 30; ++i) store_->set_password_hash(id, "hash-" + std::to_string(i), false, 1 + i / 4);
        // hash-30 is current; the history holds hash-29 down to hash-6.
        std::vector<std::string> history = store_->previous_password_hashes(id, 100);
        CPPUNIT_ASSERT_EQUAL(std::size_t{24}, history.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{static_cast<std::size_t>(password_history_kept)}, history.size());
        for (std::size_t i = 0; i < history.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL("hash-" + std::to_string(29 - i), history[i]);
        }
        sqlite::Database db = inspect();
        CPPUNIT_ASSERT_EQUAL(std::int64_t{24}, count_rows(db, "SELECT count(*) FROM password_history"));
    }

    void password_history_of_unknown_account_is_empty() {
        CPPUNIT_ASSERT(store_->previous_password_hashes(9999, 24).empty());
        CPPUNIT_ASSERT(thrown_by([&] { store_->set_password_hash(9999, "x", false, 1); }).kind() ==
                       StoreError::Kind::not_found);
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

};

CPPUNIT_TEST_SUITE_REGISTRATION(SqliteStoreTest);
