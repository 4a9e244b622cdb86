// Changing one's own password: the PasswordChanger decision against a real SQLite store, and the
// page and JSON API that use it, driven through web::handle.
#include <cppunit/extensions/HelperMacros.h>

#include <strings.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apr/sha1_hex.hpp"
#include "core/breached_passwords.hpp"
#include "core/crypto.hpp"
#include "core/password_blocklist.hpp"
#include "core/password_change.hpp"
#include "core/session_registry.hpp"
#include "portal_fixture.hpp"
#include "temp_dir.hpp"
#include "web/portal.hpp"
#include "web/render.hpp"

using namespace myaccount;
using nlohmann::json;
using web::Request;
using web::Response;

namespace {

constexpr UnixTime t0 = testing::portal_now;
using testing::contains;
using testing::header;
using testing::principal;
using testing::request;

// Neither common nor personal for the accounts below ("alice", "Test User", "Alice Example").
const std::string kOld = "Glacier-Walnut-Orbit-42";
const std::string kNew = "Quartz-Meadow-Lantern-77";

bool has_rule(const std::vector<PasswordRule>& rules, PasswordRule rule) {
    return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// PasswordChanger

class PasswordChangeTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(PasswordChangeTest);
    CPPUNIT_TEST(success_replaces_hash);
    CPPUNIT_TEST(success_ends_existing_sessions);
    CPPUNIT_TEST(success_records_password_change_attempt);
    CPPUNIT_TEST(wrong_current_counts_and_changes_nothing);
    CPPUNIT_TEST(threshold_wrong_currents_lock_even_right_current);
    CPPUNIT_TEST(mismatch_is_rejected_and_changes_nothing);
    CPPUNIT_TEST(too_short_is_reported);
    CPPUNIT_TEST(common_is_reported);
    CPPUNIT_TEST(personal_info_is_reported);
    CPPUNIT_TEST(same_as_current_is_reported);
    CPPUNIT_TEST(reuse_is_rejected_with_history);
    CPPUNIT_TEST(reuse_is_allowed_without_history);
    CPPUNIT_TEST(wrong_current_checks_no_policy_and_stores_nothing);
    CPPUNIT_TEST(success_records_password_changed_event);
    CPPUNIT_TEST(throttled_address_cannot_change);
    CPPUNIT_TEST(check_new_password_names_every_rule);
    CPPUNIT_TEST(check_new_password_changes_nothing);
    CPPUNIT_TEST(breached_is_reported_on_change_and_check);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        testing::StoreFixture::setUp();
        blocklist_ = std::make_unique<PasswordBlocklist>(
            PasswordBlocklist::load(MYACCOUNT_SOURCE_DIR "/conf/common-passwords.txt"));
        rules_.blocklist = blocklist_.get();
        rules_.history = 5;
        rules_.lockout = LockoutRule{3, 900, 3};  // per network and account-wide alike
        alice_ = add_account("alice", hasher_.hash(kOld), "Alice Example", t0 - 100);
    }

    void tearDown() override {
        blocklist_.reset();
        testing::StoreFixture::tearDown();
    }

