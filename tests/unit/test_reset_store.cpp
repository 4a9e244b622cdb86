// Tests of the store's self-service reset half: methods, challenges and codes, throttling, audit trail.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/schema_migrations.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/schema.hpp"
#include "store_fixture.hpp"

using namespace myaccount;

namespace {

constexpr UnixTime t0 = 100000;  // the fixed clock every test starts from
constexpr UnixTime flow_lifetime = 2700;
constexpr UnixTime code_lifetime = 900;
constexpr int max_attempts = 5;

// The kind of StoreError `action` threw, or nullopt when it threw none.
std::optional<StoreError::Kind> error_kind(const std::function<void()>& action) {
    try {
        action();
    } catch (const StoreError& error) {
        return error.kind();
    }
    return std::nullopt;
}

AuditEvent event_at(UnixTime at, const std::string& kind, AccountId account = 0) {
    AuditEvent event;
    event.account_id = account;
    event.at = at;
    event.kind = kind;
    event.client_ip = "192.0.2.9";
    event.user_agent = "unit";
    return event;
}

}  // namespace

class ResetStoreTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(ResetStoreTest);
    CPPUNIT_TEST(schema_is_version_3);
    CPPUNIT_TEST(migrates_version_2_database);
    CPPUNIT_TEST(registration_postponed_counts_and_survives_reload);
    CPPUNIT_TEST(rehash_never_undoes_a_newer_password);
    CPPUNIT_TEST(challenge_round_trips_by_token_and_purpose);
    CPPUNIT_TEST(challenge_token_is_unique);
    CPPUNIT_TEST(no_code_outstanding_is_none);
    CPPUNIT_TEST(right_code_is_accepted_once);
    CPPUNIT_TEST(reset_collects_proven_methods_without_repeats);
    CPPUNIT_TEST(wrong_codes_count_and_kill_the_code_at_max);
    CPPUNIT_TEST(right_code_after_wrong_guesses_below_max_is_accepted);
    CPPUNIT_TEST(expired_code_or_challenge_is_expired);
    CPPUNIT_TEST(new_code_resets_attempts_and_delivery);
    CPPUNIT_TEST(delivery_takes_only_known_values);
    CPPUNIT_TEST(same_code_posted_at_once_wins_once);
    CPPUNIT_TEST(add_email_registers_the_proven_address);
    CPPUNIT_TEST(add_email_needs_an_accepted_code_and_an_open_challenge);
    CPPUNIT_TEST(duplicate_address_is_not_added_twice);
    CPPUNIT_TEST(removing_another_accounts_method_is_not_found);
    CPPUNIT_TEST(complete_reset_unlocks_ends_sessions_and_records);
    CPPUNIT_TEST(complete_reset_twice_is_conflict);
    CPPUNIT_TEST(complete_reset_after_stamp_moved_is_conflict);
    CPPUNIT_TEST(complete_reset_refuses_expired_foreign_or_accountless_challenges);
    CPPUNIT_TEST(change_password_keeps_history_ends_sessions_and_records);
    CPPUNIT_TEST(prune_removes_expired_challenges_and_old_windows);
    CPPUNIT_TEST(throttle_counts_within_a_window);
    CPPUNIT_TEST(throttle_starts_over_in_the_next_window);
    CPPUNIT_TEST(throttle_refuses_empty_window);
    CPPUNIT_TEST(throttle_take_counts_all_or_nothing);
    CPPUNIT_TEST(events_newest_first_per_account);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        StoreFixture::setUp();
        alice_ = add_account("alice", "hash-1", "Alice", t0);
        bob_ = add_account("bob", "bob-hash", "Bob", t0);
    }

    void schema_is_version_3() {
        CPPUNIT_ASSERT_EQUAL(3, sqlite::supported_schema_version());
        CPPUNIT_ASSERT_EQUAL(3, store_->schema_version());
    }

    void migrates_version_2_database() {
        std::string old_path = dir_ + "/v2.db";
        {
            sqlite::Database db(old_path, sqlite::Database::Mode::read_write_create);
            for (int version = 1; version <= 2; ++version) {
                db.exec_script(sqlite::schema::migrations[version - 1].sql, sqlite::schema::migrations[version - 1].name);
            }
            db.exec_script("PRAGMA user_version = 2", "set version");
            db.exec_script("INSERT INTO accounts (username, created_at, updated_at) VALUES ('old', 1, 1)", "seed");
        }
        auto migrated = sqlite::migrate_store_file(old_path);
        CPPUNIT_ASSERT_EQUAL(2, migrated.first);
        CPPUNIT_ASSERT_EQUAL(3, migrated.second);
        auto store = sqlite::open_store_file(old_path);
        Account old = *store->find_account("old");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, old.registration_postponed);
        store->postpone_registration(old.id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->find_account_by_id(old.id)->registration_postponed);
    }

    void rehash_never_undoes_a_newer_password() {
        store_->set_password_hash(alice_, "old-hash", false, t0);
        std::int64_t stamp = account(alice_).security_stamp;
        CPPUNIT_ASSERT(store_->upgrade_password_hash(alice_, "old-hash", "stronger-old-hash", t0 + 1));
        CPPUNIT_ASSERT_EQUAL(std::string("stronger-old-hash"), account(alice_).password_hash);
        CPPUNIT_ASSERT_EQUAL(stamp, account(alice_).security_stamp);  // no session ends for a rehash
        CPPUNIT_ASSERT(store_->previous_password_hashes(alice_, 24).empty() ||
                       store_->previous_password_hashes(alice_, 24).front() != "old-hash");

        // A reset won the race: the rehash of the old password must not bring it back.
        store_->set_password_hash(alice_, "reset-hash", true, t0 + 2);
        CPPUNIT_ASSERT(!store_->upgrade_password_hash(alice_, "stronger-old-hash", "rehash-of-old", t0 + 3));
        CPPUNIT_ASSERT_EQUAL(std::string("reset-hash"), account(alice_).password_hash);
    }

    void registration_postponed_counts_and_survives_reload() {
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account(alice_).registration_postponed);
        store_->postpone_registration(alice_);
        store_->postpone_registration(alice_);
        start_session(alice_, "alice-session");

        store_.reset();
        store_ = sqlite::open_store_file(path_);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->find_account("alice")->registration_postponed);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->find_account_by_id(alice_)->registration_postponed);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->find_session("alice-session")->account.registration_postponed);
        for (const Account& listed : store_->list_accounts()) {
            CPPUNIT_ASSERT_EQUAL(std::int64_t{listed.id == alice_ ? 2 : 0}, listed.registration_postponed);
        }
        CPPUNIT_ASSERT(error_kind([&] { store_->postpone_registration(9999); }) == StoreError::Kind::not_found);
    }

    void challenge_round_trips_by_token_and_purpose() {
        Challenge written = challenge_for(alice_, "token-a", ChallengePurpose::reset);
        written.username = "Alice";
        written.security_stamp = 7;
        written.completed_at = 0;
        written.target = "12";
        written.code_hash = std::string("\0\x01\xff", 3);
        written.code_expires_at = t0 + 60;
        written.code_attempts = 2;
        written.delivery = "sent";
        written.proven = {4, 9};
        written.client_ip = "203.0.113.5";
        written.id = store_->create_challenge(written);

        auto read = store_->find_challenge("token-a", ChallengePurpose::reset);
        CPPUNIT_ASSERT(read);
        CPPUNIT_ASSERT_EQUAL(written.id, read->id);
        CPPUNIT_ASSERT(read->token_hash == "token-a");
        CPPUNIT_ASSERT(read->purpose == ChallengePurpose::reset);
        CPPUNIT_ASSERT(read->account_id == std::optional<AccountId>(alice_));
        CPPUNIT_ASSERT_EQUAL(std::string("Alice"), read->username);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{7}, read->security_stamp);
        CPPUNIT_ASSERT_EQUAL(t0, read->created_at);
        CPPUNIT_ASSERT_EQUAL(t0 + flow_lifetime, read->expires_at);
        CPPUNIT_ASSERT_EQUAL(std::string("12"), read->target);
        CPPUNIT_ASSERT(read->code_hash == written.code_hash);
        CPPUNIT_ASSERT_EQUAL(t0 + 60, read->code_expires_at);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, read->code_attempts);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), read->delivery);
        CPPUNIT_ASSERT((read->proven == std::vector<std::int64_t>{4, 9}));
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.5"), read->client_ip);

        CPPUNIT_ASSERT(!store_->find_challenge("token-a", ChallengePurpose::add_email));
        CPPUNIT_ASSERT(!store_->find_challenge("token-b", ChallengePurpose::reset));

        // A reset for nobody: no account id, and it reads back as none.
        Challenge nobody = challenge_for(alice_, "token-n", ChallengePurpose::reset);
        nobody.account_id.reset();
        store_->create_challenge(nobody);
        CPPUNIT_ASSERT(!store_->find_challenge("token-n", ChallengePurpose::reset)->account_id);
    }

    void challenge_token_is_unique() {
        store_->create_challenge(challenge_for(alice_, "same", ChallengePurpose::reset));
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->create_challenge(challenge_for(bob_, "same", ChallengePurpose::add_email));
                       }) == StoreError::Kind::conflict);
    }

    void no_code_outstanding_is_none() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        CPPUNIT_ASSERT(store_->check_code(id, "", max_attempts, t0 + 1) == Store::CodeCheck::none);
        CPPUNIT_ASSERT(store_->check_code(id, "anything", max_attempts, t0 + 1) == Store::CodeCheck::none);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, reread(id).code_attempts);
        CPPUNIT_ASSERT(error_kind([&] { store_->check_code(9999, "x", max_attempts, t0); }) ==
                       StoreError::Kind::not_found);
    }

    void right_code_is_accepted_once() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "41", "code-hash", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(id, "code-hash", max_attempts, t0 + 10) == Store::CodeCheck::accepted);
        Challenge after = reread(id);
        CPPUNIT_ASSERT(after.code_hash.empty());
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, after.code_expires_at);
        CPPUNIT_ASSERT((after.proven == std::vector<std::int64_t>{41}));
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, after.completed_at);  // the flow goes on
        CPPUNIT_ASSERT(store_->check_code(id, "code-hash", max_attempts, t0 + 11) == Store::CodeCheck::none);
    }

    void reset_collects_proven_methods_without_repeats() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        for (const char* target : {"3", "8", "3"}) {
            store_->issue_code(id, target, "h", t0 + code_lifetime);
            CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + 1) == Store::CodeCheck::accepted);
        }
        CPPUNIT_ASSERT((reread(id).proven == std::vector<std::int64_t>{3, 8}));
    }

    void wrong_codes_count_and_kill_the_code_at_max() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "right", t0 + code_lifetime);
        for (int guess = 1; guess < max_attempts; ++guess) {
            CPPUNIT_ASSERT(store_->check_code(id, "wrong", max_attempts, t0 + guess) == Store::CodeCheck::wrong);
            Challenge counted = reread(id);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{guess}, counted.code_attempts);
            CPPUNIT_ASSERT(!counted.code_hash.empty());
        }
        CPPUNIT_ASSERT(store_->check_code(id, "wrong", max_attempts, t0 + 10) == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT(reread(id).code_hash.empty());
        // The right code is of no use any more.
        CPPUNIT_ASSERT(store_->check_code(id, "right", max_attempts, t0 + 11) == Store::CodeCheck::none);
        CPPUNIT_ASSERT(reread(id).proven.empty());
    }

    void right_code_after_wrong_guesses_below_max_is_accepted() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "right", t0 + code_lifetime);
        for (int guess = 1; guess < max_attempts; ++guess) store_->check_code(id, "wrong", max_attempts, t0);
        CPPUNIT_ASSERT(store_->check_code(id, "right", max_attempts, t0) == Store::CodeCheck::accepted);
        // A limit lowered below the attempts made refuses even the right code.
        store_->issue_code(id, "2", "right", t0 + code_lifetime);
        store_->check_code(id, "wrong", max_attempts, t0);
        store_->check_code(id, "wrong", max_attempts, t0);
        CPPUNIT_ASSERT(store_->check_code(id, "right", 2, t0) == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT((reread(id).proven == std::vector<std::int64_t>{1}));
    }

    void expired_code_or_challenge_is_expired() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "h", t0 + 100);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + 100) == Store::CodeCheck::expired);
        CPPUNIT_ASSERT(reread(id).proven.empty());

        // A fresh code in a flow that has ended is no good either.
        store_->issue_code(id, "1", "h", t0 + flow_lifetime + 500);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + flow_lifetime) == Store::CodeCheck::expired);

        // Nor in a completed one.
        std::int64_t done = store_->create_challenge(challenge_for(alice_, "done", ChallengePurpose::reset));
        store_->complete_reset(done, "hash-2", event_at(t0 + 5, "password_reset"));
        store_->issue_code(done, "1", "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(done, "h", max_attempts, t0 + 6) == Store::CodeCheck::expired);
    }

    void new_code_resets_attempts_and_delivery() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "first", t0 + code_lifetime);
        store_->set_delivery(id, "failed");
        store_->check_code(id, "wrong", max_attempts, t0);
        store_->check_code(id, "wrong", max_attempts, t0);
        store_->issue_code(id, "2", "second", t0 + code_lifetime + 60);
        Challenge fresh = reread(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, fresh.code_attempts);
        CPPUNIT_ASSERT_EQUAL(std::string(), fresh.delivery);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), fresh.target);
        CPPUNIT_ASSERT_EQUAL(t0 + code_lifetime + 60, fresh.code_expires_at);
        // The replaced code is wrong now.
        CPPUNIT_ASSERT(store_->check_code(id, "first", max_attempts, t0) == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT(store_->check_code(id, "second", max_attempts, t0) == Store::CodeCheck::accepted);
        CPPUNIT_ASSERT(error_kind([&] { store_->issue_code(9999, "1", "h", t0); }) == StoreError::Kind::not_found);
    }

    void delivery_takes_only_known_values() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->issue_code(id, "1", "h", t0 + code_lifetime);
        store_->set_delivery(id, "sent");
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), reread(id).delivery);
        CPPUNIT_ASSERT(error_kind([&] { store_->set_delivery(id, "lost"); }) == StoreError::Kind::invalid);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), reread(id).delivery);
        CPPUNIT_ASSERT(error_kind([&] { store_->set_delivery(9999, "sent"); }) == StoreError::Kind::not_found);
    }

    void same_code_posted_at_once_wins_once() {
        // Every thread has its own connection, as every httpd process has; they race for each code.
        constexpr int rounds = 50;
        constexpr int racers = 4;
        std::vector<std::int64_t> ids;
        for (int round = 0; round < rounds; ++round) {
            ids.push_back(store_->create_challenge(
                challenge_for(alice_, "race-" + std::to_string(round), ChallengePurpose::reset)));
            store_->issue_code(ids.back(), "5", "h", t0 + code_lifetime);
        }
        std::vector<std::unique_ptr<Store>> stores;
        for (int racer = 0; racer < racers; ++racer) stores.push_back(sqlite::open_store_file(path_));
        std::vector<std::atomic<int>> wins(rounds);
        std::vector<std::atomic<int>> arrived(rounds);
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int racer = 0; racer < racers; ++racer) {
            threads.emplace_back([&, racer] {
                for (int round = 0; round < rounds; ++round) {
                    // All racers post each code together, not one after another.
                    ++arrived[round];
                    while (arrived[round].load() < racers) std::this_thread::yield();
                    try {
                        if (stores[racer]->check_code(ids[round], "h", max_attempts, t0) == Store::CodeCheck::accepted)
                            ++wins[round];
                    } catch (...) {
                        ++failures;
                    }
                }
            });
        }
        for (std::thread& thread : threads) thread.join();
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        for (int round = 0; round < rounds; ++round) CPPUNIT_ASSERT_EQUAL(1, wins[round].load());
    }

    void add_email_registers_the_proven_address() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::add_email));
        store_->issue_code(id, "alice@example.org", "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + 1) == Store::CodeCheck::accepted);
        CPPUNIT_ASSERT((reread(id).proven == std::vector<std::int64_t>{0}));

        std::int64_t method = store_->complete_email_registration(id, event_at(t0 + 2, "method_added", bob_));
        auto methods = store_->methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, methods.size());
        CPPUNIT_ASSERT_EQUAL(method, methods[0].id);
        CPPUNIT_ASSERT_EQUAL(alice_, methods[0].account_id);
        CPPUNIT_ASSERT(methods[0].kind == MethodKind::email);
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), methods[0].address);
        CPPUNIT_ASSERT_EQUAL(t0 + 2, methods[0].created_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 2, reread(id).completed_at);
        // The event belongs to the challenge's account, whatever the caller put in it.
        auto events = store_->events_of(alice_, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("method_added"), events[0].kind);
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
        CPPUNIT_ASSERT(store_->methods_of(bob_).empty());
        // A second completion is refused.
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_email_registration(id, event_at(t0 + 3, "method_added")); }) ==
                       StoreError::Kind::conflict);
    }

    void add_email_needs_an_accepted_code_and_an_open_challenge() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::add_email));
        store_->issue_code(id, "alice@example.org", "h", t0 + code_lifetime);
        auto complete = [&](std::int64_t challenge, UnixTime at) {
            return error_kind([&] { store_->complete_email_registration(challenge, event_at(at, "method_added")); });
        };
        CPPUNIT_ASSERT(complete(id, t0 + 1) == StoreError::Kind::conflict);  // code not yet accepted
        store_->check_code(id, "h", max_attempts, t0 + 1);
        CPPUNIT_ASSERT(complete(id, t0 + flow_lifetime) == StoreError::Kind::conflict);  // flow over

        std::int64_t reset = store_->create_challenge(challenge_for(alice_, "r", ChallengePurpose::reset));
        store_->issue_code(reset, "1", "h", t0 + code_lifetime);
        store_->check_code(reset, "h", max_attempts, t0 + 1);
        CPPUNIT_ASSERT(complete(reset, t0 + 2) == StoreError::Kind::conflict);  // not an add_email challenge
        CPPUNIT_ASSERT(complete(9999, t0 + 2) == StoreError::Kind::not_found);

        CPPUNIT_ASSERT(store_->methods_of(alice_).empty());
        CPPUNIT_ASSERT(store_->events_of(alice_, 10).empty());
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, reread(id).completed_at);
    }

    void duplicate_address_is_not_added_twice() {
        std::int64_t first = add_email(alice_, "alice@example.org");
        std::int64_t other = add_email(alice_, "alice.other@example.org");
        CPPUNIT_ASSERT_EQUAL(first, add_email(alice_, "Alice@Example.ORG"));
        auto methods = store_->methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, methods.size());
        CPPUNIT_ASSERT_EQUAL(first, methods[0].id);  // oldest first
        CPPUNIT_ASSERT_EQUAL(other, methods[1].id);
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), methods[0].address);
        // Another account may register the same address.
        CPPUNIT_ASSERT(add_email(bob_, "alice@example.org") != first);
    }

    void removing_another_accounts_method_is_not_found() {
        std::int64_t alices = add_email(alice_, "alice@example.org");
        std::int64_t bobs = add_email(bob_, "bob@example.org");
        std::size_t bob_events = store_->events_of(bob_, 10).size();
        CPPUNIT_ASSERT(error_kind([&] { store_->remove_method(bob_, alices, event_at(t0 + 9, "method_removed")); }) ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->methods_of(alice_).size());
        CPPUNIT_ASSERT_EQUAL(bob_events, store_->events_of(bob_, 10).size());  // nothing recorded

        store_->remove_method(bob_, bobs, event_at(t0 + 9, "method_removed"));
        CPPUNIT_ASSERT(store_->methods_of(bob_).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("method_removed"), store_->events_of(bob_, 1).at(0).kind);
        CPPUNIT_ASSERT(error_kind([&] { store_->remove_method(bob_, bobs, event_at(t0 + 9, "method_removed")); }) ==
                       StoreError::Kind::not_found);
    }

    void complete_reset_unlocks_ends_sessions_and_records() {
        SignInAttempt failure;
        failure.username = "alice";
        failure.account_id = alice_;
        failure.at = t0;
        failure.result = SignInResult::bad_password;
        store_->record_sign_in(failure, LockoutRule{1, 3600});
        CPPUNIT_ASSERT(account(alice_).locked_until > t0);
        std::int64_t session_id = start_session(alice_, "alice-session");

        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        AuditEvent reset = event_at(t0 + 30, "password_reset");
        reset.detail = "1 method";
        store_->complete_reset(id, "hash-2", reset);

        Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-2"), after.password_hash);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, after.failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, after.locked_until);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, after.security_stamp);
        CPPUNIT_ASSERT(store_->previous_password_hashes(alice_, 5) == std::vector<std::string>{"hash-1"});
        auto ended = store_->find_session("alice-session")->session;
        CPPUNIT_ASSERT_EQUAL(session_id, ended.id);
        CPPUNIT_ASSERT_EQUAL(t0 + 30, ended.ended_at);
        CPPUNIT_ASSERT_EQUAL(std::string("password_reset"), ended.end_reason);
        CPPUNIT_ASSERT_EQUAL(t0 + 30, reread(id).completed_at);
        auto events = store_->events_of(alice_, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, events.size());
        CPPUNIT_ASSERT_EQUAL(alice_, events[0].account_id);
        CPPUNIT_ASSERT_EQUAL(t0 + 30, events[0].at);
        CPPUNIT_ASSERT_EQUAL(std::string("password_reset"), events[0].kind);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.9"), events[0].client_ip);
        CPPUNIT_ASSERT_EQUAL(std::string("unit"), events[0].user_agent);
        CPPUNIT_ASSERT_EQUAL(std::string("1 method"), events[0].detail);
        CPPUNIT_ASSERT_EQUAL(std::string("bob-hash"), account(bob_).password_hash);
    }

    void complete_reset_twice_is_conflict() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->complete_reset(id, "hash-2", event_at(t0 + 1, "password_reset"));
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_reset(id, "hash-3", event_at(t0 + 2, "password_reset")); }) ==
                       StoreError::Kind::conflict);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-2"), account(alice_).password_hash);
        CPPUNIT_ASSERT_EQUAL(t0 + 1, reread(id).completed_at);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->events_of(alice_, 10).size());
    }

    void complete_reset_after_stamp_moved_is_conflict() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::reset));
        store_->set_disabled(alice_, true, t0 + 1);
        store_->set_disabled(alice_, false, t0 + 2);
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_reset(id, "hash-2", event_at(t0 + 3, "password_reset")); }) ==
                       StoreError::Kind::conflict);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-1"), account(alice_).password_hash);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, reread(id).completed_at);
        CPPUNIT_ASSERT(store_->events_of(alice_, 10).empty());
        CPPUNIT_ASSERT(store_->previous_password_hashes(alice_, 5).empty());
    }

    void complete_reset_refuses_expired_foreign_or_accountless_challenges() {
        auto reset = [&](std::int64_t challenge, UnixTime at) {
            return error_kind([&] { store_->complete_reset(challenge, "hash-2", event_at(at, "password_reset")); });
        };
        std::int64_t expired = store_->create_challenge(challenge_for(alice_, "e", ChallengePurpose::reset));
        CPPUNIT_ASSERT(reset(expired, t0 + flow_lifetime) == StoreError::Kind::conflict);
        std::int64_t add = store_->create_challenge(challenge_for(alice_, "a", ChallengePurpose::add_email));
        CPPUNIT_ASSERT(reset(add, t0 + 1) == StoreError::Kind::conflict);
        Challenge nobody = challenge_for(alice_, "n", ChallengePurpose::reset);
        nobody.account_id.reset();
        CPPUNIT_ASSERT(reset(store_->create_challenge(nobody), t0 + 1) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(reset(9999, t0 + 1) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-1"), account(alice_).password_hash);
    }

    void change_password_keeps_history_ends_sessions_and_records() {
        start_session(alice_, "alice-session");
        store_->change_password(alice_, "hash-2", event_at(t0 + 5, "password_changed", bob_));
        Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL(std::string("hash-2"), after.password_hash);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, after.security_stamp);
        CPPUNIT_ASSERT(store_->previous_password_hashes(alice_, 5) == std::vector<std::string>{"hash-1"});
        CPPUNIT_ASSERT_EQUAL(std::string("password_changed"),
                             store_->find_session("alice-session")->session.end_reason);
        CPPUNIT_ASSERT_EQUAL(std::string("password_changed"), store_->events_of(alice_, 1).at(0).kind);
        CPPUNIT_ASSERT(store_->events_of(bob_, 1).empty());
        CPPUNIT_ASSERT(error_kind([&] { store_->change_password(9999, "x", event_at(t0, "password_changed")); }) ==
                       StoreError::Kind::not_found);
    }

    void prune_removes_expired_challenges_and_old_windows() {
        Challenge old = challenge_for(alice_, "old", ChallengePurpose::reset);
        old.expires_at = t0 + 10;
        store_->create_challenge(old);
        store_->create_challenge(challenge_for(alice_, "live", ChallengePurpose::reset));
        store_->throttle_hit("old-window", 60, t0);
        store_->throttle_hit("live-window", 3600, t0);

        CPPUNIT_ASSERT_EQUAL(1, store_->prune_challenges(t0 + 100));
        CPPUNIT_ASSERT(!store_->find_challenge("old", ChallengePurpose::reset));
        CPPUNIT_ASSERT(store_->find_challenge("live", ChallengePurpose::reset));
        sqlite::Database db = inspect();
        std::vector<std::string> windows;
        auto rows = db.prepare("SELECT key FROM throttle ORDER BY key");
        while (rows->step()) windows.push_back(rows->column_text(0));
        CPPUNIT_ASSERT(windows == std::vector<std::string>{"live-window"});
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hits("live-window", 3600, t0 + 100));
        CPPUNIT_ASSERT_EQUAL(0, store_->prune_challenges(t0 + 100));
    }

    void throttle_counts_within_a_window() {
        const UnixTime start = 900 * 1000;
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->throttle_hits("ip:192.0.2.1", 900, start));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hit("ip:192.0.2.1", 900, start));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->throttle_hit("ip:192.0.2.1", 900, start + 400));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hit("ip:192.0.2.1", 900, start + 899));
        // Reading does not count.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hits("ip:192.0.2.1", 900, start + 899));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hits("ip:192.0.2.1", 900, start + 899));
        // Keys are counted apart.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->throttle_hits("ip:192.0.2.2", 900, start));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hit("ip:192.0.2.2", 900, start));
    }

    void throttle_starts_over_in_the_next_window() {
        const UnixTime start = 900 * 1000;
        for (int hit = 0; hit < 4; ++hit) store_->throttle_hit("user:alice", 900, start + 10);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->throttle_hits("user:alice", 900, start + 900));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hit("user:alice", 900, start + 900));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->throttle_hit("user:alice", 900, start + 1799));
        // A process whose clock is behind counts into the newer window rather than resetting it.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hit("user:alice", 900, start + 899));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store_->throttle_hits("user:alice", 900, start + 1000));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store_->throttle_hit("user:alice", 900, start + 5 * 900 + 1));
    }

    void throttle_take_counts_all_or_nothing() {
        const std::vector<Store::ThrottleLimit> both = {{"user", 2}, {"network", 3}};
        CPPUNIT_ASSERT(store_->throttle_take(both, 3600, t0));
        CPPUNIT_ASSERT(store_->throttle_take(both, 3600, t0 + 1));
        // "user" is used up: refused, and "network" is not counted for the refusal.
        CPPUNIT_ASSERT(!store_->throttle_take(both, 3600, t0 + 2));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->throttle_hits("user", 3600, t0 + 2));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->throttle_hits("network", 3600, t0 + 2));
        CPPUNIT_ASSERT(store_->throttle_take({{"network", 3}}, 3600, t0 + 3));
        CPPUNIT_ASSERT(!store_->throttle_take({{"network", 3}}, 3600, t0 + 4));
    }

    void throttle_refuses_empty_window() {
        CPPUNIT_ASSERT(error_kind([&] { store_->throttle_hit("k", 0, t0); }) == StoreError::Kind::invalid);
        CPPUNIT_ASSERT(error_kind([&] { store_->throttle_hits("k", -5, t0); }) == StoreError::Kind::invalid);
    }

    void events_newest_first_per_account() {
        store_->record_event(event_at(t0 + 1, "password_changed", alice_));
        store_->record_event(event_at(t0 + 3, "method_removed", alice_));
        store_->record_event(event_at(t0 + 2, "method_added", alice_));
        store_->record_event(event_at(t0 + 3, "password_reset", alice_));  // same second: later insert first
        store_->record_event(event_at(t0 + 4, "password_changed", bob_));
        auto events = store_->events_of(alice_, 10);
        std::vector<std::string> kinds;
        for (const AuditEvent& event : events) kinds.push_back(event.kind);
        CPPUNIT_ASSERT((
            kinds == std::vector<std::string>{"password_reset", "method_removed", "method_added", "password_changed"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->events_of(alice_, 2).size());
        CPPUNIT_ASSERT(store_->events_of(alice_, 0).empty());
        CPPUNIT_ASSERT(error_kind([&] { store_->record_event(event_at(t0, "x", 9999)); }) ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT(error_kind([&] { store_->record_event(event_at(t0, "", alice_)); }) ==
                       StoreError::Kind::invalid);
    }

private:
    std::int64_t start_session(AccountId account, const std::string& token_hash) {
        Session session;
        session.token_hash = token_hash;
        session.account_id = account;
        session.security_stamp = this->account(account).security_stamp;
        session.created_at = t0;
        session.last_seen_at = t0;
        session.expires_at = t0 + 3600;
        return store_->create_session(session);
    }

    Challenge challenge_for(AccountId account, const std::string& token_hash, ChallengePurpose purpose) {
        Challenge challenge;
        challenge.token_hash = token_hash;
        challenge.purpose = purpose;
        challenge.account_id = account;
        challenge.username = this->account(account).username;
        challenge.security_stamp = this->account(account).security_stamp;
        challenge.created_at = t0;
        challenge.expires_at = t0 + flow_lifetime;
        return challenge;
    }

    Challenge reread(std::int64_t id) {
        sqlite::Database db = inspect();
        auto statement = db.prepare("SELECT token_hash, purpose FROM challenges WHERE id = ?1");
        statement->bind_all(id);
        CPPUNIT_ASSERT(statement->step());
        auto purpose = challenge_purpose_from(statement->column_text(1));
        CPPUNIT_ASSERT(purpose);
        auto found = store_->find_challenge(statement->column_blob(0), *purpose);
        CPPUNIT_ASSERT(found);
        return *found;
    }

    // The whole add_email flow for `address`; returns the method id.
    std::int64_t add_email(AccountId account, const std::string& address) {
        std::string token = "add-" + std::to_string(++challenges_made_);
        std::int64_t id = store_->create_challenge(challenge_for(account, token, ChallengePurpose::add_email));
        store_->issue_code(id, address, "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + challenges_made_) == Store::CodeCheck::accepted);
        return store_->complete_email_registration(id, event_at(t0 + challenges_made_, "method_added"));
    }

    AccountId alice_ = 0;
    AccountId bob_ = 0;
    int challenges_made_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ResetStoreTest);
