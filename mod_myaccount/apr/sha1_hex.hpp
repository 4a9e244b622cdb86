// SHA-1 as 40 upper-case hex digits, APR-util's (apr_sha1), for looking passwords up in the
// breached-password hash file (core/breached_passwords.hpp), which is keyed by it. Kept at the
// edge so the core carries no APR header; the module and myaccountctl hand it to BreachedPasswords.
#pragma once

#include <string>
#include <string_view>

namespace myaccount {

std::string sha1_hex(std::string_view bytes);

}  // namespace myaccount
