// The top-level commands that set things up: the database and the server's secret key.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "core/crypto.hpp"
#include "core/second_factor/rekey.hpp"
#include "store/open_store.hpp"

namespace myaccount::cli {

namespace {

int init(Context& ctx, const ParsedArgs&) {
    const std::string& path = ctx.db_path();
    const auto [from, to] = migrate_store(StoreLocation::parse(path));
    if (from == 0) {
        ctx.out() << "created database " << path << '\n';
    } else if (from != to) {
        ctx.out() << "migrated database " << path << " from schema version " << from << " to " << to << '\n';
    }
    ctx.out() << "database " << path << " at schema version " << to << '\n';
    return exit_ok;
}

int gen_key(Context& ctx, const ParsedArgs& args) {
    const std::string& path = args.positionals[0];
    try {
        SecretKey::generate_file(path);
    } catch (const std::runtime_error& e) {
        throw CommandError(e.what());
    }
    ctx.out() << "wrote a new secret key to " << path << " (mode 0600); point MyAccountSecretKeyFile at it\n";
    return exit_ok;
}

SecretKey key_from(const std::string& path) {
    try {
        return SecretKey::load_file(path);
    } catch (const std::runtime_error& e) {
        throw CommandError(e.what());
    }
}

int rekey(Context& ctx, const ParsedArgs& args) {
    const SecretKey old_key = key_from(args.positionals[0]);
    const SecretKey new_key = key_from(args.positionals[1]);
    const RekeyReport report = rekey_secrets(ctx.store(), old_key, new_key);
    ctx.out() << "re-sealed " << report.resealed << " authenticator secret(s) under the new key";
    if (report.already_new > 0) ctx.out() << " (" << report.already_new << " already were)";
    ctx.out() << "\nrecovery codes and app passwords are kept as hashes under the key: the old ones stop working "
                 "with the new key, so ask their users to make new ones\n";
    if (report.unreadable.empty()) return exit_ok;
    ctx.out() << "could not open " << report.unreadable.size() << " secret(s) with either key (method ids:";
    for (std::int64_t id : report.unreadable) ctx.out() << ' ' << id;
    ctx.out() << "): remove those methods ('user remove-method') and ask their users to add the app again\n";
    return exit_failure;
}

}  // namespace

// Kept as a table, one command per entry, rather than in clang-format's one-field-per-line layout.
// clang-format off
std::vector<Command> general_commands() {
    return {
        {"", "init", "", 0, 0, {}, "create the database, or migrate it to this version's schema",
         "Safe to run again: it only applies the migrations the database lacks.\n"
         "A new database file is created with mode 0600.",
         init},
        {"", "gen-key", "FILE", 1, 1, {}, "write a new random 32-byte secret key (hex) to FILE, mode 0600",
         "Never overwrites an existing file: replacing the key ends every session and voids pending links.",
         gen_key},
        {"", "rekey", "OLD_KEY_FILE NEW_KEY_FILE", 2, 2, {},
         "re-seal the authenticator secrets kept under the old key with the new one",
         "Run it before pointing MyAccountSecretKeyFile at the new key (the server reads secrets it sealed\n"
         "under the key it runs with). Safe to run again. Recovery codes and app passwords are kept as\n"
         "keyed hashes: they cannot be carried over and stop working with the new key.",
         rekey},
    };
}
// clang-format on

}  // namespace myaccount::cli
