// Familiar clients (smart lockout): a browser or network an account signed in from successfully of
// late. Failures from elsewhere that lock the account account-wide do not lock out a familiar
// client, and the reset-code budget of the account as a whole does not bind one either: an
// attacker's guesses cannot shut the owner out.
#pragma once

#include "core/client_info.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace myaccount {

// How long a successful sign-in keeps its device and network familiar.
inline constexpr UnixTime familiar_for = 90 * 86400;

// True when `client` holds a device cookie of the account that signed in within familiar_for, or
// comes from a client network (lockout_network) the account signed in from within familiar_for.
bool is_familiar(Store& store, const Account& account, const ClientInfo& client, UnixTime now);

}  // namespace myaccount
