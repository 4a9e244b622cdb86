// The reset flow and method registration: which step may happen, what it writes, what it sends.
#include "core/reset/password_reset.hpp"

#include <algorithm>
#include <set>

#include "core/audit.hpp"
#include "core/challenge.hpp"
#include "core/hourly_limits.hpp"
#include "core/methods/email.hpp"
#include "core/password_sign_in.hpp"
#include "core/session_registry.hpp"
#include "core/text.hpp"

namespace myaccount {

namespace {

constexpr const char* delivery_failures_key = "reset-delivery-failed";

}  // namespace

// --- eligibility

bool ResetEligibility::in_scope(const Account& account) {
    if (policy_.organizations.empty()) return true;
    for (const Membership& membership : store_.memberships_of(account.id)) {
        for (const std::string& name : policy_.organizations)
            if (ascii_lower(name) == ascii_lower(membership.organization.name)) return true;
    }
    return false;
}

bool ResetEligibility::needs_registration(const Account& account) {
    if (!policy_.enabled || account.password_hash.empty() || !in_scope(account)) return false;
    return store_.methods_of(account.id).size() < static_cast<std::size_t>(policy_.methods_required);
}

// --- the reset flow

int PasswordReset::Flow::step() const {
    std::set<std::int64_t> distinct(challenge.proven.begin(), challenge.proven.end());
    distinct.erase(0);
    return static_cast<int>(distinct.size()) + 1;
}

bool PasswordReset::Flow::proven_enough(int required) const { return account && step() > required; }

std::optional<Account> PasswordReset::eligible_account(const std::string& username) {
    std::optional<Account> account;
    if (is_valid_username(username)) account = store_.find_account(username);
    // The same queries whoever it is (id 0 is nobody), so the time tells nothing either.
    AccountId id = account ? account->id : 0;
    bool in_scope = ResetEligibility(store_, policy_).in_scope(account ? *account : Account{});
    bool registered = store_.methods_of(id).size() >= static_cast<std::size_t>(policy_.methods_required);
    if (!account || account->disabled || account->password_hash.empty() || !in_scope || !registered)
        return std::nullopt;
    return account;
}

std::optional<std::string> PasswordReset::start(const std::string& username, const ClientInfo& client, UnixTime now) {
    if (!within_hourly_limits(store_, {{"reset-start-ip", throttled_network(client.ip), policy_.starts_per_address}},
                              now))
        return std::nullopt;
    std::optional<Account> account = eligible_account(username);
    std::string token = random_token();
    Challenge challenge;
    challenge.token_hash = hash_token(token);
    challenge.purpose = ChallengePurpose::reset;
    if (account) {
        challenge.account_id = account->id;
        challenge.security_stamp = account->security_stamp;
    }
    // Not the ID as typed (people type passwords there): a keyed hash the per-user limits count,
    // the same for unknown IDs as for real ones.
    challenge.username = key_.mac("reset-user", ascii_lower(username));
    challenge.created_at = now;
    challenge.expires_at = now + policy_.flow_lifetime();
    challenge.client_ip = client.ip;
    store_.create_challenge(challenge);
    return token;
}

std::optional<PasswordReset::Flow> PasswordReset::find(const std::string& token, UnixTime now) {
    if (!SessionRegistry::looks_like_token(token)) return std::nullopt;
    std::optional<Challenge> challenge = store_.find_challenge(hash_token(token), ChallengePurpose::reset);
    if (!challenge || !is_open(*challenge, now)) return std::nullopt;
    Flow flow{std::move(*challenge), std::nullopt};
    if (flow.challenge.account_id) {
        flow.account = store_.find_account_by_id(*flow.challenge.account_id);
        // A password change, disable or reset since the start ends the flow.
        if (!flow.account || flow.account->disabled || flow.account->security_stamp != flow.challenge.security_stamp)
            return std::nullopt;
    }
    return flow;
}

PasswordReset::CodeRequest PasswordReset::request_code(const Flow& flow, const std::string& address,
                                                       const ClientInfo& client, UnixTime now) {
    CodeRequest request;
    // Counted by the user ID as typed, real or not, so the limits themselves tell nothing: per
    // user ID and client network, and (higher, so one network cannot block someone's reset
    // cheaply) per user ID alone. Only codes issued count, not the requests refused.
    std::string network = throttled_network(client.ip);
    const std::string& user = flow.challenge.username;
    if (!within_hourly_limits(store_,
                              {{"reset-send-user-ip", user + "\n" + network, policy_.sends_per_user},
                               {"reset-send-user", user, policy_.sends_per_user_total},
                               {"reset-send-ip", network, policy_.sends_per_address}},
                              now)) {
        request.limited = true;
        return request;
    }
    std::string code = random_digits(one_time_code_digits);
    std::string target = "0";  // nobody: the code is never sent and cannot be guessed
    if (flow.account) {
        for (const VerificationMethod& method : store_.methods_of(flow.account->id)) {
            bool proven = std::find(flow.challenge.proven.begin(), flow.challenge.proven.end(), method.id) !=
                          flow.challenge.proven.end();
            if (!proven && same_email_address(method.address, normalized_email_address(address))) {
                target = std::to_string(method.id);
                request.recipient = method.address;
                request.code = code;
                break;
            }
        }
    }
    if (!request.code) code = random_token();  // a hash of something no one can type
    UnixTime code_end = std::min(now + policy_.code_lifetime, flow.challenge.expires_at);
    store_.issue_code(flow.challenge.id, target, one_time_code_hash(key_, flow.challenge, code), code_end);
    return request;
}

bool PasswordReset::delivery_failing(const Flow& flow, UnixTime now) {
    if (flow.challenge.code_hash.empty()) return false;
    return store_.throttle_hits(delivery_failures_key, policy_.code_lifetime, now) > 0;
}

void record_reset_delivery(Store& store, std::int64_t challenge, bool delivered, const ResetPolicy& policy,
                           UnixTime now) {
    store.set_delivery(challenge, delivered ? "sent" : "failed");
    if (!delivered) store.throttle_hit(delivery_failures_key, policy.code_lifetime, now);
}

bool PasswordReset::check_code(const Flow& flow, const std::string& code, UnixTime now) {
    return store_.check_code(flow.challenge.id, one_time_code_hash(key_, flow.challenge, code),
                             policy_.max_code_attempts, now) == Store::CodeCheck::accepted;
}

PasswordReset::Outcome PasswordReset::set_password(const Flow& flow, const std::string& next,
                                                   const std::string& confirmation, const ClientInfo& client,
                                                   UnixTime now) {
    Outcome outcome;
    if (!flow.proven_enough(policy_.methods_required)) return outcome;  // not_ready
    PasswordChanger changer(store_, hasher_, rules_);
    outcome.violations = changer.check_new_password(*flow.account, next);
    outcome.mismatch = next != confirmation;
    if (outcome.mismatch || !outcome.violations.empty()) {
        outcome.status = Status::rejected;
        return outcome;
    }
    try {
        store_.complete_reset(flow.challenge.id, hasher_.hash(next),
                              audit_event(flow.account->id, "password_reset", client, now));
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::conflict) throw;
        outcome.status = Status::expired;
        return outcome;
    }
    outcome.status = Status::reset;
    return outcome;
}

