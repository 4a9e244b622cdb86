// A signed-in user registering and removing the e-mail methods a password reset proves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/client_info.hpp"
#include "core/crypto.hpp"
#include "core/model.hpp"
#include "core/password_change.hpp"
#include "core/password_hasher.hpp"
#include "core/reset/reset_policy.hpp"
#include "core/store.hpp"

namespace myaccount {

// A signed-in user registering e-mail addresses for reset: the password again, then a code sent
// to the address proves it is theirs.
class MethodRegistration {
public:
    MethodRegistration(Store& store, const SecretKey& key, const PasswordHasher& hasher,
                       const PasswordChangeRules& rules, const ResetPolicy& policy)
        : store_(store), key_(key), hasher_(hasher), rules_(rules), policy_(policy) {}

    enum class Status { code_ready, bad_address, wrong_password, locked, limit, too_many, duplicate };
    struct Begun {
        Status status = Status::bad_address;
        std::string challenge_token;  // for the code form
        std::string code;             // for the caller to send now
        std::int64_t challenge_id = 0;
    };
    Begun begin(const Account& account, const std::string& address, const std::string& password,
                const ClientInfo& client, UnixTime now);

    // The address of the pending challenge this token names for this account, if it is open.
    std::optional<Challenge> pending(const Account& account, const std::string& challenge_token, UnixTime now);
    // The address, when the code proved it and it is now registered.
    std::optional<std::string> confirm(const Account& account, const std::string& challenge_token,
                                       const std::string& code, const ClientInfo& client, UnixTime now);
    // The address removed; none when the account has no such method.
    std::optional<std::string> remove(const Account& account, std::int64_t method_id, const ClientInfo& client,
                                      UnixTime now);

private:
    Store& store_;
    const SecretKey& key_;
    const PasswordHasher& hasher_;
    const PasswordChangeRules& rules_;
    const ResetPolicy& policy_;
};

}  // namespace myaccount
