// The fixture of the store contract: a fresh, migrated store from a backend for every test, opened
// through open_store as the module and myaccountctl open theirs, and helpers the cases share.
#pragma once

#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/store.hpp"
#include "store/open_store.hpp"
#include "store_contract/sqlite_backend.hpp"
#include "store_contract/store_backend.hpp"

namespace myaccount::testing {

// A cap on methods of a kind that no contract test reaches (the cap has a test of its own).
inline constexpr std::size_t any_number = 1000;

class ContractFixture : public CppUnit::TestFixture {
public:
    void setUp() override {
        backend_ = make_backend();
        location_ = backend_->location("myaccount");
        migrate_store(*location_);
        store_ = open_store(*location_);
    }

    void tearDown() override {
        store_.reset();
        backend_.reset();
    }

protected:
    // The backend the cases run against; ContractOn picks it.
    virtual std::unique_ptr<StoreBackend> make_backend() = 0;

    Store& store() { return *store_; }

    // Another connection to the same store, as another httpd process or thread has.
    std::unique_ptr<Store> open_again() const { return open_store(*location_); }

    // The first column of every row `sql` returns, for what the Store interface does not return.
    std::vector<std::string> column(const std::string& sql) const { return backend_->column(*location_, sql); }
    std::int64_t count_rows(const std::string& table) const {
        return std::stoll(column("SELECT count(*) FROM " + table).at(0));
    }

    AccountId add_account(const std::string& username, const std::string& password_hash,
                          const std::string& display_name = "Test User", UnixTime now = 1000) {
        NewAccount account;
        account.username = username;
        account.profile.display_name = display_name;
        account.password_hash = password_hash;
        return store_->create_account(account, now);
    }

    Account account(AccountId id) {
        auto found = store_->find_account_by_id(id);
        CPPUNIT_ASSERT(found.has_value());
        return *found;
    }

    std::unique_ptr<StoreBackend> backend_;
    std::optional<StoreLocation> location_;  // set in setUp
    std::unique_ptr<Store> store_;
};

// Runs `action` and returns the StoreError it threw; fails the test if it threw nothing.
inline StoreError thrown_by(const std::function<void()>& action) {
    try {
        action();
    } catch (const StoreError& error) {
        return error;
    }
    CPPUNIT_FAIL("expected a StoreError");
    return StoreError(StoreError::Kind::io, "unreachable");
}

// The kind of StoreError `action` threw, or nullopt when it threw none.
inline std::optional<StoreError::Kind> error_kind(const std::function<void()>& action) {
    try {
        action();
    } catch (const StoreError& error) {
        return error.kind();
    }
    return std::nullopt;
}

// A session of `account`'s begun at `now` for `lifetime` seconds, under security stamp 1.
inline Session new_session(AccountId account, const std::string& token_hash, UnixTime now, UnixTime lifetime) {
    Session session;
    session.token_hash = token_hash;
    session.account_id = account;
    session.security_stamp = 1;
    session.created_at = now;
    session.last_seen_at = now;
    session.expires_at = now + lifetime;
    session.client_ip = "192.0.2.1";
    session.user_agent = "test";
    return session;
}

// An account with every profile field set and a password hash.
inline NewAccount new_account(const std::string& username, std::vector<std::string> emails = {}) {
    NewAccount account;
    account.username = username;
    account.profile.display_name = "Display " + username;
    account.profile.job_title = "Engineer";
    account.profile.office = "B1";
    if (!emails.empty()) account.profile.emails = std::move(emails);
    account.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    return account;
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace myaccount::testing

// Registers the cases of the abstract suite `Contract` (CPPUNIT_TEST_SUITE_END_ABSTRACT) on one
// kind of store, as the suite "<Contract>On<Kind>", whose StoreBackend is <Kind>Backend.
#define MYA_STORE_CONTRACT_ON(Contract, Kind)                                                \
    class Contract##On##Kind : public Contract {                                             \
        CPPUNIT_TEST_SUB_SUITE(Contract##On##Kind, Contract);                                \
        CPPUNIT_TEST_SUITE_END();                                                            \
                                                                                             \
    protected:                                                                               \
        std::unique_ptr<myaccount::testing::StoreBackend> make_backend() override {          \
            return std::make_unique<myaccount::testing::Kind##Backend>();                    \
        }                                                                                    \
    };                                                                                       \
    static CPPUNIT_NS::AutoRegisterSuite<Contract##On##Kind> Contract##On##Kind##_registration

// Registers a contract suite on every kind of store this build has: one line per kind.
#define MYA_STORE_CONTRACT(Contract) MYA_STORE_CONTRACT_ON(Contract, Sqlite)
