// Devices: sighted at sign-in, looked up by cookie, listed.
#include "core/devices.hpp"

#include <algorithm>

#include "core/crypto.hpp"
#include "core/session_registry.hpp"

namespace myaccount {

std::string DeviceRegistry::new_token() { return random_token(32); }

// The same shape as a session token (random_token(32)).
bool DeviceRegistry::looks_like_token(const std::string& token) { return SessionRegistry::looks_like_token(token); }

Store::DeviceSighting DeviceRegistry::sight(const Account& account, const std::string& token, const ClientInfo& client,
                                            UnixTime now) {
    return store_.sight_device(account.id, hash_token(token), client.ip, client.user_agent, now);
}

bool DeviceRegistry::disabled_for(const Account& account, const std::string& token) {
    if (!looks_like_token(token)) return false;
    std::optional<Device> device = store_.find_device(account.id, hash_token(token));
    return device && device->disabled_at != 0;
}

bool DeviceRegistry::signed_in_since(const Account& account, const std::string& token, UnixTime since) {
    if (!looks_like_token(token)) return false;
    std::optional<Device> device = store_.find_device(account.id, hash_token(token));
    return device && device->disabled_at == 0 && device->last_sign_in_at >= since;
}

std::vector<Device> DeviceRegistry::devices(const Account& account) { return store_.devices_of(account.id); }

std::optional<Device> DeviceRegistry::find(const Account& account, std::int64_t device_id) {
    std::vector<Device> all = devices(account);
    auto found = std::find_if(all.begin(), all.end(), [&](const Device& d) { return d.id == device_id; });
    if (found == all.end()) return std::nullopt;
    return *found;
}

}  // namespace myaccount
