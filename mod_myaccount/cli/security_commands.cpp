// The "user" commands on an account's security info: its password-reset methods and its audit trail.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "cli/validation.hpp"
#include "core/audit.hpp"
#include "core/client_info.hpp"

namespace myaccount::cli {

namespace {

constexpr std::uint64_t default_event_limit = 50;
constexpr std::uint64_t max_event_limit = 1000;

int user_methods(Context& ctx, const ParsedArgs& args) {
    Store& store = ctx.store();
    const Account account = require_account(store, args.positionals[0]);
    // Suspended ones too ("This wasn't me"): an administrator may have to explain or remove them.
    std::vector<VerificationMethod> methods = store.methods_of(account.id);
    for (VerificationMethod& suspended : store.suspended_methods_of(account.id)) methods.push_back(std::move(suspended));
    return print_listing(ctx, args, methods, methods_json,
                         account.username + " has no password-reset methods", print_method_table);
}

int user_remove_method(Context& ctx, const ParsedArgs& args) {
    const std::string& id_text = args.positionals[1];
    const std::optional<std::int64_t> id = listed_id(id_text);
    if (!id) {
        throw UsageError("ID must be a method id as 'user methods' lists it, not '" + printable(id_text) + "'",
                         ctx.command());
    }
    Store& store = ctx.store();
    const Account account = require_account(store, args.positionals[0]);
    const std::string missing =
        "user '" + account.username + "' has no password-reset method with id " + std::to_string(*id);
    // Pending ones too (an authenticator never proven): 'user methods' lists only active ones.
    const std::optional<VerificationMethod> method = store.find_method(account.id, *id);
    if (!method) throw CommandError(missing);
    // What names it: its address, else the user's label (an authenticator has no address).
    const std::string& name = method->address.empty() ? method->label : method->address;
    try {
        store.remove_method(account.id, *id, audit_event(account.id, "method_removed", this_tool(), ctx.now(), name));
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::not_found) throw CommandError(missing);  // removed meanwhile
        throw;
    }
    ctx.out() << "removed " << to_string(method->kind) << " method " << *id;
    if (!name.empty()) ctx.out() << " (" << printable(name) << ")";
    ctx.out() << " from " << account.username << '\n';
    return exit_ok;
}

int user_events(Context& ctx, const ParsedArgs& args) {
    std::uint64_t limit = default_event_limit;
    if (auto v = args.value("limit")) {
        limit = parse_unsigned("limit", *v, ctx.command());
        if (limit < 1 || limit > max_event_limit) {
            throw UsageError("option '--limit' must be between 1 and " + std::to_string(max_event_limit),
                             ctx.command());
        }
    }
    Store& store = ctx.store();
    const Account account = require_account(store, args.positionals[0]);
    // One more than shown, to tell whether older events were left out.
    std::vector<AuditEvent> events = store.events_of(account.id, static_cast<int>(limit + 1));
    const bool more = events.size() > limit;
    if (more) events.pop_back();
    if (args.has("json")) {
        print_json(ctx.out(), events_json(events));
        return exit_ok;
    }
    if (events.empty()) {
        ctx.out() << "no events recorded for " << account.username << '\n';
        return exit_ok;
    }
    print_event_table(ctx.out(), events);
    if (more) ctx.out() << "(the newest " << limit << " shown; older ones with a larger --limit)\n";
    return exit_ok;
}

const OptionSpec json_option{"json", nullptr, false, "print JSON instead of text"};

}  // namespace

// Kept as a table, one command per entry, rather than in clang-format's one-field-per-line layout.
// clang-format off
std::vector<Command> security_commands() {
    return {
        {"user", "methods", "USER", 1, 1, {json_option}, "list the password-reset methods the user registered",
         "Users register methods themselves on the security info page, proving each address with a code.\n"
         "Kinds: email, phone, authenticator, recovery_codes (the last two have no address).\n"
         "JSON: an array of {id, kind, address, label, created_at (Unix time)}, oldest first.",
         user_methods},
        {"user", "remove-method", "USER ID", 2, 2, {}, "remove one of the user's password-reset methods",
         "ID is the id 'user methods USER' lists. Use it for an address the user has lost; the removal\n"
         "is recorded in the user's audit trail (see 'user events').",
         user_remove_method},
        {"user", "events", "USER", 1, 1,
         {json_option, {"limit", "N", false, "show the newest N events, 1 to 1000 (default 50)"}},
         "show the user's audit trail, newest first",
         "Password changes and resets, methods added and removed, with the client address and user\n"
         "agent of the request (\"myaccountctl\" for this tool's own changes).\n"
         "JSON: an array of {id, at (Unix time), kind, client_ip, user_agent, detail}.",
         user_events},
    };
}
// clang-format on

}  // namespace myaccount::cli