    void success_replaces_hash() {
        const std::string before = account(alice_).password_hash;
        PasswordChanger::Outcome outcome = change(kOld, kNew, kNew, t0);
        CPPUNIT_ASSERT(outcome.status == PasswordChanger::Status::changed);
        CPPUNIT_ASSERT(!outcome.mismatch);
        CPPUNIT_ASSERT(outcome.violations.empty());
        const Account after = account(alice_);
        CPPUNIT_ASSERT(after.password_hash != before);
        CPPUNIT_ASSERT(hasher_.verify(after.password_hash, kNew).match);
        CPPUNIT_ASSERT(!hasher_.verify(after.password_hash, kOld).match);
        // The replaced hash went into the history.
        std::vector<std::string> history = store().previous_password_hashes(alice_, 5);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, history.size());
        CPPUNIT_ASSERT_EQUAL(before, history.front());
    }

    void success_ends_existing_sessions() {
        SessionRegistry sessions(store(), SessionSettings{});
        const std::int64_t stamp = account(alice_).security_stamp;
        SessionRegistry::Started started = sessions.start(account(alice_), client(), "", t0);
        CPPUNIT_ASSERT(sessions.resume(started.token, t0 + 1).has_value());

        CPPUNIT_ASSERT(change(kOld, kNew, kNew, t0 + 2).status == PasswordChanger::Status::changed);
        CPPUNIT_ASSERT(account(alice_).security_stamp != stamp);
        CPPUNIT_ASSERT(!sessions.resume(started.token, t0 + 3).has_value());
        std::vector<Session> all = store().sessions_of(alice_, /*active_only=*/false, t0 + 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, all.size());
        CPPUNIT_ASSERT(all.front().ended_at != 0);
    }

    void success_records_password_change_attempt() {
        CPPUNIT_ASSERT(change(kOld, kNew, kNew, t0).status == PasswordChanger::Status::changed);
        std::vector<SignInAttempt> attempts = store().recent_sign_ins(alice_, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, attempts.size());
        const SignInAttempt& attempt = attempts.front();
        CPPUNIT_ASSERT(attempt.method == SignInMethod::password_change);
        CPPUNIT_ASSERT(attempt.result == SignInResult::success);
        CPPUNIT_ASSERT_EQUAL(t0, attempt.at);
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.7"), attempt.client_ip);
        CPPUNIT_ASSERT_EQUAL(std::string("ChangerTest/1.0"), attempt.user_agent);
        CPPUNIT_ASSERT(attempt.account_id.has_value());
        CPPUNIT_ASSERT_EQUAL(alice_, *attempt.account_id);
    }

    void wrong_current_counts_and_changes_nothing() {
        const Account before = account(alice_);
        PasswordChanger::Outcome outcome = change("Not-The-Password-1", kNew, kNew, t0);
        CPPUNIT_ASSERT(outcome.status == PasswordChanger::Status::wrong_current);
        const Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL(before.password_hash, after.password_hash);
        CPPUNIT_ASSERT_EQUAL(before.security_stamp, after.security_stamp);
        CPPUNIT_ASSERT_EQUAL(before.failed_attempts + 1, after.failed_attempts);
        std::vector<SignInAttempt> attempts = store().recent_sign_ins(alice_, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, attempts.size());
        CPPUNIT_ASSERT(attempts.front().method == SignInMethod::password_change);
        CPPUNIT_ASSERT(attempts.front().result == SignInResult::bad_password);
    }

    void threshold_wrong_currents_lock_even_right_current() {
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(change("Not-The-Password-1", kNew, kNew, t0 + i).status ==
                           PasswordChanger::Status::wrong_current);
        CPPUNIT_ASSERT(account(alice_).locked_until > t0 + 3);
        const std::string hash = account(alice_).password_hash;
        PasswordChanger::Outcome outcome = change(kOld, kNew, kNew, t0 + 4);
        CPPUNIT_ASSERT(outcome.status == PasswordChanger::Status::locked);
        CPPUNIT_ASSERT_EQUAL(hash, account(alice_).password_hash);
        CPPUNIT_ASSERT(!hasher_.verify(account(alice_).password_hash, kNew).match);
        // Once the lock has passed the right current password works again.
        CPPUNIT_ASSERT(change(kOld, kNew, kNew, t0 + 2 + 900 + 10).status == PasswordChanger::Status::changed);
    }

    void mismatch_is_rejected_and_changes_nothing() {
        const Account before = account(alice_);
        PasswordChanger::Outcome outcome = change(kOld, kNew, kNew + "x", t0);
        CPPUNIT_ASSERT(outcome.status == PasswordChanger::Status::rejected);
        CPPUNIT_ASSERT(outcome.mismatch);
        CPPUNIT_ASSERT(outcome.violations.empty());
        const Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL(before.password_hash, after.password_hash);
        CPPUNIT_ASSERT_EQUAL(before.security_stamp, after.security_stamp);
        CPPUNIT_ASSERT(store().previous_password_hashes(alice_, 5).empty());
    }

    void too_short_is_reported() { check_rejected("Short-1a", PasswordRule::too_short); }

    void common_is_reported() {
        CPPUNIT_ASSERT(blocklist_->contains("password1234"));
        check_rejected("password1234", PasswordRule::common);
    }

    void personal_info_is_reported() {
        check_rejected("alice-rides-a-bicycle", PasswordRule::personal_info);
        check_rejected("Velvet-EXAMPLE-Thunder", PasswordRule::personal_info);  // a word of the name
    }

    void same_as_current_is_reported() { check_rejected(kOld, PasswordRule::same_as_current); }

    void reuse_is_rejected_with_history() {
        rules_.history = 5;
        CPPUNIT_ASSERT(change(kOld, kNew, kNew, t0).status == PasswordChanger::Status::changed);
        const std::string hash_b = account(alice_).password_hash;
        PasswordChanger::Outcome back = change(kNew, kOld, kOld, t0 + 10);
        CPPUNIT_ASSERT(back.status == PasswordChanger::Status::rejected);
        CPPUNIT_ASSERT(!back.mismatch);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, back.violations.size());
        CPPUNIT_ASSERT(back.violations.front() == PasswordRule::reused);
        CPPUNIT_ASSERT_EQUAL(hash_b, account(alice_).password_hash);
    }

    void reuse_is_allowed_without_history() {
        rules_.history = 0;
        CPPUNIT_ASSERT(change(kOld, kNew, kNew, t0).status == PasswordChanger::Status::changed);
        PasswordChanger::Outcome back = change(kNew, kOld, kOld, t0 + 10);
        CPPUNIT_ASSERT(back.status == PasswordChanger::Status::changed);
        CPPUNIT_ASSERT(back.violations.empty());
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
    }

    void wrong_current_checks_no_policy_and_stores_nothing() {
        // A → B first, so B → A would be a reuse if anything were looked at.
        CPPUNIT_ASSERT(change(kOld, kNew, kNew, t0).status == PasswordChanger::Status::changed);
        const Account before = account(alice_);
        const std::vector<std::string> history = store().previous_password_hashes(alice_, 24);
        for (const std::string& next : {std::string("short"), std::string("password1234"), std::string("alice-alice-alice"),
                                        kOld, std::string("Wrong-Current-Guess-9")}) {
            PasswordChanger::Outcome outcome = change(next /*wrong current*/ + "?", next, next + "-mismatch", t0 + 10);
            CPPUNIT_ASSERT_MESSAGE(next, outcome.status == PasswordChanger::Status::wrong_current);
            CPPUNIT_ASSERT_MESSAGE(next, outcome.violations.empty());
            CPPUNIT_ASSERT_MESSAGE(next, !outcome.mismatch);
            unlock_if_needed();
        }
        const Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL(before.password_hash, after.password_hash);
        CPPUNIT_ASSERT_EQUAL(before.security_stamp, after.security_stamp);
        CPPUNIT_ASSERT(history == store().previous_password_hashes(alice_, 24));
    }

    void success_records_password_changed_event() {
        CPPUNIT_ASSERT(change("Not-The-Password-1", kNew, kNew, t0).status == PasswordChanger::Status::wrong_current);
        CPPUNIT_ASSERT(change(kOld, kNew, kNew + "x", t0 + 1).status == PasswordChanger::Status::rejected);
        CPPUNIT_ASSERT(store().events_of(alice_, 10).empty());
        CPPUNIT_ASSERT(change(kOld, kNew, kNew, t0 + 2).status == PasswordChanger::Status::changed);
        std::vector<AuditEvent> events = store().events_of(alice_, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("password_changed"), events.front().kind);
        CPPUNIT_ASSERT_EQUAL(t0 + 2, events.front().at);
        CPPUNIT_ASSERT_EQUAL(client().ip, events.front().client_ip);
        CPPUNIT_ASSERT_EQUAL(client().user_agent, events.front().user_agent);
        CPPUNIT_ASSERT(events.front().detail.find(kNew) == std::string::npos);
    }

    // The current password is a sign-in: an address over its failure limit is refused unchecked.
    void throttled_address_cannot_change() {
        rules_.throttle = AddressThrottle{2, 900};
        const UnixTime window0 = t0 - t0 % 900 + 900;  // a window's first second
        CPPUNIT_ASSERT(change("Not-The-Password-1", kNew, kNew, window0).status ==
                       PasswordChanger::Status::wrong_current);
        CPPUNIT_ASSERT(change("Not-The-Password-2", kNew, kNew, window0 + 1).status ==
                       PasswordChanger::Status::wrong_current);
        PasswordChanger::Outcome outcome = change(kOld, kNew, kNew, window0 + 2);
        CPPUNIT_ASSERT(outcome.status == PasswordChanger::Status::locked);
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, account(alice_).failed_attempts);
        CPPUNIT_ASSERT(change(kOld, kNew, kNew, window0 + 900).status == PasswordChanger::Status::changed);
    }

    void check_new_password_names_every_rule() {
        PasswordChanger changer(store(), hasher_, rules_);
        CPPUNIT_ASSERT(changer.check_new_password(account(alice_), kNew).violations.empty());
        struct Case {
            std::string next;
            PasswordRule rule;
        };
        const std::vector<Case> cases = {{"Short-1a", PasswordRule::too_short},
                                         {std::string(129, 'q'), PasswordRule::too_long},
                                         {"password1234", PasswordRule::common},
                                         {"alice-rides-a-bicycle", PasswordRule::personal_info},
                                         {"Velvet-EXAMPLE-Thunder", PasswordRule::personal_info},
                                         {kOld, PasswordRule::same_as_current}};
        for (const Case& c : cases) {
            std::vector<PasswordRule> found = changer.check_new_password(account(alice_), c.next).violations;
            CPPUNIT_ASSERT_MESSAGE(c.next + " lacks " + to_string(c.rule), has_rule(found, c.rule));
            CPPUNIT_ASSERT_MESSAGE(c.next, !has_rule(found, PasswordRule::reused));
        }
        // An earlier password: reused, and the current one is not "reused" but the same.
        CPPUNIT_ASSERT(change(kOld, kNew, kNew, t0).status == PasswordChanger::Status::changed);
        std::vector<PasswordRule> back = changer.check_new_password(account(alice_), kOld).violations;
        CPPUNIT_ASSERT((back == std::vector<PasswordRule>{PasswordRule::reused}));
        std::vector<PasswordRule> same = changer.check_new_password(account(alice_), kNew).violations;
        CPPUNIT_ASSERT((same == std::vector<PasswordRule>{PasswordRule::same_as_current}));
        rules_.history = 0;
        CPPUNIT_ASSERT(changer.check_new_password(account(alice_), kOld).violations.empty());
    }

    // A check, not a change: no sign-in recorded, no failure counted, nothing written.
    void check_new_password_changes_nothing() {
        PasswordChanger changer(store(), hasher_, rules_);
        const Account before = account(alice_);
        for (const std::string& next : {kNew, kOld, std::string("short"), std::string("Not-The-Password-1")})
            changer.check_new_password(before, next);
        const Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL(before.password_hash, after.password_hash);
        CPPUNIT_ASSERT_EQUAL(before.security_stamp, after.security_stamp);
        CPPUNIT_ASSERT_EQUAL(before.failed_attempts, after.failed_attempts);
        CPPUNIT_ASSERT(store().recent_sign_ins(alice_, 10).empty());
        CPPUNIT_ASSERT(store().events_of(alice_, 10).empty());
        CPPUNIT_ASSERT(store().previous_password_hashes(alice_, 5).empty());
    }

    // PW-6 "compromised": a strong-looking password from the breached list is refused like a
    // common one, on a change and on a reset's check; the other rules are still named beside it.
    void breached_is_reported_on_change_and_check() {
        const std::string breached = "Tr0ub4dor&3-horse-staple";
        const testing::TempDir dir("mya-breached-change");
        const std::string path = dir.path() + "/pwned.txt";
        std::vector<std::string> hashes = {sha1_hex(breached), sha1_hex("Short-1a"), std::string(40, '0'),
                                           std::string(40, 'F')};
        std::sort(hashes.begin(), hashes.end());
        {
            std::ofstream out(path);
            for (const std::string& hash : hashes) out << hash << ":3\n";
        }
        const BreachedPasswords list = BreachedPasswords::open(path, sha1_hex);
        PasswordChanger changer(store(), hasher_, rules_);
        CPPUNIT_ASSERT(changer.check_new_password(account(alice_), breached).violations.empty());  // no list: allowed
        rules_.breached = &list;
        check_rejected(breached, PasswordRule::breached);
        CPPUNIT_ASSERT((changer.check_new_password(account(alice_), breached).violations ==
                        std::vector<PasswordRule>{PasswordRule::breached}));
        CPPUNIT_ASSERT(changer.check_new_password(account(alice_), kNew).violations.empty());
        CPPUNIT_ASSERT((changer.check_new_password(account(alice_), "Short-1a").violations ==
                        std::vector<PasswordRule>{PasswordRule::too_short, PasswordRule::breached}));
        CPPUNIT_ASSERT(change(kOld, kNew, kNew, t0).status == PasswordChanger::Status::changed);
        rules_.breached = nullptr;
    }

