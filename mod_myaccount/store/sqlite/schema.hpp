// Opening a SQLite store file and bringing its schema up to date (the migrations in schema/sqlite/).
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "core/store.hpp"

namespace myaccount::sqlite {

// The schema version this build understands: the highest embedded migration.
int supported_schema_version();

// PRAGMA user_version of an existing database, opened read-only.
// Throws StoreError(io) if the file is missing, unreadable or not a SQLite database.
int read_schema_version(const std::string& path);

// Creates the file if needed (mode 0600) and applies every pending migration, each in its own
// BEGIN IMMEDIATE transaction together with the new user_version. Returns {from, to}.
// Throws StoreError(schema) for a database newer than this build supports.
std::pair<int, int> migrate_store_file(const std::string& path);

// Opens an existing, up-to-date database read-write for one thread.
// Throws StoreError(io) if it is missing, StoreError(schema) if its version differs from ours.
std::unique_ptr<Store> open_store_file(const std::string& path);

}  // namespace myaccount::sqlite
