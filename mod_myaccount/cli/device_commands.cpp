// The "device" commands: the browsers a user signed in from, and enabling the ones they (or an
// administrator) disabled.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "cli/listing.hpp"
#include "cli/notices.hpp"
#include "cli/output.hpp"
#include "cli/validation.hpp"
#include "core/devices.hpp"

namespace myaccount::cli {

namespace {

// The user's device with the id 'device list' prints; CommandError when there is none.
Device require_device(Context& ctx, const Account& account, const std::string& text) {
    const std::optional<std::int64_t> id = listed_id(text);
    if (!id)
        throw UsageError("ID must be a device id as 'device list' prints it, not '" + printable(text) + "'",
                         ctx.command());
    std::optional<Device> device = DeviceRegistry(ctx.store()).find(account, *id);
    if (!device) throw CommandError("user '" + account.username + "' has no device with id " + text);
    return *device;
}

int device_list(Context& ctx, const ParsedArgs& args) {
    const Account account = require_account(ctx.store(), args.positionals[0]);
    return print_listing(ctx, args, DeviceRegistry(ctx.store()).devices(account), devices_json,
                         account.username + " has not signed in from any device yet", print_device_table);
}

// Disables (or enables) the device, tells the user, and says what was done.
int change_device(Context& ctx, const ParsedArgs& args, bool disable) {
    const Account account = require_account(ctx.store(), args.positionals[0]);
    const Device device = require_device(ctx, account, args.positionals[1]);
    CliNotices notices(ctx, args);
    AccountSecurity& security = notices.security();
    const std::string name = device_name(device);
    std::optional<AccountSecurity::Done> done =
        disable ? security.disable_device(account, device.id, name, this_tool(), ctx.now())
                : security.enable_device(account, device.id, name, this_tool(), ctx.now());
    if (!done) throw CommandError("user '" + account.username + "' has no device with id " + args.positionals[1]);
    ctx.out() << (disable ? "disabled" : "enabled") << " device " << device.id << " (" << name << ") of "
              << account.username;
    if (disable) ctx.out() << "; " << sessions_ended(done->sessions_ended);
    ctx.out() << notices.finish(done->told) << '\n';
    return exit_ok;
}

int device_disable(Context& ctx, const ParsedArgs& args) { return change_device(ctx, args, true); }
int device_enable(Context& ctx, const ParsedArgs& args) { return change_device(ctx, args, false); }

const OptionSpec json_option{"json", nullptr, false, "print JSON instead of text"};
constexpr const char notify_help[] = MYA_NOTIFY_HELP;

}  // namespace

// clang-format off
std::vector<Command> device_commands() {
    return {
        {"device", "list", "USER", 1, 1, {json_option}, "list the browsers a user signed in from",
         "JSON: an array of {id, name, browser, os, first_seen_at, last_sign_in_at, last_address, disabled,\n"
         "disabled_at} (Unix seconds; disabled_at 0 when it may sign in). A device is a browser as its\n"
         "long-lived cookie knows it; the same browser is one device for each user who signed in on it.",
         device_list},
        {"device", "disable", "USER ID", 2, 2, {notify_command_option},
         "stop a device from signing in to the account; ends its sessions and tells the user",
         notify_help, device_disable},
        {"device", "enable", "USER ID", 2, 2, {notify_command_option},
         "let a disabled device sign in to the account again and tell the user", notify_help, device_enable},
    };
}
// clang-format on

}  // namespace myaccount::cli
