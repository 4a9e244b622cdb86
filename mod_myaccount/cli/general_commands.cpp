// The top-level commands that set things up: the database and the server's secret key.
#include <string>

#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "core/crypto.hpp"
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
    };
}
// clang-format on

}  // namespace myaccount::cli
