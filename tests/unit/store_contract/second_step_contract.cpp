// Store contract: the second step at sign-in — its codes (second_factor, add_phone), its lockout,
// sessions replaced when it passes, remembered browsers and app passwords.
#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>
#include <vector>

#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class SecondStepContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(SecondStepContract);
    CPPUNIT_TEST(new_purposes_round_trip);
    CPPUNIT_TEST(add_phone_registers_the_proven_number);
    CPPUNIT_TEST(add_phone_needs_an_accepted_code_and_an_open_challenge);
    CPPUNIT_TEST(second_factor_code_proves_its_method_and_completes_once);
    CPPUNIT_TEST(second_factor_completion_needs_an_accepted_code);
    CPPUNIT_TEST(second_step_lockout_is_kept_apart_from_the_passwords);
    CPPUNIT_TEST(session_times_round_trip);
    CPPUNIT_TEST(replacing_a_session_ends_the_old_and_creates_the_fresh);
    CPPUNIT_TEST(replacing_an_ended_session_is_conflict_and_writes_nothing);
    CPPUNIT_TEST(remembered_browsers);
    CPPUNIT_TEST(forgetting_remembered_browsers);
    CPPUNIT_TEST(signing_out_everywhere_ends_sessions_and_browsers_at_once);
    CPPUNIT_TEST(app_passwords_created_listed_used);
    CPPUNIT_TEST(app_passwords_revoked);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void new_purposes_round_trip() {
        for (ChallengePurpose purpose : {ChallengePurpose::second_factor, ChallengePurpose::add_phone}) {
            const std::string token = std::string("token-") + to_string(purpose);
            std::int64_t id = store_->create_challenge(challenge_for(alice_, token, purpose));
            auto found = store_->find_challenge(token, purpose);
            CPPUNIT_ASSERT(found && found->id == id && found->purpose == purpose);
            CPPUNIT_ASSERT(!store_->find_challenge(token, ChallengePurpose::reset));
        }
    }

    void add_phone_registers_the_proven_number() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::add_phone));
        store_->issue_code(id, "+81312345678", "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + 1) == Store::CodeCheck::accepted);
        CPPUNIT_ASSERT((reread(id).proven == std::vector<std::int64_t>{0}));  // the number itself is proven

        AuditEvent added = event_at(t0 + 2, "method_added", bob_);
        added.client_ip = "198.51.100.3";
        std::int64_t method =
            store_->complete_phone_registration(id, PhoneType::alternate_mobile, "Spare phone", added, any_number);
        std::vector<VerificationMethod> methods = store_->methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, methods.size());
        CPPUNIT_ASSERT_EQUAL(method, methods[0].id);
        CPPUNIT_ASSERT(methods[0].kind == MethodKind::phone);
        CPPUNIT_ASSERT_EQUAL(std::string("+81312345678"), methods[0].address);
        CPPUNIT_ASSERT(methods[0].phone_type == PhoneType::alternate_mobile);
        CPPUNIT_ASSERT_EQUAL(std::string("Spare phone"), methods[0].label);
        CPPUNIT_ASSERT(methods[0].active && methods[0].is_default);  // alice's first method
        CPPUNIT_ASSERT_EQUAL(t0 + 2, methods[0].created_at);
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.3"), methods[0].created_ip);
        CPPUNIT_ASSERT_EQUAL(t0 + 2, reread(id).completed_at);
        CPPUNIT_ASSERT_EQUAL(std::string("method_added"), store_->events_of(alice_, 1).at(0).kind);
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->complete_phone_registration(id, PhoneType::mobile, "", event_at(t0 + 3, "x"), any_number);
                       }) == StoreError::Kind::conflict);

        // The same number again is not added twice (its type and label stay); an e-mail never clashes.
        CPPUNIT_ASSERT_EQUAL(method, add_phone(alice_, "+81312345678", PhoneType::office, "Desk"));
        CPPUNIT_ASSERT_EQUAL(std::string("Spare phone"), store_->find_method(alice_, method)->label);
        CPPUNIT_ASSERT(add_phone(bob_, "+81312345678") != method);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->methods_of(alice_).size());
    }

    void add_phone_needs_an_accepted_code_and_an_open_challenge() {
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::add_phone));
        store_->issue_code(id, "+81312345678", "h", t0 + code_lifetime);
        auto complete = [&](std::int64_t challenge, UnixTime at) {
            return error_kind([&] {
                store_->complete_phone_registration(challenge, PhoneType::mobile, "", event_at(at, "method_added"), any_number);
            });
        };
        CPPUNIT_ASSERT(complete(id, t0 + 1) == StoreError::Kind::conflict);  // code not yet accepted
        store_->check_code(id, "h", max_attempts, t0 + 1);
        CPPUNIT_ASSERT(complete(id, t0 + flow_lifetime) == StoreError::Kind::conflict);  // flow over
        // An add_email challenge is not an add_phone one, nor the other way round.
        std::int64_t email = store_->create_challenge(challenge_for(alice_, "e", ChallengePurpose::add_email));
        store_->issue_code(email, "+81312345678", "h", t0 + code_lifetime);
        store_->check_code(email, "h", max_attempts, t0 + 1);
        CPPUNIT_ASSERT(complete(email, t0 + 2) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_email_registration(id, event_at(t0 + 2, "x"), any_number); }) ==
                       StoreError::Kind::conflict);
        CPPUNIT_ASSERT(complete(9999, t0 + 2) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT(store_->methods_of(alice_).empty());
        CPPUNIT_ASSERT(store_->events_of(alice_, 10).empty());
    }

    void second_factor_code_proves_its_method_and_completes_once() {
        std::int64_t phone = add_phone(alice_, "+81312345678");
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::second_factor));
        store_->issue_code(id, std::to_string(phone), "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(id, "wrong", max_attempts, t0 + 10) == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + 11) == Store::CodeCheck::accepted);
        CPPUNIT_ASSERT((reread(id).proven == std::vector<std::int64_t>{phone}));
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, store_->find_method(alice_, phone)->last_used_at);

        store_->complete_second_factor(id, t0 + 12);
        CPPUNIT_ASSERT_EQUAL(t0 + 12, reread(id).completed_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 12, store_->find_method(alice_, phone)->last_used_at);
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_second_factor(id, t0 + 13); }) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT_EQUAL(t0 + 12, store_->find_method(alice_, phone)->last_used_at);
    }

    void second_factor_completion_needs_an_accepted_code() {
        std::int64_t email = add_email(alice_, "alice@example.org");
        std::int64_t id = store_->create_challenge(challenge_for(alice_, "t", ChallengePurpose::second_factor));
        store_->issue_code(id, std::to_string(email), "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_second_factor(id, t0 + 5); }) == StoreError::Kind::conflict);
        store_->check_code(id, "h", max_attempts, t0 + 5);
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_second_factor(id, t0 + flow_lifetime); }) ==
                       StoreError::Kind::conflict);  // too late
        // A reset challenge with an accepted code is not a second step.
        std::int64_t reset = store_->create_challenge(challenge_for(alice_, "r", ChallengePurpose::reset));
        store_->issue_code(reset, std::to_string(email), "h", t0 + code_lifetime);
        store_->check_code(reset, "h", max_attempts, t0 + 5);
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_second_factor(reset, t0 + 6); }) ==
                       StoreError::Kind::conflict);
        CPPUNIT_ASSERT(error_kind([&] { store_->complete_second_factor(9999, t0 + 6); }) ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, reread(id).completed_at);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, store_->find_method(alice_, email)->last_used_at);
    }

    void second_step_lockout_is_kept_apart_from_the_passwords() {
        CPPUNIT_ASSERT((store_->second_factor_lockout_of(alice_) == LockoutState{0, 0}));
        CPPUNIT_ASSERT(store_->replace_second_factor_lockout(alice_, {0, 0}, {1, 0}));
        CPPUNIT_ASSERT(!store_->replace_second_factor_lockout(alice_, {0, 0}, {5, t0}));  // changed meanwhile
        CPPUNIT_ASSERT(store_->replace_second_factor_lockout(alice_, {1, 0}, {2, t0 + 900}));
        CPPUNIT_ASSERT((store_->second_factor_lockout_of(alice_) == LockoutState{2, t0 + 900}));
        CPPUNIT_ASSERT((store_->lockout_of(alice_) == LockoutState{0, 0}));  // the password's are untouched
        CPPUNIT_ASSERT((store_->second_factor_lockout_of(bob_) == LockoutState{0, 0}));

        CPPUNIT_ASSERT(store_->replace_lockout(alice_, {0, 0}, {3, 0}));
        CPPUNIT_ASSERT((store_->second_factor_lockout_of(alice_) == LockoutState{2, t0 + 900}));
        // A completed reset clears the password's counters, not the second step's.
        std::int64_t reset = store_->create_challenge(challenge_for(alice_, "r", ChallengePurpose::reset));
        store_->complete_reset(reset, account(alice_).security_stamp, "hash-2", event_at(t0 + 5, "password_reset"));
        CPPUNIT_ASSERT((store_->lockout_of(alice_) == LockoutState{0, 0}));
        CPPUNIT_ASSERT((store_->second_factor_lockout_of(alice_) == LockoutState{2, t0 + 900}));
        // An administrator's unlock clears both.
        store_->unlock_account(alice_, event_at(t0 + 6, "account_unlocked"), t0 + 6);
        CPPUNIT_ASSERT((store_->second_factor_lockout_of(alice_) == LockoutState{0, 0}));

        CPPUNIT_ASSERT(error_kind([&] { store_->second_factor_lockout_of(9999); }) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT(!store_->replace_second_factor_lockout(9999, {0, 0}, {1, 0}));
    }

    void session_times_round_trip() {
        Session written = session_of(alice_, "s1", t0);
        written.signed_in_at = t0 - 30;
        written.second_factor_at = t0 - 5;
        store_->create_session(written);
        Session read = store_->find_session("s1")->session;
        CPPUNIT_ASSERT_EQUAL(t0 - 30, read.signed_in_at);
        CPPUNIT_ASSERT_EQUAL(t0 - 5, read.second_factor_at);
        // A session that names no sign-in time began with its password, when it was created.
        store_->create_session(session_of(alice_, "s2", t0 + 7));
        read = store_->find_session("s2")->session;
        CPPUNIT_ASSERT_EQUAL(t0 + 7, read.signed_in_at);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, read.second_factor_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 7, store_->sessions_of(alice_, true, t0 + 8).at(0).signed_in_at);
    }

    void replacing_a_session_ends_the_old_and_creates_the_fresh() {
        std::int64_t old_id = store_->create_session(session_of(alice_, "old", t0));
        Session fresh = session_of(alice_, "fresh", t0 + 20);
        fresh.signed_in_at = t0;
        fresh.second_factor_at = t0 + 20;
        std::int64_t fresh_id = store_->replace_session(old_id, "second_factor", fresh);
        CPPUNIT_ASSERT(fresh_id != old_id);

        Session old = store_->find_session("old")->session;
        CPPUNIT_ASSERT_EQUAL(t0 + 20, old.ended_at);
        CPPUNIT_ASSERT_EQUAL(std::string("second_factor"), old.end_reason);
        Session made = store_->find_session("fresh")->session;
        CPPUNIT_ASSERT_EQUAL(fresh_id, made.id);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, made.ended_at);
        CPPUNIT_ASSERT_EQUAL(t0, made.signed_in_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 20, made.second_factor_at);
        std::vector<Session> active = store_->sessions_of(alice_, true, t0 + 21);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, active.size());
        CPPUNIT_ASSERT_EQUAL(fresh_id, active[0].id);
    }

    void replacing_an_ended_session_is_conflict_and_writes_nothing() {
        std::int64_t old_id = store_->create_session(session_of(alice_, "old", t0));
        store_->end_all_sessions(alice_, "signed_out_everywhere", t0 + 10);
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->replace_session(old_id, "second_factor", session_of(alice_, "fresh", t0 + 20));
                       }) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(!store_->find_session("fresh"));
        Session old = store_->find_session("old")->session;
        CPPUNIT_ASSERT_EQUAL(std::string("signed_out_everywhere"), old.end_reason);
        CPPUNIT_ASSERT_EQUAL(t0 + 10, old.ended_at);
        // Nor may one account's session be replaced by another's, or one that never was.
        std::int64_t bobs = store_->create_session(session_of(bob_, "bob", t0));
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->replace_session(bobs, "second_factor", session_of(alice_, "fresh", t0 + 20));
                       }) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->replace_session(9999, "second_factor", session_of(alice_, "fresh", t0 + 20));
                       }) == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(!store_->find_session("fresh"));
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, store_->find_session("bob")->session.ended_at);
    }

    void remembered_browsers() {
        RememberedBrowser written = browser_of(alice_, std::string("r\0\x01", 3), t0, t0 + 86400);
        written.security_stamp = 4;
        written.client_ip = "192.0.2.77";
        written.user_agent = "Firefox";
        written.id = store_->remember_browser(written, event_at(t0, "browser_remembered", bob_));
        auto read = store_->find_remembered_browser(written.token_hash);
        CPPUNIT_ASSERT(read);
        CPPUNIT_ASSERT_EQUAL(written.id, read->id);
        CPPUNIT_ASSERT_EQUAL(alice_, read->account_id);
        CPPUNIT_ASSERT(read->token_hash == written.token_hash);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4}, read->security_stamp);
        CPPUNIT_ASSERT_EQUAL(t0, read->created_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 86400, read->expires_at);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.77"), read->client_ip);
        CPPUNIT_ASSERT_EQUAL(std::string("Firefox"), read->user_agent);
        CPPUNIT_ASSERT_EQUAL(std::string("browser_remembered"), store_->events_of(alice_, 1).at(0).kind);
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
        CPPUNIT_ASSERT(!store_->find_remembered_browser("unknown"));
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->remember_browser(browser_of(bob_, written.token_hash, t0, t0 + 60),
                                                    event_at(t0, "browser_remembered"));
                       }) == StoreError::Kind::conflict);  // token hashes are unique

        std::int64_t later = store_->remember_browser(browser_of(alice_, "later", t0 + 10, t0 + 100),
                                                      event_at(t0 + 10, "browser_remembered"));
        store_->remember_browser(browser_of(bob_, "bobs", t0, t0 + 86400), event_at(t0, "browser_remembered"));
        std::vector<RememberedBrowser> listed = store_->remembered_browsers_of(alice_, t0 + 50);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, listed.size());
        CPPUNIT_ASSERT_EQUAL(written.id, listed[0].id);  // oldest first
        CPPUNIT_ASSERT_EQUAL(later, listed[1].id);
        listed = store_->remembered_browsers_of(alice_, t0 + 100);  // "later" has expired
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, listed.size());
        CPPUNIT_ASSERT_EQUAL(written.id, listed[0].id);
        CPPUNIT_ASSERT(store_->find_remembered_browser("later"));  // found, expired or not
    }

    void signing_out_everywhere_ends_sessions_and_browsers_at_once() {
        const std::int64_t stamp = store_->find_account_by_id(alice_)->security_stamp;
        store_->create_session(session_of(alice_, "a1", t0));
        store_->create_session(session_of(alice_, "a2", t0 + 5));
        store_->create_session(session_of(bob_, "b1", t0));
        store_->remember_browser(browser_of(alice_, "ra", t0, t0 + 100), event_at(t0, "r"));
        store_->remember_browser(browser_of(bob_, "rb", t0, t0 + 100), event_at(t0, "r"));

        CPPUNIT_ASSERT_EQUAL(2, store_->sign_out_everywhere(alice_, event_at(t0 + 10, "signed_out_everywhere"), t0 + 10));
        CPPUNIT_ASSERT_EQUAL(stamp + 1, store_->find_account_by_id(alice_)->security_stamp);
        for (const char* token : {"a1", "a2"}) {
            Session ended = store_->find_session(token)->session;
            CPPUNIT_ASSERT_EQUAL(t0 + 10, ended.ended_at);
            CPPUNIT_ASSERT_EQUAL(std::string("signed_out_everywhere"), ended.end_reason);
        }
        CPPUNIT_ASSERT(store_->remembered_browsers_of(alice_, t0 + 20).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("signed_out_everywhere"), store_->events_of(alice_, 1).at(0).kind);
        // Bob keeps his session, his browser and his stamp.
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, store_->find_session("b1")->session.ended_at);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->remembered_browsers_of(bob_, t0 + 20).size());
        // Again: nothing active to end, the stamp moves once more.
        CPPUNIT_ASSERT_EQUAL(0, store_->sign_out_everywhere(alice_, event_at(t0 + 30, "signed_out_everywhere"), t0 + 30));
        CPPUNIT_ASSERT_EQUAL(stamp + 2, store_->find_account_by_id(alice_)->security_stamp);
        CPPUNIT_ASSERT(error_kind([&] { store_->sign_out_everywhere(9999, event_at(t0, "x"), t0); }) ==
                       StoreError::Kind::not_found);
    }

    void forgetting_remembered_browsers() {
        std::int64_t first = store_->remember_browser(browser_of(alice_, "a1", t0, t0 + 100), event_at(t0, "r"));
        store_->remember_browser(browser_of(alice_, "a2", t0, t0 + 100), event_at(t0, "r"));
        std::int64_t bobs = store_->remember_browser(browser_of(bob_, "b1", t0, t0 + 100), event_at(t0, "r"));
        std::size_t bob_events = store_->events_of(bob_, 10).size();
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->forget_remembered_browser(bob_, first, event_at(t0 + 1, "browser_forgotten"));
                       }) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT_EQUAL(bob_events, store_->events_of(bob_, 10).size());
        store_->forget_remembered_browser(alice_, first, event_at(t0 + 1, "browser_forgotten"));
        CPPUNIT_ASSERT(!store_->find_remembered_browser("a1"));
        CPPUNIT_ASSERT_EQUAL(std::string("browser_forgotten"), store_->events_of(alice_, 1).at(0).kind);
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->forget_remembered_browser(alice_, first, event_at(t0 + 2, "browser_forgotten"));
                       }) == StoreError::Kind::not_found);

        store_->remember_browser(browser_of(alice_, "a3", t0, t0 + 100), event_at(t0, "r"));
        CPPUNIT_ASSERT_EQUAL(2, store_->forget_all_remembered_browsers(alice_, event_at(t0 + 3, "browsers_forgotten")));
        CPPUNIT_ASSERT(store_->remembered_browsers_of(alice_, t0).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("browsers_forgotten"), store_->events_of(alice_, 1).at(0).kind);
        CPPUNIT_ASSERT_EQUAL(bobs, store_->remembered_browsers_of(bob_, t0).at(0).id);
        CPPUNIT_ASSERT_EQUAL(0, store_->forget_all_remembered_browsers(alice_, event_at(t0 + 4, "browsers_forgotten")));
    }

    void app_passwords_created_listed_used() {
        AppPassword written = app_password_of(alice_, "Thunderbird", std::string("h\0\x01", 3), t0 + 5);
        written.id = store_->create_app_password(written, event_at(t0 + 5, "app_password_created", bob_));
        std::int64_t older = store_->create_app_password(app_password_of(alice_, "curl", "h2", t0),
                                                         event_at(t0, "app_password_created"));
        std::vector<AppPassword> listed = store_->app_passwords_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, listed.size());
        CPPUNIT_ASSERT_EQUAL(older, listed[0].id);  // oldest first
        const AppPassword& read = listed[1];
        CPPUNIT_ASSERT_EQUAL(written.id, read.id);
        CPPUNIT_ASSERT_EQUAL(alice_, read.account_id);
        CPPUNIT_ASSERT_EQUAL(std::string("Thunderbird"), read.label);
        CPPUNIT_ASSERT(read.hash == written.hash);
        CPPUNIT_ASSERT_EQUAL(t0 + 5, read.created_at);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.9"), read.created_ip);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, read.last_used_at);
        CPPUNIT_ASSERT(store_->app_passwords_of(bob_).empty());
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->events_of(alice_, 10).size());

        auto used = store_->use_app_password(alice_, written.hash, t0 + 60);
        CPPUNIT_ASSERT(used && used->id == written.id);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, used->last_used_at);  // as it was: never used before
        CPPUNIT_ASSERT_EQUAL(t0 + 60, store_->use_app_password(alice_, written.hash, t0 + 60)->last_used_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 60, store_->app_passwords_of(alice_).at(1).last_used_at);
        CPPUNIT_ASSERT(!store_->use_app_password(alice_, "wrong", t0 + 61));
        CPPUNIT_ASSERT(!store_->use_app_password(bob_, written.hash, t0 + 61));  // alice's, not bob's
        CPPUNIT_ASSERT_EQUAL(t0 + 60, store_->app_passwords_of(alice_).at(1).last_used_at);

        // One hash per account; another account may hold the same.
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->create_app_password(app_password_of(alice_, "again", "h2", t0), event_at(t0, "x"));
                       }) == StoreError::Kind::conflict);
        store_->create_app_password(app_password_of(bob_, "bob's", "h2", t0), event_at(t0, "x"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->app_passwords_of(alice_).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->events_of(alice_, 10).size());
    }

    void app_passwords_revoked() {
        std::int64_t id = store_->create_app_password(app_password_of(alice_, "curl", "h", t0), event_at(t0, "x"));
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->revoke_app_password(bob_, id, event_at(t0 + 1, "app_password_revoked"));
                       }) == StoreError::Kind::not_found);
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
        store_->revoke_app_password(alice_, id, event_at(t0 + 1, "app_password_revoked"));
        CPPUNIT_ASSERT(store_->app_passwords_of(alice_).empty());
        CPPUNIT_ASSERT(!store_->use_app_password(alice_, "h", t0 + 2));
        CPPUNIT_ASSERT_EQUAL(std::string("app_password_revoked"), store_->events_of(alice_, 1).at(0).kind);
        CPPUNIT_ASSERT(error_kind([&] {
                           store_->revoke_app_password(alice_, id, event_at(t0 + 2, "app_password_revoked"));
                       }) == StoreError::Kind::not_found);
    }

private:
    static Session session_of(AccountId account, const std::string& token_hash, UnixTime now) {
        return new_session(account, token_hash, now, 3600);
    }

    static RememberedBrowser browser_of(AccountId account, const std::string& token_hash, UnixTime now,
                                        UnixTime expires_at) {
        RememberedBrowser browser;
        browser.account_id = account;
        browser.token_hash = token_hash;
        browser.security_stamp = 1;
        browser.created_at = now;
        browser.expires_at = expires_at;
        return browser;
    }

    static AppPassword app_password_of(AccountId account, const std::string& label, const std::string& hash,
                                       UnixTime now) {
        AppPassword password;
        password.account_id = account;
        password.label = label;
        password.hash = hash;
        password.created_at = now;
        password.created_ip = "192.0.2.9";
        return password;
    }
};

MYA_STORE_CONTRACT(SecondStepContract);
