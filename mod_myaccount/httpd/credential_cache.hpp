// httpd's own credential cache, mod_authn_socache, for scripts on HTTP Basic: with
// "AuthnCacheProvideFor myaccount" an account password costs an argon2 hash once per
// AuthnCacheTimeout instead of on every request. The myaccount provider consults the cache itself
// (AuthBasicProvider names only myaccount), so every rule of a sign-in still applies to a cached one.
#pragma once

#include <httpd.h>

#include "core/crypto.hpp"
#include "core/model.hpp"

namespace myaccount::httpd {

// What the cache holds is tied to the account's password hash and security stamp: a new password
// (changed, reset, or set by myaccountctl), "sign out everywhere" or "This wasn't me" change one of
// them, and every entry made before no longer matches anything.
class CredentialCache {
public:
    CredentialCache(request_rec* r, const SecretKey& key) : r_(r), key_(key) {}

    // Whether the cache holds these credentials for this location (false also when
    // mod_authn_socache is not loaded or does not cache for myaccount here).
    bool holds(const Account& account, const char* password) const;
    // After a right account password: hands the cache a bcrypt hash to check the next ones with
    // (it checks with apr_password_validate, which knows no argon2). It keeps it only where
    // AuthnCacheProvideFor names myaccount.
    void remember(const Account& account, const char* password) const;

private:
    // What stands for the password in the cache: a keyed hash of the password, the account's
    // password hash and security stamp (43 characters, within bcrypt's 72 bytes whatever the
    // password's length).
    std::string proof(const Account& account, const char* password) const;

    request_rec* r_;
    const SecretKey& key_;
};

}  // namespace myaccount::httpd
