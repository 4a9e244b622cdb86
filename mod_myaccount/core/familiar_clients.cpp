#include "core/familiar_clients.hpp"

#include <string>
#include <vector>

#include "core/devices.hpp"

namespace myaccount {

namespace {
// The latest networks looked at: a person signs in from a handful; an attacker cannot add any.
constexpr int familiar_addresses_looked_at = 50;
}  // namespace

bool is_familiar(Store& store, const Account& account, const ClientInfo& client, UnixTime now) {
    const UnixTime since = now - familiar_for;
    if (!client.device_token.empty() && DeviceRegistry(store).signed_in_since(account, client.device_token, since))
        return true;
    if (client.ip.empty()) return false;
    const std::string network = lockout_network(client.ip);
    for (const std::string& address : store.sign_in_addresses(account.id, since, familiar_addresses_looked_at))
        if (lockout_network(address) == network) return true;
    return false;
}

}  // namespace myaccount
