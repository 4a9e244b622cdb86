// How myaccountctl tells people of the security changes it makes: --notify-command and the wording.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/account_security.hpp"
#include "core/notify_command.hpp"

namespace myaccount::cli {

// The --notify-command option of the commands that tell the user of a change.
extern const OptionSpec notify_command_option;
// The --help text of every command with that option.
#define MYA_NOTIFY_HELP                                                                                 \
    "With --notify-command the user is told at every address of the profile and every registered\n" \
    "reset method, each once, as the portal tells of its own changes: the program is run as\n"       \
    "\"PATH [ARG...] email RECIPIENT\" with the message on standard input (like MyAccountNotifyCommand).\n" \
    "Without it no notice is sent. The change is recorded in the user's audit trail."

// The wording of the notices this tool sends, in Japanese and then English (it cannot know which
// one the person reads; the portal words its own from its catalogs in the reader's language), with
// the time of the change.
class PlainWording final : public NoticeWording {
public:
    explicit PlainWording(UnixTime now) : now_(now) {}
    std::optional<Notification> word(SecurityNotice notice, const Account& account,
                                     const std::string& detail) const override;

private:
    UnixTime now_;
};

// The notifier --notify-command names (run like MyAccountNotifyCommand), or one that sends nothing.
// Failures are reported on standard error and counted.
class CliNotices {
public:
    CliNotices(Context& ctx, const ParsedArgs& args);
    AccountSecurity& security() { return security_; }
    // Sends what was posted (waiting for the command) and says what happened, e.g.
    // "; notice sent to 2 addresses" or "; no notice sent (no --notify-command)".
    std::string finish(int told);

private:
    int failures_ = 0;
    std::unique_ptr<CommandNotifier> notifier_;
    PlainWording wording_;
    AccountSecurity security_;
};

}  // namespace myaccount::cli
