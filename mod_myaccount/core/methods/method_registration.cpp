// Registering an e-mail method: the password again, a code to the address, its proof; removal.
#include "core/methods/method_registration.hpp"

#include <vector>

#include "core/audit.hpp"
#include "core/challenge.hpp"
#include "core/hourly_limits.hpp"
#include "core/methods/email.hpp"
#include "core/password_sign_in.hpp"
#include "core/reset/reset_eligibility.hpp"

namespace myaccount {

MethodRegistration::Begun MethodRegistration::begin(const Account& account, const std::string& address,
                                                    const std::string& password, const ClientInfo& client,
                                                    UnixTime now) {
    Begun begun;
    std::string wanted = normalized_email_address(address);
    if (!is_email_method_address(wanted)) return begun;  // bad_address
    PasswordSignIn passwords(store_, hasher_, rules_.lockout, rules_.throttle);
    switch (passwords.reauthenticate(account, password, client, SignInMethod::other, now)) {
    case PasswordSignIn::Proof::locked: begun.status = Status::locked; return begun;
    case PasswordSignIn::Proof::wrong: begun.status = Status::wrong_password; return begun;
    case PasswordSignIn::Proof::proven: break;
    }
    // The policy's limit is on e-mail methods: other kinds have limits of their own.
    std::vector<VerificationMethod> methods = email_methods_of(store_, account.id);
    for (const VerificationMethod& method : methods) {
        if (same_email_address(method.address, wanted)) {
            begun.status = Status::duplicate;
            return begun;
        }
    }
    if (methods.size() >= policy_.max_methods) {
        begun.status = Status::limit;
        return begun;
    }
    if (!within_hourly_limits(store_, {{"verify-send", std::to_string(account.id), policy_.sends_per_user}}, now)) {
        begun.status = Status::too_many;
        return begun;
    }
    begun.challenge_token = random_token();
    Challenge challenge = account_challenge(ChallengePurpose::add_email, account, begun.challenge_token,
                                            policy_.code_lifetime, client, now);
    challenge.id = store_.create_challenge(challenge);
    begun.code = random_digits(one_time_code_digits);
    store_.issue_code(challenge.id, wanted, one_time_code_hash(key_, challenge, begun.code), challenge.expires_at);
    begun.challenge_id = challenge.id;
    begun.status = Status::code_ready;
    return begun;
}

std::optional<Challenge> MethodRegistration::pending(const Account& account, const std::string& challenge_token,
                                                     UnixTime now) {
    return open_account_challenge(store_, account, challenge_token, ChallengePurpose::add_email, now);
}

std::optional<std::string> MethodRegistration::confirm(const Account& account, const std::string& challenge_token,
                                                       const std::string& code, const ClientInfo& client,
                                                       UnixTime now) {
    std::optional<Challenge> challenge = pending(account, challenge_token, now);
    if (!challenge) return std::nullopt;
    Store::CodeCheck check = store_.check_code(challenge->id, one_time_code_hash(key_, *challenge, code),
                                               policy_.max_code_attempts, now);
    if (check != Store::CodeCheck::accepted) return std::nullopt;
    try {
        store_.complete_email_registration(challenge->id,
                                           audit_event(account.id, "method_added", client, now, challenge->target),
                                           policy_.max_methods);
        // Registered: the "not now" count starts afresh, should the methods ever be removed again.
        store_.clear_postponed_registration(account.id);
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::conflict) throw;
        return std::nullopt;
    }
    return challenge->target;
}

std::optional<std::string> MethodRegistration::remove(const Account& account, std::int64_t method_id,
                                                      const ClientInfo& client, UnixTime now) {
    for (const VerificationMethod& method : store_.methods_of(account.id)) {
        if (method.id != method_id) continue;
        store_.remove_method(account.id, method_id,
                             audit_event(account.id, "method_removed", client, now, method.address));
        return method.address;
    }
    return std::nullopt;
}

}  // namespace myaccount
