// One-time codes kept as keyed hashes, bound to their challenge; a challenge's life.
#include "core/challenge.hpp"

#include <algorithm>

#include "core/session_registry.hpp"
#include "core/text.hpp"

namespace myaccount {

Challenge account_challenge(ChallengePurpose purpose, const Account& account, const std::string& token,
                            UnixTime lifetime, const ClientInfo& client, UnixTime now) {
    Challenge challenge;
    challenge.token_hash = hash_token(token);
    challenge.purpose = purpose;
    challenge.account_id = account.id;
    challenge.username = account.username;
    challenge.security_stamp = account.security_stamp;
    challenge.created_at = now;
    challenge.expires_at = now + lifetime;
    challenge.client_ip = client.ip;
    return challenge;
}

bool is_open(const Challenge& challenge, UnixTime now) {
    return challenge.completed_at == 0 && challenge.expires_at > now;
}

std::string one_time_code_hash(const SecretKey& key, const Challenge& challenge, const std::string& code) {
    return key.mac("one-time-code", std::string(to_string(challenge.purpose)) + ":" + std::to_string(challenge.id) +
                                        ":" + trim_spaces(code));
}

bool looks_like_code(const std::string& code) {
    std::string digits = trim_spaces(code);
    return digits.size() == one_time_code_digits &&
           std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Challenge> open_account_challenge(Store& store, const Account& account, const std::string& token,
                                                ChallengePurpose purpose, UnixTime now) {
    if (!SessionRegistry::looks_like_token(token)) return std::nullopt;
    std::optional<Challenge> challenge = store.find_challenge(hash_token(token), purpose);
    if (!challenge || challenge->account_id != account.id || !is_open(*challenge, now)) return std::nullopt;
    if (challenge->security_stamp != account.security_stamp) return std::nullopt;
    return challenge;
}

namespace {
std::optional<std::int64_t> method_id_of(const std::string& target) {
    if (target.empty() || target.size() > 18) return std::nullopt;
    if (!std::all_of(target.begin(), target.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    return std::stoll(target);
}
}  // namespace

CodeVerdict judge_code_guess(const Challenge& challenge, const std::string& code_hash, int max_attempts,
                             UnixTime now) {
    if (!is_open(challenge, now)) return {Store::CodeCheck::expired, std::nullopt};
    if (challenge.code_hash.empty()) return {Store::CodeCheck::none, std::nullopt};
    if (challenge.code_expires_at <= now) return {Store::CodeCheck::expired, std::nullopt};

    CodeState next{challenge.code_hash, challenge.code_expires_at, challenge.code_attempts, challenge.proven};
    if (challenge.code_attempts < max_attempts && constant_time_equal(challenge.code_hash, code_hash)) {
        if (challenge.purpose == ChallengePurpose::add_email || challenge.purpose == ChallengePurpose::add_phone) {
            next.proven = {0};  // the target holds the address or number itself
        } else {
            auto method = method_id_of(challenge.target);
            if (!method) {
                throw StoreError(StoreError::Kind::invalid,
                                 "challenge " + std::to_string(challenge.id) + " has a code for no method id");
            }
            if (std::find(next.proven.begin(), next.proven.end(), *method) == next.proven.end())
                next.proven.push_back(*method);
        }
        next.code_hash.clear();
        next.code_expires_at = 0;
        next.code_attempts = 0;
        return {Store::CodeCheck::accepted, std::move(next)};
    }
    next.code_attempts = challenge.code_attempts + 1;
    if (next.code_attempts >= max_attempts) {
        next.code_hash.clear();
        next.code_expires_at = 0;
    }
    return {Store::CodeCheck::wrong, std::move(next)};
}

}  // namespace myaccount
