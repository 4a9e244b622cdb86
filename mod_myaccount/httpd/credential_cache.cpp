#include "httpd/credential_cache.hpp"

#include <string>

#include <ap_provider.h>
#include <apr_general.h>
#include <apr_md5.h>  // apr_bcrypt_encode
#include <apr_optional.h>
#include <mod_auth.h>

#include "httpd/module.hpp"

namespace myaccount::httpd {

namespace {

// bcrypt's cost for what the cache holds: about 2 ms to check, against 30–50 ms for argon2id.
// The entries live in the cache's shared memory for AuthnCacheTimeout, never in the database.
constexpr int cached_hash_cost = 5;
constexpr apr_size_t bcrypt_salt_bytes = 16;
constexpr apr_size_t bcrypt_hash_size = 61;  // "$2y$05$" + 53 characters + NUL

// mod_authn_socache's provider, looked up per request: it may be loaded after us, or not at all.
const authn_provider* socache_provider() {
    return static_cast<const authn_provider*>(
        ap_lookup_provider(AUTHN_PROVIDER_GROUP, "socache", AUTHN_PROVIDER_VERSION));
}

}  // namespace

std::string CredentialCache::proof(const Account& account, const char* password) const {
    return key_.mac("authn-cache", std::to_string(account.id) + ":" + std::to_string(account.security_stamp) + ":" +
                                       account.password_hash + "\n" + password);
}

bool CredentialCache::holds(const Account& account, const char* password) const {
    const authn_provider* cache = socache_provider();
    if (!cache || !cache->check_password) return false;
    return cache->check_password(r_, account.username.c_str(), proof(account, password).c_str()) == AUTH_GRANTED;
}

void CredentialCache::remember(const Account& account, const char* password) const {
    APR_OPTIONAL_FN_TYPE(ap_authn_cache_store)* store = APR_RETRIEVE_OPTIONAL_FN(ap_authn_cache_store);
    if (!store) return;
    unsigned char salt[bcrypt_salt_bytes];
    char hash[bcrypt_hash_size];
    if (apr_generate_random_bytes(salt, sizeof salt) != APR_SUCCESS ||
        apr_bcrypt_encode(proof(account, password).c_str(), cached_hash_cost, salt, sizeof salt, hash, sizeof hash) !=
            APR_SUCCESS)
        return;  // not cached: the next request checks the password in full
    store(r_, myaccount_provider_name, account.username.c_str(), nullptr, hash);
}

}  // namespace myaccount::httpd
