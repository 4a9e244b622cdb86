// A real SQLite store on a fresh temporary file per test, removed again in tearDown: the contract
// fixture on SQLite, for the tests of the core and the portal, which may also read its rows.
#pragma once

#include <memory>
#include <string>

#include "core/crypto.hpp"
#include "store/sqlite/connection.hpp"
#include "store_contract/contract_fixture.hpp"
#include "store_contract/sqlite_backend.hpp"

namespace myaccount::testing {

// Registers `address` as an e-mail method of the account the way the store does it after a proven
// code: an add_email challenge begun at `at`, its code accepted a second later. Returns the method id.
inline std::int64_t register_email_method(Store& store, const Account& account, const std::string& address,
                                          UnixTime at) {
    Challenge challenge;
    challenge.token_hash = hash_token(random_token());
    challenge.purpose = ChallengePurpose::add_email;
    challenge.account_id = account.id;
    challenge.username = account.username;
    challenge.security_stamp = account.security_stamp;
    challenge.created_at = at;
    challenge.expires_at = at + 100;
    std::int64_t challenge_id = store.create_challenge(challenge);
    store.issue_code(challenge_id, address, "h", at + 100);
    CPPUNIT_ASSERT(store.check_code(challenge_id, "h", 5, at + 1) == Store::CodeCheck::accepted);
    AuditEvent event;
    event.account_id = account.id;
    event.at = at + 1;
    event.kind = "method_added";
    event.detail = address;
    return store.complete_email_registration(challenge_id, event, any_number);
}

class StoreFixture : public ContractFixture {
public:
    void setUp() override {
        ContractFixture::setUp();
        path_ = location_->text();
    }

protected:
    std::unique_ptr<StoreBackend> make_backend() override {
        auto backend = std::make_unique<SqliteBackend>();
        dir_ = backend->dir();
        return backend;
    }

    // A second, read-only connection to look at rows the Store interface does not return.
    sqlite::Database inspect() const { return sqlite::Database(path_, sqlite::Database::Mode::read_only); }

    std::string dir_;
    std::string path_;
};

}  // namespace myaccount::testing
