// The htpasswd hash formats APR-util understands ($apr1$, $2y$ bcrypt, {SHA}, crypt), for the
// password hasher to verify hashes imported with `myaccountctl user import-htpasswd`. Kept at the
// edge so the core carries no APR header; the module and myaccountctl hand it to PasswordHasher.
#pragma once

#include <string>

namespace myaccount {

bool htpasswd_hash_matches(const std::string& password, const std::string& hash);

}  // namespace myaccount
