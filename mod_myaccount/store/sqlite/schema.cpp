// Opening a SQLite store file, its schema version and the migrations that bring it up to date.
#include "store/sqlite/schema.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/schema_migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace myaccount::sqlite {

namespace {

const schema::Migration* find_migration(int version) {
    for (std::size_t i = 0; i < schema::migration_count; ++i) {
        if (schema::migrations[i].version == version) return &schema::migrations[i];
    }
    return nullptr;
}

[[noreturn]] void throw_newer(const std::string& path, int version) {
    throw StoreError(StoreError::Kind::schema,
                     "database " + path + " has schema version " + std::to_string(version) +
                         ", newer than this build supports (" + std::to_string(supported_schema_version()) +
                         "); upgrade mod_myaccount");
}

// SQLite would create a new database with the umask's permissions (often world-readable);
// an account database holds password hashes, so create it owner-only first.
void create_private_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        ::close(fd);
        return;
    }
    if (errno == EEXIST) return;
    throw StoreError(StoreError::Kind::io, "cannot create database " + path + ": " + std::strerror(errno));
}

// Applies the migration after the current version; false when there is none left. Reading the
// version inside BEGIN IMMEDIATE makes two concurrent migrators take turns instead of colliding.
bool apply_next_migration(Database& db) {
    Transaction transaction(db);
    int current = db.user_version();
    if (current > supported_schema_version()) throw_newer(db.path(), current);
    if (current == supported_schema_version()) return false;
    const schema::Migration* migration = find_migration(current + 1);
    if (migration == nullptr) {
        throw StoreError(StoreError::Kind::schema, "no migration to schema version " + std::to_string(current + 1));
    }
    db.exec_script(migration->sql, "migration " + std::to_string(migration->version) + " (" + migration->name + ")");
    // PRAGMA takes no bound parameters; the number is our own compile-time migration version.
    std::string set_version = "PRAGMA user_version = " + std::to_string(migration->version);
    db.exec_script(set_version.c_str(), "set schema version");
    transaction.commit();
    return true;
}

}  // namespace

int supported_schema_version() {
    return schema::migration_count == 0 ? 0 : schema::migrations[schema::migration_count - 1].version;
}

int read_schema_version(const std::string& path) {
    Database db(path, Database::Mode::read_only);
    return db.user_version();
}

std::pair<int, int> migrate_store_file(const std::string& path) {
    create_private_file(path);
    Database db(path, Database::Mode::read_write);
    int from = db.user_version();
    if (from > supported_schema_version()) throw_newer(path, from);
    while (apply_next_migration(db)) {
    }
    return {from, db.user_version()};
}

std::unique_ptr<Store> open_store_file(const std::string& path) {
    Database db(path, Database::Mode::read_write);
    int version = db.user_version();
    if (version > supported_schema_version()) throw_newer(path, version);
    if (version < supported_schema_version()) {
        throw StoreError(StoreError::Kind::schema,
                         "database " + path + " has schema version " + std::to_string(version) +
                             ", this build needs " + std::to_string(supported_schema_version()) +
                             "; run: myaccountctl --db " + path + " init");
    }
    return std::make_unique<SqliteStore>(std::move(db));
}

}  // namespace myaccount::sqlite

namespace myaccount {

SqliteStore::SqliteStore(sqlite::Database db) : db_(std::move(db)) {}

int SqliteStore::schema_version() { return db_.user_version(); }

}  // namespace myaccount
