// Sign-in decisions against the real SQLite store: results, lockout, disabled accounts, the audit
// trail and the upgrade of legacy and weaker password hashes.
#include <cppunit/extensions/HelperMacros.h>

#include <apr_md5.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "apr/htpasswd_hashes.hpp"
#include "core/devices.hpp"
#include "core/password_hasher.hpp"
#include "core/password_sign_in.hpp"
#include "core/session_registry.hpp"
#include "core/text.hpp"
#include "racing.hpp"
#include "store_contract/store_fixture.hpp"

using namespace myaccount;

namespace {

const Argon2Params fast{8192, 1};
const ClientInfo client{"198.51.100.7", "UnitTest/1.0"};
constexpr UnixTime t0 = 1'700'000'000;
// A multiple of the throttle windows below, so a window starts exactly here.
constexpr UnixTime window0 = 1'700'002'800;

// A row of sign_in_attempts, read directly (unknown users have no account to list them by).
struct AttemptRow {
    std::string username;
    bool has_account = false;
    std::int64_t account_id = 0;
    UnixTime at = 0;
    std::string client_ip;
    std::string user_agent;
    std::string method;
    std::string result;
};

std::string apr1_hash(const std::string& password) {
    char out[120];
    if (apr_md5_encode(password.c_str(), "$apr1$Xq7pLm2Z", out, sizeof out) != APR_SUCCESS) {
        CPPUNIT_FAIL("apr_md5_encode failed");
    }
    return out;
}

std::string bcrypt_hash(const std::string& password) {
    const unsigned char salt[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    char out[80];
    if (apr_bcrypt_encode(password.c_str(), 4, salt, sizeof salt, out, sizeof out) != APR_SUCCESS) {
        CPPUNIT_FAIL("apr_bcrypt_encode failed");
    }
    return out;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

class PasswordSignInTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(PasswordSignInTest);
    CPPUNIT_TEST(success_returns_account_and_resets_failure_count);
    CPPUNIT_TEST(wrong_password_is_bad_password_and_counted);
    CPPUNIT_TEST(account_without_password_cannot_sign_in);
    CPPUNIT_TEST(unknown_user_is_recorded_without_account);
    CPPUNIT_TEST(malformed_usernames_are_unknown_users_without_throwing);
    CPPUNIT_TEST(unknown_ids_are_kept_only_as_a_keyed_hash);
    CPPUNIT_TEST(disabled_account_never_succeeds);
    CPPUNIT_TEST(lockout_after_threshold_until_it_ends);
    CPPUNIT_TEST(expired_lock_starts_a_fresh_count);
    CPPUNIT_TEST(lockout_never_when_threshold_is_zero);
    CPPUNIT_TEST(unknown_id_looks_locked_after_as_many_failures_as_a_real_one);
    CPPUNIT_TEST(unknown_id_and_account_read_alike_over_time);
    CPPUNIT_TEST(apr1_hash_is_upgraded_without_ending_sessions);
    CPPUNIT_TEST(bcrypt_hash_is_upgraded_without_ending_sessions);
    CPPUNIT_TEST(weaker_argon2_parameters_are_upgraded);
    CPPUNIT_TEST(current_hash_is_left_alone);
    CPPUNIT_TEST(every_attempt_is_recorded_with_client_and_method);
    CPPUNIT_TEST(address_over_its_failure_limit_is_refused_unchecked);
    CPPUNIT_TEST(address_throttle_ends_with_its_window);
    CPPUNIT_TEST(address_throttle_counts_failures_only);
    CPPUNIT_TEST(address_throttle_off_at_zero);
    CPPUNIT_TEST(address_throttle_counts_ipv6_by_its_64);
    CPPUNIT_TEST(network_lock_spares_other_networks);
    CPPUNIT_TEST(account_wide_lock_spares_familiar_clients_only);
    CPPUNIT_TEST(refusals_that_are_no_wrong_password_leave_no_count);
    CPPUNIT_TEST(attempt_whose_wait_runs_out_gives_its_place_back);
    CPPUNIT_TEST(attempt_turned_away_as_busy_leaves_no_trace);
    CPPUNIT_TEST(locked_for_answers_as_a_right_password_would_be);
    CPPUNIT_TEST(parallel_right_passwords_beyond_the_threshold_all_sign_in);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        testing::StoreFixture::setUp();
        hasher_ = std::make_unique<PasswordHasher>(fast, htpasswd_hash_matches);
    }

    void tearDown() override {
        hasher_.reset();
        testing::StoreFixture::tearDown();
    }

    void success_returns_account_and_resets_failure_count() {
        AccountId id = add_account("alice", hasher_->hash("correct horse"), "Alice Example");
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{5, 900});
        passwords.sign_in("alice", "wrong", client, SignInMethod::form, t0);
        passwords.sign_in("alice", "wrong again", client, SignInMethod::form, t0 + 1);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, account(id).failed_attempts);

