// Self-service password reset and method registration in the core, against a real SQLite store:
// what each step returns and what it leaves in the store.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/challenge.hpp"
#include "core/crypto.hpp"
#include "core/methods/method_registration.hpp"
#include "core/password_blocklist.hpp"
#include "core/password_sign_in.hpp"
#include "core/reset/password_reset.hpp"
#include "core/reset/reset_eligibility.hpp"
#include "core/session_registry.hpp"
#include "store_contract/store_fixture.hpp"

using namespace myaccount;

namespace {

// A multiple of 3600, so every throttle window (an hour, 900 s) starts here.
constexpr UnixTime t0 = 1'700'002'800;
constexpr UnixTime hour = 3600;
const ClientInfo client{"203.0.113.9", "ResetTest/1.0"};
const ClientInfo elsewhere{"198.51.100.20", "ResetTest/1.0"};

// Neither common nor personal for the accounts below.
const std::string kOld = "Glacier-Walnut-Orbit-42";
const std::string kNew = "Quartz-Meadow-Lantern-77";

bool has_rule(const std::vector<PasswordRule>& rules, PasswordRule rule) {
    return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

bool all_digits(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Eight digits that are not `code`: a wrong guess for sure.
std::string other_code(const std::string& code) {
    return code == "00000000" ? "11111111" : "00000000";
}

}  // namespace

// Accounts, a key, rules and a policy shared by the suites below. Scope: Contoso.
//   alice  password, Contoso home, two registered addresses: everything a reset needs
//   bob    password, Contoso guest, no methods
//   carol  disabled, Contoso home, one method
//   dave   password, Fabrikam only (out of scope), one method
//   erin   no password, Contoso home, one method
class ResetFixture : public testing::StoreFixture {
public:
    void setUp() override {
        StoreFixture::setUp();
        key_ = std::make_unique<SecretKey>(SecretKey::from_bytes(std::string(32, '\x3c')));
        blocklist_ = std::make_unique<PasswordBlocklist>(
            PasswordBlocklist::load(MYACCOUNT_SOURCE_DIR "/conf/common-passwords.txt"));
        rules_.blocklist = blocklist_.get();
        rules_.history = 5;
        rules_.lockout = LockoutRule{3, 900, 3};  // per network and account-wide alike
        policy_.enabled = true;
        policy_.organizations = {"Contoso"};
        reset_ = std::make_unique<PasswordReset>(store(), *key_, hasher_, rules_, policy_);
        registration_ = std::make_unique<MethodRegistration>(store(), *key_, hasher_, rules_, policy_);

        const std::string old_hash = hasher_.hash(kOld);
        contoso_ = store().create_organization(Organization{0, "Contoso", "contoso.example"});
        fabrikam_ = store().create_organization(Organization{0, "Fabrikam", "fabrikam.example"});
        alice_ = create("alice", "Alice Example", old_hash, {"alice@contoso.example"});
        bob_ = create("bob", "Bob Guest", old_hash, {});
        carol_ = create("carol", "Carol Gone", old_hash, {});
        dave_ = create("dave", "Dave Elsewhere", old_hash, {});
        erin_ = create("erin", "Erin External", "", {});
        store().add_membership(alice_, contoso_, MembershipKind::home, "Member");
        store().add_membership(bob_, contoso_, MembershipKind::guest, "Guest");
        store().add_membership(carol_, contoso_, MembershipKind::home, "Member");
        store().add_membership(dave_, fabrikam_, MembershipKind::home, "Member");
        store().add_membership(erin_, contoso_, MembershipKind::home, "Member");
        alice_work_ = register_email(alice_, "Alice@Contoso.example");
        alice_home_ = register_email(alice_, "alice.home@mail.example");
        register_email(carol_, "carol@mail.example");
        register_email(dave_, "dave@mail.example");
        register_email(erin_, "erin@mail.example");
        store().set_disabled(carol_, true, t0 - 50);
        fixture_challenges_ = challenge_count();
    }

    void tearDown() override {
        registration_.reset();
        reset_.reset();
        blocklist_.reset();
        key_.reset();
        StoreFixture::tearDown();
    }

protected:
    AccountId create(const std::string& username, const std::string& display_name, const std::string& hash,
                     std::vector<std::string> emails) {
        NewAccount account;
        account.username = username;
        account.profile.display_name = display_name;
        account.profile.emails = std::move(emails);
        account.password_hash = hash;
        return store().create_account(account, t0 - 1000);
    }

    // Registers `address` the way the store does it after a proven code; returns the method id.
    std::int64_t register_email(AccountId id, const std::string& address) {
        return testing::register_email_method(store(), account(id), address, t0 - 500);
    }

    std::string start(const std::string& username, const ClientInfo& from = client, UnixTime now = t0) {
        std::optional<std::string> token = reset_->start(username, from, now);
        CPPUNIT_ASSERT_MESSAGE(username, token.has_value());
        return *token;
    }

    PasswordReset::Flow flow(const std::string& token, UnixTime now = t0) {
        std::optional<PasswordReset::Flow> found = reset_->find(token, now);
        CPPUNIT_ASSERT(found.has_value());
        return *found;
    }

    // Requests a code for a registered address and returns it.
    std::string code_for(const std::string& token, const std::string& address, UnixTime now = t0,
                         const ClientInfo& from = client) {
        PasswordReset::CodeRequest request = reset_->request_code(flow(token, now), address, from, now);
        CPPUNIT_ASSERT_MESSAGE(address, !request.limited);
        CPPUNIT_ASSERT_MESSAGE(address, request.code.has_value());
        return *request.code;
    }

    void prove(const std::string& token, const std::string& address, UnixTime now = t0) {
        std::string code = code_for(token, address, now);
        CPPUNIT_ASSERT_MESSAGE(address, reset_->check_code(flow(token, now), code, now));
    }

    PasswordReset::Outcome set_password(const std::string& token, const std::string& next,
                                        const std::string& confirmation, UnixTime now = t0) {
        return reset_->set_password(flow(token, now), next, confirmation, client, now);
    }

    std::int64_t challenge_count() const {
        sqlite::Database db = inspect();
        auto statement = db.prepare("SELECT count(*) FROM challenges");
        CPPUNIT_ASSERT(statement->step());
        return statement->column_int64(0);
    }

    // Every column of the challenge row as the database holds it, for "is this secret in there?".
    std::vector<std::string> challenge_row(std::int64_t id) const {
        sqlite::Database db = inspect();
        auto statement = db.prepare(
            "SELECT token_hash, purpose, username, target, code_hash, delivery, proven, client_ip,"
            " hex(token_hash), hex(code_hash) FROM challenges WHERE id = ?1");
        statement->bind_all(id);
        CPPUNIT_ASSERT(statement->step());
        std::vector<std::string> columns;
        for (int i = 0; i < 10; ++i) columns.push_back(statement->column_blob(i));
        return columns;
    }

    std::optional<AuditEvent> last_event(AccountId id, const std::string& kind) {
        for (const AuditEvent& event : store().events_of(id, 50))
            if (event.kind == kind) return event;
        return std::nullopt;
    }

    void lock_by_failures(AccountId id, UnixTime now) {
        PasswordSignIn passwords(store(), hasher_, rules_.lockout);
        for (std::int64_t i = 0; i < rules_.lockout.threshold; ++i)
            passwords.sign_in(account(id).username, "Not-The-Password-1", client, SignInMethod::form, now);
        CPPUNIT_ASSERT(account(id).locked_until > now);
    }

    PasswordHasher hasher_{Argon2Params{8192, 1}};
    std::unique_ptr<SecretKey> key_;
    std::unique_ptr<PasswordBlocklist> blocklist_;
    PasswordChangeRules rules_;
    ResetPolicy policy_;
    std::unique_ptr<PasswordReset> reset_;
    std::unique_ptr<MethodRegistration> registration_;
    std::int64_t contoso_ = 0;
    std::int64_t fabrikam_ = 0;
    AccountId alice_ = 0;
    AccountId bob_ = 0;
    AccountId carol_ = 0;
    AccountId dave_ = 0;
    AccountId erin_ = 0;
    std::int64_t alice_work_ = 0;
    std::int64_t alice_home_ = 0;
    std::int64_t fixture_challenges_ = 0;  // the registrations above
};

// ---------------------------------------------------------------------------------------------
// PasswordReset

class PasswordResetTest : public ResetFixture {
    CPPUNIT_TEST_SUITE(PasswordResetTest);
    CPPUNIT_TEST(start_answers_every_user_id_alike);
    CPPUNIT_TEST(start_needs_the_required_number_of_methods);
    CPPUNIT_TEST(starts_are_limited_per_address);
    CPPUNIT_TEST(find_refuses_unknown_tokens);
    CPPUNIT_TEST(find_refuses_an_expired_flow);
    CPPUNIT_TEST(find_refuses_a_flow_whose_account_changed);
    CPPUNIT_TEST(code_goes_to_a_registered_address_and_is_kept_as_a_hash);
    CPPUNIT_TEST(other_addresses_and_users_get_no_code_but_the_same_work);
    CPPUNIT_TEST(a_new_code_replaces_the_first);
    CPPUNIT_TEST(sends_are_limited_per_user_id_real_or_not);
    CPPUNIT_TEST(sends_are_limited_per_user_id_across_networks);
    CPPUNIT_TEST(sends_are_limited_per_address);
    CPPUNIT_TEST(delivery_failure_shows_to_every_flow_alike);
    CPPUNIT_TEST(right_code_proves_the_method_once);
    CPPUNIT_TEST(wrong_guesses_kill_the_code);
    CPPUNIT_TEST(code_expires);
    CPPUNIT_TEST(code_lives_no_longer_than_its_flow);
    CPPUNIT_TEST(code_works_only_in_its_own_flow);
    CPPUNIT_TEST(add_email_code_never_serves_a_reset);
    CPPUNIT_TEST(two_methods_need_two_distinct_addresses);
    CPPUNIT_TEST(set_password_needs_proof_first);
    CPPUNIT_TEST(set_password_rejects_with_reasons);
    CPPUNIT_TEST(set_password_resets_unlocks_and_ends_everything);
    CPPUNIT_TEST(set_password_after_the_account_changed_is_expired);
    CPPUNIT_TEST(code_hash_is_bound_to_challenge_and_purpose);
    CPPUNIT_TEST(looks_like_code_accepts_eight_ascii_digits_only);
    CPPUNIT_TEST_SUITE_END();

public:
    void start_answers_every_user_id_alike() {
        const std::vector<std::string> names = {"alice", "nobody", "carol", "dave", "bob", "erin", "not a name"};
        for (const std::string& name : names) {
            std::optional<std::string> token = reset_->start(name, client, t0);
            CPPUNIT_ASSERT_MESSAGE(name, token.has_value());
            CPPUNIT_ASSERT_MESSAGE(name, SessionRegistry::looks_like_token(*token));
            std::optional<PasswordReset::Flow> found = reset_->find(*token, t0 + 1);
            CPPUNIT_ASSERT_MESSAGE(name, found.has_value());
            const Challenge& challenge = found->challenge;
            // Not the ID as typed (people type passwords there).
            CPPUNIT_ASSERT_MESSAGE(name, !challenge.username.empty());
            CPPUNIT_ASSERT_MESSAGE(name, challenge.username != name);
            CPPUNIT_ASSERT_MESSAGE(name, challenge.purpose == ChallengePurpose::reset);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, t0 + policy_.flow_lifetime(), challenge.expires_at);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, client.ip, challenge.client_ip);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, 1, found->step());
            // The store keeps the token's hash, never the token.
            CPPUNIT_ASSERT_MESSAGE(name, challenge.token_hash == hash_token(*token));
            for (const std::string& column : challenge_row(challenge.id)) {
                CPPUNIT_ASSERT_MESSAGE(name, column.find(*token) == std::string::npos);
                if (name.size() >= 5) CPPUNIT_ASSERT_MESSAGE(name, column.find(name) == std::string::npos);
            }
            // Only alice's flow can ever succeed.
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, name == "alice", found->account.has_value());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, name == "alice", challenge.account_id.has_value());
        }
        CPPUNIT_ASSERT_EQUAL(fixture_challenges_ + static_cast<std::int64_t>(names.size()), challenge_count());
        // The sign-in ID is case-insensitive, and so is what the flow keeps of it.
        const PasswordReset::Flow upper = flow(start("ALICE"));
        CPPUNIT_ASSERT_EQUAL(alice_, upper.account->id);
        CPPUNIT_ASSERT_EQUAL(flow(start("alice")).challenge.username, upper.challenge.username);
        CPPUNIT_ASSERT(flow(start("bob")).challenge.username != upper.challenge.username);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2700}, policy_.flow_lifetime());
    }

    void start_needs_the_required_number_of_methods() {
        policy_.methods_required = 2;
        CPPUNIT_ASSERT(flow(start("alice")).account.has_value());
        CPPUNIT_ASSERT(!flow(start("dave")).account.has_value());  // one method only (and out of scope)
        policy_.organizations.clear();
        CPPUNIT_ASSERT(!flow(start("dave")).account.has_value());
        policy_.methods_required = 1;
        CPPUNIT_ASSERT(flow(start("dave")).account.has_value());   // in scope now everyone is
        CPPUNIT_ASSERT(!flow(start("erin")).account.has_value());  // still no password of this store
    }

    void starts_are_limited_per_address() {
        for (std::int64_t i = 0; i < policy_.starts_per_address; ++i)
            CPPUNIT_ASSERT(reset_->start(i % 2 ? "alice" : "nobody", client, t0 + i).has_value());
        CPPUNIT_ASSERT(!reset_->start("alice", client, t0 + 40).has_value());
        CPPUNIT_ASSERT(!reset_->start("nobody", client, t0 + 41).has_value());
        CPPUNIT_ASSERT_EQUAL(fixture_challenges_ + policy_.starts_per_address, challenge_count());
        CPPUNIT_ASSERT(reset_->start("alice", elsewhere, t0 + 42).has_value());
        CPPUNIT_ASSERT(reset_->start("alice", client, t0 + hour).has_value());  // the next window

        // IPv6 addresses count by their /64.
        const ClientInfo v6a{"2001:db8:1:2::a", "ResetTest/1.0"};
        const ClientInfo v6b{"2001:db8:1:2:ffff::b", "ResetTest/1.0"};
        for (std::int64_t i = 0; i < policy_.starts_per_address; ++i)
            CPPUNIT_ASSERT(reset_->start("nobody", i % 2 ? v6a : v6b, t0 + i).has_value());
        CPPUNIT_ASSERT(!reset_->start("nobody", ClientInfo{"2001:DB8:1:2::c", ""}, t0 + 50).has_value());
        CPPUNIT_ASSERT(reset_->start("nobody", ClientInfo{"2001:db8:1:3::a", ""}, t0 + 51).has_value());
    }

    void find_refuses_unknown_tokens() {
        const std::string token = start("alice");
        for (const std::string& bad : {std::string(), std::string("garbage"), token + "x", token.substr(1),
                                       random_token(), std::string(token.size(), 'A')})
            CPPUNIT_ASSERT_MESSAGE(bad, !reset_->find(bad, t0 + 1).has_value());
        CPPUNIT_ASSERT(reset_->find(token, t0 + 1).has_value());
    }

    void find_refuses_an_expired_flow() {
        const std::string token = start("alice");
        const std::string nobody = start("nobody");
        const UnixTime end = t0 + policy_.flow_lifetime();
        CPPUNIT_ASSERT(reset_->find(token, end - 1).has_value());
        CPPUNIT_ASSERT(!reset_->find(token, end).has_value());
        CPPUNIT_ASSERT(!reset_->find(token, end + hour).has_value());
        CPPUNIT_ASSERT(!reset_->find(nobody, end + 1).has_value());
    }

    void find_refuses_a_flow_whose_account_changed() {
        const std::string changed = start("alice");
        store().change_password(alice_, hasher_.hash(kNew), audit_event(alice_, "password_changed", client, t0 + 1));
        CPPUNIT_ASSERT(!reset_->find(changed, t0 + 2).has_value());

        const std::string set_by_admin = start("alice", client, t0 + 3);
        store().set_password_hash(alice_, hasher_.hash(kOld), /*end_sessions=*/true, t0 + 4);
        CPPUNIT_ASSERT(!reset_->find(set_by_admin, t0 + 5).has_value());

        const std::string disabled = start("alice", client, t0 + 6);
        store().set_disabled(alice_, true, t0 + 7);
        CPPUNIT_ASSERT(!reset_->find(disabled, t0 + 8).has_value());
    }

    void code_goes_to_a_registered_address_and_is_kept_as_a_hash() {
        const std::string token = start("alice");
        PasswordReset::CodeRequest request =
            reset_->request_code(flow(token), "  ALICE@contoso.EXAMPLE ", client, t0 + 1);
        CPPUNIT_ASSERT(!request.limited);
        CPPUNIT_ASSERT(request.code.has_value());
        const std::string code = *request.code;
        CPPUNIT_ASSERT_EQUAL(one_time_code_digits, code.size());
        CPPUNIT_ASSERT(all_digits(code));
        CPPUNIT_ASSERT(looks_like_code(code));
        CPPUNIT_ASSERT_EQUAL(std::string("Alice@Contoso.example"), request.recipient);  // as registered

        const Challenge stored = flow(token, t0 + 1).challenge;
        CPPUNIT_ASSERT_EQUAL(std::to_string(alice_work_), stored.target);
        CPPUNIT_ASSERT_EQUAL(t0 + 1 + policy_.code_lifetime, stored.code_expires_at);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, stored.code_attempts);
        CPPUNIT_ASSERT(stored.code_hash == one_time_code_hash(*key_, stored, code));
        for (const std::string& column : challenge_row(stored.id))
            CPPUNIT_ASSERT_MESSAGE(column, column.find(code) == std::string::npos);
    }

    void other_addresses_and_users_get_no_code_but_the_same_work() {
        struct Case {
            std::string username;
            std::string address;
        };
        const std::vector<Case> cases = {{"alice", "mallory@evil.example"},   {"alice", "alice@contoso"},
                                         {"nobody", "alice@contoso.example"}, {"carol", "carol@mail.example"},
                                         {"dave", "dave@mail.example"},       {"bob", "bob@mail.example"},
                                         {"erin", "erin@mail.example"}};
        for (const Case& c : cases) {
            const std::string token = start(c.username);
            PasswordReset::CodeRequest request = reset_->request_code(flow(token), c.address, client, t0 + 1);
            const std::string what = c.username + " " + c.address;
            CPPUNIT_ASSERT_MESSAGE(what, !request.limited);
            CPPUNIT_ASSERT_MESSAGE(what, !request.code.has_value());
            CPPUNIT_ASSERT_MESSAGE(what, request.recipient.empty());
            // A code was issued all the same (the flow is in its "code requested" state) ...
            const Challenge stored = flow(token, t0 + 1).challenge;
            CPPUNIT_ASSERT_MESSAGE(what, !stored.code_hash.empty());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string("0"), stored.target);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, t0 + 1 + policy_.code_lifetime, stored.code_expires_at);
            // ... that no typed code matches.
            CPPUNIT_ASSERT_MESSAGE(what, !reset_->check_code(flow(token, t0 + 2), "12345678", t0 + 2));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, 1, flow(token, t0 + 2).step());
        }
    }

    void a_new_code_replaces_the_first() {
        const std::string token = start("alice");
        const std::string first = code_for(token, "alice@contoso.example", t0 + 1);
        const std::string second = code_for(token, "alice.home@mail.example", t0 + 2);
        CPPUNIT_ASSERT_EQUAL(std::to_string(alice_home_), flow(token, t0 + 2).challenge.target);
        if (first != second) CPPUNIT_ASSERT(!reset_->check_code(flow(token, t0 + 3), first, t0 + 3));
        CPPUNIT_ASSERT(reset_->check_code(flow(token, t0 + 4), second, t0 + 4));
        const PasswordReset::Flow after = flow(token, t0 + 5);
        CPPUNIT_ASSERT((after.challenge.proven == std::vector<std::int64_t>{alice_home_}));

        // A request for an address that is not registered replaces the outstanding code too.
        const std::string other = start("alice");
        const std::string real = code_for(other, "alice@contoso.example", t0 + 6);
        CPPUNIT_ASSERT(!reset_->request_code(flow(other), "stranger@mail.example", client, t0 + 7).code.has_value());
        CPPUNIT_ASSERT(!reset_->check_code(flow(other), real, t0 + 8));
        CPPUNIT_ASSERT_EQUAL(1, flow(other, t0 + 8).step());
    }

    void sends_are_limited_per_user_id_real_or_not() {
        const std::string alice = start("alice");
        const std::string nobody = start("nobody");
        std::string last_code;
        for (std::int64_t i = 0; i < policy_.sends_per_user; ++i) {
            last_code = code_for(alice, "alice@contoso.example", t0 + 1 + i);
            PasswordReset::CodeRequest dummy = reset_->request_code(flow(nobody), "x@y.example", client, t0 + 1 + i);
            CPPUNIT_ASSERT(!dummy.limited);
        }
        const std::string hash_before = flow(alice, t0 + 10).challenge.code_hash;
        PasswordReset::CodeRequest sixth = reset_->request_code(flow(alice), "alice@contoso.example", client, t0 + 10);
        CPPUNIT_ASSERT(sixth.limited);
        CPPUNIT_ASSERT(!sixth.code.has_value());
        CPPUNIT_ASSERT(sixth.recipient.empty());
        CPPUNIT_ASSERT(flow(nobody).challenge.code_hash.size() > 0);
        CPPUNIT_ASSERT(reset_->request_code(flow(nobody), "x@y.example", client, t0 + 10).limited);
        // Nothing was issued: the last code stands.
        CPPUNIT_ASSERT(hash_before == flow(alice, t0 + 11).challenge.code_hash);
        // The count is per user ID and client network, whatever the ID's letter case and whichever
        // flow or address asks.
        CPPUNIT_ASSERT(reset_->request_code(flow(start("ALICE")), "alice@contoso.example", client, t0 + 12).limited);
        CPPUNIT_ASSERT(!reset_->request_code(flow(start("bob")), "bob@mail.example", client, t0 + 13).limited);
        PasswordReset::CodeRequest other_network =
            reset_->request_code(flow(start("ALICE", elsewhere)), "alice@contoso.example", elsewhere, t0 + 13);
        CPPUNIT_ASSERT(!other_network.limited);
        CPPUNIT_ASSERT(other_network.code.has_value());
        // The next hour counts afresh.
        CPPUNIT_ASSERT(reset_->check_code(flow(alice, t0 + 14), last_code, t0 + 14));
        const std::string later = start("alice", client, t0 + hour);
        CPPUNIT_ASSERT(
            !reset_->request_code(flow(later, t0 + hour), "alice@contoso.example", client, t0 + hour).limited);
    }

    // One network cannot use up someone's sends alone; many networks together can, and then for
    // real and unknown IDs alike.
    void sends_are_limited_per_user_id_across_networks() {
        for (const std::string& name : {std::string("alice"), std::string("nobody")}) {
            std::int64_t sent = 0;
            for (int network = 1; sent < policy_.sends_per_user_total; ++network) {
                const ClientInfo from{"192.0.2." + std::to_string(network), "ResetTest/1.0"};
                const std::string token = start(name, from);
                for (std::int64_t i = 0; i < policy_.sends_per_user && sent < policy_.sends_per_user_total; ++i, ++sent)
                    CPPUNIT_ASSERT_MESSAGE(
                        name, !reset_->request_code(flow(token), "alice@contoso.example", from, t0 + 1).limited);
            }
            PasswordReset::CodeRequest refused =
                reset_->request_code(flow(start(name, elsewhere)), "alice@contoso.example", elsewhere, t0 + 2);
            CPPUNIT_ASSERT_MESSAGE(name, refused.limited);
            CPPUNIT_ASSERT_MESSAGE(name, !refused.code.has_value());
        }
        CPPUNIT_ASSERT(
            !reset_->request_code(flow(start("bob", elsewhere)), "b@mail.example", elsewhere, t0 + 3).limited);
    }

    void sends_are_limited_per_address() {
        std::int64_t sent = 0;
        for (int user = 1; sent < policy_.sends_per_address; ++user) {
            const std::string token = start("someone" + std::to_string(user));
            for (std::int64_t i = 0; i < policy_.sends_per_user && sent < policy_.sends_per_address; ++i, ++sent)
                CPPUNIT_ASSERT(!reset_->request_code(flow(token), "a@b.example", client, t0 + 1).limited);
        }
        // Over the address's limit, even a real user at a real address gets nothing from here.
        const std::string alice = start("alice");
        PasswordReset::CodeRequest refused = reset_->request_code(flow(alice), "alice@contoso.example", client, t0 + 2);
        CPPUNIT_ASSERT(refused.limited);
        CPPUNIT_ASSERT(!refused.code.has_value());
        CPPUNIT_ASSERT(flow(alice).challenge.code_hash.empty());
        // From another address the same flow is served.
        PasswordReset::CodeRequest served =
            reset_->request_code(flow(alice), "alice@contoso.example", elsewhere, t0 + 3);
        CPPUNIT_ASSERT(!served.limited);
        CPPUNIT_ASSERT(served.code.has_value());
    }

    void delivery_failure_shows_to_every_flow_alike() {
        const std::string alice = start("alice");
        const std::string nobody = start("nobody");
        const std::string idle = start("bob");
        code_for(alice, "alice@contoso.example", t0 + 1);
        reset_->request_code(flow(nobody), "alice@contoso.example", client, t0 + 1);
        CPPUNIT_ASSERT(!reset_->delivery_failing(flow(alice), t0 + 2));
        CPPUNIT_ASSERT(!reset_->delivery_failing(flow(nobody), t0 + 2));

        const std::int64_t failed = flow(alice).challenge.id;
        record_reset_delivery(store(), failed, /*delivered=*/false, policy_, t0 + 3);
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), flow(alice).challenge.delivery);
        CPPUNIT_ASSERT(reset_->delivery_failing(flow(alice), t0 + 4));
        CPPUNIT_ASSERT(reset_->delivery_failing(flow(nobody), t0 + 4));  // the same answer for nobody
        CPPUNIT_ASSERT(!reset_->delivery_failing(flow(idle), t0 + 4));   // no code asked for yet
        // A later success does not hide the outage within its window; the next window forgets it.
        const std::string later = start("alice");
        code_for(later, "alice.home@mail.example", t0 + 5);
        record_reset_delivery(store(), flow(later).challenge.id, /*delivered=*/true, policy_, t0 + 5);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), flow(later).challenge.delivery);
        CPPUNIT_ASSERT(reset_->delivery_failing(flow(later), t0 + 6));
        CPPUNIT_ASSERT(!reset_->delivery_failing(flow(alice, t0 + policy_.code_lifetime), t0 + policy_.code_lifetime));
    }

    void right_code_proves_the_method_once() {
        const std::string token = start("alice");
        const std::string code = code_for(token, "alice@contoso.example", t0 + 1);
        CPPUNIT_ASSERT(!flow(token).proven_enough(1));
        CPPUNIT_ASSERT(reset_->check_code(flow(token, t0 + 2), " " + code + " ", t0 + 2));
        const PasswordReset::Flow proven = flow(token, t0 + 3);
        CPPUNIT_ASSERT_EQUAL(2, proven.step());
        CPPUNIT_ASSERT(proven.proven_enough(1));
        CPPUNIT_ASSERT((proven.challenge.proven == std::vector<std::int64_t>{alice_work_}));
        CPPUNIT_ASSERT(proven.challenge.code_hash.empty());
        // Used up: the same code again is refused and proves nothing more.
        CPPUNIT_ASSERT(!reset_->check_code(proven, code, t0 + 4));
        CPPUNIT_ASSERT_EQUAL(2, flow(token, t0 + 5).step());
    }

    void wrong_guesses_kill_the_code() {
        const std::string token = start("alice");
        const std::string code = code_for(token, "alice@contoso.example", t0 + 1);
        for (int i = 0; i < policy_.max_code_attempts; ++i)
            CPPUNIT_ASSERT(!reset_->check_code(flow(token), other_code(code), t0 + 2 + i));
        CPPUNIT_ASSERT(!reset_->check_code(flow(token), code, t0 + 10));
        CPPUNIT_ASSERT_EQUAL(1, flow(token, t0 + 11).step());
        CPPUNIT_ASSERT(flow(token, t0 + 11).challenge.proven.empty());

        // One guess fewer leaves the code alive.
        const std::string other = start("alice");
        const std::string code2 = code_for(other, "alice@contoso.example", t0 + 20);
        for (int i = 0; i < policy_.max_code_attempts - 1; ++i)
            CPPUNIT_ASSERT(!reset_->check_code(flow(other), other_code(code2), t0 + 21 + i));
        CPPUNIT_ASSERT(reset_->check_code(flow(other), code2, t0 + 30));
        // Junk is a wrong guess, never an error.
        const std::string third = start("alice");
        code_for(third, "alice@contoso.example", t0 + 40);
        for (const std::string& junk : {std::string(), std::string("1234567"), std::string("abcdefgh"),
                                        std::string(5000, '9'), std::string("\xff\xfe", 2)}) {
            bool accepted = true;
            CPPUNIT_ASSERT_NO_THROW(accepted = reset_->check_code(flow(third), junk, t0 + 41));
            CPPUNIT_ASSERT(!accepted);
        }
    }

    void code_expires() {
        const std::string token = start("alice");
        const std::string code = code_for(token, "alice@contoso.example", t0 + 1);
        const UnixTime code_end = flow(token).challenge.code_expires_at;
        CPPUNIT_ASSERT_EQUAL(t0 + 1 + policy_.code_lifetime, code_end);
        CPPUNIT_ASSERT(reset_->find(token, code_end + 1).has_value());  // the flow lives on
        CPPUNIT_ASSERT(!reset_->check_code(flow(token, code_end + 1), code, code_end + 1));
        CPPUNIT_ASSERT_EQUAL(1, flow(token, code_end + 2).step());

        const std::string other = start("alice");
        const std::string code2 = code_for(other, "alice@contoso.example", t0 + 1);
        CPPUNIT_ASSERT(reset_->check_code(flow(other, code_end - 1), code2, code_end - 1));
    }

    void code_lives_no_longer_than_its_flow() {
        const std::string token = start("alice");
        const UnixTime flow_end = t0 + policy_.flow_lifetime();
        const std::string code = code_for(token, "alice@contoso.example", flow_end - 10);
        CPPUNIT_ASSERT_EQUAL(flow_end, flow(token, flow_end - 10).challenge.code_expires_at);
        CPPUNIT_ASSERT(reset_->check_code(flow(token, flow_end - 1), code, flow_end - 1));
        // Three code lifetimes, an hour at most.
        policy_.code_lifetime = 600;
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1800}, policy_.flow_lifetime());
        policy_.code_lifetime = 1800;
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3600}, policy_.flow_lifetime());
    }

    void code_works_only_in_its_own_flow() {
        const std::string a = start("alice");
        const std::string b = start("alice");
        const std::string code_a = code_for(a, "alice@contoso.example", t0 + 1);
        const std::string code_b = code_for(b, "alice@contoso.example", t0 + 2);
        if (code_a != code_b) CPPUNIT_ASSERT(!reset_->check_code(flow(b), code_a, t0 + 3));
        CPPUNIT_ASSERT_EQUAL(1, flow(b, t0 + 3).step());
        CPPUNIT_ASSERT(reset_->check_code(flow(a), code_a, t0 + 4));
        CPPUNIT_ASSERT(reset_->check_code(flow(b), code_b, t0 + 5));
        // A flow for nobody cannot borrow a real flow's code either.
        const std::string nobody = start("nobody");
        const std::string a2 = start("alice");
        const std::string code_a2 = code_for(a2, "alice@contoso.example", t0 + 6);
        reset_->request_code(flow(nobody), "alice@contoso.example", client, t0 + 6);
        CPPUNIT_ASSERT(!reset_->check_code(flow(nobody), code_a2, t0 + 7));
    }

    void add_email_code_never_serves_a_reset() {
        MethodRegistration::Begun begun =
            registration_->begin(account(alice_), "alice.third@mail.example", kOld, client, t0);
        CPPUNIT_ASSERT(begun.status == MethodRegistration::Status::code_ready);
        // Its token names no reset flow ...
        CPPUNIT_ASSERT(!reset_->find(begun.challenge_token, t0 + 1).has_value());
        // ... and its code, presented to a reset flow or dressed up as a reset of its challenge, fails.
        const std::string token = start("alice");
        code_for(token, "alice@contoso.example", t0 + 1);
        CPPUNIT_ASSERT(!reset_->check_code(flow(token), begun.code, t0 + 2));
        PasswordReset::Flow forged{
            *store().find_challenge(hash_token(begun.challenge_token), ChallengePurpose::add_email), account(alice_), {}};
        forged.challenge.purpose = ChallengePurpose::reset;
        CPPUNIT_ASSERT(!reset_->check_code(forged, begun.code, t0 + 3));
        CPPUNIT_ASSERT(store().methods_of(alice_).size() == 2);
        // The registration itself still completes with it.
        CPPUNIT_ASSERT(registration_->confirm(account(alice_), begun.challenge_token, begun.code, client, t0 + 4));
    }

    void two_methods_need_two_distinct_addresses() {
        policy_.methods_required = 2;
        const std::string token = start("alice");
        prove(token, "alice@contoso.example", t0 + 1);
        CPPUNIT_ASSERT_EQUAL(2, flow(token).step());
        CPPUNIT_ASSERT(!flow(token).proven_enough(2));
        CPPUNIT_ASSERT(set_password(token, kNew, kNew, t0 + 2).status == PasswordReset::Status::not_ready);

        // The proven address again, in any spelling, is not sent another code.
        for (const std::string& again : {std::string("alice@contoso.example"), std::string("ALICE@CONTOSO.EXAMPLE")}) {
            PasswordReset::CodeRequest request = reset_->request_code(flow(token), again, client, t0 + 3);
            CPPUNIT_ASSERT(!request.limited);
            CPPUNIT_ASSERT(!request.code.has_value());
            CPPUNIT_ASSERT(!reset_->check_code(flow(token), "12345678", t0 + 3));
        }
        CPPUNIT_ASSERT_EQUAL(2, flow(token).step());

        prove(token, "Alice.Home@mail.example", t0 + 4);
        const PasswordReset::Flow done = flow(token, t0 + 5);
        CPPUNIT_ASSERT_EQUAL(3, done.step());
        CPPUNIT_ASSERT(done.proven_enough(2));
        CPPUNIT_ASSERT(set_password(token, kNew, kNew, t0 + 6).status == PasswordReset::Status::reset);
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kNew).match);
    }

    void set_password_needs_proof_first() {
        const std::string token = start("alice");
        CPPUNIT_ASSERT(set_password(token, kNew, kNew, t0 + 1).status == PasswordReset::Status::not_ready);
        code_for(token, "alice@contoso.example", t0 + 2);  // requested, not proven
        CPPUNIT_ASSERT(set_password(token, kNew, kNew, t0 + 3).status == PasswordReset::Status::not_ready);
        const std::string nobody = start("nobody");
        reset_->request_code(flow(nobody), "alice@contoso.example", client, t0 + 4);
        PasswordReset::Outcome outcome = set_password(nobody, kNew, kNew, t0 + 5);
        CPPUNIT_ASSERT(outcome.status == PasswordReset::Status::not_ready);
        CPPUNIT_ASSERT(outcome.violations.empty());
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kOld).match);
        CPPUNIT_ASSERT(!last_event(alice_, "password_reset"));
    }

    void set_password_rejects_with_reasons() {
        const std::string mid = "Copper-Harbor-Violin-19";
        store().set_password_hash(alice_, hasher_.hash(mid), /*end_sessions=*/false, t0 - 10);  // kOld → history
        const std::string token = start("alice");
        prove(token, "alice@contoso.example", t0 + 1);
        const Account before = account(alice_);

        struct Case {
            std::string next;
            PasswordRule rule;
        };
        const std::vector<Case> cases = {{"Short-1a", PasswordRule::too_short},
                                         {"password1234", PasswordRule::common},
                                         {"alice-rides-a-bicycle", PasswordRule::personal_info},
                                         {"Velvet-EXAMPLE-Thunder", PasswordRule::personal_info},
                                         {mid, PasswordRule::same_as_current},
                                         {kOld, PasswordRule::reused}};
        for (const Case& c : cases) {
            PasswordReset::Outcome outcome = set_password(token, c.next, c.next, t0 + 2);
            CPPUNIT_ASSERT_MESSAGE(c.next, outcome.status == PasswordReset::Status::rejected);
            CPPUNIT_ASSERT_MESSAGE(c.next, !outcome.mismatch);
            CPPUNIT_ASSERT_MESSAGE(c.next + " lacks " + to_string(c.rule), has_rule(outcome.violations, c.rule));
        }
        PasswordReset::Outcome mismatch = set_password(token, kNew, kNew + "x", t0 + 3);
        CPPUNIT_ASSERT(mismatch.status == PasswordReset::Status::rejected);
        CPPUNIT_ASSERT(mismatch.mismatch);
        CPPUNIT_ASSERT(mismatch.violations.empty());

        // Nothing changed and the flow is still good for a better password.
        const Account after = account(alice_);
        CPPUNIT_ASSERT_EQUAL(before.password_hash, after.password_hash);
        CPPUNIT_ASSERT_EQUAL(before.security_stamp, after.security_stamp);
        CPPUNIT_ASSERT(!last_event(alice_, "password_reset"));
        CPPUNIT_ASSERT(set_password(token, kNew, kNew, t0 + 4).status == PasswordReset::Status::reset);
    }

    void set_password_resets_unlocks_and_ends_everything() {
        SessionRegistry sessions(store(), SessionSettings{});
        SessionRegistry::Started laptop = sessions.start(account(alice_), client, "", t0);
        SessionRegistry::Started phone = sessions.start(account(alice_), elsewhere, "", t0);
        lock_by_failures(alice_, t0 + 1);
        const Account before = account(alice_);

        const std::string token = start("alice", elsewhere, t0 + 2);
        prove(token, "alice.home@mail.example", t0 + 3);
        const PasswordReset::Flow proven = flow(token, t0 + 4);
        PasswordReset::Outcome outcome = reset_->set_password(proven, kNew, kNew, elsewhere, t0 + 5);
        CPPUNIT_ASSERT(outcome.status == PasswordReset::Status::reset);
        CPPUNIT_ASSERT(outcome.violations.empty());
        CPPUNIT_ASSERT(!outcome.mismatch);

        const Account after = account(alice_);
        CPPUNIT_ASSERT(hasher_.verify(after.password_hash, kNew).match);
        CPPUNIT_ASSERT(!hasher_.verify(after.password_hash, kOld).match);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, after.locked_until);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, after.failed_attempts);
        CPPUNIT_ASSERT(after.security_stamp != before.security_stamp);
        CPPUNIT_ASSERT_EQUAL(before.password_hash, store().previous_password_hashes(alice_, 5).front());
        CPPUNIT_ASSERT(store().sessions_of(alice_, /*active_only=*/true, t0 + 6).empty());
        CPPUNIT_ASSERT(!sessions.resume(laptop.token, t0 + 6).has_value());
        CPPUNIT_ASSERT(!sessions.resume(phone.token, t0 + 6).has_value());
        std::optional<AuditEvent> event = last_event(alice_, "password_reset");
        CPPUNIT_ASSERT(event.has_value());
        CPPUNIT_ASSERT_EQUAL(t0 + 5, event->at);
        CPPUNIT_ASSERT_EQUAL(elsewhere.ip, event->client_ip);
        CPPUNIT_ASSERT_EQUAL(elsewhere.user_agent, event->user_agent);
        // The new password signs in; the reset itself signed nobody in.
        PasswordSignIn passwords(store(), hasher_, rules_.lockout);
        CPPUNIT_ASSERT(passwords.sign_in("alice", kNew, client, SignInMethod::form, t0 + 7).result ==
                       SignInResult::success);

        // The flow is used up.
        CPPUNIT_ASSERT(!reset_->find(token, t0 + 8).has_value());
        PasswordReset::Outcome again =
            reset_->set_password(proven, "Another-Fresh-Secret-31", "Another-Fresh-Secret-31", elsewhere, t0 + 8);
        CPPUNIT_ASSERT(again.status == PasswordReset::Status::expired);
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, kNew).match);
    }

    // A flow found before the account changed cannot complete after it.
    void set_password_after_the_account_changed_is_expired() {
        const std::string token = start("alice");
        prove(token, "alice@contoso.example", t0 + 1);
        const PasswordReset::Flow proven = flow(token, t0 + 2);
        store().change_password(alice_, hasher_.hash(kNew), audit_event(alice_, "password_changed", client, t0 + 3));
        const std::string changed_hash = account(alice_).password_hash;
        const std::string fresh = "Another-Fresh-Secret-31";
        CPPUNIT_ASSERT(reset_->set_password(proven, fresh, fresh, client, t0 + 4).status ==
                       PasswordReset::Status::expired);
        CPPUNIT_ASSERT_EQUAL(changed_hash, account(alice_).password_hash);
        CPPUNIT_ASSERT(!last_event(alice_, "password_reset"));

        // Two flows proven side by side: the first reset ends the second.
        const std::string first = start("alice", client, t0 + 10);
        const std::string second = start("alice", elsewhere, t0 + 10);
        prove(first, "alice@contoso.example", t0 + 11);
        prove(second, "alice.home@mail.example", t0 + 12);
        const PasswordReset::Flow second_flow = flow(second, t0 + 13);
        CPPUNIT_ASSERT(set_password(first, fresh, fresh, t0 + 14).status == PasswordReset::Status::reset);
        CPPUNIT_ASSERT(!reset_->find(second, t0 + 15).has_value());
        CPPUNIT_ASSERT(
            reset_->set_password(second_flow, "Yet-Another-Secret-58", "Yet-Another-Secret-58", elsewhere, t0 + 15)
                .status == PasswordReset::Status::expired);
        CPPUNIT_ASSERT(hasher_.verify(account(alice_).password_hash, fresh).match);
    }

    void code_hash_is_bound_to_challenge_and_purpose() {
        Challenge reset;
        reset.id = 7;
        reset.purpose = ChallengePurpose::reset;
        Challenge add_email = reset;
        add_email.purpose = ChallengePurpose::add_email;
        Challenge other = reset;
        other.id = 8;
        const std::string hash = one_time_code_hash(*key_, reset, "12345678");
        CPPUNIT_ASSERT(!hash.empty());
        CPPUNIT_ASSERT(hash.find("12345678") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(hash, one_time_code_hash(*key_, reset, " 12345678 "));
        CPPUNIT_ASSERT(hash != one_time_code_hash(*key_, reset, "12345679"));
        CPPUNIT_ASSERT(hash != one_time_code_hash(*key_, add_email, "12345678"));
        CPPUNIT_ASSERT(hash != one_time_code_hash(*key_, other, "12345678"));
        const SecretKey another = SecretKey::from_bytes(std::string(32, '\x11'));
        CPPUNIT_ASSERT(hash != one_time_code_hash(another, reset, "12345678"));
    }

    void looks_like_code_accepts_eight_ascii_digits_only() {
        for (const char* good : {"12345678", " 12345678 ", "00000000", "   09876543"})
            CPPUNIT_ASSERT_MESSAGE(good, looks_like_code(good));
        for (const char* bad : {"1234567", "123456789", "1234567a", "١٢٣٤٥٦٧٨", "", "        ", "1234 5678", "+1234567",
                                "\t12345678", "12345678\n", "１２３４５６７８"})
            CPPUNIT_ASSERT_MESSAGE(bad, !looks_like_code(bad));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordResetTest);

// ---------------------------------------------------------------------------------------------
// MethodRegistration

class MethodRegistrationTest : public ResetFixture {
    CPPUNIT_TEST_SUITE(MethodRegistrationTest);
    CPPUNIT_TEST(bad_address_is_refused_before_the_password);
    CPPUNIT_TEST(wrong_password_counts_toward_lockout);
    CPPUNIT_TEST(locked_account_is_refused_even_with_the_right_password);
    CPPUNIT_TEST(duplicate_address_is_refused);
    CPPUNIT_TEST(registered_methods_are_limited);
    CPPUNIT_TEST(codes_sent_are_limited);
    CPPUNIT_TEST(right_code_registers_the_address);
    CPPUNIT_TEST(wrong_code_registers_nothing);
    CPPUNIT_TEST(expired_challenge_registers_nothing);
    CPPUNIT_TEST(another_account_cannot_confirm);
    CPPUNIT_TEST(remove_only_ones_own_method);
    CPPUNIT_TEST_SUITE_END();

public:
    void bad_address_is_refused_before_the_password() {
        for (const std::string& bad : {std::string(), std::string("not-an-address"), std::string("a b@c.example"),
                                       std::string("bob@mail.example\r\nBcc: x@y.example"),
                                       std::string(250, 'b') + "@x.example", std::string("   ")}) {
            MethodRegistration::Begun begun = registration_->begin(account(bob_), bad, kOld, client, t0);
            CPPUNIT_ASSERT_MESSAGE(bad, begun.status == MethodRegistration::Status::bad_address);
            CPPUNIT_ASSERT_MESSAGE(bad, begun.challenge_token.empty());
            CPPUNIT_ASSERT_MESSAGE(bad, begun.code.empty());
        }
        CPPUNIT_ASSERT(store().recent_sign_ins(bob_, 10).empty());
        CPPUNIT_ASSERT_EQUAL(fixture_challenges_, challenge_count());
    }

    void wrong_password_counts_toward_lockout() {
        MethodRegistration::Begun begun =
            registration_->begin(account(bob_), "bob@mail.example", "Not-The-Password-1", client, t0);
        CPPUNIT_ASSERT(begun.status == MethodRegistration::Status::wrong_password);
        CPPUNIT_ASSERT(begun.code.empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, account(bob_).failed_attempts);
        CPPUNIT_ASSERT_EQUAL(fixture_challenges_, challenge_count());
        CPPUNIT_ASSERT(store().recent_sign_ins(bob_, 10).front().result == SignInResult::bad_password);
    }

    void locked_account_is_refused_even_with_the_right_password() {
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(
                registration_->begin(account(bob_), "bob@mail.example", "Not-The-Password-1", client, t0 + i).status ==
                MethodRegistration::Status::wrong_password);
        CPPUNIT_ASSERT(account(bob_).locked_until > t0 + 3);
        MethodRegistration::Begun begun = registration_->begin(account(bob_), "bob@mail.example", kOld, client, t0 + 3);
        CPPUNIT_ASSERT(begun.status == MethodRegistration::Status::locked);
        CPPUNIT_ASSERT(begun.code.empty());
        CPPUNIT_ASSERT_EQUAL(fixture_challenges_, challenge_count());
    }

    void duplicate_address_is_refused() {
        MethodRegistration::Begun begun =
            registration_->begin(account(alice_), " alice@CONTOSO.example ", kOld, client, t0);
        CPPUNIT_ASSERT(begun.status == MethodRegistration::Status::duplicate);
        CPPUNIT_ASSERT(begun.code.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store().methods_of(alice_).size());
    }

    void registered_methods_are_limited() {
        policy_.max_methods = 2;
        MethodRegistration::Begun begun = registration_->begin(account(alice_), "third@mail.example", kOld, client, t0);
        CPPUNIT_ASSERT(begun.status == MethodRegistration::Status::limit);
        CPPUNIT_ASSERT(begun.code.empty());
        policy_.max_methods = 3;
        CPPUNIT_ASSERT(registration_->begin(account(alice_), "third@mail.example", kOld, client, t0).status ==
                       MethodRegistration::Status::code_ready);
    }

    void codes_sent_are_limited() {
        for (std::int64_t i = 0; i < policy_.sends_per_user; ++i)
            CPPUNIT_ASSERT(
                registration_->begin(account(bob_), "bob" + std::to_string(i) + "@mail.example", kOld, client, t0 + i)
                    .status == MethodRegistration::Status::code_ready);
        MethodRegistration::Begun begun =
            registration_->begin(account(bob_), "bob9@mail.example", kOld, elsewhere, t0 + 9);
        CPPUNIT_ASSERT(begun.status == MethodRegistration::Status::too_many);
        CPPUNIT_ASSERT(begun.code.empty());
        CPPUNIT_ASSERT(begun.challenge_token.empty());
        CPPUNIT_ASSERT_EQUAL(fixture_challenges_ + policy_.sends_per_user, challenge_count());
        // Another account has its own count; the next hour starts over.
        CPPUNIT_ASSERT(registration_->begin(account(alice_), "third@mail.example", kOld, client, t0 + 10).status ==
                       MethodRegistration::Status::code_ready);
        CPPUNIT_ASSERT(registration_->begin(account(bob_), "bob9@mail.example", kOld, client, t0 + hour).status ==
                       MethodRegistration::Status::code_ready);
    }

    void right_code_registers_the_address() {
        MethodRegistration::Begun begun = registration_->begin(account(bob_), " Bob@Mail.example ", kOld, client, t0);
        CPPUNIT_ASSERT(begun.status == MethodRegistration::Status::code_ready);
        CPPUNIT_ASSERT(SessionRegistry::looks_like_token(begun.challenge_token));
        CPPUNIT_ASSERT(looks_like_code(begun.code));
        CPPUNIT_ASSERT_EQUAL(one_time_code_digits, begun.code.size());
        for (const std::string& column : challenge_row(begun.challenge_id)) {
            CPPUNIT_ASSERT(column.find(begun.code) == std::string::npos);
            CPPUNIT_ASSERT(column.find(begun.challenge_token) == std::string::npos);
        }
        std::optional<Challenge> pending = registration_->pending(account(bob_), begun.challenge_token, t0 + 1);
        CPPUNIT_ASSERT(pending.has_value());
        CPPUNIT_ASSERT_EQUAL(begun.challenge_id, pending->id);
        CPPUNIT_ASSERT_EQUAL(std::string("Bob@Mail.example"), pending->target);
        CPPUNIT_ASSERT(store().methods_of(bob_).empty());
        store().postpone_registration(bob_);

        CPPUNIT_ASSERT(registration_->confirm(account(bob_), begun.challenge_token, begun.code, elsewhere, t0 + 2));
        // Registered: the "not now" count starts afresh.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, account(bob_).registration_postponed);
        std::vector<VerificationMethod> methods = store().methods_of(bob_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, methods.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Bob@Mail.example"), methods.front().address);
        CPPUNIT_ASSERT(methods.front().kind == MethodKind::email);
        std::optional<AuditEvent> event = last_event(bob_, "method_added");
        CPPUNIT_ASSERT(event.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("Bob@Mail.example"), event->detail);
        CPPUNIT_ASSERT_EQUAL(t0 + 2, event->at);
        CPPUNIT_ASSERT_EQUAL(elsewhere.ip, event->client_ip);
        // Once only.
        CPPUNIT_ASSERT(!registration_->pending(account(bob_), begun.challenge_token, t0 + 3).has_value());
        CPPUNIT_ASSERT(!registration_->confirm(account(bob_), begun.challenge_token, begun.code, client, t0 + 3));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store().methods_of(bob_).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store().events_of(bob_, 10).size());
    }

    void wrong_code_registers_nothing() {
        MethodRegistration::Begun begun = registration_->begin(account(bob_), "bob@mail.example", kOld, client, t0);
        CPPUNIT_ASSERT(
            !registration_->confirm(account(bob_), begun.challenge_token, other_code(begun.code), client, t0 + 1));
        CPPUNIT_ASSERT(store().methods_of(bob_).empty());
        CPPUNIT_ASSERT(!last_event(bob_, "method_added"));
        // Guesses up to the limit kill the code.
        for (int i = 1; i < policy_.max_code_attempts; ++i)
            CPPUNIT_ASSERT(!registration_->confirm(account(bob_), begun.challenge_token, other_code(begun.code), client,
                                                   t0 + 1 + i));
        CPPUNIT_ASSERT(!registration_->confirm(account(bob_), begun.challenge_token, begun.code, client, t0 + 10));
        CPPUNIT_ASSERT(store().methods_of(bob_).empty());
        // Below the limit the right code still works.
        MethodRegistration::Begun again =
            registration_->begin(account(bob_), "bob@mail.example", kOld, client, t0 + 20);
        CPPUNIT_ASSERT(
            !registration_->confirm(account(bob_), again.challenge_token, other_code(again.code), client, t0 + 21));
        CPPUNIT_ASSERT(registration_->confirm(account(bob_), again.challenge_token, again.code, client, t0 + 22));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store().methods_of(bob_).size());
    }

    void expired_challenge_registers_nothing() {
        MethodRegistration::Begun begun = registration_->begin(account(bob_), "bob@mail.example", kOld, client, t0);
        const UnixTime end = t0 + policy_.code_lifetime;
        CPPUNIT_ASSERT(registration_->pending(account(bob_), begun.challenge_token, end - 1).has_value());
        CPPUNIT_ASSERT(!registration_->pending(account(bob_), begun.challenge_token, end).has_value());
        CPPUNIT_ASSERT(!registration_->confirm(account(bob_), begun.challenge_token, begun.code, client, end + 1));
        CPPUNIT_ASSERT(store().methods_of(bob_).empty());
    }

    void another_account_cannot_confirm() {
        MethodRegistration::Begun begun = registration_->begin(account(bob_), "bob@mail.example", kOld, client, t0);
        CPPUNIT_ASSERT(!registration_->pending(account(alice_), begun.challenge_token, t0 + 1).has_value());
        CPPUNIT_ASSERT(!registration_->confirm(account(alice_), begun.challenge_token, begun.code, client, t0 + 1));
        CPPUNIT_ASSERT(store().methods_of(bob_).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store().methods_of(alice_).size());
        // The try used nothing up: bob still can.
        CPPUNIT_ASSERT(registration_->confirm(account(bob_), begun.challenge_token, begun.code, client, t0 + 2));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store().methods_of(bob_).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store().methods_of(alice_).size());
        // A reset flow's token is no registration either.
        const std::string reset_token = start("alice");
        CPPUNIT_ASSERT(!registration_->pending(account(alice_), reset_token, t0 + 3).has_value());
    }

    void remove_only_ones_own_method() {
        const std::int64_t daves = store().methods_of(dave_).front().id;
        CPPUNIT_ASSERT(!registration_->remove(account(alice_), daves, client, t0).has_value());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store().methods_of(dave_).size());
        CPPUNIT_ASSERT(!last_event(alice_, "method_removed"));
        CPPUNIT_ASSERT(!last_event(dave_, "method_removed"));
        CPPUNIT_ASSERT(!registration_->remove(account(alice_), 0, client, t0).has_value());
        CPPUNIT_ASSERT(!registration_->remove(account(alice_), 99999, client, t0).has_value());

        std::optional<std::string> removed = registration_->remove(account(alice_), alice_work_, elsewhere, t0 + 1);
        CPPUNIT_ASSERT(removed.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("Alice@Contoso.example"), *removed);
        std::vector<VerificationMethod> left = store().methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, left.size());
        CPPUNIT_ASSERT_EQUAL(alice_home_, left.front().id);
        std::optional<AuditEvent> event = last_event(alice_, "method_removed");
        CPPUNIT_ASSERT(event.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("Alice@Contoso.example"), event->detail);
        CPPUNIT_ASSERT_EQUAL(t0 + 1, event->at);
        CPPUNIT_ASSERT_EQUAL(elsewhere.ip, event->client_ip);
        CPPUNIT_ASSERT(!registration_->remove(account(alice_), alice_work_, client, t0 + 2).has_value());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MethodRegistrationTest);

