// The second step and the enrolment of its methods in the core, against a real SQLite store on a
// fixed clock (the `now` each call is given): replay, windows, races, lockout, recovery codes, sent
// codes, and what removing, renaming and app passwords leave in the store.
#include <cppunit/extensions/HelperMacros.h>

#include <liboath/oath.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/app_passwords.hpp"
#include "core/audit.hpp"
#include "core/challenge.hpp"
#include "core/crypto.hpp"
#include "core/methods/recovery_codes.hpp"
#include "core/methods/totp.hpp"
#include "core/second_factor/enrolment.hpp"
#include "core/second_factor/verifier.hpp"
#include "core/session_registry.hpp"
#include "racing.hpp"
#include "store_contract/store_fixture.hpp"

using namespace myaccount;

namespace {

// A multiple of 3600 (so every hourly window starts here) and of 30 (a TOTP step starts here).
constexpr UnixTime t0 = 1'700'002'800;
constexpr UnixTime step_seconds = 30;
const ClientInfo client{"203.0.113.7", "SecondFactorTest/1.0"};
const std::string issuer = "My Account";

using Result = SecondFactorVerifier::Result;
using Change = SecondFactorEnrolment::Change;

// The raw secret behind the base32 text a page shows (what an app reads from the QR code).
std::string decoded_base32(const std::string& text) {
    char* out = nullptr;
    std::size_t length = 0;
    CPPUNIT_ASSERT_EQUAL(static_cast<int>(OATH_OK), oath_base32_decode(text.data(), text.size(), &out, &length));
    std::string raw(out, length);
    std::free(out);
    return raw;
}

// A six-digit code that is not `code` (nor, in practice, any code of the window).
std::string wrong_code(const std::string& code) {
    return code == "000000" ? "999999" : "000000";
}

}  // namespace

class SecondFactorTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(SecondFactorTest);
    CPPUNIT_TEST(an_authenticator_is_pending_until_a_code_proves_it);
    CPPUNIT_TEST(a_pending_authenticator_expires);
    CPPUNIT_TEST(a_pending_authenticator_is_only_its_accounts);
    CPPUNIT_TEST(the_enrolling_code_does_not_pass_the_verify_step);
    CPPUNIT_TEST(a_code_is_accepted_once);
    CPPUNIT_TEST(an_older_code_is_refused_after_a_newer_one);
    CPPUNIT_TEST(a_code_two_steps_old_is_refused);
    CPPUNIT_TEST(codes_at_the_edge_of_the_window_say_the_clock_is_off);
    CPPUNIT_TEST(window_zero_takes_only_the_current_step);
    CPPUNIT_TEST(racing_requests_with_one_code_get_one_success);
    CPPUNIT_TEST(wrong_codes_lock_and_then_even_a_right_code_is_refused);
    CPPUNIT_TEST(malformed_codes_count_as_wrong);
    CPPUNIT_TEST(a_pass_clears_the_count);
    CPPUNIT_TEST(only_active_authenticators_of_the_account_are_checked);
    CPPUNIT_TEST(any_authenticator_of_the_account);
    CPPUNIT_TEST(recovery_codes_work_once_and_count_down);
    CPPUNIT_TEST(a_new_set_of_recovery_codes_voids_the_old);
    CPPUNIT_TEST(recovery_codes_and_authenticator_codes_share_the_lockout);
    CPPUNIT_TEST(wrong_codes_at_set_up_count_toward_the_lockout);
    CPPUNIT_TEST(a_sent_code_passes_once);
    CPPUNIT_TEST(a_sent_code_serves_only_its_account_and_method);
    CPPUNIT_TEST(sent_codes_are_limited_per_hour);
    CPPUNIT_TEST(the_last_method_stays_while_two_step_is_required);
    CPPUNIT_TEST(who_registered_may_remove_the_last_method);
    CPPUNIT_TEST(removing_needs_no_other_method_when_not_required);
    CPPUNIT_TEST(rename_and_default);
    CPPUNIT_TEST(another_accounts_method_is_not_found);
    CPPUNIT_TEST(app_passwords_only_when_allowed);
    CPPUNIT_TEST(app_passwords_are_shown_once_and_kept_as_hashes);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        StoreFixture::setUp();
        key_ = std::make_unique<SecretKey>(SecretKey::from_bytes(std::string(32, '\x42')));
        policy_.requirement = MfaRequirement::registered;
        policy_.totp_window = 1;
        policy_.lockout = LockoutRule{5, 900};
        alice_ = add_account("alice", "hash-a", "Alice", t0 - 1000);
        bob_ = add_account("bob", "hash-b", "Bob", t0 - 1000);
    }

    void tearDown() override {
        key_.reset();
        StoreFixture::tearDown();
    }

    void an_authenticator_is_pending_until_a_code_proves_it() {
        SecondFactorEnrolment::NewAuthenticator shown =
            enrolment().begin_authenticator(account(alice_), "  Pixel 8  ", client, t0);
        CPPUNIT_ASSERT_EQUAL(std::size_t{32}, shown.secret_base32.size());
        CPPUNIT_ASSERT_EQUAL("otpauth://totp/My%20Account:alice?secret=" + shown.secret_base32 +
                                 "&issuer=My%20Account&algorithm=SHA1&digits=6&period=30",
                             shown.otpauth_uri);
        CPPUNIT_ASSERT_EQUAL(std::string("<svg "), shown.qr_svg.substr(0, 5));
        CPPUNIT_ASSERT(shown.qr_svg.find("<title>My Account: alice</title>") != std::string::npos);

        // Pending: stored sealed, not among the methods, offered again with the same secret.
        std::optional<VerificationMethod> pending = store().find_method(alice_, shown.method_id);
        CPPUNIT_ASSERT(pending && !pending->active);
        CPPUNIT_ASSERT_EQUAL(std::string("Pixel 8"), pending->label);
        CPPUNIT_ASSERT_EQUAL(std::string(client.ip), pending->created_ip);
        const std::string secret = decoded_base32(shown.secret_base32);
        CPPUNIT_ASSERT(pending->secret_box.find(secret) == std::string::npos);
        CPPUNIT_ASSERT(pending->secret_box.find(shown.secret_base32) == std::string::npos);
        CPPUNIT_ASSERT(store().methods_of(alice_).empty());
        std::optional<SecondFactorEnrolment::NewAuthenticator> again =
            enrolment().pending_authenticator(account(alice_), shown.method_id, t0 + 10);
        CPPUNIT_ASSERT(again && again->secret_base32 == shown.secret_base32);

        const std::string code = totp_code_at(secret, t0 + 30);
        CPPUNIT_ASSERT(enrolment()
                           .confirm_authenticator(account(alice_), shown.method_id, wrong_code(code), client, t0 + 30)
                           .result == SecondFactorEnrolment::Confirmed::wrong_code);
        SecondFactorEnrolment::Confirmation confirmed =
            enrolment().confirm_authenticator(account(alice_), shown.method_id, code, client, t0 + 30);
        CPPUNIT_ASSERT(confirmed.result == SecondFactorEnrolment::Confirmed::active);
        CPPUNIT_ASSERT(!confirmed.clock_off);

        std::vector<VerificationMethod> methods = store().methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, methods.size());
        CPPUNIT_ASSERT(methods[0].active && methods[0].is_default);
        CPPUNIT_ASSERT_EQUAL((t0 + 30) / step_seconds, methods[0].last_step);
        CPPUNIT_ASSERT_EQUAL(1, events("method_added", alice_));
        // Proven: no longer pending, and not proven twice.
        CPPUNIT_ASSERT(!enrolment().pending_authenticator(account(alice_), shown.method_id, t0 + 40));
        CPPUNIT_ASSERT(
            enrolment().confirm_authenticator(account(alice_), shown.method_id, code, client, t0 + 40).result ==
            SecondFactorEnrolment::Confirmed::gone);
    }

    // OTP-9: a six-digit code is guessable at the set-up too; the same lockout as the verify step.
    void wrong_codes_at_set_up_count_toward_the_lockout() {
        policy_.lockout = LockoutRule{3, 900};
        SecondFactorEnrolment::NewAuthenticator shown =
            enrolment().begin_authenticator(account(alice_), "", client, t0);
        const std::string secret = decoded_base32(shown.secret_base32);
        const std::string code = totp_code_at(secret, t0 + 30);
        auto confirm = [&](const std::string& typed, UnixTime at) {
            return enrolment().confirm_authenticator(account(alice_), shown.method_id, typed, client, at);
        };
        CPPUNIT_ASSERT(confirm(wrong_code(code), t0 + 30).result == SecondFactorEnrolment::Confirmed::wrong_code);
        CPPUNIT_ASSERT(confirm(wrong_code(code), t0 + 31).result == SecondFactorEnrolment::Confirmed::wrong_code);
        SecondFactorEnrolment::Confirmation third = confirm(wrong_code(code), t0 + 32);
        CPPUNIT_ASSERT(third.result == SecondFactorEnrolment::Confirmed::locked);
        CPPUNIT_ASSERT_EQUAL(t0 + 32 + 900, third.locked_until);
        CPPUNIT_ASSERT_EQUAL(1, events("second_factor_locked", alice_));
        // Locked: even the right code is not looked at.
        CPPUNIT_ASSERT(confirm(code, t0 + 33).result == SecondFactorEnrolment::Confirmed::locked);
        CPPUNIT_ASSERT(store().methods_of(alice_).empty());
        const UnixTime later = t0 + 32 + 901;
        CPPUNIT_ASSERT(confirm(totp_code_at(secret, later), later).result == SecondFactorEnrolment::Confirmed::active);
    }

    void a_pending_authenticator_expires() {
        SecondFactorEnrolment::NewAuthenticator shown =
            enrolment().begin_authenticator(account(alice_), "", client, t0);
        const std::string secret = decoded_base32(shown.secret_base32);
        const UnixTime end = t0 + pending_authenticator_lifetime;
        CPPUNIT_ASSERT(enrolment().pending_authenticator(account(alice_), shown.method_id, end));
        CPPUNIT_ASSERT(!enrolment().pending_authenticator(account(alice_), shown.method_id, end + 1));
        CPPUNIT_ASSERT(
            enrolment()
                .confirm_authenticator(account(alice_), shown.method_id, totp_code_at(secret, end + 1), client, end + 1)
                .result == SecondFactorEnrolment::Confirmed::gone);
        CPPUNIT_ASSERT(store().methods_of(alice_).empty());
    }

    void a_pending_authenticator_is_only_its_accounts() {
        SecondFactorEnrolment::NewAuthenticator shown =
            enrolment().begin_authenticator(account(alice_), "", client, t0);
        const std::string code = totp_code_at(decoded_base32(shown.secret_base32), t0);
        CPPUNIT_ASSERT(!enrolment().pending_authenticator(account(bob_), shown.method_id, t0));
        CPPUNIT_ASSERT(enrolment().confirm_authenticator(account(bob_), shown.method_id, code, client, t0).result ==
                       SecondFactorEnrolment::Confirmed::gone);
        CPPUNIT_ASSERT(store().methods_of(bob_).empty());
        CPPUNIT_ASSERT(enrolment().confirm_authenticator(account(alice_), shown.method_id, code, client, t0).result ==
                       SecondFactorEnrolment::Confirmed::active);
    }

    void the_enrolling_code_does_not_pass_the_verify_step() {
        Enrolled app = enrol(alice_, t0);
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, t0), t0 + 5).result == Result::used);
    }

    void a_code_is_accepted_once() {
        Enrolled app = enrol(alice_, t0);
        const UnixTime at = t0 + 60;
        const std::string code = totp_code_at(app.secret, at);
        SecondFactorVerifier::Outcome first = verify(alice_, app.id, code, at);
        CPPUNIT_ASSERT(first.result == Result::accepted);
        CPPUNIT_ASSERT_EQUAL(app.id, first.method_id);
        CPPUNIT_ASSERT(!first.clock_off);
        CPPUNIT_ASSERT_EQUAL(at / step_seconds, store().find_method(alice_, app.id)->last_step);
        CPPUNIT_ASSERT_EQUAL(at, store().find_method(alice_, app.id)->last_used_at);
        CPPUNIT_ASSERT(verify(alice_, app.id, code, at + 1).result == Result::used);
        CPPUNIT_ASSERT(verify(alice_, app.id, code, at + 29).result == Result::used);
        // The replay is in the audit trail (OTP-11), the pass too; a replay counts toward the lockout.
        CPPUNIT_ASSERT_EQUAL(2, events("second_factor_replay", alice_));
        CPPUNIT_ASSERT_EQUAL(1, events("second_factor_passed", alice_));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store().second_factor_lockout_of(alice_).failures);
        // The next step's code passes.
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, at + 30), at + 30).result == Result::accepted);
    }

    void an_older_code_is_refused_after_a_newer_one() {
        Enrolled app = enrol(alice_, t0);
        const UnixTime at = t0 + 120;
        // The app runs a step ahead: its code is accepted (edge of the window) ...
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, at + 30), at).result == Result::accepted);
        // ... and then the current step's code, though inside the window, is below the one accepted.
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, at), at).result == Result::used);
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, at - 30), at).result == Result::used);
    }

    void a_code_two_steps_old_is_refused() {
        Enrolled app = enrol(alice_, t0);
        const UnixTime at = t0 + 300;
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, at - 60), at).result == Result::wrong);
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, at + 60), at).result == Result::wrong);
        CPPUNIT_ASSERT_EQUAL(t0 / step_seconds, store().find_method(alice_, app.id)->last_step);
    }

    void codes_at_the_edge_of_the_window_say_the_clock_is_off() {
        Enrolled app = enrol(alice_, t0);
        SecondFactorVerifier::Outcome behind = verify(alice_, app.id, totp_code_at(app.secret, t0 + 270), t0 + 300);
        CPPUNIT_ASSERT(behind.result == Result::accepted && behind.clock_off);
        SecondFactorVerifier::Outcome ahead = verify(alice_, app.id, totp_code_at(app.secret, t0 + 360), t0 + 330);
        CPPUNIT_ASSERT(ahead.result == Result::accepted && ahead.clock_off);
        SecondFactorVerifier::Outcome on_time = verify(alice_, app.id, totp_code_at(app.secret, t0 + 420), t0 + 420);
        CPPUNIT_ASSERT(on_time.result == Result::accepted && !on_time.clock_off);
    }

    void window_zero_takes_only_the_current_step() {
        Enrolled app = enrol(alice_, t0);
        policy_.totp_window = 0;
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, t0 + 90), t0 + 120).result == Result::wrong);
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, t0 + 150), t0 + 120).result == Result::wrong);
        SecondFactorVerifier::Outcome now = verify(alice_, app.id, totp_code_at(app.secret, t0 + 120), t0 + 120);
        CPPUNIT_ASSERT(now.result == Result::accepted && !now.clock_off);
    }

    void racing_requests_with_one_code_get_one_success() {
        policy_.lockout = LockoutRule{0, 900};  // the losers' failures must not lock the next rounds
        Enrolled app = enrol(alice_, t0);
        constexpr int racers = 4;
        constexpr int rounds = 20;
        const Account alice = account(alice_);
        std::vector<std::atomic<int>> accepted(rounds);
        std::vector<std::atomic<int>> used(rounds);
        int failures = race(racers, rounds, [&](Store& store, int round) {
            const UnixTime at = t0 + step_seconds * (round + 1);
            SecondFactorVerifier verifier(store, *key_, policy_);
            Result result =
                verifier.check_authenticator(alice, app.id, totp_code_at(app.secret, at), client, at).result;
            if (result == Result::accepted) ++accepted[round];
            if (result == Result::used) ++used[round];
        });
        CPPUNIT_ASSERT_EQUAL(0, failures);
        for (int round = 0; round < rounds; ++round) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(round), 1, accepted[round].load());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(round), racers - 1, used[round].load());
        }
        CPPUNIT_ASSERT_EQUAL(rounds, events("second_factor_passed", alice_));
        CPPUNIT_ASSERT_EQUAL(rounds * (racers - 1), events("second_factor_replay", alice_));
    }

    void wrong_codes_lock_and_then_even_a_right_code_is_refused() {
        policy_.lockout = LockoutRule{3, 900};
        Enrolled app = enrol(alice_, t0);
        const UnixTime at = t0 + 60;
        const std::string right = totp_code_at(app.secret, at);
        CPPUNIT_ASSERT(verify(alice_, app.id, wrong_code(right), at).result == Result::wrong);
        CPPUNIT_ASSERT(verify(alice_, app.id, wrong_code(right), at).result == Result::wrong);
        SecondFactorVerifier::Outcome locking = verify(alice_, app.id, wrong_code(right), at);
        CPPUNIT_ASSERT(locking.result == Result::locked);
        CPPUNIT_ASSERT_EQUAL(at + 900, locking.locked_until);
        CPPUNIT_ASSERT_EQUAL(at + 900, verifier().locked_until(account(alice_), at + 1));

        // Locked: the right code is not even looked at (its step is not used up) ...
        SecondFactorVerifier::Outcome refused = verify(alice_, app.id, right, at + 1);
        CPPUNIT_ASSERT(refused.result == Result::locked);
        CPPUNIT_ASSERT_EQUAL(at + 900, refused.locked_until);
        CPPUNIT_ASSERT_EQUAL(t0 / step_seconds, store().find_method(alice_, app.id)->last_step);
        CPPUNIT_ASSERT(recovery(alice_, "abcd-2345-wxyz", at + 899).result == Result::locked);
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, at + 899), at + 899).result == Result::locked);
        // ... and the lock does not grow while it lasts.
        CPPUNIT_ASSERT_EQUAL(at + 900, store().second_factor_lockout_of(alice_).locked_until);
        CPPUNIT_ASSERT_EQUAL(1, events("second_factor_locked", alice_));
        CPPUNIT_ASSERT_EQUAL(0, events("second_factor_passed", alice_));

        // When the lock ends, a right code passes and clears the count.
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, verifier().locked_until(account(alice_), at + 900));
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, at + 900), at + 900).result == Result::accepted);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store().second_factor_lockout_of(alice_).failures);
        // The password's counters were never touched: a locked second step is a lock of its own.
        CPPUNIT_ASSERT((store().lockout_of(alice_) == LockoutState{0, 0}));
        // Bob was never locked.
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, verifier().locked_until(account(bob_), at + 1));
    }

    void malformed_codes_count_as_wrong() {
        policy_.lockout = LockoutRule{4, 900};
        Enrolled app = enrol(alice_, t0);
        for (const char* bad : {"12345", "abcdef", ""})
            CPPUNIT_ASSERT_MESSAGE(bad, verify(alice_, app.id, bad, t0 + 60).result == Result::wrong);
        CPPUNIT_ASSERT(verify(alice_, app.id, "1234567", t0 + 60).result == Result::locked);
    }

    void a_pass_clears_the_count() {
        policy_.lockout = LockoutRule{3, 900};
        Enrolled app = enrol(alice_, t0);
        CPPUNIT_ASSERT(verify(alice_, app.id, "000000", t0 + 60).result != Result::accepted);
        CPPUNIT_ASSERT(verify(alice_, app.id, "999999", t0 + 60).result != Result::accepted);
        CPPUNIT_ASSERT(verify(alice_, app.id, totp_code_at(app.secret, t0 + 60), t0 + 60).result == Result::accepted);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store().second_factor_lockout_of(alice_).failures);
        // Two more wrong ones do not lock: the count started afresh.
        CPPUNIT_ASSERT(verify(alice_, app.id, "000001", t0 + 90).result == Result::wrong);
        CPPUNIT_ASSERT(verify(alice_, app.id, "000002", t0 + 90).result == Result::wrong);
    }

    void only_active_authenticators_of_the_account_are_checked() {
        Enrolled app = enrol(alice_, t0);
        SecondFactorEnrolment::NewAuthenticator pending =
            enrolment().begin_authenticator(account(alice_), "", client, t0 + 10);
        const std::string code = totp_code_at(app.secret, t0 + 60);
        CPPUNIT_ASSERT(verify(bob_, app.id, code, t0 + 60).result == Result::no_method);
        CPPUNIT_ASSERT(verify(alice_, pending.method_id, code, t0 + 60).result == Result::no_method);
        CPPUNIT_ASSERT(verify(alice_, 999999, code, t0 + 60).result == Result::no_method);
        const std::int64_t codes_method = recovery_method(alice_);
        CPPUNIT_ASSERT(verify(alice_, codes_method, code, t0 + 60).result == Result::no_method);
        // Asking about nothing is no guess: nothing counted, the code still unused.
        CPPUNIT_ASSERT((store().second_factor_lockout_of(alice_) == LockoutState{0, 0}));
        CPPUNIT_ASSERT((store().second_factor_lockout_of(bob_) == LockoutState{0, 0}));
        CPPUNIT_ASSERT(verify(alice_, app.id, code, t0 + 60).result == Result::accepted);
    }

    void any_authenticator_of_the_account() {
        Enrolled phone = enrol(alice_, t0);
        Enrolled tablet = enrol(alice_, t0 + 30);
        SecondFactorVerifier::Outcome outcome =
            verifier().check_any_authenticator(account(alice_), totp_code_at(tablet.secret, t0 + 90), client, t0 + 90);
        CPPUNIT_ASSERT(outcome.result == Result::accepted);
        CPPUNIT_ASSERT_EQUAL(tablet.id, outcome.method_id);
        outcome =
            verifier().check_any_authenticator(account(alice_), totp_code_at(phone.secret, t0 + 90), client, t0 + 90);
        CPPUNIT_ASSERT(outcome.result == Result::accepted);
        CPPUNIT_ASSERT_EQUAL(phone.id, outcome.method_id);
        CPPUNIT_ASSERT(verifier().check_any_authenticator(account(alice_), "000000", client, t0 + 90).result ==
                       Result::wrong);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store().second_factor_lockout_of(alice_).failures);  // one, not two
        CPPUNIT_ASSERT(verifier().check_any_authenticator(account(bob_), "000000", client, t0 + 90).result ==
                       Result::no_method);
    }

    void recovery_codes_work_once_and_count_down() {
        std::vector<std::string> codes = enrolment().new_recovery_codes(account(alice_), client, t0);
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, codes.size());
        CPPUNIT_ASSERT_EQUAL(1, events("recovery_codes_created", alice_));
        CPPUNIT_ASSERT_EQUAL(10, store().recovery_codes_left(alice_));
        const std::int64_t codes_method = recovery_method(alice_);

        SecondFactorVerifier::Outcome first = recovery(alice_, codes[0], t0 + 10);
        CPPUNIT_ASSERT(first.result == Result::accepted);
        CPPUNIT_ASSERT_EQUAL(9, first.recovery_left);
        CPPUNIT_ASSERT_EQUAL(codes_method, first.method_id);
        CPPUNIT_ASSERT(recovery(alice_, codes[0], t0 + 20).result == Result::wrong);
        // Typed in capitals with spaces for dashes, it is the same code.
        std::string typed = ascii_upper(codes[1]);
        std::replace(typed.begin(), typed.end(), '-', ' ');
        SecondFactorVerifier::Outcome second = recovery(alice_, " " + typed + " ", t0 + 30);
        CPPUNIT_ASSERT(second.result == Result::accepted);
        CPPUNIT_ASSERT_EQUAL(8, second.recovery_left);
        // Alice's codes are no one else's.
        CPPUNIT_ASSERT(recovery(bob_, codes[2], t0 + 40).result == Result::wrong);
        for (std::size_t i = 2; i < codes.size(); ++i)
            CPPUNIT_ASSERT_EQUAL(static_cast<int>(codes.size() - i - 1),
                                 recovery(alice_, codes[i], t0 + 50).recovery_left);
        CPPUNIT_ASSERT_EQUAL(0, store().recovery_codes_left(alice_));
        CPPUNIT_ASSERT_EQUAL(10, events("second_factor_passed", alice_));
        CPPUNIT_ASSERT_EQUAL(0, events("second_factor_passed", bob_));
    }

    void a_new_set_of_recovery_codes_voids_the_old() {
        std::vector<std::string> old_codes = enrolment().new_recovery_codes(account(alice_), client, t0);
        CPPUNIT_ASSERT(recovery(alice_, old_codes[0], t0 + 1).result == Result::accepted);
        std::vector<std::string> new_codes = enrolment().new_recovery_codes(account(alice_), client, t0 + 2);
        CPPUNIT_ASSERT(recovery(alice_, old_codes[1], t0 + 3).result == Result::wrong);
        SecondFactorVerifier::Outcome outcome = recovery(alice_, new_codes[0], t0 + 4);
        CPPUNIT_ASSERT(outcome.result == Result::accepted);
        CPPUNIT_ASSERT_EQUAL(9, outcome.recovery_left);
        CPPUNIT_ASSERT_EQUAL(2, events("recovery_codes_created", alice_));
        // Still one recovery-codes method, listing the new set.
        std::vector<VerificationMethod> methods = store().methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(1L, static_cast<long>(std::count_if(methods.begin(), methods.end(), [](const auto& m) {
                                 return m.kind == MethodKind::recovery_codes;
                             })));
    }

    void recovery_codes_and_authenticator_codes_share_the_lockout() {
        policy_.lockout = LockoutRule{3, 900};
        Enrolled app = enrol(alice_, t0);
        std::vector<std::string> codes = enrolment().new_recovery_codes(account(alice_), client, t0);
        CPPUNIT_ASSERT(recovery(alice_, "abcd-2345-wxyz", t0 + 60).result == Result::wrong);
        CPPUNIT_ASSERT(recovery(alice_, "not a code", t0 + 60).result == Result::wrong);
        CPPUNIT_ASSERT(verify(alice_, app.id, "000000", t0 + 60).result == Result::locked);
        CPPUNIT_ASSERT(recovery(alice_, codes[0], t0 + 61).result == Result::locked);
        CPPUNIT_ASSERT_EQUAL(10, store().recovery_codes_left(alice_));  // the right code was not used up
    }

    void a_sent_code_passes_once() {
        const std::int64_t email = add_email(alice_, "alice@mail.example");
        std::optional<SecondFactorVerifier::SentCode> sent = verifier().send_code(account(alice_), email, client, t0);
        CPPUNIT_ASSERT(sent.has_value());
        CPPUNIT_ASSERT(looks_like_code(sent->code));
        CPPUNIT_ASSERT_EQUAL(std::string("alice@mail.example"), sent->recipient);
        CPPUNIT_ASSERT(sent->kind == MethodKind::email);
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token(sent->challenge_token));

        std::string wrong = sent->code == "00000000" ? "11111111" : "00000000";
        CPPUNIT_ASSERT(check_sent(alice_, sent->challenge_token, wrong, t0 + 10).result == Result::wrong);
        SecondFactorVerifier::Outcome passed = check_sent(alice_, sent->challenge_token, sent->code, t0 + 20);
        CPPUNIT_ASSERT(passed.result == Result::accepted);
        CPPUNIT_ASSERT_EQUAL(email, passed.method_id);
        CPPUNIT_ASSERT_EQUAL(t0 + 20, store().find_method(alice_, email)->last_used_at);
        CPPUNIT_ASSERT(check_sent(alice_, sent->challenge_token, sent->code, t0 + 30).result == Result::expired);
        CPPUNIT_ASSERT_EQUAL(1, events("second_factor_passed", alice_));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store().second_factor_lockout_of(alice_).failures);

        // A code past its lifetime does not pass.
        sent = verifier().send_code(account(alice_), email, client, t0 + 100);
        CPPUNIT_ASSERT(
            check_sent(alice_, sent->challenge_token, sent->code, t0 + 100 + defaults::code_lifetime.value).result ==
            Result::expired);
    }

    void a_sent_code_serves_only_its_account_and_method() {
        const std::int64_t email = add_email(alice_, "alice@mail.example");
        const std::int64_t bobs = add_email(bob_, "bob@mail.example");
        Enrolled app = enrol(alice_, t0);
        CPPUNIT_ASSERT(!verifier().send_code(account(alice_), bobs, client, t0));
        CPPUNIT_ASSERT(!verifier().send_code(account(alice_), app.id, client, t0));  // nowhere to send a code
        CPPUNIT_ASSERT(!verifier().send_code(account(alice_), 999999, client, t0));

        std::optional<SecondFactorVerifier::SentCode> sent = verifier().send_code(account(alice_), email, client, t0);
        CPPUNIT_ASSERT(check_sent(bob_, sent->challenge_token, sent->code, t0 + 1).result == Result::expired);
        CPPUNIT_ASSERT(check_sent(alice_, "not-a-token", sent->code, t0 + 1).result == Result::expired);
        // A method removed since the code went out proves nothing (OTP-12).
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), email, client, t0 + 2) == Change::done);
        CPPUNIT_ASSERT(check_sent(alice_, sent->challenge_token, sent->code, t0 + 3).result == Result::no_method);
        CPPUNIT_ASSERT_EQUAL(0, events("second_factor_passed", alice_));
    }

    void sent_codes_are_limited_per_hour() {
        const std::int64_t email = add_email(alice_, "alice@mail.example");
        int sent = 0;
        for (int i = 0; i < 30; ++i)
            if (verifier().send_code(account(alice_), email, client, t0 + i)) ++sent;
        CPPUNIT_ASSERT_EQUAL(10, sent);
        // The next hour has room again.
        CPPUNIT_ASSERT(verifier().send_code(account(alice_), email, client, t0 + 3600));
    }

    void the_last_method_stays_while_two_step_is_required() {
        policy_.requirement = MfaRequirement::all;
        Enrolled first = enrol(alice_, t0);
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), first.id, client, t0 + 60) == Change::last_method);
        // Recovery codes do not count: the authenticator is still the last method.
        enrolment().new_recovery_codes(account(alice_), client, t0 + 60);
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), first.id, client, t0 + 60) == Change::last_method);
        CPPUNIT_ASSERT(store().find_method(alice_, first.id).has_value());
        // Nor does an e-mail address (a way back in for a reset).
        add_email(alice_, "alice@mail.example");
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), first.id, client, t0 + 70) == Change::last_method);

        Enrolled second = enrol(alice_, t0 + 90);
        VerificationMethod removed;
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), first.id, client, t0 + 120, &removed) == Change::done);
        CPPUNIT_ASSERT_EQUAL(first.id, removed.id);
        CPPUNIT_ASSERT(removed.secret_box.empty());
        CPPUNIT_ASSERT(!store().find_method(alice_, first.id));
        CPPUNIT_ASSERT_EQUAL(1, events("method_removed", alice_));
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), second.id, client, t0 + 120) == Change::last_method);
        // Recovery codes and pending authenticators can always go.
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), recovery_method(alice_), client, t0 + 120) == Change::done);
        SecondFactorEnrolment::NewAuthenticator pending =
            enrolment().begin_authenticator(account(alice_), "", client, t0 + 130);
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), pending.method_id, client, t0 + 140) == Change::done);
        std::vector<VerificationMethod> left = store().methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, left.size());
        const auto kept = std::find_if(left.begin(), left.end(), [&](const VerificationMethod& m) { return m.id == second.id; });
        CPPUNIT_ASSERT(kept != left.end() && kept->is_default);  // the default went to the one that stayed
    }

    // MyAccountRequireMFA Registered: whoever registered may step back out, like at the peers.
    void who_registered_may_remove_the_last_method() {
        policy_.requirement = MfaRequirement::registered;
        Enrolled app = enrol(alice_, t0);
        enrolment().new_recovery_codes(account(alice_), client, t0 + 30);
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), app.id, client, t0 + 60) == Change::done);
        CPPUNIT_ASSERT(!store().find_method(alice_, app.id));
    }

    void removing_needs_no_other_method_when_not_required() {
        policy_.requirement = MfaRequirement::off;
        Enrolled app = enrol(alice_, t0);
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), app.id, client, t0 + 60) == Change::done);
        CPPUNIT_ASSERT(store().methods_of(alice_).empty());
        CPPUNIT_ASSERT(enrolment().remove(account(alice_), app.id, client, t0 + 60) == Change::not_found);
    }

    void rename_and_default() {
        Enrolled first = enrol(alice_, t0);
        Enrolled second = enrol(alice_, t0 + 30);
        CPPUNIT_ASSERT(enrolment().rename(account(alice_), first.id, "  Work phone  ", client, t0 + 60) ==
                       Change::done);
        CPPUNIT_ASSERT_EQUAL(std::string("Work phone"), store().find_method(alice_, first.id)->label);
        CPPUNIT_ASSERT(enrolment().rename(account(alice_), first.id, std::string(64, 'x'), client, t0 + 60) ==
                       Change::done);
        for (const std::string& bad : {std::string(65, 'x'), std::string("line\nbreak"), std::string("\xff")})
            CPPUNIT_ASSERT(enrolment().rename(account(alice_), first.id, bad, client, t0 + 60) == Change::bad_label);
        // 64 Japanese characters are 64 code points, not 192 bytes too many.
        std::string japanese;
        for (int i = 0; i < 64; ++i) japanese += "電";
        CPPUNIT_ASSERT(enrolment().rename(account(alice_), first.id, japanese, client, t0 + 60) == Change::done);
        CPPUNIT_ASSERT_EQUAL(japanese, store().find_method(alice_, first.id)->label);
        CPPUNIT_ASSERT_EQUAL(3, events("method_renamed", alice_));

        CPPUNIT_ASSERT(store().find_method(alice_, first.id)->is_default);
        CPPUNIT_ASSERT(enrolment().make_default(account(alice_), second.id, client, t0 + 60) == Change::done);
        CPPUNIT_ASSERT(store().find_method(alice_, second.id)->is_default);
        CPPUNIT_ASSERT(!store().find_method(alice_, first.id)->is_default);
        CPPUNIT_ASSERT_EQUAL(1, events("default_method_set", alice_));
        enrolment().new_recovery_codes(account(alice_), client, t0 + 60);
        CPPUNIT_ASSERT(enrolment().make_default(account(alice_), recovery_method(alice_), client, t0 + 60) ==
                       Change::not_found);
        // A label typed at enrolment is cut to size rather than refused.
        SecondFactorEnrolment::NewAuthenticator shown =
            enrolment().begin_authenticator(account(alice_), japanese + "電電", client, t0 + 60);
        CPPUNIT_ASSERT_EQUAL(japanese, store().find_method(alice_, shown.method_id)->label);
        shown = enrolment().begin_authenticator(account(alice_), "tab\there", client, t0 + 60);
        CPPUNIT_ASSERT_EQUAL(std::string(), store().find_method(alice_, shown.method_id)->label);
    }

    void another_accounts_method_is_not_found() {
        Enrolled app = enrol(alice_, t0);
        CPPUNIT_ASSERT(enrolment().rename(account(bob_), app.id, "mine", client, t0) == Change::not_found);
        CPPUNIT_ASSERT(enrolment().make_default(account(bob_), app.id, client, t0) == Change::not_found);
        CPPUNIT_ASSERT(enrolment().remove(account(bob_), app.id, client, t0) == Change::not_found);
        std::optional<VerificationMethod> kept = store().find_method(alice_, app.id);
        CPPUNIT_ASSERT(kept && kept->label.empty());
        CPPUNIT_ASSERT_EQUAL(0, events("method_removed", alice_) + events("method_removed", bob_));
    }

    void app_passwords_only_when_allowed() {
        policy_.app_passwords = false;
        CPPUNIT_ASSERT(!enrolment().create_app_password(account(alice_), "Mail", client, t0));
        CPPUNIT_ASSERT(store().app_passwords_of(alice_).empty());
        policy_.app_passwords = true;
        std::optional<std::string> password = enrolment().create_app_password(account(alice_), "Mail", client, t0);
        CPPUNIT_ASSERT(password.has_value());
        std::int64_t id = store().app_passwords_of(alice_).at(0).id;
        policy_.app_passwords = false;
        CPPUNIT_ASSERT(enrolment().revoke_app_password(account(alice_), id, client, t0) == Change::not_found);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store().app_passwords_of(alice_).size());
    }

    void app_passwords_are_shown_once_and_kept_as_hashes() {
        policy_.app_passwords = true;
        std::optional<std::string> password =
            enrolment().create_app_password(account(alice_), "  Calendar on laptop ", client, t0);
        CPPUNIT_ASSERT(password && !normalized_app_password(*password).empty());
        CPPUNIT_ASSERT(!enrolment().create_app_password(account(alice_), "   ", client, t0));
        CPPUNIT_ASSERT(!enrolment().create_app_password(account(alice_), std::string(65, 'x'), client, t0));

        std::vector<AppPassword> listed = store().app_passwords_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, listed.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Calendar on laptop"), listed[0].label);
        CPPUNIT_ASSERT_EQUAL(t0, listed[0].created_at);
        CPPUNIT_ASSERT(listed[0].hash.find(normalized_app_password(*password)) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(1, events("app_password_created", alice_));
        // What a Basic request would look up: the hash of the password as typed, normalized.
        const std::string hash = app_password_hash(*key_, alice_, normalized_app_password(*password));
        CPPUNIT_ASSERT(store().use_app_password(alice_, hash, t0 + 5).has_value());
        CPPUNIT_ASSERT(!store().use_app_password(
            bob_, app_password_hash(*key_, bob_, normalized_app_password(*password)), t0 + 5));

        CPPUNIT_ASSERT(enrolment().revoke_app_password(account(bob_), listed[0].id, client, t0 + 10) ==
                       Change::not_found);
        CPPUNIT_ASSERT(enrolment().revoke_app_password(account(alice_), listed[0].id, client, t0 + 10) == Change::done);
        CPPUNIT_ASSERT(!store().use_app_password(alice_, hash, t0 + 20));
        CPPUNIT_ASSERT(enrolment().revoke_app_password(account(alice_), listed[0].id, client, t0 + 30) ==
                       Change::not_found);
        CPPUNIT_ASSERT_EQUAL(1, events("app_password_revoked", alice_));
    }

private:
    struct Enrolled {
        std::int64_t id = 0;
        std::string secret;  // raw, as the user's app holds it
    };

    SecondFactorVerifier verifier() { return SecondFactorVerifier(store(), *key_, policy_); }
    SecondFactorEnrolment enrolment() { return SecondFactorEnrolment(store(), *key_, policy_, issuer); }

    // An authenticator enrolled and proven with the code of `at` (so that step is used up).
    Enrolled enrol(AccountId id, UnixTime at) {
        SecondFactorEnrolment::NewAuthenticator shown = enrolment().begin_authenticator(account(id), "", client, at);
        Enrolled enrolled{shown.method_id, decoded_base32(shown.secret_base32)};
        CPPUNIT_ASSERT(
            enrolment()
                .confirm_authenticator(account(id), shown.method_id, totp_code_at(enrolled.secret, at), client, at)
                .result == SecondFactorEnrolment::Confirmed::active);
        return enrolled;
    }

    SecondFactorVerifier::Outcome verify(AccountId id, std::int64_t method, const std::string& code, UnixTime at) {
        return verifier().check_authenticator(account(id), method, code, client, at);
    }

    SecondFactorVerifier::Outcome recovery(AccountId id, const std::string& code, UnixTime at) {
        return verifier().check_recovery_code(account(id), code, client, at);
    }

    SecondFactorVerifier::Outcome check_sent(AccountId id, const std::string& token, const std::string& code,
                                             UnixTime at) {
        return verifier().check_sent_code(account(id), token, code, client, at);
    }

    // The account's recovery-codes method (a set is made when there is none).
    std::int64_t recovery_method(AccountId id) {
        for (const VerificationMethod& method : store().methods_of(id))
            if (method.kind == MethodKind::recovery_codes) return method.id;
        enrolment().new_recovery_codes(account(id), client, t0);
        return recovery_method(id);
    }

    std::int64_t add_email(AccountId id, const std::string& address) {
        return testing::register_email_method(store(), account(id), address, t0 - 500);
    }

    int events(const std::string& kind, AccountId id) {
        std::vector<AuditEvent> trail = store().events_of(id, 1000);
        return static_cast<int>(
            std::count_if(trail.begin(), trail.end(), [&](const AuditEvent& event) { return event.kind == kind; }));
    }

    static std::string ascii_upper(std::string text) {
        for (char& c : text)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        return text;
    }

    int race(int racers, int rounds, const std::function<void(Store&, int)>& take) {
        return testing::race([this] { return open_again(); }, racers, rounds, take);
    }

    std::unique_ptr<SecretKey> key_;
    SecondFactorPolicy policy_;
    AccountId alice_ = 0;
    AccountId bob_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecondFactorTest);
