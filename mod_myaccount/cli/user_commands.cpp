// The "user" commands: create and edit accounts, passwords, photos, and their status.
#include <iostream>
#include <string>

#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "cli/notices.hpp"
#include "cli/output.hpp"
#include "cli/password_input.hpp"
#include "cli/photo_file.hpp"
#include "cli/validation.hpp"

namespace myaccount::cli {

namespace {

// The profile fields given on the command line, each checked; absent options stay unset.
ProfileFields profile_from(const ParsedArgs& args) {
    ProfileFields profile;
    if (auto name = args.value("name")) {
        check_text("display name (--name)", *name, max_name_length, true);
        profile.display_name = std::move(*name);
    }
    if (args.has("email")) {
        std::vector<std::string> emails = args.values("email");
        check_emails(emails);
        profile.emails = std::move(emails);
    }
    if (auto title = args.value("title")) {
        check_text("job title (--title)", *title, max_title_length, false);
        profile.job_title = std::move(*title);
    }
    if (auto office = args.value("office")) {
        check_text("office (--office)", *office, max_office_length, false);
        profile.office = std::move(*office);
    }
    return profile;
}

// `whose`: the account's words (user ID, name, e-mail) that make a password easier to guess.
std::string new_password_hash(Context& ctx, const PasswordContext& whose) {
    SecretString password;
    read_new_password(password, whose);
    return ctx.hasher().hash(password.value());
}

int user_add(Context& ctx, const ParsedArgs& args) {
    const std::string& username = args.positionals[0];
    if (!args.has("name")) throw UsageError("'user add' needs --name NAME", ctx.command());
    check_username(username);
    const ProfileFields profile = profile_from(args);

    Store& store = ctx.store();
    if (store.find_account(username)) throw CommandError("user '" + username + "' already exists");
    const PasswordContext whose{username, profile.display_name.value_or(""),
                                profile.emails.value_or(std::vector<std::string>{}), ""};
    const std::string hash = args.has("password-stdin") ? new_password_hash(ctx, whose) : std::string();
    try {
        store.create_account({username, profile, hash}, ctx.now());
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::conflict)
            throw CommandError("user '" + username + "' already exists");
        throw;
    }
    ctx.out() << "created user " << username;
    if (hash.empty())
        ctx.out() << " (no password: set one with 'user set-password " << username << " --password-stdin')";
    ctx.out() << '\n';
    return exit_ok;
}

int user_set(Context& ctx, const ParsedArgs& args) {
    if (!args.has("name") && !args.has("email") && !args.has("title") && !args.has("office")) {
        throw UsageError("nothing to change: give --name, --email, --title or --office", ctx.command());
    }
    const ProfileFields profile = profile_from(args);
    Store& store = ctx.store();
    const Account account = require_account(store, args.positionals[0]);
    store.update_profile(account.id, profile, ctx.now());
    ctx.out() << "updated user " << account.username << '\n';
    return exit_ok;
}

int user_set_password(Context& ctx, const ParsedArgs& args) {
    if (!args.has("password-stdin")) {
        throw UsageError(
            "'user set-password' needs --password-stdin (passwords are never taken as arguments)",
            ctx.command());
    }
    const Account account = require_account(ctx.store(), args.positionals[0]);
    CliNotices notices(ctx, args);
    const std::string hash =
        new_password_hash(ctx, PasswordContext{account.username, account.display_name, account.emails, ""});
    const AccountSecurity::Done done = notices.security().set_password(account, hash, this_tool(), ctx.now());
    ctx.out() << "password set for " << account.username << "; " << sessions_ended(done.sessions_ended)
              << notices.finish(done.told) << '\n';
    return exit_ok;
}

int user_set_photo(Context& ctx, const ParsedArgs& args) {
    std::size_t max_bytes = default_max_photo_bytes;
    if (auto v = args.value("max-bytes")) {
        max_bytes = parse_unsigned("max-bytes", *v, ctx.command());
        if (max_bytes == 0 || max_bytes > 64 * default_max_photo_bytes) {
            throw UsageError(
                "option '--max-bytes' must be between 1 and " + std::to_string(64 * default_max_photo_bytes),
                ctx.command());
        }
    }
    Store& store = ctx.store();
    const Account account = require_account(store, args.positionals[0]);
    PhotoFile file = read_photo_file(args.positionals[1], max_bytes);
    const std::size_t size = file.bytes.size();
    const std::string type = file.content_type;
    store.set_photo(account.id, {std::move(file.content_type), std::move(file.bytes), ctx.now()});
    ctx.out() << "photo set for " << account.username << " (" << type << ", " << size << " bytes)\n";
    return exit_ok;
}

int user_remove_photo(Context& ctx, const ParsedArgs& args) {
    Store& store = ctx.store();
    const Account account = require_account(store, args.positionals[0]);
    if (!store.find_photo(account.id)) {
        ctx.out() << account.username << " has no photo\n";
        return exit_ok;
    }
    store.remove_photo(account.id);
    ctx.out() << "photo removed for " << account.username << '\n';
    return exit_ok;
}

int user_disable(Context& ctx, const ParsedArgs& args) {
    const Account account = require_account(ctx.store(), args.positionals[0]);
    CliNotices notices(ctx, args);
    const AccountSecurity::Done done = notices.security().disable(account, this_tool(), ctx.now());
    ctx.out() << "disabled " << account.username << "; " << sessions_ended(done.sessions_ended)
              << notices.finish(done.told) << '\n';
    return exit_ok;
}

int user_enable(Context& ctx, const ParsedArgs& args) {
    const Account account = require_account(ctx.store(), args.positionals[0]);
    CliNotices notices(ctx, args);
    const AccountSecurity::Done done = notices.security().enable(account, this_tool(), ctx.now());
    ctx.out() << "enabled " << account.username << notices.finish(done.told) << '\n';
    return exit_ok;
}

int user_unlock(Context& ctx, const ParsedArgs& args) {
    const Account account = require_account(ctx.store(), args.positionals[0]);
    CliNotices notices(ctx, args);
    notices.security().unlock(account, this_tool(), ctx.now());
    ctx.out() << "unlocked " << account.username << " (failed attempts reset to 0)\n";
    return exit_ok;
}

int user_show(Context& ctx, const ParsedArgs& args) {
    Store& store = ctx.store();
    AccountView view{require_account(store, args.positionals[0]), {}, std::nullopt};
    view.memberships = store.memberships_of(view.account.id);
    view.methods = store.methods_of(view.account.id).size();
    if (args.has("json")) {
        print_json(ctx.out(), account_json(view.account, view.memberships, view.methods));
        return exit_ok;
    }
    view.photo = store.find_photo(view.account.id);
    print_account(ctx.out(), view, ctx.now());
    return exit_ok;
}

int user_list(Context& ctx, const ParsedArgs& args) {
    Store& store = ctx.store();
    const std::vector<Account> accounts = store.list_accounts();
    if (args.has("json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const Account& a : accounts) {
            list.push_back(account_json(a, store.memberships_of(a.id), store.methods_of(a.id).size()));
        }
        print_json(ctx.out(), list);
        return exit_ok;
    }
    print_account_table(ctx.out(), accounts, ctx.now());
    return exit_ok;
}

const OptionSpec name_option{"name", "NAME", false, "display name (at most 128 characters)"};
const OptionSpec email_option{"email", "ADDR", true, "e-mail address; the first is the primary one"};
const OptionSpec title_option{"title", "TITLE", false, "job title (at most 128 characters)"};
const OptionSpec office_option{"office", "OFFICE", false, "office (at most 128 characters)"};
const OptionSpec password_stdin_option{"password-stdin", nullptr, false,
                                       "read the password from one line of standard input"};
const OptionSpec json_option{"json", nullptr, false, "print JSON instead of text"};

// How the commands that change an account's security tell its user.
constexpr const char notify_help[] = MYA_NOTIFY_HELP;

}  // namespace

