// The shared state of one myaccountctl run: the database, the password hasher and the clock.
#include "cli/command.hpp"

#include <sys/stat.h>

#include <ctime>
#include <stdexcept>

#include "apr/htpasswd_hashes.hpp"
#include "cli/errors.hpp"
#include "cli/validation.hpp"
#include "store/open_store.hpp"

namespace myaccount::cli {

Context::Context(std::optional<std::string> db_path, Argon2Params argon2, std::string command,
                 std::ostream& out)
    : db_path_(std::move(db_path)), argon2_(argon2), command_(std::move(command)), out_(out) {}

const std::string& Context::db_path() const {
    if (!db_path_ || db_path_->empty()) {
        throw UsageError("no database given: use --db PATH or set MYACCOUNT_DB", command_);
    }
    return *db_path_;
}

Store& Context::store() {
    if (!store_) {
        const std::string& path = db_path();
        const StoreLocation location = StoreLocation::parse(path);
        struct stat st {};
        if (location.is_file() && ::stat(path.c_str(), &st) != 0) {
            throw CommandError("database " + path + " does not exist; create it with: myaccountctl --db " +
                               path + " init");
        }
        try {
            store_ = open_store(location);
        } catch (const StoreError& e) {
            if (e.kind() != StoreError::Kind::schema) throw;
            throw CommandError(std::string(e.what()) + " (to upgrade it, run: myaccountctl --db " + path +
                               " init)");
        }
    }
    return *store_;
}

const PasswordHasher& Context::hasher() {
    if (!hasher_) {
        try {
            hasher_ = std::make_unique<PasswordHasher>(argon2_, htpasswd_hash_matches);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--argon2-memory/--argon2-iterations: ") + e.what(), command_);
        }
    }
    return *hasher_;
}

UnixTime Context::now() const { return static_cast<UnixTime>(std::time(nullptr)); }

Account require_account(Store& store, const std::string& username) {
    std::optional<Account> account = store.find_account(username);
    if (!account) throw CommandError("user '" + printable(username) + "' not found");
    return std::move(*account);
}

Organization require_organization(Store& store, const std::string& name) {
    std::optional<Organization> org = store.find_organization(name);
    if (!org) throw CommandError("organization '" + printable(name) + "' not found");
    return std::move(*org);
}

}  // namespace myaccount::cli
