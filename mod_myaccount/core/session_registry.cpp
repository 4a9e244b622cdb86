// Session lifecycle: start, resume with every validity rule checked, end.
#include "core/session_registry.hpp"

#include <algorithm>

#include "core/crypto.hpp"

namespace myaccount {

namespace {
constexpr std::size_t token_bytes = 32;          // 256 bits from the system CSPRNG
constexpr std::size_t token_length = 43;         // base64url of 32 bytes, no padding
constexpr std::int64_t prune_every = 256;        // prune ended sessions every so many starts
constexpr UnixTime keep_ended_for = 30 * 86400;  // the activity page shows a month of sessions
constexpr UnixTime keep_challenges_for = 86400;  // flows and code checks last an hour at most
}  // namespace

bool SessionRegistry::looks_like_token(const std::string& token) {
    return token.size() == token_length &&
           std::all_of(token.begin(), token.end(), [](unsigned char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
           });
}

SessionRegistry::Started SessionRegistry::start(const Account& account, const ClientInfo& client,
                                                const std::string& data, UnixTime now) {
    Started started;
    started.token = random_token(token_bytes);
    Session& s = started.session;
    s.token_hash = hash_token(started.token);
    s.account_id = account.id;
    s.security_stamp = account.security_stamp;
    s.created_at = now;
    s.last_seen_at = now;
    s.expires_at = now + settings_.max_lifetime;
    s.client_ip = client.ip;
    s.user_agent = client.user_agent;
    s.data = data;
    s.id = store_.create_session(s);
    if (s.id % prune_every == 0) {
        store_.prune_sessions(now - keep_ended_for);
        // Challenges (reset flows, address checks) and throttle windows over a day ago: pruned
        // here, where sign-ins come often whether or not reset is on.
        store_.prune_challenges(now - keep_challenges_for);
    }
    return started;
}

const char* SessionRegistry::end_reason(const Store::SessionWithAccount& found, UnixTime now) const {
    const Session& s = found.session;
    if (found.account.disabled) return "account_disabled";
    if (s.security_stamp != found.account.security_stamp) return "credentials_changed";
    if (now >= s.expires_at) return "expired";
    if (now - s.last_seen_at >= settings_.idle_timeout) return "idle";
    return nullptr;
}

std::optional<SessionRegistry::Active> SessionRegistry::resume(const std::string& token, UnixTime now) {
    if (!looks_like_token(token)) return std::nullopt;
    std::optional<Store::SessionWithAccount> found = store_.find_session(hash_token(token));
    if (!found || found->session.ended_at != 0) return std::nullopt;
    if (const char* reason = end_reason(*found, now)) {
        store_.end_session(found->session.id, reason, now);
        return std::nullopt;
    }
    if (now - found->session.last_seen_at >= settings_.touch_interval) {
        store_.touch_session(found->session.id, now);
        found->session.last_seen_at = now;
    }
    return Active{std::move(found->session), std::move(found->account)};
}

void SessionRegistry::end(std::int64_t session_id, const std::string& reason, UnixTime now) {
    store_.end_session(session_id, reason, now);
}

}  // namespace myaccount