// --- registering e-mail methods

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
    std::vector<VerificationMethod> methods = store_.methods_of(account.id);
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
    Challenge challenge;
    challenge.token_hash = hash_token(begun.challenge_token);
    challenge.purpose = ChallengePurpose::add_email;
    challenge.account_id = account.id;
    challenge.username = account.username;
    challenge.security_stamp = account.security_stamp;
    challenge.created_at = now;
    challenge.expires_at = now + policy_.code_lifetime;
    challenge.client_ip = client.ip;
    challenge.id = store_.create_challenge(challenge);
    begun.code = random_digits(one_time_code_digits);
    store_.issue_code(challenge.id, wanted, one_time_code_hash(key_, challenge, begun.code), challenge.expires_at);
    begun.challenge_id = challenge.id;
    begun.status = Status::code_ready;
    return begun;
}

std::optional<Challenge> MethodRegistration::pending(const Account& account, const std::string& challenge_token,
                                                     UnixTime now) {
    if (!SessionRegistry::looks_like_token(challenge_token)) return std::nullopt;
    std::optional<Challenge> challenge =
        store_.find_challenge(hash_token(challenge_token), ChallengePurpose::add_email);
    if (!challenge || challenge->account_id != account.id || !is_open(*challenge, now)) return std::nullopt;
    // A password change or reset since the code was sent ends it, as it ends every session.
    if (challenge->security_stamp != account.security_stamp) return std::nullopt;
    return challenge;
}

std::optional<std::string> MethodRegistration::confirm(const Account& account, const std::string& challenge_token,
                                                       const std::string& code, const ClientInfo& client, UnixTime now) {
    std::optional<Challenge> challenge = pending(account, challenge_token, now);
    if (!challenge) return std::nullopt;
    Store::CodeCheck check = store_.check_code(challenge->id, one_time_code_hash(key_, *challenge, code),
                                               policy_.max_code_attempts, now);
    if (check != Store::CodeCheck::accepted) return std::nullopt;
    try {
        store_.complete_email_registration(challenge->id,
                                           audit_event(account.id, "method_added", client, now, challenge->target));
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
        store_.remove_method(account.id, method_id, audit_event(account.id, "method_removed", client, now, method.address));
        return method.address;
    }
    return std::nullopt;
}

}  // namespace myaccount
