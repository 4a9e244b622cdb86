// What a myaccountctl command is: its place in the command tree, its arguments, and its handler.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "core/client_info.hpp"
#include "core/model.hpp"
#include "core/password_hasher.hpp"
#include "core/store.hpp"

namespace myaccount::cli {

// How this tool appears in the audit trail: no address, its name as the user agent.
inline ClientInfo this_tool() { return {"", "myaccountctl"}; }

// What every command may use: the database, the hasher settings, the clock and the output stream.
class Context {
public:
    Context(std::optional<std::string> db_path, Argon2Params argon2, std::string command, std::ostream& out);

    // The --db path (or MYACCOUNT_DB); UsageError if neither is given.
    const std::string& db_path() const;
    // The database opened read-write; CommandError if it does not exist yet.
    Store& store();
    // Built on first use: construction costs one hash, and validates the --argon2-* options.
    const PasswordHasher& hasher();
    UnixTime now() const;
    std::ostream& out() { return out_; }
    // "user add": for messages that point at --help.
    const std::string& command() const { return command_; }

private:
    std::optional<std::string> db_path_;
    Argon2Params argon2_;
    std::string command_;
    std::ostream& out_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<PasswordHasher> hasher_;
};

using Handler = int (*)(Context&, const ParsedArgs&);

struct Command {
    const char* group;      // "user", "org", or "" for a top-level command
    const char* name;       // "add"
    const char* arguments;  // synopsis of the positional arguments, e.g. "USER FILE"
    std::size_t min_args;
    std::size_t max_args;
    std::vector<OptionSpec> options;
    const char* summary;      // one line, for the command lists
    const char* description;  // more detail for the command's own --help (may be "")
    Handler run;

    std::string path() const { return *group ? std::string(group) + " " + name : std::string(name); }
};

// The account named `username`; CommandError "user '...' not found" otherwise.
Account require_account(Store& store, const std::string& username);
// The organization named `name`; CommandError "organization '...' not found" otherwise.
Organization require_organization(Store& store, const std::string& name);

// The command tables, one per file of handlers.
std::vector<Command> general_commands();  // init, gen-key
std::vector<Command> user_commands();
std::vector<Command> security_commands();  // user methods, remove-method, events
std::vector<Command> org_commands();
std::vector<Command> device_commands();
std::vector<Command> terms_commands();
std::vector<Command> import_commands();  // import-htpasswd

}  // namespace myaccount::cli
