// The one way into a store: from where it lives (MyAccountDatabase, myaccountctl --db) to a Store.
#pragma once

#include <memory>
#include <string>

#include "core/store.hpp"

namespace myaccount {

// Where the accounts live, as the administrator wrote it. A postgresql:// (or postgres://) URL
// names a PostgreSQL database; anything else is the path of a SQLite file.
class StoreLocation {
public:
    static StoreLocation parse(const std::string& text);

    // A file on this machine: its path is text().
    bool is_file() const noexcept { return kind_ == Kind::file; }
    // The path or the URL, as given. A URL may hold a password: never log it.
    const std::string& text() const noexcept { return text_; }

private:
    enum class Kind { file, postgresql };
    StoreLocation(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}

    Kind kind_;
    std::string text_;
};

// The schema a store has, and the one this build needs to serve it.
struct SchemaVersions {
    int found = 0;
    int supported = 0;
};

// A migration's result: the schema version before and after (equal when nothing was pending).
struct SchemaChange {
    int from = 0;
    int to = 0;
};

// Every function throws StoreError: io for a store that is missing or unreadable (none of them
// creates one, except migrate_store), schema for a version this build cannot serve, invalid for
// a kind of store this build does not include.

// Opens an existing store at this build's schema version, for one thread.
std::unique_ptr<Store> open_store(const StoreLocation& location);
// Reads the store's schema version without changing anything.
SchemaVersions check_schema(const StoreLocation& location);
// Creates the store if needed (a file: mode 0600) and applies every pending migration.
SchemaChange migrate_store(const StoreLocation& location);

}  // namespace myaccount
