// A real SQLite store on a fresh temporary file per test, removed again in tearDown.
#pragma once

#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/schema.hpp"

namespace myaccount::testing {

class StoreFixture : public CppUnit::TestFixture {
public:
    void setUp() override {
        char pattern[] = "/tmp/mya-unit-XXXXXX";
        const char* made = mkdtemp(pattern);
        CPPUNIT_ASSERT(made != nullptr);
        dir_ = made;
        path_ = dir_ + "/myaccount.db";
        sqlite::migrate_store_file(path_);
        store_ = sqlite::open_store_file(path_);
    }

    void tearDown() override {
        store_.reset();
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

protected:
    Store& store() { return *store_; }

    // A second, read-only connection to look at rows the Store interface does not return.
    sqlite::Database inspect() const { return sqlite::Database(path_, sqlite::Database::Mode::read_only); }

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

    std::string dir_;
    std::string path_;
    std::unique_ptr<Store> store_;
};

}  // namespace myaccount::testing
