// Chooses the store implementation from the location's kind; the only file that knows them all.
#include "store/open_store.hpp"

#include <strings.h>

#include "store/sqlite/schema.hpp"

namespace myaccount {

namespace {

bool starts_with_ignoring_case(const std::string& text, const char* prefix) {
    const std::size_t length = std::char_traits<char>::length(prefix);
    return text.size() >= length && ::strncasecmp(text.c_str(), prefix, length) == 0;
}

// The message names no URL: it may carry a password.
[[noreturn]] void throw_unavailable() {
    throw StoreError(StoreError::Kind::invalid,
                     "PostgreSQL stores are not available in this build (a postgresql:// location was given)");
}

}  // namespace

StoreLocation StoreLocation::parse(const std::string& text) {
    // libpq accepts both schemes; URL schemes ignore letter case.
    const bool url = starts_with_ignoring_case(text, "postgresql://") || starts_with_ignoring_case(text, "postgres://");
    return StoreLocation(url ? Kind::postgresql : Kind::file, text);
}

std::unique_ptr<Store> open_store(const StoreLocation& location) {
    if (!location.is_file()) throw_unavailable();
    return sqlite::open_store_file(location.text());
}

SchemaVersions check_schema(const StoreLocation& location) {
    if (!location.is_file()) throw_unavailable();
    return SchemaVersions{sqlite::read_schema_version(location.text()), sqlite::supported_schema_version()};
}

SchemaChange migrate_store(const StoreLocation& location) {
    if (!location.is_file()) throw_unavailable();
    const auto [from, to] = sqlite::migrate_store_file(location.text());
    return SchemaChange{from, to};
}

}  // namespace myaccount
