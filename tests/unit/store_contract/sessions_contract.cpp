// Store contract: sessions, and the sign-in attempts that lock an account.
#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>

#include "store_contract/contract_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

namespace {

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

}  // namespace

class SessionsContract : public ContractFixture {
    CPPUNIT_TEST_SUITE(SessionsContract);
    CPPUNIT_TEST(sessions_lifecycle);
    CPPUNIT_TEST(lockout_counters_compare_and_set);
    CPPUNIT_TEST(unknown_id_lockouts_compare_and_set);
    CPPUNIT_TEST(recent_sign_ins_newest_first);
    CPPUNIT_TEST(disabling_ends_sessions_with_its_event_or_not_at_all);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
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

    // An administrator's disable is one transaction: flag, stamp, ended sessions and the event;
    // for an account that does not exist, nothing of it is written.
    void disabling_ends_sessions_with_its_event_or_not_at_all() {
        AccountId id = store_->create_account(new_account("gail"), 1);
        store_->create_session(new_session(id, "gail-a", 1000, 3600));
        store_->create_session(new_session(id, "gail-b", 1000, 3600));
        AuditEvent event;
        event.account_id = id;
        event.at = 1100;
        event.kind = "account_disabled";
        CPPUNIT_ASSERT_EQUAL(2, store_->disable_account(id, event, 1100));
        CPPUNIT_ASSERT(store_->find_account_by_id(id)->disabled);
        CPPUNIT_ASSERT(store_->sessions_of(id, true, 1100).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("disabled"), store_->sessions_of(id, false, 1100).at(0).end_reason);
        CPPUNIT_ASSERT_EQUAL(std::string("account_disabled"), store_->events_of(id, 1).at(0).kind);

        event.kind = "account_enabled";
        store_->enable_account(id, event, 1200);
        CPPUNIT_ASSERT(!store_->find_account_by_id(id)->disabled);
        CPPUNIT_ASSERT_EQUAL(std::string("account_enabled"), store_->events_of(id, 1).at(0).kind);
        event.kind = "account_unlocked";
        store_->unlock_account(id, event, 1300);
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, store_->events_of(id, 10).size());

        AuditEvent stray = event;
        stray.account_id = id + 100;
        CPPUNIT_ASSERT(error_kind([&] { store_->disable_account(id + 100, stray, 1400); }) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT(store_->events_of(id + 100, 10).empty());
    }

    void lockout_counters_compare_and_set() {
        AccountId id = store_->create_account(new_account("frank"), 1);
        CPPUNIT_ASSERT((store_->lockout_of(id) == LockoutState{0, 0}));
        CPPUNIT_ASSERT(store_->replace_lockout(id, LockoutState{0, 0}, LockoutState{1, 0}));
        CPPUNIT_ASSERT(store_->replace_lockout(id, LockoutState{1, 0}, LockoutState{2, 1000}));
        auto account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, account->failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{1000}, account->locked_until);

        // A stale expectation writes nothing, whichever half of it is stale.
        CPPUNIT_ASSERT(!store_->replace_lockout(id, LockoutState{1, 0}, LockoutState{9, 9}));
        CPPUNIT_ASSERT(!store_->replace_lockout(id, LockoutState{2, 0}, LockoutState{9, 9}));
        CPPUNIT_ASSERT(!store_->replace_lockout(id, LockoutState{1, 1000}, LockoutState{9, 9}));
        CPPUNIT_ASSERT((store_->lockout_of(id) == LockoutState{2, 1000}));

        store_->unlock(id, 200);
        CPPUNIT_ASSERT((store_->lockout_of(id) == LockoutState{0, 0}));

        // No such account: nothing to read, nothing written.
        CPPUNIT_ASSERT(error_kind([&] { store_->lockout_of(id + 100); }) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT(!store_->replace_lockout(id + 100, LockoutState{0, 0}, LockoutState{1, 0}));

        // Recording attempts never touches the counters: the core counts them apart.
        store_->record_sign_in(attempt("frank", id, 300, SignInResult::bad_password));
        store_->record_sign_in(attempt("nobody", std::nullopt, 301, SignInResult::unknown_user));
        CPPUNIT_ASSERT((store_->lockout_of(id) == LockoutState{0, 0}));
    }

    void unknown_id_lockouts_compare_and_set() {
        CPPUNIT_ASSERT((store_->unknown_id_lockout("h1") == LockoutState{0, 0}));
        // A stale expectation on an ID never counted inserts nothing.
        CPPUNIT_ASSERT(!store_->replace_unknown_id_lockout("h1", LockoutState{1, 0}, LockoutState{2, 0}));
        CPPUNIT_ASSERT((store_->unknown_id_lockout("h1") == LockoutState{0, 0}));
        CPPUNIT_ASSERT(store_->replace_unknown_id_lockout("h1", LockoutState{0, 0}, LockoutState{1, 0}));
        CPPUNIT_ASSERT(!store_->replace_unknown_id_lockout("h1", LockoutState{0, 0}, LockoutState{1, 0}));
        CPPUNIT_ASSERT(store_->replace_unknown_id_lockout("h1", LockoutState{1, 0}, LockoutState{3, 1000}));
        CPPUNIT_ASSERT((store_->unknown_id_lockout("h1") == LockoutState{3, 1000}));
        CPPUNIT_ASSERT((store_->unknown_id_lockout("h2") == LockoutState{0, 0}));
        // Back to {0, 0} and on from there.
        CPPUNIT_ASSERT(store_->replace_unknown_id_lockout("h1", LockoutState{3, 1000}, LockoutState{0, 0}));
        CPPUNIT_ASSERT(store_->replace_unknown_id_lockout("h1", LockoutState{0, 0}, LockoutState{1, 0}));
        CPPUNIT_ASSERT((store_->unknown_id_lockout("h1") == LockoutState{1, 0}));

        // Pruning forgets lapsed locks only: a count below the threshold is kept, as an account's is.
        CPPUNIT_ASSERT(store_->replace_unknown_id_lockout("h2", LockoutState{0, 0}, LockoutState{3, 500}));
        store_->prune_challenges(501);
        CPPUNIT_ASSERT((store_->unknown_id_lockout("h2") == LockoutState{0, 0}));
        CPPUNIT_ASSERT((store_->unknown_id_lockout("h1") == LockoutState{1, 0}));
    }

    void recent_sign_ins_newest_first() {
        AccountId id = store_->create_account(new_account("gina"), 1);
        store_->record_sign_in(attempt("gina", id, 10, SignInResult::success));
        store_->record_sign_in(attempt("GINA", id, 30, SignInResult::bad_password));
        auto basic = attempt("gina", id, 20, SignInResult::disabled);
        basic.method = SignInMethod::basic;
        store_->record_sign_in(basic);

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
};

MYA_STORE_CONTRACT(SessionsContract);
