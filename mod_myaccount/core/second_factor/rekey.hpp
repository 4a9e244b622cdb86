// Carrying authenticator secrets over to a new server key (MyAccountSecretKeyFile).
#pragma once

#include <cstdint>
#include <vector>

#include "core/crypto.hpp"
#include "core/store.hpp"

namespace myaccount {

struct RekeyReport {
    int resealed = 0;                       // opened with the old key, sealed with the new one
    int already_new = 0;                    // the new key opens them already (a run before this one)
    std::vector<std::int64_t> unreadable;   // method ids neither key opens
};

// Seals every authenticator secret under `new_key`. Safe to run again after an interruption: a
// secret the new key opens already is left as it is.
RekeyReport rekey_secrets(Store& store, const SecretKey& old_key, const SecretKey& new_key);

}  // namespace myaccount