        PasswordSignIn::Outcome outcome =
            passwords.sign_in("alice", "correct horse", client, SignInMethod::form, t0 + 2);
        CPPUNIT_ASSERT(outcome.result == SignInResult::success);
        CPPUNIT_ASSERT(outcome.account.has_value());
        CPPUNIT_ASSERT_EQUAL(id, outcome.account->id);
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), outcome.account->username);
        CPPUNIT_ASSERT_EQUAL(std::string("Alice Example"), outcome.account->display_name);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account(id).failed_attempts);

        // The sign-in ID is case-insensitive.
        outcome = passwords.sign_in("ALICE", "correct horse", client, SignInMethod::form, t0 + 3);
        CPPUNIT_ASSERT(outcome.result == SignInResult::success);
        CPPUNIT_ASSERT_EQUAL(id, outcome.account->id);
    }

    void wrong_password_is_bad_password_and_counted() {
        AccountId id = add_account("bob", hasher_->hash("right"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900});
        PasswordSignIn::Outcome outcome = passwords.sign_in("bob", "Right", client, SignInMethod::form, t0);
        CPPUNIT_ASSERT(outcome.result == SignInResult::bad_password);
        CPPUNIT_ASSERT(!outcome.account.has_value());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, account(id).failed_attempts);
        outcome = passwords.sign_in("bob", "", client, SignInMethod::basic, t0 + 1);
        CPPUNIT_ASSERT(outcome.result == SignInResult::bad_password);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, account(id).failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, account(id).locked_until);
        // A prefix of the right password is not the right password.
        outcome = passwords.sign_in("bob", "righ", client, SignInMethod::form, t0 + 2);
        CPPUNIT_ASSERT(outcome.result == SignInResult::bad_password);
    }

    void account_without_password_cannot_sign_in() {
        AccountId id = add_account("nopass", "");
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900});
        CPPUNIT_ASSERT(passwords.sign_in("nopass", "", client, SignInMethod::form, t0).result ==
                       SignInResult::bad_password);
        CPPUNIT_ASSERT(passwords.sign_in("nopass", "x", client, SignInMethod::form, t0).result ==
                       SignInResult::bad_password);
        CPPUNIT_ASSERT_EQUAL(std::string(""), account(id).password_hash);
    }

    void unknown_user_is_recorded_without_account() {
        add_account("alice", hasher_->hash("pw"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900});
        PasswordSignIn::Outcome outcome = passwords.sign_in("mallory", "pw", client, SignInMethod::basic, t0);
        CPPUNIT_ASSERT(outcome.result == SignInResult::unknown_user);
        CPPUNIT_ASSERT(!outcome.account.has_value());

        std::vector<AttemptRow> rows = attempts();
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, rows.size());
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), rows[0].username);  // never as typed
        CPPUNIT_ASSERT(!rows[0].has_account);
        CPPUNIT_ASSERT_EQUAL(t0, rows[0].at);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown_user"), rows[0].result);
        CPPUNIT_ASSERT_EQUAL(std::string("basic"), rows[0].method);
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.7"), rows[0].client_ip);
        CPPUNIT_ASSERT_EQUAL(std::string("UnitTest/1.0"), rows[0].user_agent);
    }

    // A password typed into the user field must not land in the database: an unknown ID is kept as
    // a short keyed hash, the same for the same ID in any letter case, different for another.
    void unknown_ids_are_kept_only_as_a_keyed_hash() {
        add_account("alice", hasher_->hash("pw"));
        SecretKey key = SecretKey::from_bytes(std::string(32, '\x22'));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900}, {}, &key);
        const std::string typed_password = "correct horse battery staple";
        passwords.sign_in(typed_password, "pw", client, SignInMethod::form, t0);
        passwords.sign_in("Mallory", "pw", client, SignInMethod::form, t0 + 1);
        passwords.sign_in("mallory", "pw", client, SignInMethod::form, t0 + 2);
        passwords.sign_in("ALICE", "wrong", client, SignInMethod::form, t0 + 3);  // an account: its ID
        std::vector<AttemptRow> rows = attempts();
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, rows.size());
        for (std::size_t i = 0; i < 3; ++i) {
            CPPUNIT_ASSERT(starts_with(rows[i].username, "unknown:"));
            CPPUNIT_ASSERT_EQUAL(std::size_t{8 + 16}, rows[i].username.size());
        }
        CPPUNIT_ASSERT(rows[0].username.find("horse") == std::string::npos);
        CPPUNIT_ASSERT(rows[0].username != rows[1].username);
        CPPUNIT_ASSERT_EQUAL(rows[1].username, rows[2].username);
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), rows[3].username);
    }

    void malformed_usernames_are_unknown_users_without_throwing() {
        add_account("alice", hasher_->hash("pw"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900});
        const std::string long_ascii(1000, 'a');
        std::string long_multibyte;
        for (int i = 0; i < 500; ++i) long_multibyte += "\xC3\xA9";  // é, 1000 bytes
        const std::vector<std::string> names = {"a b", long_ascii, "al\xFF\xFEice", "alice ", " alice", "",
                                                std::string("alice\0x", 7), long_multibyte, "alice\r\n"};
        for (const std::string& name : names) {
            PasswordSignIn::Outcome outcome;
            CPPUNIT_ASSERT_NO_THROW(outcome = passwords.sign_in(name, "pw", client, SignInMethod::form, t0));
            CPPUNIT_ASSERT_MESSAGE("result for a malformed username",
                                   outcome.result == SignInResult::unknown_user);
            CPPUNIT_ASSERT(!outcome.account.has_value());
        }
        std::vector<AttemptRow> rows = attempts();
        CPPUNIT_ASSERT_EQUAL(names.size(), rows.size());
        for (const AttemptRow& row : rows) {
            CPPUNIT_ASSERT_EQUAL(std::string("unknown"), row.username);  // nothing of what was typed
            CPPUNIT_ASSERT(!row.has_account);
            CPPUNIT_ASSERT_EQUAL(std::string("unknown_user"), row.result);
        }
    }

    void disabled_account_never_succeeds() {
        AccountId id = add_account("carol", hasher_->hash("right"));
        store().set_disabled(id, true, t0 - 10);
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{3, 900});
        PasswordSignIn::Outcome outcome = passwords.sign_in("carol", "right", client, SignInMethod::form, t0);
        CPPUNIT_ASSERT(outcome.result == SignInResult::disabled);
        CPPUNIT_ASSERT(!outcome.account.has_value());
        outcome = passwords.sign_in("carol", "wrong", client, SignInMethod::form, t0 + 1);
        CPPUNIT_ASSERT(outcome.result == SignInResult::disabled);
        std::vector<SignInAttempt> recent = store().recent_sign_ins(id, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, recent.size());
        CPPUNIT_ASSERT(recent[0].result == SignInResult::disabled);
        CPPUNIT_ASSERT(recent[1].result == SignInResult::disabled);
        // Enabled again, the same password works.
        store().set_disabled(id, false, t0 + 2);
        CPPUNIT_ASSERT(passwords.sign_in("carol", "right", client, SignInMethod::form, t0 + 3).result ==
                       SignInResult::success);
    }

    void lockout_after_threshold_until_it_ends() {
        AccountId id = add_account("dave", hasher_->hash("right"));
        const LockoutRule rule{3, 900, 3};  // account-wide at 3 too
        PasswordSignIn passwords(store(), *hasher_, rule);
        for (int i = 0; i < 3; ++i) {
            CPPUNIT_ASSERT(passwords.sign_in("dave", "wrong", client, SignInMethod::form, t0 + i).result ==
                           SignInResult::bad_password);
        }
        const UnixTime lock_end = t0 + 2 + rule.duration;  // the third failure locked it
        CPPUNIT_ASSERT_EQUAL(lock_end, account(id).locked_until);

        PasswordSignIn::Outcome outcome = passwords.sign_in("dave", "right", client, SignInMethod::form, t0 + 3);
        CPPUNIT_ASSERT(outcome.result == SignInResult::locked);
        CPPUNIT_ASSERT(!outcome.account.has_value());
        CPPUNIT_ASSERT(passwords.sign_in("dave", "right", client, SignInMethod::basic, lock_end - 1).result ==
                       SignInResult::locked);
        CPPUNIT_ASSERT(passwords.sign_in("dave", "wrong", client, SignInMethod::form, lock_end - 1).result ==
                       SignInResult::locked);

        outcome = passwords.sign_in("dave", "right", client, SignInMethod::form, lock_end);
        CPPUNIT_ASSERT(outcome.result == SignInResult::success);
        CPPUNIT_ASSERT(outcome.account.has_value());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account(id).failed_attempts);
    }

    // The "temporarily locked" message must not tell which IDs exist: an unknown ID reads locked
    // on the same attempt a real account does, whatever the password, and not for ever.
    void unknown_id_looks_locked_after_as_many_failures_as_a_real_one() {
        add_account("erin", hasher_->hash("right"));
        const LockoutRule rule{3, 900};
        SecretKey key = SecretKey::from_bytes(std::string(32, '\x11'));
        PasswordSignIn passwords(store(), *hasher_, rule, {}, &key);
        for (int i = 0; i < 3; ++i) {
            PasswordSignIn::Outcome real = passwords.sign_in("erin", "wrong", client, SignInMethod::form, t0 + i);
            PasswordSignIn::Outcome ghost = passwords.sign_in("ghost", "wrong", client, SignInMethod::form, t0 + i);
            CPPUNIT_ASSERT(!real.looks_locked());
            CPPUNIT_ASSERT(!ghost.looks_locked());
            CPPUNIT_ASSERT(ghost.result == SignInResult::unknown_user);
        }
        for (const char* password : {"wrong", "right", "anything"}) {
            CPPUNIT_ASSERT(passwords.sign_in("erin", password, client, SignInMethod::form, t0 + 10).looks_locked());
            PasswordSignIn::Outcome ghost = passwords.sign_in("GHOST", password, client, SignInMethod::form, t0 + 10);
            CPPUNIT_ASSERT_MESSAGE("the ID counts case-insensitively", ghost.looks_locked());
            // Still "not found" to httpd, so a later provider may know the ID.
            CPPUNIT_ASSERT(ghost.result == SignInResult::unknown_user);
        }
        CPPUNIT_ASSERT(!passwords.sign_in("other-ghost", "x", client, SignInMethod::form, t0 + 10).looks_locked());
        // Past the lockout duration both answer normally again.
        CPPUNIT_ASSERT(!passwords.sign_in("erin", "wrong", client, SignInMethod::form, t0 + 3 + 900).looks_locked());
        CPPUNIT_ASSERT(!passwords.sign_in("ghost", "wrong", client, SignInMethod::form, t0 + 3 + 900).looks_locked());
        // Without a key (the CLI, re-authentication) no unknown ID is ever shown as locked.
        PasswordSignIn keyless(store(), *hasher_, rule);
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT(!keyless.sign_in("phantom", "x", client, SignInMethod::form, t0 + i).looks_locked());
    }

    // A prober spreading failures over time (across what used to be fixed windows, into and past
    // locks) sees the same answers for a real ID it does not know the password of and an unknown one.
    void unknown_id_and_account_read_alike_over_time() {
        add_account("erin", hasher_->hash("right"));
        const LockoutRule rule{3, 900};
        SecretKey key = SecretKey::from_bytes(std::string(32, '\x11'));
        PasswordSignIn passwords(store(), *hasher_, rule, AddressThrottle{0, 900}, &key);
        const std::vector<std::int64_t> offsets = {0,    10,   899,  900,  901,  1700, 1798, 1799,
                                                   1800, 2698, 2699, 2700, 2701, 5000, 9000, 9001,
                                                   9002, 9003, 9901, 9902, 9903, 9904, 20000};
        int locked_answers = 0;
        for (std::int64_t offset : offsets) {
            const UnixTime now = window0 + offset;
            bool real = passwords.sign_in("erin", "wrong", client, SignInMethod::form, now).looks_locked();
            bool ghost = passwords.sign_in("ghost", "wrong", client, SignInMethod::form, now).looks_locked();
            CPPUNIT_ASSERT_EQUAL_MESSAGE("at +" + std::to_string(offset), real, ghost);
            if (real) ++locked_answers;
        }
        CPPUNIT_ASSERT(locked_answers > 0);  // the sequence did reach locks
    }

    // When a lock has run out the count starts again: one more typo does not lock at once, a
    // fresh run of `threshold` failures does.
    void expired_lock_starts_a_fresh_count() {
        AccountId id = add_account("dora", hasher_->hash("right"));
        const LockoutRule rule{3, 900, 3};  // account-wide at 3 too
        PasswordSignIn passwords(store(), *hasher_, rule);
        for (int i = 0; i < 3; ++i) passwords.sign_in("dora", "wrong", client, SignInMethod::form, t0 + i);
        const UnixTime lock_end = t0 + 2 + rule.duration;
        CPPUNIT_ASSERT(passwords.sign_in("dora", "wrong", client, SignInMethod::form, lock_end).result ==
                       SignInResult::bad_password);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, account(id).failed_attempts);
        CPPUNIT_ASSERT(passwords.sign_in("dora", "right", client, SignInMethod::form, lock_end + 1).result ==
                       SignInResult::success);
        for (int i = 0; i < 3; ++i) passwords.sign_in("dora", "wrong", client, SignInMethod::form, lock_end + 2 + i);
        CPPUNIT_ASSERT_EQUAL(lock_end + 4 + rule.duration, account(id).locked_until);
        CPPUNIT_ASSERT(passwords.sign_in("dora", "right", client, SignInMethod::form, lock_end + 5).result ==
                       SignInResult::locked);
    }

    void lockout_never_when_threshold_is_zero() {
        AccountId id = add_account("erin", hasher_->hash("right"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{0, 900});
        for (int i = 0; i < 5; ++i) passwords.sign_in("erin", "wrong", client, SignInMethod::form, t0 + i);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, account(id).failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, account(id).locked_until);
        CPPUNIT_ASSERT(passwords.sign_in("erin", "right", client, SignInMethod::form, t0 + 6).result ==
                       SignInResult::success);
    }

    void apr1_hash_is_upgraded_without_ending_sessions() { legacy_hash_is_upgraded(apr1_hash("legacy pass"), "$apr1$"); }

    void bcrypt_hash_is_upgraded_without_ending_sessions() { legacy_hash_is_upgraded(bcrypt_hash("legacy pass"), "$2y$"); }

    void weaker_argon2_parameters_are_upgraded() {
        const std::string weak = hasher_->hash("pw");  // m=8192,t=1
        AccountId id = add_account("grace", weak);
        const PasswordHasher stronger(Argon2Params{8192, 2});
        PasswordSignIn passwords(store(), stronger, LockoutRule{10, 900});
        std::int64_t stamp = account(id).security_stamp;
        CPPUNIT_ASSERT(passwords.sign_in("grace", "pw", client, SignInMethod::form, t0).result ==
                       SignInResult::success);
        const std::string upgraded = account(id).password_hash;
        CPPUNIT_ASSERT(upgraded != weak);
        CPPUNIT_ASSERT(starts_with(upgraded, "$argon2id$"));
        CPPUNIT_ASSERT(upgraded.find("m=8192,t=2,") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(stamp, account(id).security_stamp);
        CPPUNIT_ASSERT(stronger.verify(upgraded, "pw").match);
        CPPUNIT_ASSERT(!stronger.verify(upgraded, "pw").needs_rehash);
    }

    void current_hash_is_left_alone() {
        const std::string current = hasher_->hash("pw");
        AccountId id = add_account("heidi", current);
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900});
        CPPUNIT_ASSERT(passwords.sign_in("heidi", "pw", client, SignInMethod::form, t0).result ==
                       SignInResult::success);
        CPPUNIT_ASSERT_EQUAL(current, account(id).password_hash);
        CPPUNIT_ASSERT_EQUAL(UnixTime{1000}, account(id).updated_at);  // no write beyond the audit row
    }

    void every_attempt_is_recorded_with_client_and_method() {
        AccountId id = add_account("ivan", hasher_->hash("right"));
        AccountId off = add_account("judy", hasher_->hash("right"));
        store().set_disabled(off, true, t0 - 1);
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{2, 600, 2});
        const ClientInfo other{"2001:db8::1", "Mozilla/5.0 (X11)"};
        passwords.sign_in("ivan", "right", client, SignInMethod::form, t0);
        passwords.sign_in("ivan", "wrong", other, SignInMethod::basic, t0 + 1);
        passwords.sign_in("ivan", "wrong", client, SignInMethod::other, t0 + 2);  // locks
        passwords.sign_in("ivan", "right", other, SignInMethod::form, t0 + 3);
        passwords.sign_in("judy", "right", client, SignInMethod::basic, t0 + 4);
        passwords.sign_in("nobody", "x", other, SignInMethod::form, t0 + 5);

        std::vector<SignInAttempt> recent = store().recent_sign_ins(id, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, recent.size());
        // Newest first.
        CPPUNIT_ASSERT(recent[0].result == SignInResult::locked);
        CPPUNIT_ASSERT(recent[0].method == SignInMethod::form);
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::1"), recent[0].client_ip);
        CPPUNIT_ASSERT_EQUAL(std::string("Mozilla/5.0 (X11)"), recent[0].user_agent);
        CPPUNIT_ASSERT_EQUAL(t0 + 3, recent[0].at);
        CPPUNIT_ASSERT(recent[1].result == SignInResult::bad_password);
        CPPUNIT_ASSERT(recent[1].method == SignInMethod::other);
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.7"), recent[1].client_ip);
        CPPUNIT_ASSERT(recent[2].result == SignInResult::bad_password);
        CPPUNIT_ASSERT(recent[2].method == SignInMethod::basic);
        CPPUNIT_ASSERT_EQUAL(std::string("Mozilla/5.0 (X11)"), recent[2].user_agent);
        CPPUNIT_ASSERT(recent[3].result == SignInResult::success);
        CPPUNIT_ASSERT(recent[3].method == SignInMethod::form);
        CPPUNIT_ASSERT_EQUAL(std::string("UnitTest/1.0"), recent[3].user_agent);
        for (const SignInAttempt& a : recent) {
            CPPUNIT_ASSERT_EQUAL(std::string("ivan"), a.username);
            CPPUNIT_ASSERT(a.account_id == id);
        }

        std::vector<AttemptRow> rows = attempts();
        CPPUNIT_ASSERT_EQUAL(std::size_t{6}, rows.size());
        CPPUNIT_ASSERT_EQUAL(std::string("judy"), rows[4].username);
        CPPUNIT_ASSERT(rows[4].has_account && rows[4].account_id == off);
        CPPUNIT_ASSERT_EQUAL(std::string("disabled"), rows[4].result);
        CPPUNIT_ASSERT_EQUAL(std::string("basic"), rows[4].method);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), rows[5].username);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown_user"), rows[5].result);
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::1"), rows[5].client_ip);
    }

    // Failures of every kind from one address, across accounts, add up; past the limit even the
    // right password is refused, and the refusal touches no account.
    void address_over_its_failure_limit_is_refused_unchecked() {
        AccountId alice = add_account("alice", hasher_->hash("alice pw"));
        AccountId bob = add_account("bob", hasher_->hash("bob pw"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900}, AddressThrottle{3, 900});
        CPPUNIT_ASSERT(passwords.sign_in("alice", "wrong", client, SignInMethod::form, window0).result ==
                       SignInResult::bad_password);
        CPPUNIT_ASSERT(passwords.sign_in("bob", "wrong", client, SignInMethod::basic, window0 + 1).result ==
                       SignInResult::bad_password);
        CPPUNIT_ASSERT(passwords.sign_in("mallory", "x", client, SignInMethod::form, window0 + 2).result ==
                       SignInResult::unknown_user);
        const std::size_t recorded = attempts().size();
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, recorded);

        for (const char* name : {"alice", "bob", "mallory"}) {
            PasswordSignIn::Outcome outcome =
                passwords.sign_in(name, std::string(name) + " pw", client, SignInMethod::form, window0 + 3);
            CPPUNIT_ASSERT_MESSAGE(name, outcome.result == SignInResult::locked);
            CPPUNIT_ASSERT_MESSAGE(name, !outcome.account.has_value());
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, account(alice).failed_attempts);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, account(bob).failed_attempts);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, account(alice).locked_until);
        CPPUNIT_ASSERT_EQUAL(recorded, attempts().size());

        // Another address is judged as usual.
        const ClientInfo other{"2001:db8::2", "UnitTest/1.0"};
        PasswordSignIn::Outcome outcome =
            passwords.sign_in("alice", "alice pw", other, SignInMethod::form, window0 + 4);
        CPPUNIT_ASSERT(outcome.result == SignInResult::success);
        CPPUNIT_ASSERT_EQUAL(alice, outcome.account->id);
        CPPUNIT_ASSERT(passwords.sign_in("bob", "wrong", other, SignInMethod::form, window0 + 5).result ==
                       SignInResult::bad_password);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, account(bob).failed_attempts);
    }

    void address_throttle_ends_with_its_window() {
        AccountId id = add_account("alice", hasher_->hash("right"));
        const AddressThrottle throttle{2, 900};
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900}, throttle);
        passwords.sign_in("alice", "wrong", client, SignInMethod::form, window0);
        passwords.sign_in("alice", "wrong", client, SignInMethod::form, window0 + 1);
        CPPUNIT_ASSERT(
            passwords.sign_in("alice", "right", client, SignInMethod::form, window0 + throttle.window - 1).result ==
            SignInResult::locked);
        PasswordSignIn::Outcome outcome =
            passwords.sign_in("alice", "right", client, SignInMethod::form, window0 + throttle.window);
        CPPUNIT_ASSERT(outcome.result == SignInResult::success);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account(id).failed_attempts);
        // The new window counts from nothing.
        passwords.sign_in("alice", "wrong", client, SignInMethod::form, window0 + throttle.window + 1);
        CPPUNIT_ASSERT(
            passwords.sign_in("alice", "right", client, SignInMethod::form, window0 + throttle.window + 2).result ==
            SignInResult::success);
    }

    void address_throttle_counts_failures_only() {
        add_account("alice", hasher_->hash("right"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900}, AddressThrottle{2, 900});
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT(passwords.sign_in("alice", "right", client, SignInMethod::form, window0 + i).result ==
                           SignInResult::success);
        passwords.sign_in("alice", "wrong", client, SignInMethod::form, window0 + 5);
        CPPUNIT_ASSERT(passwords.sign_in("alice", "right", client, SignInMethod::form, window0 + 6).result ==
                       SignInResult::success);
    }

    void address_throttle_off_at_zero() {
        AccountId id = add_account("alice", hasher_->hash("right"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{0, 900}, AddressThrottle{0, 900});
        for (int i = 0; i < 20; ++i) {
            passwords.sign_in("alice", "wrong", client, SignInMethod::form, window0 + i);
            passwords.sign_in("user" + std::to_string(i), "x", client, SignInMethod::form, window0 + i);
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{20}, account(id).failed_attempts);
        CPPUNIT_ASSERT(passwords.sign_in("alice", "right", client, SignInMethod::form, window0 + 30).result ==
                       SignInResult::success);
    }

    void address_throttle_counts_ipv6_by_its_64() {
        add_account("alice", hasher_->hash("right"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900}, AddressThrottle{2, 900});
        struct Case {
            const char* first;  // two failures from these ...
            const char* second;
            const char* same;   // ... refuse this one, of the same network
            const char* apart;  // but not this one
        };
        const Case cases[] = {{"2001:db8:5:6::1", "2001:db8:5:6:abcd::2", "2001:DB8:5:6::3", "2001:db8:5:7::1"},
                              {"192.0.2.1", "192.0.2.1", "192.0.2.1", "192.0.2.2"}};  // IPv4 addresses one by one
        UnixTime now = window0;
        for (const Case& c : cases) {
            passwords.sign_in("alice", "wrong", ClientInfo{c.first, ""}, SignInMethod::form, now++);
            passwords.sign_in("alice", "wrong", ClientInfo{c.second, ""}, SignInMethod::form, now++);
            CPPUNIT_ASSERT_MESSAGE(
                c.same, passwords.sign_in("alice", "right", ClientInfo{c.same, ""}, SignInMethod::form, now++).result ==
                            SignInResult::locked);
            CPPUNIT_ASSERT_MESSAGE(
                c.apart,
                passwords.sign_in("alice", "right", ClientInfo{c.apart, ""}, SignInMethod::form, now++).result ==
                    SignInResult::success);
        }
    }

private:
    void legacy_hash_is_upgraded(const std::string& legacy, const std::string& prefix) {
        CPPUNIT_ASSERT(starts_with(legacy, prefix));
        AccountId id = add_account("frank", legacy);
        const std::int64_t stamp = account(id).security_stamp;
        SessionRegistry sessions(store(), SessionSettings{});
        SessionRegistry::Started earlier = sessions.start(account(id), client, "", t0 - 100);

        PasswordSignIn passwords(store(), *hasher_, LockoutRule{10, 900});
        CPPUNIT_ASSERT(passwords.sign_in("frank", "wrong", client, SignInMethod::form, t0 - 1).result ==
                       SignInResult::bad_password);
        CPPUNIT_ASSERT_EQUAL(legacy, account(id).password_hash);  // no upgrade without the password

        PasswordSignIn::Outcome outcome = passwords.sign_in("frank", "legacy pass", client, SignInMethod::basic, t0);
        CPPUNIT_ASSERT(outcome.result == SignInResult::success);
        const std::string stored = account(id).password_hash;
        CPPUNIT_ASSERT(starts_with(stored, "$argon2id$"));
        CPPUNIT_ASSERT(hasher_->verify(stored, "legacy pass").match);
        CPPUNIT_ASSERT_EQUAL(stamp, account(id).security_stamp);
        CPPUNIT_ASSERT(sessions.resume(earlier.token, t0 + 1).has_value());

        // The new hash works for the next sign-in, and is not rewritten again.
        CPPUNIT_ASSERT(passwords.sign_in("frank", "legacy pass", client, SignInMethod::form, t0 + 2).result ==
                       SignInResult::success);
        CPPUNIT_ASSERT_EQUAL(stored, account(id).password_hash);
        CPPUNIT_ASSERT(passwords.sign_in("frank", "wrong", client, SignInMethod::form, t0 + 3).result ==
                       SignInResult::bad_password);
    }

    std::vector<AttemptRow> attempts() const {
        sqlite::Database db = inspect();
        auto statement = db.prepare(
            "SELECT username, account_id, at, client_ip, user_agent, method, result FROM sign_in_attempts ORDER BY id");
        std::vector<AttemptRow> rows;
        while (statement->step()) {
            AttemptRow row;
            row.username = statement->column_text(0);
            row.has_account = !statement->column_is_null(1);
            row.account_id = statement->column_int64(1);
            row.at = statement->column_int64(2);
            row.client_ip = statement->column_text(3);
            row.user_agent = statement->column_text(4);
            row.method = statement->column_text(5);
            row.result = statement->column_text(6);
            rows.push_back(std::move(row));
        }
        return rows;
    }

    std::unique_ptr<PasswordHasher> hasher_;

    // Smart lockout: wrong passwords from one client network (a /24) lock the account there only;
    // the owner elsewhere still signs in, and unlocking lifts every network's lock.
    void network_lock_spares_other_networks() {
        AccountId id = add_account("bob", hasher_->hash("right"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{3, 900, 100});
        const ClientInfo attacker{"203.0.113.9", "Attacker/1"};
        const ClientInfo neighbour{"203.0.113.77", "Attacker/2"};  // the same /24
        const ClientInfo office{"198.51.100.20", "Office/1"};
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(passwords.sign_in("bob", "wrong", attacker, SignInMethod::form, t0 + i).result ==
                           SignInResult::bad_password);
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", attacker, SignInMethod::form, t0 + 3).result ==
                       SignInResult::locked);
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", neighbour, SignInMethod::basic, t0 + 4).result ==
                       SignInResult::locked);
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", office, SignInMethod::form, t0 + 5).result ==
                       SignInResult::success);
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", attacker, SignInMethod::form, t0 + 6).result ==
                       SignInResult::locked);
        store().unlock(id, t0 + 7);
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", attacker, SignInMethod::form, t0 + 8).result ==
                       SignInResult::success);
    }

    // Failures spread over many networks, each below the per-network threshold, reach the
    // account-wide one: the account is locked for every client but its familiar ones (a network it
    // signed in from, a device of it), which sign in with the right password meanwhile.
    void account_wide_lock_spares_familiar_clients_only() {
        AccountId id = add_account("bob", hasher_->hash("right"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{3, 900, 6});
        const ClientInfo office{"198.51.100.20", "Office/1"};
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", office, SignInMethod::form, t0).result ==
                       SignInResult::success);
        const std::string token = DeviceRegistry::new_token();
        std::optional<Account> bob = store().find_account_by_id(id);
        DeviceRegistry(store()).sight(*bob, token, ClientInfo{"192.0.2.50", "Laptop/1"}, t0);
        for (int i = 1; i <= 6; ++i) {
            const ClientInfo botnet{"10.0." + std::to_string(i) + ".1", "Bot/1"};
            CPPUNIT_ASSERT(passwords.sign_in("bob", "wrong", botnet, SignInMethod::basic, t0 + i).result ==
                           SignInResult::bad_password);
        }
        CPPUNIT_ASSERT(account(id).locked_until > t0 + 6);
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", ClientInfo{"10.0.99.1", "Bot/1"}, SignInMethod::form, t0 + 7)
                           .result == SignInResult::locked);
        // The office's network (another address of its /24) is familiar.
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", ClientInfo{"198.51.100.21", "Office/2"}, SignInMethod::form,
                                         t0 + 8).result == SignInResult::success);
        // So is the laptop from a network never seen, by its device cookie; not a made-up cookie.
        ClientInfo travelling{"172.16.0.5", "Laptop/1", token};
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", travelling, SignInMethod::form, t0 + 9).result ==
                       SignInResult::success);
        // (Its network is now familiar too; a made-up cookie from yet another one is not.)
        const ClientInfo forged{"172.17.0.5", "Laptop/1", DeviceRegistry::new_token()};
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", forged, SignInMethod::form, t0 + 10).result ==
                       SignInResult::locked);
        // The lock stays in force for the rest until it ends.
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", ClientInfo{"10.0.98.1", "Bot/1"}, SignInMethod::form,
                                         t0 + 11).result == SignInResult::locked);
        CPPUNIT_ASSERT(passwords.sign_in("bob", "right", ClientInfo{"10.0.98.1", "Bot/1"}, SignInMethod::form,
                                         t0 + 6 + 900).result == SignInResult::success);
    }

    // Only wrong passwords count: refusals while locked, of a disabled account, or of the right
    // password give their place under the network's count back.
    void refusals_that_are_no_wrong_password_leave_no_count() {
        AccountId id = add_account("carl", hasher_->hash("right"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{2, 900, 100});
        store().set_disabled(id, true, t0);
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT(passwords.sign_in("carl", "wrong", client, SignInMethod::form, t0 + i).result ==
                           SignInResult::disabled);
        store().set_disabled(id, false, t0 + 5);
        CPPUNIT_ASSERT(passwords.sign_in("carl", "wrong", client, SignInMethod::form, t0 + 6).result ==
                       SignInResult::bad_password);
        CPPUNIT_ASSERT(passwords.sign_in("carl", "right", client, SignInMethod::form, t0 + 7).result ==
                       SignInResult::success);
        // The success cleared the network's count: two more typos before a lock.
        CPPUNIT_ASSERT(passwords.sign_in("carl", "wrong", client, SignInMethod::form, t0 + 8).result ==
                       SignInResult::bad_password);
        CPPUNIT_ASSERT(passwords.sign_in("carl", "right", client, SignInMethod::form, t0 + 9).result ==
                       SignInResult::success);
    }

    // Admitted, its place under the address limit (1) taken, and no slot free within the patience:
    // turned away after all, and the place is given back, with nothing recorded.
    void attempt_whose_wait_runs_out_gives_its_place_back() {
        add_account("dora", hasher_->hash("right"));
        HashingSlots slots(1, 4, std::chrono::milliseconds(50));
        const PasswordHasher one_at_a_time(fast, htpasswd_hash_matches, &slots);
        PasswordSignIn passwords(store(), one_at_a_time, LockoutRule{5, 900}, AddressThrottle{1, 900});
        {
            const HashingSlots::Admission elsewhere = slots.admit();
            const HashingSlots::Slot busy = slots.take(elsewhere);
            CPPUNIT_ASSERT_THROW(passwords.sign_in("dora", "right", client, SignInMethod::form, window0), HashingBusy);
        }
        CPPUNIT_ASSERT(attempts().empty());
        CPPUNIT_ASSERT(passwords.sign_in("dora", "right", client, SignInMethod::form, window0 + 1).result ==
                       SignInResult::success);
    }

    // Turned away before anything is written: no record on the activity page, no count.
    void attempt_turned_away_as_busy_leaves_no_trace() {
        AccountId id = add_account("emil", hasher_->hash("right"));
        HashingSlots slots(1, 0, std::chrono::milliseconds(0));
        const PasswordHasher crowded(fast, htpasswd_hash_matches, &slots);
        PasswordSignIn passwords(store(), crowded, LockoutRule{1, 900}, AddressThrottle{1, 900});
        {
            const PasswordHasher::Turn busy = crowded.turn();
            CPPUNIT_ASSERT_THROW(passwords.sign_in("emil", "wrong", client, SignInMethod::form, window0), HashingBusy);
            CPPUNIT_ASSERT_THROW(passwords.sign_in("nobody", "wrong", client, SignInMethod::basic, window0),
                                 HashingBusy);
        }
        CPPUNIT_ASSERT(attempts().empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account(id).failed_attempts);
        CPPUNIT_ASSERT(passwords.sign_in("emil", "right", client, SignInMethod::form, window0 + 1).result ==
                       SignInResult::success);
    }

    // A script's parallel requests: more right passwords at once from one network than the lockout
    // threshold. Each holds a place under the network's count while it is checked, yet none reads
    // "locked": a full count of attempts still being checked is asked again.
    void parallel_right_passwords_beyond_the_threshold_all_sign_in() {
        add_account("hugo", hasher_->hash("right"));
        std::vector<SignInResult> results(8, SignInResult::error);
        const int failures = testing::race([this] { return open_again(); }, 8, 1, [&](Store& racer_store, int, int racer) {
            PasswordSignIn passwords(racer_store, *hasher_, LockoutRule{2, 900, 100});
            results[racer] = passwords.sign_in("hugo", "right", client, SignInMethod::basic, window0).result;
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        for (SignInResult result : results) CPPUNIT_ASSERT(result == SignInResult::success);
    }

    // What a credential cache asks before it trusts a password proven right earlier.
    void locked_for_answers_as_a_right_password_would_be() {
        AccountId id = add_account("finn", hasher_->hash("right"));
        PasswordSignIn passwords(store(), *hasher_, LockoutRule{2, 900, 100}, AddressThrottle{3, 900});
        const ClientInfo elsewhere{"203.0.113.9", "UnitTest/1.0"};
        CPPUNIT_ASSERT(!passwords.locked_for(account(id), client, window0));
        passwords.sign_in("finn", "wrong", client, SignInMethod::basic, window0);
        CPPUNIT_ASSERT(!passwords.locked_for(account(id), client, window0 + 1));
        passwords.sign_in("finn", "wrong again", client, SignInMethod::basic, window0 + 1);
        CPPUNIT_ASSERT(passwords.locked_for(account(id), client, window0 + 2));  // its network's limit
        CPPUNIT_ASSERT(passwords.sign_in("finn", "right", client, SignInMethod::basic, window0 + 2).result ==
                       SignInResult::locked);  // as the full check answers
        CPPUNIT_ASSERT(!passwords.locked_for(account(id), elsewhere, window0 + 2));
        // The address's own limit (3 refusals, any account) binds as well.
        const ClientInfo neighbour{"198.51.200.7", "UnitTest/1.0"};
        AccountId other = add_account("gus", hasher_->hash("right"));
        for (int i = 0; i < 3; ++i) passwords.sign_in("nobody", "guess", neighbour, SignInMethod::basic, window0 + 3);
        CPPUNIT_ASSERT(passwords.locked_for(account(other), neighbour, window0 + 4));
        CPPUNIT_ASSERT(!passwords.locked_for(account(other), elsewhere, window0 + 4));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordSignInTest);
