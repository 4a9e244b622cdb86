// The "import-htpasswd" command: accounts from an Apache htpasswd file, hashes kept as they are.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "cli/htpasswd_file.hpp"

namespace myaccount::cli {

namespace {

void warn(const std::string& message) { std::cerr << "myaccountctl: " << message << '\n'; }

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

HtpasswdFile read_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) throw CommandError(path + ": is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CommandError(path + ": cannot open: " + std::strerror(errno));
    HtpasswdFile file = parse_htpasswd(in);
    if (in.bad()) throw CommandError(path + ": read error");
    return file;
}

// The file is checked as a whole first, and the accounts are created in one store transaction,
// so a bad file, a clash or a database failure part-way imports nothing.
int import_htpasswd(Context& ctx, const ParsedArgs& args) {
    const std::string& path = args.positionals[0];
    const bool skip_invalid = args.has("skip-invalid");
    const bool skip_existing = args.has("skip-existing");

    const HtpasswdFile file = read_file(path);
    for (const HtpasswdProblem& p : file.problems) {
        warn(path + ":" + std::to_string(p.line) + ": " + p.message + (skip_invalid ? " (skipped)" : ""));
    }
    if (!file.problems.empty() && !skip_invalid) {
        throw CommandError(path + ": " + plural(file.problems.size(), "invalid line", "invalid lines") +
                           "; nothing imported (fix them, or use --skip-invalid to import the valid lines)");
    }

    Store& store = ctx.store();
    std::vector<NewAccount> accounts;
    std::size_t existing = 0;
    for (const HtpasswdEntry& entry : file.entries) {
        if (!store.find_account(entry.username)) {
            NewAccount account;
            account.username = entry.username;
            account.profile.display_name = entry.username;  // the user or an admin can change it later
            account.password_hash = entry.hash;
            accounts.push_back(std::move(account));
            continue;
        }
        ++existing;
        if (!skip_existing) {
            warn(path + ":" + std::to_string(entry.line) + ": user '" + entry.username + "' already exists");
        }
    }
    if (existing > 0 && !skip_existing) {
        throw CommandError(path + ": " + plural(existing, "user already exists", "users already exist") +
                           "; nothing imported (use --skip-existing to leave them as they are)");
    }

    try {
        store.create_accounts(accounts, ctx.now());
    } catch (const StoreError& e) {
        // E.g. a user created by someone else since the check above; the store rolled back every account.
        throw CommandError(path + ": " + e.what() + "; nothing imported");
    }

    ctx.out() << "imported " << plural(accounts.size(), "account", "accounts") << " from " << path << "; skipped "
              << plural(existing, "existing user", "existing users") << " and "
              << plural(file.problems.size(), "invalid line", "invalid lines") << '\n';
    return exit_ok;
}

}  // namespace

// Kept as a table, one command per entry, rather than in clang-format's one-field-per-line layout.
// clang-format off
std::vector<Command> import_commands() {
    return {
        {"", "import-htpasswd", "FILE", 1, 1,
         {{"skip-existing", nullptr, false, "leave users that already exist as they are instead of failing"},
          {"skip-invalid", nullptr, false, "import the valid lines even if some are invalid"}},
         "create accounts from an Apache htpasswd file",
         "Each \"user:hash\" line becomes an account whose display name is the username and whose hash is\n"
         "kept as is (bcrypt, $apr1$, {SHA}, $5$/$6$, crypt); mod_myaccount re-hashes it to argon2id at the\n"
         "user's next sign-in. The file is checked as a whole first: by default an invalid line or an\n"
         "existing user means nothing is imported.",
         import_htpasswd},
    };
}
// clang-format on

}  // namespace myaccount::cli