// ---------------------------------------------------------------------------------------------
// ResetEligibility

class ResetEligibilityTest : public ResetFixture {
    CPPUNIT_TEST_SUITE(ResetEligibilityTest);
    CPPUNIT_TEST(scope_is_every_member_of_the_listed_organizations);
    CPPUNIT_TEST(registration_is_needed_only_when_it_could_serve);
    CPPUNIT_TEST(postpones_run_out);
    CPPUNIT_TEST_SUITE_END();

public:
    void scope_is_every_member_of_the_listed_organizations() {
        ResetEligibility eligibility(store(), policy_);
        CPPUNIT_ASSERT(eligibility.in_scope(account(alice_)));
        CPPUNIT_ASSERT(eligibility.in_scope(account(bob_)));  // a guest counts
        CPPUNIT_ASSERT(!eligibility.in_scope(account(dave_)));
        policy_.organizations = {"fabrikam"};  // names compare case-insensitively
        CPPUNIT_ASSERT(eligibility.in_scope(account(dave_)));
        CPPUNIT_ASSERT(!eligibility.in_scope(account(alice_)));
        policy_.organizations = {"Northwind", "CONTOSO"};
        CPPUNIT_ASSERT(eligibility.in_scope(account(alice_)));
        CPPUNIT_ASSERT(!eligibility.in_scope(account(dave_)));
        policy_.organizations.clear();  // All
        const AccountId loner = create("loner", "No Organization", "x", {});
        CPPUNIT_ASSERT(eligibility.in_scope(account(loner)));
        CPPUNIT_ASSERT(eligibility.in_scope(account(dave_)));
    }

