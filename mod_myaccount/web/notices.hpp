// The messages the portal sends people (codes, "your password was changed", ...), worded from
// the catalogs in the user's language and handed to the notifier.
#pragma once

#include <string>
#include <vector>

#include "core/model.hpp"
#include "web/respond.hpp"

namespace myaccount::web {

// A one-time code for a reset: queued, sent after the response; the outcome lands on the challenge.
void post_reset_code(const Exchange& exchange, const std::string& recipient, const std::string& code,
                     std::int64_t challenge_id);
// A one-time code proving a new address: sent now; false when the notifier failed.
bool send_verification_code(const Exchange& exchange, const std::string& recipient, const std::string& code);

enum class Notice { password_changed, password_reset, method_added, method_removed };
// Tells the account's addresses (profile and registered) that something changed; queued.
// `detail` fills {address}: the method added (which itself is not told) or removed.
void post_notice(const Exchange& exchange, const Account& account, Notice notice, const std::string& detail = {});

// How long a one-time code lives, in whole minutes, for the pages and messages.
std::string code_minutes(const Exchange& exchange);

}  // namespace myaccount::web
