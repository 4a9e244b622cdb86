// The reset flow: which step may happen, what it writes, what it sends.
#include "core/reset/password_reset.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "core/audit.hpp"
#include "core/challenge.hpp"
#include "core/familiar_clients.hpp"
#include "core/hourly_limits.hpp"
#include "core/methods/email.hpp"
#include "core/methods/recovery_codes.hpp"
#include "core/methods/totp.hpp"
#include "core/second_factor/verifier.hpp"
#include "core/reset/reset_eligibility.hpp"
#include "core/session_registry.hpp"
#include "core/text.hpp"

namespace myaccount {

namespace {

constexpr const char* delivery_failures_key = "reset-delivery-failed";

}  // namespace

namespace {

// A 2-step method a reset must include when the account has one: anything but an inbox.
bool beyond_email(const VerificationMethod& method) { return method.kind != MethodKind::email; }

// The method a code typed as `address` goes to: an e-mail address (as addresses compare), or a
// phone's E.164 number.
bool is_sent_to(const VerificationMethod& method, const std::string& address) {
    if (method.kind == MethodKind::email) return same_email_address(method.address, normalized_email_address(address));
    return method.kind == MethodKind::phone && method.address == address;
}

const char* channel_of(const VerificationMethod& method) {
    return method.kind == MethodKind::email ? "email" : phone_channel(method.phone_type);
}

bool has_method(const PasswordReset::Flow& flow, bool (*wanted)(const VerificationMethod&), bool proven_only) {
    for (const VerificationMethod& method : flow.methods) {
        if (!wanted(method)) continue;
        const std::vector<std::int64_t>& proven = flow.challenge.proven;
        if (!proven_only || std::find(proven.begin(), proven.end(), method.id) != proven.end()) return true;
    }
    return false;
}

}  // namespace

int PasswordReset::Flow::step() const {
    std::set<std::int64_t> distinct(challenge.proven.begin(), challenge.proven.end());
    distinct.erase(0);
    return static_cast<int>(distinct.size()) + 1;
}

int PasswordReset::Flow::proofs_needed(int required) const {
    bool owes_two_step = has_method(*this, beyond_email, false) && !has_method(*this, beyond_email, true);
    return std::max(required, step() - 1 + (owes_two_step ? 1 : 0));
}

bool PasswordReset::Flow::proven_enough(int required) const {
    return account && step() > proofs_needed(required);
}

std::optional<Account> PasswordReset::eligible_account(const std::string& username) {
    std::optional<Account> account;
    if (is_valid_username(username)) account = store_.find_account(username);
    // The same queries whoever it is (id 0 is nobody), so the time tells nothing either.
    AccountId id = account ? account->id : 0;
    bool in_scope = ResetEligibility(store_, policy_).in_scope(account ? *account : Account{});
    bool registered = reset_methods_of(store_, id).size() >= static_cast<std::size_t>(policy_.methods_required);
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
    Flow flow{std::move(*challenge), std::nullopt, {}};
    if (flow.challenge.account_id) {
        flow.account = store_.find_account_by_id(*flow.challenge.account_id);
        // A password change, disable or reset since the start ends the flow.
        if (!flow.account || flow.account->disabled || flow.account->security_stamp != flow.challenge.security_stamp)
            return std::nullopt;
        flow.methods = reset_methods_of(store_, flow.account->id);
    }
    return flow;
}

PasswordReset::CodeRequest PasswordReset::request_code(const Flow& flow, const std::string& address,
                                                       const ClientInfo& client, UnixTime now) {
    CodeRequest request;
    // Counted by the user ID as typed, real or not, so the limits themselves tell nothing: per
    // user ID and client network, and (higher, so one network cannot block someone's reset
    // cheaply) per user ID alone. Only codes issued count, not the requests refused.
    // The per-user-ID budget does not bind a familiar browser or network of the account (smart
    // lockout): requests from elsewhere cannot block the owner's own reset.
    std::string network = throttled_network(client.ip);
    const std::string& user = flow.challenge.username;
    const bool familiar = flow.account && is_familiar(store_, *flow.account, client, now);
    const std::int64_t per_user_total = familiar ? std::numeric_limits<std::int64_t>::max() : policy_.sends_per_user_total;
    if (!within_hourly_limits(store_,
                              {{"reset-send-user-ip", user + "\n" + network, policy_.sends_per_user},
                               {"reset-send-user", user, per_user_total},
                               {"reset-send-ip", network, policy_.sends_per_address}},
                              now)) {
        request.limited = true;
        return request;
    }
    std::string code = random_digits(one_time_code_digits);
    std::string target = "0";  // nobody: the code is never sent and cannot be guessed
    if (flow.account) {
        for (const VerificationMethod& method : flow.methods) {
            if (!is_sent_to(method, address)) continue;
            bool proven = std::find(flow.challenge.proven.begin(), flow.challenge.proven.end(), method.id) !=
                          flow.challenge.proven.end();
            if (proven) continue;
            target = std::to_string(method.id);
            request.recipient = method.address;
            request.channel = channel_of(method);
            request.code = code;
            break;
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

SecondFactorVerifier::Outcome PasswordReset::check_authenticator_code(const Flow& flow, const std::string& code,
                                                                     const SecondFactorPolicy& policy,
                                                                     const ClientInfo& client, UnixTime now) {
    if (!flow.account) {
        // Nobody: the same check against a secret no one has.
        match_totp(new_totp_secret(), code, now, policy.totp_window);
        return {};
    }
    SecondFactorVerifier verifier(store_, key_, policy);
    return kept_on_flow(flow, verifier.check_any_authenticator(*flow.account, code, client, now), now);
}

SecondFactorVerifier::Outcome PasswordReset::check_recovery_code(const Flow& flow, const std::string& code,
                                                                const SecondFactorPolicy& policy,
                                                                const ClientInfo& client, UnixTime now) {
    if (!flow.account) {
        recovery_code_hash(key_, 0, normalized_recovery_code(code));
        return {};
    }
    SecondFactorVerifier verifier(store_, key_, policy);
    return kept_on_flow(flow, verifier.check_recovery_code(*flow.account, code, client, now), now);
}

SecondFactorVerifier::Outcome PasswordReset::kept_on_flow(const Flow& flow, SecondFactorVerifier::Outcome outcome,
                                                          UnixTime now) {
    // A flow completed or replaced meanwhile takes no proof: the method passed, the flow did not.
    if (outcome.result == SecondFactorVerifier::Result::accepted &&
        !store_.add_challenge_proof(flow.challenge.id, outcome.method_id, now))
        outcome.result = SecondFactorVerifier::Result::expired;
    return outcome;
}

PasswordReset::Outcome PasswordReset::set_password(const Flow& flow, const std::string& next,
                                                   const std::string& confirmation, const ClientInfo& client,
                                                   UnixTime now) {
    Outcome outcome;
    if (!flow.proven_enough(policy_.methods_required)) return outcome;  // not_ready
    PasswordChanger changer(store_, hasher_, rules_);
    PasswordCheck check = changer.check_new_password(*flow.account, next);
    outcome.violations = std::move(check.violations);
    outcome.feedback = std::move(check.feedback);
    outcome.mismatch = next != confirmation;
    if (outcome.mismatch || !outcome.violations.empty()) {
        outcome.status = Status::rejected;
        return outcome;
    }
    try {
        // The rule: a password change, disable or sign-out-everywhere since the flow began (the
        // security stamp moved) ends the flow, even one that moves it while this reset completes.
        store_.complete_reset(flow.challenge.id, flow.challenge.security_stamp, hasher_.hash(next),
                              audit_event(flow.account->id, "password_reset", client, now));
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::conflict) throw;
        outcome.status = Status::expired;
        return outcome;
    }
    outcome.status = Status::reset;
    return outcome;
}

}  // namespace myaccount
