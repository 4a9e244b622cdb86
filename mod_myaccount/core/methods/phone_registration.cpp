// Registering a phone: the number in E.164, a code to it, its proof.
#include "core/methods/phone_registration.hpp"

#include <vector>

#include "core/audit.hpp"
#include "core/challenge.hpp"
#include "core/hourly_limits.hpp"
#include "core/methods/phone_number.hpp"

namespace myaccount {

PhoneRegistration::Begun PhoneRegistration::begin(const Account& account, const std::string& typed,
                                                  const std::string& region, const ClientInfo& client, UnixTime now) {
    Begun begun;
    std::optional<std::string> number = e164_of(typed, region);
    if (!number) return begun;  // bad_number
    begun.number = *number;
    std::size_t phones = 0;
    for (const VerificationMethod& method : store_.methods_of(account.id)) {
        if (method.kind != MethodKind::phone) continue;
        ++phones;
        if (method.address == *number) {
            begun.status = Status::duplicate;
            return begun;
        }
    }
    if (phones >= max_phone_methods) {
        begun.status = Status::limit;
        return begun;
    }
    // One hourly allowance for every code that proves a new address or number.
    if (!within_hourly_limits(store_, {{"verify-send", std::to_string(account.id), policy_.sends_per_user}}, now)) {
        begun.status = Status::too_many;
        return begun;
    }
    begun.challenge_token = random_token();
    Challenge challenge = account_challenge(ChallengePurpose::add_phone, account, begun.challenge_token,
                                            policy_.code_lifetime, client, now);
    begun.challenge_id = store_.create_challenge(challenge);
    challenge.id = begun.challenge_id;
    begun.code = random_digits(one_time_code_digits);
    store_.issue_code(challenge.id, *number, one_time_code_hash(key_, challenge, begun.code), challenge.expires_at);
    begun.status = Status::code_ready;
    return begun;
}

std::optional<Challenge> PhoneRegistration::pending(const Account& account, const std::string& challenge_token,
                                                    UnixTime now) {
    return open_account_challenge(store_, account, challenge_token, ChallengePurpose::add_phone, now);
}

std::optional<std::int64_t> PhoneRegistration::confirm(const Account& account, const std::string& challenge_token,
                                                       const std::string& code, PhoneType type,
                                                       const std::string& label, const ClientInfo& client,
                                                       UnixTime now) {
    std::optional<Challenge> challenge = pending(account, challenge_token, now);
    if (!challenge || type == PhoneType::none) return std::nullopt;
    Store::CodeCheck check = store_.check_code(challenge->id, one_time_code_hash(key_, *challenge, code),
                                               policy_.max_code_attempts, now);
    if (check != Store::CodeCheck::accepted) return std::nullopt;
    try {
        return store_.complete_phone_registration(
            challenge->id, type, label, audit_event(account.id, "method_added", client, now, "phone " + challenge->target),
            max_phone_methods);
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::conflict) throw;
        return std::nullopt;
    }
}

}  // namespace myaccount