// Kept as a table, one command per entry, rather than in clang-format's one-field-per-line layout.
// clang-format off
std::vector<Command> user_commands() {
    return {
        {"user", "add", "USER", 1, 1,
         {name_option, email_option, title_option, office_option, password_stdin_option},
         "create an account",
         "USER is the sign-in ID: 1-64 characters of A-Z a-z 0-9 . _ @ -, starting with a letter or digit.\n"
         "--name is required. Without --password-stdin the account cannot sign in until a password is set.\n"
         "Passwords need 12 to 128 characters.",
         user_add},
        {"user", "set", "USER", 1, 1, {name_option, email_option, title_option, office_option},
         "change an account's profile",
         "Only the options given change. --email, given once or more, replaces the whole list.\n"
         "An empty --title or --office clears it.",
         user_set},
        {"user", "set-password", "USER", 1, 1, {password_stdin_option, notify_command_option},
         "set a new password; ends the user's sessions and tells the user",
         "Reads one line from standard input (a trailing newline is dropped); 12 to 128 characters.\n"
         "Example: printf '%s\\n' \"$PW\" | myaccountctl user set-password alice --password-stdin\n"
         MYA_NOTIFY_HELP,
         user_set_password},
        {"user", "set-photo", "USER FILE", 2, 2,
         {{"max-bytes", "N", false, "largest accepted file in bytes (default 1048576)"}},
         "set the profile photo from a JPEG, PNG, GIF or WebP file",
         "The image type is recognised from the file's content, not its name.", user_set_photo},
        {"user", "remove-photo", "USER", 1, 1, {}, "remove the profile photo", "", user_remove_photo},
        {"user", "disable", "USER", 1, 1, {notify_command_option},
         "stop the account from signing in; ends its sessions and tells the user", notify_help, user_disable},
        {"user", "enable", "USER", 1, 1, {notify_command_option},
         "allow a disabled account to sign in again and tell the user", notify_help, user_enable},
        {"user", "unlock", "USER", 1, 1, {}, "lift a lockout after failed sign-ins and reset the count",
         "Recorded in the user's audit trail; nobody is told.", user_unlock},
        {"user", "show", "USER", 1, 1, {json_option}, "show an account (never its password hash)",
         "JSON keys: username, display_name, job_title, office, emails, disabled, locked_until\n"
         "(Unix time, 0 = not locked), failed_attempts, organizations [{name, domain, kind, role}],\n"
         "methods (how many password-reset methods: see 'user methods'), created_at, updated_at.",
         user_show},
        {"user", "list", "", 0, 0, {json_option}, "list every account",
         "JSON: an array of the objects 'user show --json' prints.", user_list},
    };
}
// clang-format on

}  // namespace myaccount::cli
