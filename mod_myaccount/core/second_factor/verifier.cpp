// The second step's checks: authenticator codes (once per time step), recovery codes, sent codes,
// all behind one lockout the store keeps for every httpd process.
#include "core/second_factor/verifier.hpp"

#include <charconv>

#include "core/audit.hpp"
#include "core/challenge.hpp"
#include "core/hourly_limits.hpp"
#include "core/lockout.hpp"
#include "core/methods/recovery_codes.hpp"
#include "core/methods/totp.hpp"
#include "core/session_registry.hpp"

namespace myaccount {

namespace {

using Result = SecondFactorVerifier::Result;
using Outcome = SecondFactorVerifier::Outcome;

// Wrong guesses that end a sent code, as in the reset flow; the account's lockout counts them too.
constexpr int max_sent_code_attempts = 5;
// Codes one account may be sent per hour at the verify step: each costs a message, and a text
// message costs money (someone who knows the password must not run up a bill).
constexpr std::int64_t sends_per_hour = 10;

Outcome with(Result result, std::int64_t method_id = 0) {
    Outcome outcome;
    outcome.result = result;
    outcome.method_id = method_id;
    return outcome;
}

// While the account's codes are locked nothing is judged: a right code is refused like a wrong one.
std::optional<Outcome> refused_while_locked(UnixTime locked_until) {
    if (locked_until == 0) return std::nullopt;
    Outcome outcome = with(Result::locked);
    outcome.locked_until = locked_until;
    return outcome;
}

bool is_active_authenticator(const VerificationMethod& method) {
    return method.active && method.kind == MethodKind::authenticator;
}

std::optional<std::int64_t> method_id_in(const std::string& target) {
    std::int64_t id = 0;
    auto [end, error] = std::from_chars(target.data(), target.data() + target.size(), id);
    if (error != std::errc() || end != target.data() + target.size() || id <= 0) return std::nullopt;
    return id;
}

}  // namespace

UnixTime SecondFactorVerifier::locked_until(const Account& account, UnixTime now) {
    LockoutState state = store_.second_factor_lockout_of(account.id);
    return is_locked(state, now) ? state.locked_until : 0;
}

SecondFactorVerifier::Outcome SecondFactorVerifier::check_authenticator(const Account& account, std::int64_t method_id,
                                                                        const std::string& code,
                                                                        const ClientInfo& client, UnixTime now) {
    if (std::optional<Outcome> refused = refused_while_locked(locked_until(account, now))) return *refused;
    std::optional<VerificationMethod> method = store_.find_method(account.id, method_id);
    if (!method || !is_active_authenticator(*method)) return with(Result::no_method);
    return check_against(account, {*method}, code, client, now);
}

SecondFactorVerifier::Outcome SecondFactorVerifier::check_any_authenticator(const Account& account,
                                                                            const std::string& code,
                                                                            const ClientInfo& client, UnixTime now) {
    if (std::optional<Outcome> refused = refused_while_locked(locked_until(account, now))) return *refused;
    std::vector<VerificationMethod> authenticators;
    for (VerificationMethod& method : store_.methods_of(account.id))
        if (is_active_authenticator(method)) authenticators.push_back(std::move(method));
    if (authenticators.empty()) return with(Result::no_method);
    return check_against(account, authenticators, code, client, now);
}

SecondFactorVerifier::Outcome SecondFactorVerifier::check_against(const Account& account,
                                                                  const std::vector<VerificationMethod>& authenticators,
                                                                  const std::string& code, const ClientInfo& client,
                                                                  UnixTime now) {
    Outcome outcome = with(Result::wrong, authenticators.size() == 1 ? authenticators.front().id : 0);
    // Anything but six digits is a wrong code like any other: it counts.
    if (!looks_like_totp_code(code)) return judged(account, MethodKind::authenticator, outcome, client, now);
    for (const VerificationMethod& method : authenticators) {
        std::optional<TotpMatch> match =
            match_sealed_totp(key_, account.id, method.secret_box, code, now, policy_.totp_window);
        if (!match) continue;
        outcome.method_id = method.id;
        // The replay guard, atomic in the store: of two requests with one code, one gets here first.
        if (store_.accept_authenticator_step(account.id, method.id, match->step, now)) {
            outcome.result = Result::accepted;
            outcome.clock_off = clock_seems_off(*match, policy_.totp_window);
        } else {
            outcome.result = Result::used;
            outcome.replayed = true;
            store_.record_event(audit_event(account.id, "second_factor_replay", client, now, method.label));
        }
        break;
    }
    return judged(account, MethodKind::authenticator, outcome, client, now);
}

SecondFactorVerifier::Outcome SecondFactorVerifier::check_recovery_code(const Account& account, const std::string& code,
                                                                        const ClientInfo& client, UnixTime now) {
    if (std::optional<Outcome> refused = refused_while_locked(locked_until(account, now))) return *refused;
    std::string normalized = normalized_recovery_code(code);
    std::optional<int> left;
    if (!normalized.empty())
        left = store_.use_recovery_code(account.id, recovery_code_hash(key_, account.id, normalized), now);
    if (!left) return judged(account, MethodKind::recovery_codes, with(Result::wrong), client, now);
    Outcome outcome = with(Result::accepted);
    outcome.recovery_left = *left;
    for (const VerificationMethod& method : store_.methods_of(account.id))
        if (method.kind == MethodKind::recovery_codes) outcome.method_id = method.id;
    return judged(account, MethodKind::recovery_codes, outcome, client, now);
}

std::optional<SecondFactorVerifier::SentCode> SecondFactorVerifier::send_code(const Account& account,
                                                                              std::int64_t method_id,
                                                                              const ClientInfo& client, UnixTime now) {
    if (locked_until(account, now) != 0) return std::nullopt;
    std::optional<VerificationMethod> method = store_.find_method(account.id, method_id);
    if (!method || !method->active || !sends_code(method->kind)) return std::nullopt;
    if (!within_hourly_limits(store_, {{"second-factor-send", std::to_string(account.id), sends_per_hour}}, now))
        return std::nullopt;

    SentCode sent;
    sent.challenge_token = random_token();
    Challenge challenge = account_challenge(ChallengePurpose::second_factor, account, sent.challenge_token,
                                            policy_.code_lifetime, client, now);
    challenge.id = store_.create_challenge(challenge);
    sent.code = random_digits(one_time_code_digits);
    store_.issue_code(challenge.id, std::to_string(method->id), one_time_code_hash(key_, challenge, sent.code),
                      challenge.expires_at);
    sent.recipient = method->address;
    sent.kind = method->kind;
    return sent;
}

SecondFactorVerifier::Outcome SecondFactorVerifier::check_sent_code(const Account& account,
                                                                    const std::string& challenge_token,
                                                                    const std::string& code, const ClientInfo& client,
                                                                    UnixTime now) {
    if (std::optional<Outcome> refused = refused_while_locked(locked_until(account, now))) return *refused;
    if (!SessionRegistry::looks_like_token(challenge_token)) return with(Result::expired);
    std::optional<Challenge> challenge =
        store_.find_challenge(hash_token(challenge_token), ChallengePurpose::second_factor);
    // Another account's challenge is as good as none; a password change since the code was sent ends it.
    if (!challenge || challenge->account_id != account.id || !is_open(*challenge, now) ||
        challenge->security_stamp != account.security_stamp)
        return with(Result::expired);
    // A method removed since the code was sent no longer proves anything.
    std::optional<std::int64_t> method_id = method_id_in(challenge->target);
    std::optional<VerificationMethod> method =
        method_id ? store_.find_method(account.id, *method_id) : std::optional<VerificationMethod>();
    if (!method || !method->active || !sends_code(method->kind)) return with(Result::no_method);

    switch (store_.check_code(challenge->id, one_time_code_hash(key_, *challenge, code), max_sent_code_attempts, now)) {
        case Store::CodeCheck::accepted:
            try {
                store_.complete_second_factor(challenge->id, now);
            } catch (const StoreError& e) {
                if (e.kind() != StoreError::Kind::conflict) throw;
                return with(Result::expired, method->id);
            }
            return judged(account, method->kind, with(Result::accepted, method->id), client, now);
        case Store::CodeCheck::wrong:
            return judged(account, method->kind, with(Result::wrong, method->id), client, now);
        case Store::CodeCheck::expired:
        case Store::CodeCheck::none:
            break;
    }
    return with(Result::expired, method->id);
}

SecondFactorVerifier::Outcome SecondFactorVerifier::judged(const Account& account, MethodKind kind, Outcome outcome,
                                                           const ClientInfo& client, UnixTime now) {
    switch (outcome.result) {
        case Result::accepted:
            count_second_factor_success(store_, account.id);
            store_.record_event(audit_event(account.id, "second_factor_passed", client, now, to_string(kind)));
            break;
        case Result::wrong:
        case Result::used: {
            LockoutState state = count_second_factor_failure(store_, account.id, policy_.lockout, now);
            if (is_locked(state, now)) {
                // The failure that locks is the one the trail keeps; those before it are only counted.
                store_.record_event(audit_event(account.id, "second_factor_locked", client, now, to_string(kind)));
                outcome.result = Result::locked;
                outcome.locked_until = state.locked_until;
            }
            break;
        }
        case Result::locked:
        case Result::no_method:
        case Result::expired:
            break;
    }
    return outcome;
}

}  // namespace myaccount
