// The contract fixture with two accounts, alice and bob, on a fixed clock, and the helpers of the
// reset and 2-step halves of the store: sessions, challenges, codes, methods and audit events.
#pragma once

#include <string>
#include <vector>

#include "store_contract/contract_fixture.hpp"

namespace myaccount::testing {

constexpr UnixTime t0 = 100000;  // the fixed clock every test starts from
constexpr UnixTime flow_lifetime = 2700;
constexpr UnixTime code_lifetime = 900;
constexpr int max_attempts = 5;

inline AuditEvent event_at(UnixTime at, const std::string& kind, AccountId account = 0) {
    AuditEvent event;
    event.account_id = account;
    event.at = at;
    event.kind = kind;
    event.client_ip = "192.0.2.9";
    event.user_agent = "unit";
    return event;
}

class TwoAccountsFixture : public ContractFixture {
public:
    void setUp() override {
        ContractFixture::setUp();
        alice_ = add_account("alice", "hash-1", "Alice", t0);
        bob_ = add_account("bob", "bob-hash", "Bob", t0);
    }

protected:
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

    // The challenge as the store holds it now, found by its token as the flows find it.
    Challenge reread(std::int64_t id) {
        const std::string where = " FROM challenges WHERE id = " + std::to_string(id);
        std::vector<std::string> token = column("SELECT token_hash" + where);
        std::vector<std::string> purpose_text = column("SELECT purpose" + where);
        CPPUNIT_ASSERT(token.size() == 1 && purpose_text.size() == 1);
        auto purpose = challenge_purpose_from(purpose_text[0]);
        CPPUNIT_ASSERT(purpose);
        auto found = store_->find_challenge(token[0], *purpose);
        CPPUNIT_ASSERT(found);
        return *found;
    }

    // The whole add_email flow for `address` under a cap of `at_most` e-mail methods; returns the method id.
    std::int64_t add_email(AccountId account, const std::string& address, std::size_t at_most = any_number) {
        std::string token = "add-" + std::to_string(++challenges_made_);
        std::int64_t id = store_->create_challenge(challenge_for(account, token, ChallengePurpose::add_email));
        store_->issue_code(id, address, "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + challenges_made_) == Store::CodeCheck::accepted);
        return store_->complete_email_registration(id, event_at(t0 + challenges_made_, "method_added"), at_most);
    }

    // An authenticator of `account`'s as an enrolment adds it: not yet proven by a code.
    static VerificationMethod pending_authenticator(AccountId account, const std::string& label, UnixTime at) {
        VerificationMethod method;
        method.account_id = account;
        method.kind = MethodKind::authenticator;
        method.label = label;
        method.secret_box = std::string("sealed\0", 7) + label;
        method.created_at = at;
        method.created_ip = "192.0.2.9";
        return method;
    }

    // An authenticator proven by a code of time step `step`; returns its id.
    std::int64_t add_authenticator(AccountId account, const std::string& label, UnixTime at, std::int64_t step = 1000) {
        std::int64_t id = store_->add_pending_method(pending_authenticator(account, label, at), 0);
        CPPUNIT_ASSERT(store_->activate_method(account, id, step, event_at(at, "method_added")));
        return id;
    }

    // The whole add_phone flow for `number`; returns the method id.
    std::int64_t add_phone(AccountId account, const std::string& number, PhoneType type = PhoneType::mobile,
                           const std::string& label = "") {
        std::string token = "phone-" + std::to_string(++challenges_made_);
        std::int64_t id = store_->create_challenge(challenge_for(account, token, ChallengePurpose::add_phone));
        store_->issue_code(id, number, "h", t0 + code_lifetime);
        CPPUNIT_ASSERT(store_->check_code(id, "h", max_attempts, t0 + challenges_made_) == Store::CodeCheck::accepted);
        return store_->complete_phone_registration(id, type, label, event_at(t0 + challenges_made_, "method_added"), any_number);
    }

    AccountId alice_ = 0;
    AccountId bob_ = 0;
    int challenges_made_ = 0;
};

}  // namespace myaccount::testing
