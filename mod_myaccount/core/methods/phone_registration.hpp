// A signed-in user registering a phone (mobile, alternate mobile, office) as a 2-step method: the
// number as people type it, then a code sent to it (text message, or a call for an office phone).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/client_info.hpp"
#include "core/crypto.hpp"
#include "core/model.hpp"
#include "core/reset/reset_policy.hpp"
#include "core/store.hpp"

namespace myaccount {

// At most this many phones per account (mobile, alternate mobile and office, and a spare).
constexpr std::size_t max_phone_methods = 4;

class PhoneRegistration {
public:
    PhoneRegistration(Store& store, const SecretKey& key, const ResetPolicy& policy)
        : store_(store), key_(key), policy_(policy) {}

    enum class Status { code_ready, bad_number, duplicate, limit, too_many };
    struct Begun {
        Status status = Status::bad_number;
        std::string number;           // E.164, for the caller to send the code to
        std::string challenge_token;  // for the code form
        std::string code;             // for the caller to send now
        std::int64_t challenge_id = 0;
    };
    // `region`: the country of numbers typed without "+" (MyAccountDefaultCountry).
    Begun begin(const Account& account, const std::string& typed, const std::string& region,
                const ClientInfo& client, UnixTime now);

    // The open add_phone challenge this token names for this account (its target: the number).
    std::optional<Challenge> pending(const Account& account, const std::string& challenge_token, UnixTime now);
    // The new method's id, when the code proved the number and it is now registered.
    std::optional<std::int64_t> confirm(const Account& account, const std::string& challenge_token,
                                        const std::string& code, PhoneType type, const std::string& label,
                                        const ClientInfo& client, UnixTime now);

private:
    Store& store_;
    const SecretKey& key_;
    const ResetPolicy& policy_;
};

}  // namespace myaccount