private:
    ClientInfo client() const { return ClientInfo{"198.51.100.7", "ChangerTest/1.0"}; }

    PasswordChanger::Outcome change(const std::string& current, const std::string& next,
                                    const std::string& confirmation, UnixTime now) {
        PasswordChanger changer(store(), hasher_, rules_);
        return changer.change(account(alice_), current, next, confirmation, client(), now);
    }

    void check_rejected(const std::string& next, PasswordRule rule) {
        const Account before = account(alice_);
        PasswordChanger::Outcome outcome = change(kOld, next, next, t0);
        CPPUNIT_ASSERT_MESSAGE(next, outcome.status == PasswordChanger::Status::rejected);
        CPPUNIT_ASSERT_MESSAGE(next, !outcome.mismatch);
        CPPUNIT_ASSERT_MESSAGE(next + " lacks " + to_string(rule), has_rule(outcome.violations, rule));
        CPPUNIT_ASSERT_MESSAGE(next, !has_rule(outcome.violations, PasswordRule::reused));
        const Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(next, before.password_hash, after.password_hash);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(next, before.security_stamp, after.security_stamp);
    }

    void unlock_if_needed() {
        if (account(alice_).locked_until != 0 || account(alice_).failed_attempts != 0) store().unlock(alice_, t0 + 10);
    }

    PasswordHasher hasher_{Argon2Params{8192, 1}};
    std::unique_ptr<PasswordBlocklist> blocklist_;
    PasswordChangeRules rules_;
    AccountId alice_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordChangeTest);

