// One-time codes kept as keyed hashes, bound to their challenge; a challenge's life.
#include "core/challenge.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace myaccount {

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
