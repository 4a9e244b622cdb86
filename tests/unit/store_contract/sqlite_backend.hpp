// The SQLite backend of the store tests: every store a file in a fresh temporary directory.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store_contract/store_backend.hpp"

namespace myaccount::testing {

class SqliteBackend : public StoreBackend {
public:
    SqliteBackend() {
        char pattern[] = "/tmp/mya-unit-XXXXXX";
        const char* made = mkdtemp(pattern);
        if (made == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = made;
    }
    ~SqliteBackend() override {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    SqliteBackend(const SqliteBackend&) = delete;
    SqliteBackend& operator=(const SqliteBackend&) = delete;

    StoreLocation location(const std::string& name) override { return StoreLocation::parse(path(name)); }

    std::vector<std::string> column(const StoreLocation& location, const std::string& sql) override {
        sqlite::Database db(location.text(), sqlite::Database::Mode::read_only);
        auto statement = db.prepare(sql);
        std::vector<std::string> values;
        while (statement->step()) values.push_back(statement->column_blob(0));
        return values;
    }

    const std::string& dir() const { return dir_; }
    std::string path(const std::string& name) const { return dir_ + "/" + name + ".db"; }

private:
    std::string dir_;
};

}  // namespace myaccount::testing
