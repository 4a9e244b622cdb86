// A kind of store the contract suite runs against: a fresh place for each test's stores, and a
// look at rows the Store interface does not return.
#pragma once

#include <string>
#include <vector>

#include "store/open_store.hpp"

namespace myaccount::testing {

class StoreBackend {
public:
    // Removes every store the backend made.
    virtual ~StoreBackend() = default;

    // Where a store called `name` lives in this test's place; migrate_store creates it there.
    virtual StoreLocation location(const std::string& name) = 0;

    // The first column of every row `sql` returns, as bytes, read through a connection of its own.
    // Plain read-only SQL that every backend reads alike ("SELECT count(*) FROM throttle").
    virtual std::vector<std::string> column(const StoreLocation& location, const std::string& sql) = 0;
};

}  // namespace myaccount::testing
