// myaccountctl: the administrator's command line for mod_myaccount's account database.
#include <sys/stat.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "core/crypto.hpp"
#include "core/store.hpp"

namespace myaccount::cli {

namespace {

constexpr const char* program = "myaccountctl";

// Accepted before the command and after it alike.
const std::vector<OptionSpec>& global_options() {
    static const std::vector<OptionSpec> options = {
        {"db", "PATH", false, "the SQLite account database (default: $MYACCOUNT_DB)"},
        {"argon2-memory", "KiB", false, "argon2id memory cost for new password hashes (default 19456)"},
        {"argon2-iterations", "N", false, "argon2id iterations for new password hashes (default 2)"},
        {"help", nullptr, false, "show this help and exit"},
    };
    return options;
}

// "--db" (not "--db=PATH"): the next word is its value, not the command.
bool takes_separate_value(const std::string& arg) {
    for (const OptionSpec& o : global_options()) {
        if (o.value_name != nullptr && arg == std::string("--") + o.name) return true;
    }
    return false;
}

constexpr const char* groups[] = {"user", "org", "device", "terms"};

std::vector<Command> all_commands() {
    std::vector<Command> all;
    for (auto table : {general_commands, user_commands, security_commands, org_commands, device_commands, terms_commands,
                       import_commands}) {
        for (Command& c : table()) all.push_back(std::move(c));
    }
    return all;
}

bool is_group(const std::string& word) {
    for (const char* g : groups) {
        if (word == g) return true;
    }
    return false;
}

std::string synopsis(const Command& c) {
    std::string s = std::string(program) + " [--db PATH] " + c.path();
    if (*c.arguments) s += std::string(" ") + c.arguments;
    if (!c.options.empty()) s += " [options]";
    return s;
}

void print_command_list(std::ostream& out, const std::vector<Command>& commands, const std::string& group) {
    std::size_t width = 0;
    for (const Command& c : commands) {
        if (group.empty() || c.group == group)
            width = std::max(width, c.path().size() + 1 + std::string(c.arguments).size());
    }
    for (const Command& c : commands) {
        if (!group.empty() && c.group != group) continue;
        const std::string head = c.path() + " " + c.arguments;
        out << "  " << head << std::string(width - head.size() + 3, ' ') << c.summary << '\n';
    }
}

void print_main_help(std::ostream& out, const std::vector<Command>& commands) {
    out << "Usage: " << program << " [global options] COMMAND [arguments] [options]\n"
        << "Administers mod_myaccount's account database.\n\nCommands:\n";
    print_command_list(out, commands, "");
    out << "\nGlobal options:\n"
        << format_options(global_options())
        << "\nPasswords are never taken on the command line: use --password-stdin.\n"
        << "Run '" << program << " COMMAND --help' for a command's options.\n"
        << "Exit status: 0 success, 1 the command failed, 2 the command line is wrong.\n";
}

void print_group_help(std::ostream& out, const std::vector<Command>& commands, const std::string& group) {
    out << "Usage: " << program << " [--db PATH] " << group
        << " COMMAND [arguments] [options]\n\nCommands:\n";
    print_command_list(out, commands, group);
    out << "\nRun '" << program << " " << group << " COMMAND --help' for a command's options.\n";
}

void print_command_help(std::ostream& out, const Command& c) {
    out << "Usage: " << synopsis(c) << "\n" << c.summary << "\n";
    if (*c.description) out << "\n" << c.description << "\n";
    if (!c.options.empty()) out << "\nOptions:\n" << format_options(c.options);
    out << "\nGlobal options:\n" << format_options(global_options());
}

const Command* find_command(const std::vector<Command>& commands, const std::string& group,
                            const std::string& name) {
    for (const Command& c : commands) {
        if (c.group == group && c.name == name) return &c;
    }
    return nullptr;
}

std::optional<std::string> database_path(const ParsedArgs& before, const ParsedArgs& after) {
    if (auto db = after.value("db")) return db;
    if (auto db = before.value("db")) return db;
    if (const char* env = std::getenv("MYACCOUNT_DB"); env != nullptr && *env != '\0')
        return std::string(env);
    return std::nullopt;
}

Argon2Params argon2_params(const ParsedArgs& before, const ParsedArgs& after, const std::string& command) {
    Argon2Params params;
    for (const ParsedArgs* args : {&before, &after}) {
        if (auto v = args->value("argon2-memory"))
            params.memory_kib = parse_unsigned("argon2-memory", *v, command);
        if (auto v = args->value("argon2-iterations")) {
            params.iterations = parse_unsigned("argon2-iterations", *v, command);
        }
    }
    return params;
}

int run(const std::vector<std::string>& args) {
    const std::vector<Command> commands = all_commands();

    // Global options up to the first word that is not an option: that word is the command.
    std::size_t first = 0;
    std::vector<std::string> leading;
    const auto is_option = [](const std::string& arg) {
        return arg.size() > 1 && arg[0] == '-' && arg != "--";
    };
    while (first < args.size() && is_option(args[first])) {
        leading.push_back(args[first]);
        if (takes_separate_value(args[first]) && first + 1 < args.size()) leading.push_back(args[++first]);
        ++first;
    }
    if (first < args.size() && args[first] == "--") ++first;
    const ParsedArgs before = parse_arguments(leading, global_options(), "");

    if (first >= args.size()) {
        if (before.has("help")) {
            print_main_help(std::cout, commands);
            return exit_ok;
        }
        throw UsageError("no command given");
    }

    std::string group;
    std::string name = args[first++];
    if (is_group(name)) {
        group = name;
        const bool wants_help = first < args.size() && (args[first] == "--help" || args[first] == "-h");
        const bool has_command = first < args.size() && !args[first].empty() && args[first][0] != '-';
        if (wants_help || (!has_command && before.has("help"))) {
            print_group_help(std::cout, commands, group);
            return exit_ok;
        }
        if (!has_command) throw UsageError("'" + group + "' needs a command", group);
        name = args[first++];
    }
    const Command* command = find_command(commands, group, name);
    if (command == nullptr) {
        const std::string path = group.empty() ? name : group + " " + name;
        throw UsageError("unknown command '" + path + "'", group);
    }
    const std::string path = command->path();

    std::vector<OptionSpec> options = command->options;
    options.insert(options.end(), global_options().begin(), global_options().end());
    const ParsedArgs parsed =
        parse_arguments({args.begin() + static_cast<std::ptrdiff_t>(first), args.end()}, options, path);
    if (parsed.has("help") || before.has("help")) {
        print_command_help(std::cout, *command);
        return exit_ok;
    }
    const std::size_t count = parsed.positionals.size();
    if (count < command->min_args) {
        throw UsageError("'" + path + "' needs " + command->arguments, path);
    }
    if (count > command->max_args) {
        throw UsageError("unexpected argument '" + parsed.positionals[command->max_args] + "'", path);
    }

    Context context(database_path(before, parsed), argon2_params(before, parsed, path), path, std::cout);
    return command->run(context, parsed);
}

void report(const std::string& message) { std::cerr << program << ": " << message << '\n'; }

}  // namespace

int main_guarded(int argc, char** argv) {
    try {
        // Whatever this tool creates (the database, its journal, key files) is for the owner only.
        ::umask(077);
        crypto_init();
        const std::vector<std::string> args(argv + 1, argv + argc);
        const int status = run(args);
        std::cout.flush();
        if (!std::cout) {
            report("cannot write to standard output");
            return exit_failure;
        }
        return status;
    } catch (const UsageError& e) {
        const std::string help = e.command().empty() ? std::string(program) + " --help"
                                                     : std::string(program) + " " + e.command() + " --help";
        report(std::string(e.what()) + " (see '" + help + "')");
        return exit_usage;
    } catch (const CommandError& e) {
        report(e.what());
    } catch (const StoreError& e) {
        report(std::string("database: ") + e.what());
    } catch (const std::bad_alloc&) {
        report("out of memory");
    } catch (const std::exception& e) {
        report(e.what());
    } catch (...) {
        report("unexpected error");
    }
    return exit_failure;
}

}  // namespace myaccount::cli

int main(int argc, char** argv) { return myaccount::cli::main_guarded(argc, argv); }
