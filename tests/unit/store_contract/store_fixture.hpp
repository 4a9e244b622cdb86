// A real SQLite store on a fresh temporary file per test, removed again in tearDown: the contract
// fixture on SQLite, for the tests of the core and the portal, which may also read its rows.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite/connection.hpp"
#include "store_contract/contract_fixture.hpp"
#include "store_contract/sqlite_backend.hpp"

namespace myaccount::testing {

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
