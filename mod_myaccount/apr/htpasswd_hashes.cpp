#include "apr/htpasswd_hashes.hpp"

#include <apr_md5.h>  // apr_password_validate

namespace myaccount {

bool htpasswd_hash_matches(const std::string& password, const std::string& hash) {
    return apr_password_validate(password.c_str(), hash.c_str()) == APR_SUCCESS;
}

}  // namespace myaccount