    void registration_is_needed_only_when_it_could_serve() {
        ResetEligibility eligibility(store(), policy_);
        CPPUNIT_ASSERT(eligibility.needs_registration(account(bob_)));     // in scope, password, no method
        CPPUNIT_ASSERT(!eligibility.needs_registration(account(alice_)));  // enough methods
        CPPUNIT_ASSERT(!eligibility.needs_registration(account(erin_)));   // no password of this store
        const AccountId frank = create("frank", "Frank Fabrikam", "x", {});
        store().add_membership(frank, fabrikam_, MembershipKind::home, "Member");
        CPPUNIT_ASSERT(!eligibility.needs_registration(account(frank)));  // out of scope
        policy_.methods_required = 2;
        CPPUNIT_ASSERT(!eligibility.needs_registration(account(alice_)));  // two are two
        CPPUNIT_ASSERT(!eligibility.needs_registration(account(dave_)));   // out of scope
        policy_.organizations.clear();
        CPPUNIT_ASSERT(eligibility.needs_registration(account(dave_)));  // one of two
        CPPUNIT_ASSERT(eligibility.needs_registration(account(frank)));
        policy_.enabled = false;
        for (AccountId id : {alice_, bob_, dave_, erin_, frank})
            CPPUNIT_ASSERT(!eligibility.needs_registration(account(id)));
    }

    void postpones_run_out() {
        ResetEligibility eligibility(store(), policy_);
        CPPUNIT_ASSERT_EQUAL(3, policy_.postpones);
        for (int i = 0; i < policy_.postpones; ++i) {
            CPPUNIT_ASSERT(eligibility.may_postpone(account(bob_)));
            store().postpone_registration(bob_);
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, account(bob_).registration_postponed);
        CPPUNIT_ASSERT(!eligibility.may_postpone(account(bob_)));
        CPPUNIT_ASSERT(eligibility.needs_registration(account(bob_)));  // still asked, no longer "not now"
        policy_.postpones = 4;
        CPPUNIT_ASSERT(eligibility.may_postpone(account(bob_)));
        policy_.postpones = 0;
        CPPUNIT_ASSERT(!eligibility.may_postpone(account(alice_)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ResetEligibilityTest);
