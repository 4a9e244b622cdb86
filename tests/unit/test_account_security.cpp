// The account-security service: each change's write, its audit event, the sessions it ends and
// who is told, against a real SQLite store with a fixed clock and a recording notifier.
#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>
#include <vector>

#include "core/account_security.hpp"
#include "core/lockout.hpp"
#include "core/session_registry.hpp"
#include "portal_fixture.hpp"

using namespace myaccount;

namespace {

constexpr UnixTime t0 = testing::portal_now;
const ClientInfo admin{"", "myaccountctl"};

// Words every notice with its kind, so tests can tell them apart.
class KindWording final : public NoticeWording {
public:
    std::optional<Notification> word(SecurityNotice notice, const Account& account,
                                     const std::string& detail) const override {
        if (notice == SecurityNotice::password_reset) return std::nullopt;  // "no words for it"
        Notification notification;
        notification.subject = std::to_string(static_cast<int>(notice));
        notification.body = account.username + " " + detail;
        return notification;
    }
};

class SilentNotifier final : public Notifier {
public:
    bool available() const override { return false; }
    void post(Notification) override { ++posted; }
    bool send_now(const Notification&) override { return false; }
    int posted = 0;
};

}  // namespace

class AccountSecurityTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(AccountSecurityTest);
    CPPUNIT_TEST(set_password_ends_sessions_records_and_tells);
    CPPUNIT_TEST(disable_ends_sessions_once_records_and_tells);
    CPPUNIT_TEST(enable_revives_no_session_and_tells);
    CPPUNIT_TEST(unlock_clears_lockout_records_and_tells_nobody);
    CPPUNIT_TEST(each_address_is_told_once);
    CPPUNIT_TEST(method_added_is_not_told_to_the_new_address);
    CPPUNIT_TEST(nothing_is_sent_without_a_notifier);
    CPPUNIT_TEST(nothing_is_sent_without_words);
    CPPUNIT_TEST(only_the_kinds_the_site_turned_on_are_sent);
    CPPUNIT_TEST(alert_kinds_have_words_and_cover_every_notice);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        StoreFixture::setUp();
        NewAccount alice = testing::new_account("alice", {"alice@example.com", "alice@home.example"});
        id_ = store().create_account(alice, t0 - 100);
    }

    void set_password_ends_sessions_records_and_tells() {
        start_sessions(2);
        AccountSecurity::Done done = service().set_password(account(id_), "$argon2id$new", admin, t0);
        CPPUNIT_ASSERT_EQUAL(2, done.sessions_ended);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, store().sessions_of(id_, true, t0).size());
        CPPUNIT_ASSERT_EQUAL(std::string("$argon2id$new"), account(id_).password_hash);
        CPPUNIT_ASSERT(has_event("password_set_by_admin"));
        CPPUNIT_ASSERT_EQUAL(2, done.told);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, notifier_.sent.size());
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), notifier_.sent[0].recipient);
        CPPUNIT_ASSERT_EQUAL(std::string("alice@home.example"), notifier_.sent[1].recipient);
        CPPUNIT_ASSERT_EQUAL(std::to_string(static_cast<int>(SecurityNotice::password_set_by_admin)),
                             notifier_.sent[0].subject);
    }

    void disable_ends_sessions_once_records_and_tells() {
        start_sessions(3);
        AccountSecurity::Done done = service().disable(account(id_), admin, t0);
        CPPUNIT_ASSERT_EQUAL(3, done.sessions_ended);
        CPPUNIT_ASSERT(account(id_).disabled);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, store().sessions_of(id_, true, t0).size());
        CPPUNIT_ASSERT(has_event("account_disabled"));
        CPPUNIT_ASSERT_EQUAL(2, done.told);
        CPPUNIT_ASSERT_EQUAL(std::to_string(static_cast<int>(SecurityNotice::account_disabled)),
                             notifier_.sent.at(0).subject);
    }

    void enable_revives_no_session_and_tells() {
        std::vector<std::string> tokens = start_sessions(1);
        service().disable(account(id_), admin, t0);
        notifier_.sent.clear();
        AccountSecurity::Done done = service().enable(account(id_), admin, t0 + 1);
        CPPUNIT_ASSERT(!account(id_).disabled);
        CPPUNIT_ASSERT(!SessionRegistry(store(), {}).resume(tokens[0], t0 + 2));
        CPPUNIT_ASSERT(has_event("account_enabled"));
        CPPUNIT_ASSERT_EQUAL(2, done.told);
        CPPUNIT_ASSERT_EQUAL(std::to_string(static_cast<int>(SecurityNotice::account_enabled)),
                             notifier_.sent.at(0).subject);
    }

    void unlock_clears_lockout_records_and_tells_nobody() {
        SignInAttempt attempt;
        attempt.account_id = id_;
        attempt.at = t0 - 10;
        attempt.username = "alice";
        attempt.result = SignInResult::bad_password;
        for (int i = 0; i < 5; ++i) {
            store().record_sign_in(attempt);
            count_failure(store(), id_, LockoutRule{5, 900}, attempt.at);
        }
        CPPUNIT_ASSERT(account(id_).locked_until > t0);
        service().unlock(account(id_), admin, t0);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, account(id_).locked_until);
        CPPUNIT_ASSERT(has_event("account_unlocked"));
        CPPUNIT_ASSERT(notifier_.sent.empty());
    }

    void each_address_is_told_once() {
        ProfileFields fields;
        fields.emails = std::vector<std::string>{"alice@example.com", "ALICE@example.com", "second@example.com"};
        store().update_profile(id_, fields, t0);
        CPPUNIT_ASSERT_EQUAL(2, service().tell(account(id_), SecurityNotice::password_changed));
        CPPUNIT_ASSERT_EQUAL(std::string("second@example.com"), notifier_.sent.at(1).recipient);
    }

    void method_added_is_not_told_to_the_new_address() {
        CPPUNIT_ASSERT_EQUAL(1, service().tell(account(id_), SecurityNotice::method_added, "Alice@Home.example"));
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), notifier_.sent.at(0).recipient);
        CPPUNIT_ASSERT_EQUAL(std::string("alice Alice@Home.example"), notifier_.sent.at(0).body);
    }

    void nothing_is_sent_without_a_notifier() {
        start_sessions(1);
        SilentNotifier silent;
        AccountSecurity security(store(), silent, wording_);
        AccountSecurity::Done done = security.set_password(account(id_), "$argon2id$new", admin, t0);
        CPPUNIT_ASSERT_EQUAL(1, done.sessions_ended);
        CPPUNIT_ASSERT_EQUAL(0, done.told);
        CPPUNIT_ASSERT_EQUAL(0, silent.posted);
    }

    void nothing_is_sent_without_words() {
        CPPUNIT_ASSERT_EQUAL(0, service().tell(account(id_), SecurityNotice::password_reset));
        CPPUNIT_ASSERT(notifier_.sent.empty());
    }

    void only_the_kinds_the_site_turned_on_are_sent() {
        AlertPolicy password_only = AlertPolicy::none();
        password_only.turn_on(AlertKind::password);
        AccountSecurity quiet(store(), notifier_, wording_, password_only);
        CPPUNIT_ASSERT_EQUAL(0, quiet.tell(account(id_), SecurityNotice::two_step_method_removed, "Pixel 8"));
        CPPUNIT_ASSERT_EQUAL(0, quiet.tell(account(id_), SecurityNotice::signed_out_everywhere, "192.0.2.1"));
        CPPUNIT_ASSERT(notifier_.sent.empty());
        // The change is still made and recorded; only the message is not sent.
        AccountSecurity::Done done = quiet.disable(account(id_), admin, t0);
        CPPUNIT_ASSERT_EQUAL(0, done.told);
        CPPUNIT_ASSERT(has_event("account_disabled"));
        CPPUNIT_ASSERT_EQUAL(2, quiet.tell(account(id_), SecurityNotice::password_changed));
        // The new-device alert has a switch of its own (MyAccountAlertNewDevice).
        CPPUNIT_ASSERT_EQUAL(2, AccountSecurity(store(), notifier_, wording_, AlertPolicy::none())
                                    .tell(account(id_), SecurityNotice::new_device_sign_in, "Chrome"));
    }

    void alert_kinds_have_words_and_cover_every_notice() {
        for (AlertKind kind : all_alert_kinds) {
            CPPUNIT_ASSERT(alert_kind_from(to_string(kind)) == kind);
            AlertPolicy just = AlertPolicy::none();
            just.turn_on(kind);
            CPPUNIT_ASSERT(just.is_on(kind));
        }
        CPPUNIT_ASSERT(!alert_kind_from("All") && !alert_kind_from("Password") && !alert_kind_from(""));
        // Every notice but the new-device one is silenced by turning every kind off.
        for (int n = 0; n <= static_cast<int>(SecurityNotice::not_me); ++n) {
            const auto notice = static_cast<SecurityNotice>(n);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(n), notice == SecurityNotice::new_device_sign_in,
                                         AlertPolicy::none().tells(notice));
            CPPUNIT_ASSERT(AlertPolicy().tells(notice));
        }
    }

private:
    AccountSecurity service() { return AccountSecurity(store(), notifier_, wording_); }

    std::vector<std::string> start_sessions(int count) {
        SessionRegistry sessions(store(), {});
        std::vector<std::string> tokens;
        for (int i = 0; i < count; ++i)
            tokens.push_back(sessions.start(account(id_), {"192.0.2.1", "Test"}, "", t0 - 50).token);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(count), store().sessions_of(id_, true, t0).size());
        return tokens;
    }

    bool has_event(const std::string& kind) {
        for (const AuditEvent& event : store().events_of(id_, 20))
            if (event.kind == kind && event.user_agent == "myaccountctl" && event.at >= t0) return true;
        return false;
    }

    AccountId id_ = 0;
    testing::RecordingNotifier notifier_;
    KindWording wording_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AccountSecurityTest);