// ---------------------------------------------------------------------------------------------
// GET/POST /password and POST /api/v1/me/password

class PasswordPageTest : public testing::PortalFixture {
    CPPUNIT_TEST_SUITE(PasswordPageTest);
    CPPUNIT_TEST(get_shows_three_password_fields);
    CPPUNIT_TEST(post_without_csrf_is_forbidden);
    CPPUNIT_TEST(put_is_405_with_allow);
    CPPUNIT_TEST(post_with_good_fields_redirects_to_login);
    CPPUNIT_TEST(post_with_wrong_current_shows_error);
    CPPUNIT_TEST(post_with_mismatch_shows_error);
    CPPUNIT_TEST(api_changes_password);
    CPPUNIT_TEST(api_bad_json_is_bad_request);
    CPPUNIT_TEST(api_weak_password_names_violations);
    CPPUNIT_TEST(api_wrong_current_is_wrong_password);
    CPPUNIT_TEST(api_without_csrf_header_is_forbidden);
    CPPUNIT_TEST(password_managed_elsewhere_is_409);
    CPPUNIT_TEST(japanese_error_text);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        testing::PortalFixture::setUp();
        alice_ = add_person("alice", "Alice Example", "alice@contoso.example", hasher_.hash(kOld));
        NewAccount bob;
        bob.username = "bob";
        bob.profile.display_name = "Bob External";
        bob_ = store().create_account(bob, t0 - 100);  // no password here: managed elsewhere
    }

    void get_shows_three_password_fields() {
        Response response = run(signed_in("GET", "/password"));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT(contains(response.content_type, "text/html"));
        for (const char* name : {"current_password", "new_password", "confirm_password"})
            CPPUNIT_ASSERT_MESSAGE(name, contains(response.body, std::string("name=\"") + name + "\" type=\"password\""));
        CPPUNIT_ASSERT(contains(response.body, "value=\"" + valid_token() + "\""));
        CPPUNIT_ASSERT(contains(response.body, "At least 12 characters, at most 128."));
    }

    void post_without_csrf_is_forbidden() {
        Request r = form_post({{"current_password", kOld}, {"new_password", kNew}, {"confirm_password", kNew}});
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(403, response.status);
        CPPUNIT_ASSERT(!response.end_session);
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
    }

    void put_is_405_with_allow() {
        Response response = run(signed_in("PUT", "/password"));
        CPPUNIT_ASSERT_EQUAL(405, response.status);
        std::string allow = header(response, "Allow").value_or("");
        for (const char* method : {"GET", "HEAD", "POST"})
            CPPUNIT_ASSERT_MESSAGE(allow, contains(allow, method));
    }

    void post_with_good_fields_redirects_to_login() {
        const std::int64_t stamp = account(alice_).security_stamp;
        Request r = form_post({{"csrf", valid_token()}, {"current_password", kOld}, {"new_password", kNew},
                               {"confirm_password", kNew}});
        r.sec_fetch_site = "same-origin";
        r.origin = "https://portal.example";
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(303, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/login?password_changed=1"), header(response, "Location").value_or(""));
        CPPUNIT_ASSERT(response.end_session);
        const Account after = account(alice_);
        CPPUNIT_ASSERT(hasher_.verify(after.password_hash, kNew).match);
        CPPUNIT_ASSERT(after.security_stamp != stamp);
    }

    void post_with_wrong_current_shows_error() {
        Request r = form_post({{"csrf", valid_token()}, {"current_password", "Not-The-Password-1"},
                               {"new_password", kNew}, {"confirm_password", kNew}});
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(400, response.status);
        CPPUNIT_ASSERT(!response.end_session);
        CPPUNIT_ASSERT(contains(response.body, "The current password is incorrect."));
        CPPUNIT_ASSERT(contains(response.body, "name=\"current_password\""));  // the form again
        CPPUNIT_ASSERT(!contains(response.body, "Not-The-Password-1"));      // never echoed
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, account(alice_).failed_attempts);
    }

    void post_with_mismatch_shows_error() {
        Request r = form_post({{"csrf", valid_token()}, {"current_password", kOld}, {"new_password", kNew},
                               {"confirm_password", kNew + "x"}});
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(400, response.status);
        CPPUNIT_ASSERT(contains(response.body, "The new password and its confirmation do not match."));
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
    }

    void api_changes_password() {
        Response response = run(api_post(json{{"current_password", kOld}, {"new_password", kNew}}.dump()));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT(contains(response.content_type, "application/json"));
        json body = json::parse(response.body);
        CPPUNIT_ASSERT(body["changed"] == true);
        CPPUNIT_ASSERT(response.end_session);
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kNew).match);
    }

    void api_bad_json_is_bad_request() {
        for (const std::string& text : {std::string("{not json"), std::string("[]"),
                                        json{{"current_password", kOld}}.dump(),
                                        json{{"current_password", kOld}, {"new_password", 12}}.dump()}) {
            Response response = run(api_post(text));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, 400, response.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, std::string("bad_request"),
                                         json::parse(response.body)["error"]["code"].get<std::string>());
        }
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
    }

    void api_weak_password_names_violations() {
        Response response = run(api_post(json{{"current_password", kOld}, {"new_password", "Short-1a"}}.dump()));
        CPPUNIT_ASSERT_EQUAL(400, response.status);
        json error = json::parse(response.body)["error"];
        CPPUNIT_ASSERT_EQUAL(std::string("password_policy"), error["code"].get<std::string>());
        CPPUNIT_ASSERT(error["violations"].is_array());
        CPPUNIT_ASSERT(std::find(error["violations"].begin(), error["violations"].end(), json("too_short")) !=
                       error["violations"].end());
        CPPUNIT_ASSERT(contains(error["message"].get<std::string>(), "at least 12 characters"));
        CPPUNIT_ASSERT(!response.end_session);
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
    }

    void api_wrong_current_is_wrong_password() {
        Response response =
            run(api_post(json{{"current_password", "Not-The-Password-1"}, {"new_password", kNew}}.dump()));
        CPPUNIT_ASSERT_EQUAL(400, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("wrong_password"),
                             json::parse(response.body)["error"]["code"].get<std::string>());
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
    }

    void api_without_csrf_header_is_forbidden() {
        Request r = api_post(json{{"current_password", kOld}, {"new_password", kNew}}.dump());
        r.csrf_header.clear();
        CPPUNIT_ASSERT_EQUAL(403, run(r).status);
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
    }

    void password_managed_elsewhere_is_409() {
        Request get = signed_in("GET", "/password", "bob");
        Response page = run(get);
        CPPUNIT_ASSERT_EQUAL(409, page.status);
        CPPUNIT_ASSERT(!contains(page.body, "name=\"new_password\""));

        Request api = api_post(json{{"current_password", "anything-at-all"}, {"new_password", kNew}}.dump(), "bob");
        Response response = run(api);
        CPPUNIT_ASSERT_EQUAL(409, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("password_managed_elsewhere"),
                             json::parse(response.body)["error"]["code"].get<std::string>());
        CPPUNIT_ASSERT(account(bob_).password_hash.empty());
        CPPUNIT_ASSERT(store().recent_sign_ins(bob_, 10).empty());
    }

    void japanese_error_text() {
        Request r = form_post({{"csrf", valid_token()}, {"current_password", "Not-The-Password-1"},
                               {"new_password", kNew}, {"confirm_password", kNew}});
        r.accept_language = "ja";
        Response response = run(r);
        CPPUNIT_ASSERT_EQUAL(400, response.status);
        CPPUNIT_ASSERT(contains(response.body, "現在のパスワードが正しくありません。"));
        CPPUNIT_ASSERT(!contains(response.body, "The current password is incorrect."));

        Request api = api_post(json{{"current_password", kOld}, {"new_password", "Short-1a"}}.dump());
        api.accept_language = "ja,en;q=0.5";
        json error = json::parse(run(api).body)["error"];
        CPPUNIT_ASSERT_EQUAL(std::string("password_policy"), error["code"].get<std::string>());
        CPPUNIT_ASSERT(contains(error["message"].get<std::string>(), "新しいパスワードが短すぎます。12 文字以上"));
    }

private:
    Request form_post(web::Fields fields) {
        Request r = signed_in("POST", "/password");
        r.content_type = "application/x-www-form-urlencoded";
        r.form = std::move(fields);
        return r;
    }

    Request api_post(const std::string& body, const std::string& user = "alice") {
        Request r = signed_in("POST", "/api/v1/me/password", user);
        r.content_type = "application/json";
        r.csrf_header = valid_token();
        r.body = body;
        return r;
    }

    AccountId alice_ = 0;
    AccountId bob_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordPageTest);
