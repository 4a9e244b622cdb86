// Session lifecycle against the real SQLite store with a fixed clock: tokens, idle timeout, touch
// interval, absolute lifetime, and every way an account change ends a session.
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/session_registry.hpp"
#include "store_contract/store_fixture.hpp"

using namespace myaccount;

namespace {

constexpr UnixTime t0 = 1'700'000'000;
const ClientInfo client{"203.0.113.9", "UnitTest/2.0"};
const SessionSettings settings{1800, 43200, 60};

// The stored row of a session, read directly.
struct SessionRow {
    std::string token_hash;
    UnixTime last_seen_at = 0;
    UnixTime expires_at = 0;
    UnixTime ended_at = 0;
    std::string end_reason;
    std::string client_ip;
    std::string user_agent;
    std::string data;
};

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

class SessionRegistryTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(SessionRegistryTest);
    CPPUNIT_TEST(start_gives_token_and_stores_only_its_hash);
    CPPUNIT_TEST(tokens_are_unique);
    CPPUNIT_TEST(resume_gives_the_account);
    CPPUNIT_TEST(resume_refuses_unknown_and_malformed_tokens);
    CPPUNIT_TEST(idle_timeout_ends_session);
    CPPUNIT_TEST(activity_keeps_session_alive);
    CPPUNIT_TEST(touch_interval_limits_writes);
    CPPUNIT_TEST(absolute_lifetime_ends_even_active_session);
    CPPUNIT_TEST(disabling_account_ends_session);
    CPPUNIT_TEST(password_change_ends_session_only_when_asked);
    CPPUNIT_TEST(end_then_resume_gives_nothing);
    CPPUNIT_TEST(looks_like_token_rules);
    CPPUNIT_TEST(start_records_the_password_time);
    CPPUNIT_TEST(passing_the_second_step_replaces_the_session);
    CPPUNIT_TEST(an_ended_session_is_not_replaced);
    CPPUNIT_TEST(confirming_the_password_moves_only_its_time);
    CPPUNIT_TEST(remembered_browsers_serve_their_account_until_expiry_or_stamp_change);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        testing::StoreFixture::setUp();
        alice_ = add_account("alice", "", "Alice Example");
        bob_ = add_account("bob", "", "Bob Example");
        registry_ = std::make_unique<SessionRegistry>(store(), settings);
    }

    void tearDown() override {
        registry_.reset();
        testing::StoreFixture::tearDown();
    }

    void start_gives_token_and_stores_only_its_hash() {
        SessionRegistry::Started started = registry_->start(account(alice_), client, "k=v", t0);
        CPPUNIT_ASSERT_EQUAL(std::size_t{43}, started.token.size());
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token(started.token));
        CPPUNIT_ASSERT(started.session.id > 0);
        CPPUNIT_ASSERT_EQUAL(t0 + settings.max_lifetime, started.session.expires_at);

        SessionRow stored = row(started.session.id);
        CPPUNIT_ASSERT(stored.token_hash == hash_token(started.token));
        CPPUNIT_ASSERT(stored.token_hash != started.token);
        CPPUNIT_ASSERT_EQUAL(t0, stored.last_seen_at);
        CPPUNIT_ASSERT_EQUAL(t0 + settings.max_lifetime, stored.expires_at);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, stored.ended_at);
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"), stored.client_ip);
        CPPUNIT_ASSERT_EQUAL(std::string("UnitTest/2.0"), stored.user_agent);
        CPPUNIT_ASSERT_EQUAL(std::string("k=v"), stored.data);
        for (const std::string* column : {&stored.token_hash, &stored.end_reason, &stored.client_ip,
                                          &stored.user_agent, &stored.data}) {
            CPPUNIT_ASSERT(column->find(started.token) == std::string::npos);
        }
        // Nor anywhere in the database files (main file, WAL, shared memory).
        for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
            CPPUNIT_ASSERT_MESSAGE(entry.path().string(),
                                   read_file(entry.path()).find(started.token) == std::string::npos);
        }
    }

    void tokens_are_unique() {
        SessionRegistry::Started a = registry_->start(account(alice_), client, "", t0);
        SessionRegistry::Started b = registry_->start(account(alice_), client, "", t0);
        CPPUNIT_ASSERT(a.token != b.token);
        CPPUNIT_ASSERT(a.session.id != b.session.id);
    }

    void resume_gives_the_account() {
        SessionRegistry::Started a = registry_->start(account(alice_), client, "", t0);
        SessionRegistry::Started b = registry_->start(account(bob_), client, "", t0);
        auto active = registry_->resume(a.token, t0 + 5);
        CPPUNIT_ASSERT(active.has_value());
        CPPUNIT_ASSERT_EQUAL(alice_, active->account.id);
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), active->account.username);
        CPPUNIT_ASSERT_EQUAL(std::string("Alice Example"), active->account.display_name);
        CPPUNIT_ASSERT_EQUAL(a.session.id, active->session.id);
        active = registry_->resume(b.token, t0 + 5);
        CPPUNIT_ASSERT(active.has_value());
        CPPUNIT_ASSERT_EQUAL(bob_, active->account.id);
    }

    void resume_refuses_unknown_and_malformed_tokens() {
        SessionRegistry::Started started = registry_->start(account(alice_), client, "", t0);
        std::string altered = started.token;
        altered[10] = altered[10] == 'A' ? 'B' : 'A';
        const std::vector<std::string> tokens = {random_token(), "", "abc", started.token.substr(0, 42),
                                                 started.token + "A", started.token + "\n", altered,
                                                 std::string(43, '='),  hash_token(started.token),
                                                 base64url_encode(hash_token(started.token))};
        for (const std::string& token : tokens) {
            CPPUNIT_ASSERT(!registry_->resume(token, t0 + 1).has_value());
        }
        // The real session is untouched by all of that.
        CPPUNIT_ASSERT(registry_->resume(started.token, t0 + 1).has_value());
    }

    void idle_timeout_ends_session() {
        SessionRegistry::Started idle = registry_->start(account(alice_), client, "", t0);
        SessionRegistry::Started fresh = registry_->start(account(alice_), client, "", t0);
        CPPUNIT_ASSERT(registry_->resume(fresh.token, t0 + settings.idle_timeout - 1).has_value());

        CPPUNIT_ASSERT(!registry_->resume(idle.token, t0 + settings.idle_timeout).has_value());
        SessionRow stored = row(idle.session.id);
        CPPUNIT_ASSERT_EQUAL(std::string("idle"), stored.end_reason);
        CPPUNIT_ASSERT_EQUAL(t0 + settings.idle_timeout, stored.ended_at);
        // Ended for good, and the first reason stays.
        CPPUNIT_ASSERT(!registry_->resume(idle.token, t0 + settings.idle_timeout + 1).has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("idle"), row(idle.session.id).end_reason);
    }

    void activity_keeps_session_alive() {
        SessionRegistry::Started started = registry_->start(account(alice_), client, "", t0);
        const UnixTime later = t0 + 1000;
        CPPUNIT_ASSERT(registry_->resume(started.token, later).has_value());
        // Past the idle timeout counted from the start, but not from the last request.
        CPPUNIT_ASSERT(registry_->resume(started.token, later + settings.idle_timeout - 1).has_value());
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, row(started.session.id).ended_at);
    }

    void touch_interval_limits_writes() {
        SessionRegistry::Started started = registry_->start(account(alice_), client, "", t0);
        auto active = registry_->resume(started.token, t0 + settings.touch_interval - 1);
        CPPUNIT_ASSERT(active.has_value());
        CPPUNIT_ASSERT_EQUAL(t0, row(started.session.id).last_seen_at);

        active = registry_->resume(started.token, t0 + settings.touch_interval);
        CPPUNIT_ASSERT(active.has_value());
        CPPUNIT_ASSERT_EQUAL(t0 + settings.touch_interval, row(started.session.id).last_seen_at);
        CPPUNIT_ASSERT_EQUAL(t0 + settings.touch_interval, active->session.last_seen_at);

        active = registry_->resume(started.token, t0 + settings.touch_interval + 30);
        CPPUNIT_ASSERT(active.has_value());
        CPPUNIT_ASSERT_EQUAL(t0 + settings.touch_interval, row(started.session.id).last_seen_at);
    }

    void absolute_lifetime_ends_even_active_session() {
        SessionRegistry::Started started = registry_->start(account(alice_), client, "", t0);
        UnixTime now = t0;
        for (; now < t0 + settings.max_lifetime; now += 600) {
            CPPUNIT_ASSERT_MESSAGE(std::to_string(now - t0), registry_->resume(started.token, now).has_value());
        }
        CPPUNIT_ASSERT(registry_->resume(started.token, t0 + settings.max_lifetime - 1).has_value());
        CPPUNIT_ASSERT(!registry_->resume(started.token, t0 + settings.max_lifetime).has_value());
        SessionRow stored = row(started.session.id);
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), stored.end_reason);
        CPPUNIT_ASSERT_EQUAL(t0 + settings.max_lifetime, stored.ended_at);
    }

    void disabling_account_ends_session() {
        SessionRegistry::Started a = registry_->start(account(alice_), client, "", t0);
        SessionRegistry::Started b = registry_->start(account(bob_), client, "", t0);
        store().set_disabled(alice_, true, t0 + 10);
        CPPUNIT_ASSERT(!registry_->resume(a.token, t0 + 11).has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("account_disabled"), row(a.session.id).end_reason);
        CPPUNIT_ASSERT(registry_->resume(b.token, t0 + 11).has_value());  // other accounts unaffected
        // Enabling the account again does not bring the session back.
        store().set_disabled(alice_, false, t0 + 20);
        CPPUNIT_ASSERT(!registry_->resume(a.token, t0 + 21).has_value());
    }

    void password_change_ends_session_only_when_asked() {
        SessionRegistry::Started kept = registry_->start(account(alice_), client, "", t0);
        store().set_password_hash(alice_, "$argon2id$v=19$m=8192,t=1,p=1$c2FsdA$aGFzaA", false, t0 + 5);
        CPPUNIT_ASSERT(registry_->resume(kept.token, t0 + 6).has_value());

        store().set_password_hash(alice_, "$argon2id$v=19$m=8192,t=1,p=1$c2FsdA$b3RoZXI", true, t0 + 7);
        CPPUNIT_ASSERT(!registry_->resume(kept.token, t0 + 8).has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("credentials_changed"), row(kept.session.id).end_reason);

        // A session started after the change carries the new stamp and lives.
        SessionRegistry::Started after = registry_->start(account(alice_), client, "", t0 + 9);
        CPPUNIT_ASSERT(registry_->resume(after.token, t0 + 10).has_value());
    }

    void end_then_resume_gives_nothing() {
        SessionRegistry::Started started = registry_->start(account(alice_), client, "", t0);
        SessionRegistry::Started other = registry_->start(account(alice_), client, "", t0);
        CPPUNIT_ASSERT(registry_->resume(started.token, t0 + 1).has_value());
        registry_->end(started.session.id, "signed_out", t0 + 2);
        CPPUNIT_ASSERT(!registry_->resume(started.token, t0 + 3).has_value());
        SessionRow stored = row(started.session.id);
        CPPUNIT_ASSERT_EQUAL(std::string("signed_out"), stored.end_reason);
        CPPUNIT_ASSERT_EQUAL(t0 + 2, stored.ended_at);
        CPPUNIT_ASSERT(registry_->resume(other.token, t0 + 3).has_value());  // only that one ended
    }

    void looks_like_token_rules() {
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token(random_token()));
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token(std::string(43, 'A')));
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token(std::string(21, '-') + std::string(22, '_')));
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456"));
        CPPUNIT_ASSERT(!SessionRegistry::looks_like_token(""));
        CPPUNIT_ASSERT(!SessionRegistry::looks_like_token(std::string(42, 'A')));
        CPPUNIT_ASSERT(!SessionRegistry::looks_like_token(std::string(44, 'A')));
        for (const char bad : {'+', '/', '=', ' ', '.', '\0', '\n', '%'}) {
            std::string token(43, 'A');
            token[20] = bad;
            CPPUNIT_ASSERT_MESSAGE(std::string("character ") + std::to_string(static_cast<int>(bad)),
                                   !SessionRegistry::looks_like_token(token));
        }
        std::string non_ascii = std::string(41, 'A') + "\xC3\xA9";  // 43 bytes
        CPPUNIT_ASSERT(!SessionRegistry::looks_like_token(non_ascii));
    }

    void start_records_the_password_time() {
        SessionRegistry::Started plain = registry_->start(account(alice_), client, "", t0);
        CPPUNIT_ASSERT_EQUAL(t0, plain.session.signed_in_at);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, plain.session.second_factor_at);
        // A remembered browser: past the second step, as proven when it was remembered.
        SessionRegistry::Started remembered = registry_->start(account(alice_), client, "", t0 + 5, t0 - 86400);
        CPPUNIT_ASSERT_EQUAL(t0 - 86400, remembered.session.second_factor_at);
        CPPUNIT_ASSERT_EQUAL(t0 - 86400, registry_->resume(remembered.token, t0 + 6)->session.second_factor_at);
        // A method proven as it was added marks the session in place, once.
        registry_->note_second_step(plain.session, t0 + 20);
        CPPUNIT_ASSERT_EQUAL(t0 + 20, registry_->resume(plain.token, t0 + 21)->session.second_factor_at);
        registry_->note_second_step(plain.session, t0 + 40);
        CPPUNIT_ASSERT_EQUAL(t0 + 20, registry_->resume(plain.token, t0 + 41)->session.second_factor_at);
    }

    void passing_the_second_step_replaces_the_session() {
        SessionRegistry::Started first = registry_->start(account(alice_), client, "k=v", t0);
        const ClientInfo later{"198.51.100.7", "UnitTest/3.0"};
        auto verified = registry_->pass_second_step(first.session, later, t0 + 30);
        CPPUNIT_ASSERT(verified);
        CPPUNIT_ASSERT(verified->token != first.token);
        CPPUNIT_ASSERT(verified->session.id != first.session.id);
        // The old token is dead; the new one carries the account, the data and both times.
        CPPUNIT_ASSERT(!registry_->resume(first.token, t0 + 31));
        CPPUNIT_ASSERT_EQUAL(std::string("second_factor"), row(first.session.id).end_reason);
        auto resumed = registry_->resume(verified->token, t0 + 31);
        CPPUNIT_ASSERT(resumed);
        CPPUNIT_ASSERT_EQUAL(alice_, resumed->account.id);
        CPPUNIT_ASSERT_EQUAL(std::string("k=v"), resumed->session.data);
        CPPUNIT_ASSERT_EQUAL(t0, resumed->session.signed_in_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 30, resumed->session.second_factor_at);
        CPPUNIT_ASSERT_EQUAL(first.session.expires_at, resumed->session.expires_at);  // no longer life
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.7"), row(verified->session.id).client_ip);
    }

    void an_ended_session_is_not_replaced() {
        SessionRegistry::Started first = registry_->start(account(alice_), client, "", t0);
        registry_->end(first.session.id, "signed_out", t0 + 1);
        CPPUNIT_ASSERT(!registry_->pass_second_step(first.session, client, t0 + 2));
        CPPUNIT_ASSERT(!registry_->confirm_password(first.session, client, t0 + 2));
        CPPUNIT_ASSERT_EQUAL(std::string("signed_out"), row(first.session.id).end_reason);
    }

    void confirming_the_password_moves_only_its_time() {
        SessionRegistry::Started first = registry_->start(account(alice_), client, "", t0);
        auto verified = registry_->pass_second_step(first.session, client, t0 + 10);
        auto confirmed = registry_->confirm_password(verified->session, client, t0 + 700);
        CPPUNIT_ASSERT(confirmed);
        CPPUNIT_ASSERT_EQUAL(t0 + 700, confirmed->session.signed_in_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 10, confirmed->session.second_factor_at);
        CPPUNIT_ASSERT_EQUAL(std::string("password_confirmed"), row(verified->session.id).end_reason);
    }

    void remembered_browsers_serve_their_account_until_expiry_or_stamp_change() {
        const std::string token = registry_->remember_browser(account(alice_), client, 30, t0, 0);
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token(token));
        // It serves as the proof typed when it was remembered: no fresher.
        CPPUNIT_ASSERT_EQUAL(t0, registry_->remembered_since(token, account(alice_), t0 + 29 * 86400));
        CPPUNIT_ASSERT(!registry_->remembered_since(token, account(alice_), t0 + 30 * 86400));
        SessionRegistry::Started later = registry_->start(account(alice_), client, "", t0 + 86400, t0);
        CPPUNIT_ASSERT_EQUAL(t0, later.session.second_factor_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 86400, later.session.signed_in_at);
        CPPUNIT_ASSERT(!registry_->remembered_since(token, account(bob_), t0 + 1));
        CPPUNIT_ASSERT(!registry_->remembered_since("not a token", account(alice_), t0 + 1));
        CPPUNIT_ASSERT(!registry_->remembered_since(random_token(), account(alice_), t0 + 1));
        Account moved_on = account(alice_);
        moved_on.security_stamp += 1;  // a password change or "sign out everywhere"
        CPPUNIT_ASSERT(!registry_->remembered_since(token, moved_on, t0 + 1));
    }

private:
    SessionRow row(std::int64_t id) const {
        sqlite::Database db = inspect();
        auto statement = db.prepare(
            "SELECT token_hash, last_seen_at, expires_at, ended_at, end_reason, client_ip, user_agent, data"
            " FROM sessions WHERE id = ?1");
        statement->bind_all(id);
        CPPUNIT_ASSERT(statement->step());
        SessionRow r;
        r.token_hash = statement->column_blob(0);
        r.last_seen_at = statement->column_int64(1);
        r.expires_at = statement->column_int64(2);
        r.ended_at = statement->column_int64(3);
        r.end_reason = statement->column_text(4);
        r.client_ip = statement->column_text(5);
        r.user_agent = statement->column_text(6);
        r.data = statement->column_text(7);
        return r;
    }

    AccountId alice_ = 0;
    AccountId bob_ = 0;
    std::unique_ptr<SessionRegistry> registry_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SessionRegistryTest);
