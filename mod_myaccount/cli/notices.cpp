// myaccountctl's notifier and notice wording; who is told is AccountSecurity's decision.
#include "cli/notices.hpp"

#include <unistd.h>

#include <iostream>
#include <sstream>
#include <vector>

#include "cli/errors.hpp"
#include "cli/output.hpp"
#include "cli/validation.hpp"

namespace myaccount::cli {

const OptionSpec notify_command_option{
    "notify-command", "CMD", false,
    "tell the user with this program, run like MyAccountNotifyCommand (\"PATH [ARG...]\")"};

namespace {

std::vector<std::string> command_words(Context& ctx, const ParsedArgs& args) {
    std::vector<std::string> words;
    std::optional<std::string> value = args.value("notify-command");
    if (!value) return words;
    std::istringstream split(*value);
    for (std::string word; split >> word;) words.push_back(word);
    if (words.empty()) throw UsageError("option '--notify-command' needs a program", ctx.command());
    if (words[0].front() != '/' || ::access(words[0].c_str(), X_OK) != 0) {
        throw UsageError("option '--notify-command': '" + printable(words[0]) +
                             "' is not an executable file given by its absolute path",
                         ctx.command());
    }
    return words;
}

// One notice in both of the portal's languages: this tool does not know which one the person reads.
struct Words {
    std::string japanese;
    std::string english;
};

Notification bilingual(const Words& subject, const Words& body, UnixTime when) {
    const std::string at = format_time(when);
    Notification notification;
    notification.subject = subject.japanese + " / " + subject.english;
    notification.body = body.japanese + "\n日時: " + at + "\n心当たりがない場合は、すぐに管理者に連絡してください。\n\n---\n\n" +
                        body.english + "\nWhen: " + at +
                        "\nIf you did not expect this, contact your administrator right away.\n";
    return notification;
}

}  // namespace

std::optional<Notification> PlainWording::word(SecurityNotice notice, const Account& account,
                                               const std::string& detail) const {
    const std::string& user = account.username;
    switch (notice) {
    case SecurityNotice::password_set_by_admin:
        return bilingual({"パスワードが変更されました", "Your password was changed"},
                         {"管理者がアカウント " + user + " に新しいパスワードを設定し、すべてからサインアウトしました。\n",
                          "An administrator set a new password for your account " + user +
                              ", and you were signed out everywhere.\n"},
                         now_);
    case SecurityNotice::account_disabled:
        return bilingual({"アカウントが無効になりました", "Your account was disabled"},
                         {"管理者がアカウント " + user +
                              " を無効にし、すべてからサインアウトしました。再び有効になるまでサインインできません。\n",
                          "An administrator disabled your account " + user +
                              ", and you were signed out everywhere. You cannot sign in until it is enabled again.\n"},
                         now_);
    case SecurityNotice::account_enabled:
        return bilingual({"アカウントが有効になりました", "Your account was enabled"},
                         {"管理者がアカウント " + user + " を再び有効にしました。サインインできます。\n",
                          "An administrator enabled your account " + user + " again: you can sign in.\n"},
                         now_);
    case SecurityNotice::device_disabled:
        return bilingual({"デバイスがアカウントにサインインできなくなりました",
                          "A device can no longer sign in to your account"},
                         {"管理者がアカウント " + user + " のデバイス「" + detail +
                              "」を無効にしました。サインアウトされ、再び有効になるまでサインインできません。\n",
                          "An administrator disabled the device \"" + detail + "\" for your account " + user +
                              ": it was signed out and cannot sign in until it is enabled again.\n"},
                         now_);
    case SecurityNotice::device_enabled:
        return bilingual({"デバイスが再びアカウントにサインインできるようになりました",
                          "A device can sign in to your account again"},
                         {"管理者がアカウント " + user + " のデバイス「" + detail + "」を再び有効にしました。\n",
                          "An administrator enabled the device \"" + detail + "\" for your account " + user +
                              " again: it can sign in.\n"},
                         now_);
    case SecurityNotice::organization_left:
    case SecurityNotice::new_device_sign_in:
    case SecurityNotice::not_me:
    case SecurityNotice::password_changed:
    case SecurityNotice::password_reset:
    case SecurityNotice::method_added:
    case SecurityNotice::method_removed:
    case SecurityNotice::two_step_method_added:
    case SecurityNotice::two_step_method_removed:
    case SecurityNotice::method_renamed:
    case SecurityNotice::default_method_changed:
    case SecurityNotice::recovery_codes_renewed:
    case SecurityNotice::app_password_created:
    case SecurityNotice::app_password_revoked:
    case SecurityNotice::browser_forgotten:
    case SecurityNotice::code_replayed:
    case SecurityNotice::signed_out_everywhere: return std::nullopt;  // the portal's own changes
    }
    return std::nullopt;
}

CliNotices::CliNotices(Context& ctx, const ParsedArgs& args)
    : notifier_(std::make_unique<CommandNotifier>(
          command_words(ctx, args), [](std::int64_t, bool) {},
          [this](const std::string& line) {
              ++failures_;
              std::cerr << "myaccountctl: warning: " << line << '\n';
          })),
      wording_(ctx.now()),
      security_(ctx.store(), *notifier_, wording_) {}

std::string CliNotices::finish(int told) {
    if (!notifier_->available()) return "; no notice sent (no --notify-command)";
    notifier_->stop(std::chrono::seconds(30));
    if (told == 0) return "; no notice sent (no e-mail address)";
    const int sent = told - failures_;
    std::string said = "; notice sent to " + std::to_string(sent) + (sent == 1 ? " address" : " addresses");
    if (failures_ > 0) said += " (" + std::to_string(failures_) + " failed)";
    return said;
}

}  // namespace myaccount::cli
