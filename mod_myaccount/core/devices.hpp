// Devices: the browsers a person signs in from, each known by a long-lived random cookie that
// outlives sign-out (the store keeps only its hash). A device disabled for an account refuses that
// account's sign-ins until an administrator enables it again; other accounts on it are not concerned.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/client_info.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace myaccount {

class DeviceRegistry {
public:
    explicit DeviceRegistry(Store& store) : store_(store) {}

    // The value of a new device cookie.
    static std::string new_token();
    static bool looks_like_token(const std::string& token);

    // A sign-in of `account` from the browser holding `token` (a well-formed one): the device,
    // made on first sight, this sign-in recorded on it.
    Store::DeviceSighting sight(const Account& account, const std::string& token, const ClientInfo& client,
                                UnixTime now);
    // True when the browser holding `token` is a device disabled for this account.
    bool disabled_for(const Account& account, const std::string& token);
    // True when the browser holding `token` is a device of this account that may sign in and did
    // so since `since`.
    bool signed_in_since(const Account& account, const std::string& token, UnixTime since);
    std::vector<Device> devices(const Account& account);
    // The account's device with this id, or none (another account's id included).
    std::optional<Device> find(const Account& account, std::int64_t device_id);

private:
    Store& store_;
};

}  // namespace myaccount
