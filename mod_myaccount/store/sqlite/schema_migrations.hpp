// The SQLite schema migrations embedded at build time from schema/sqlite/NNN_name.sql
// (see cmake/embed_schema.cmake).
#pragma once

#include <cstddef>

namespace myaccount::sqlite::schema {

// Migration `version` takes a database from PRAGMA user_version (version - 1) to `version`.
struct Migration {
    int version;
    const char* name;
    const char* sql;
};

// Ordered by version, which runs 1, 2, 3, ... without gaps (the generator enforces it).
extern const Migration migrations[];
extern const std::size_t migration_count;

}  // namespace myaccount::sqlite::schema
