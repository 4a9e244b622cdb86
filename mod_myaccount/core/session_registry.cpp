// Session lifecycle: start, resume with every validity rule checked, end.
#include "core/session_registry.hpp"

#include <algorithm>

#include "core/audit.hpp"
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
                                                const std::string& data, UnixTime now, UnixTime second_step_at,
                                                std::int64_t device_id) {
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
    s.signed_in_at = now;
    s.second_factor_at = second_step_at;
    s.device_id = device_id;
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

std::vector<Session> SessionRegistry::live_sessions(const Account& account, UnixTime now) {
    std::vector<Session> live;
    for (Session& session : store_.sessions_of(account.id, /*active_only=*/true, now))
        if (!end_reason({session, account}, now)) live.push_back(std::move(session));
    return live;
}

bool SessionRegistry::end_one(const Account& account, std::int64_t session_id, const ClientInfo& client,
                              UnixTime now) {
    const std::vector<Session> live = live_sessions(account, now);
    auto found = std::find_if(live.begin(), live.end(), [&](const Session& s) { return s.id == session_id; });
    if (found == live.end()) return false;
    store_.end_session(session_id, "ended_by_user", now);
    store_.record_event(audit_event(account.id, "session_ended", client, now, found->user_agent));
    return true;
}

int SessionRegistry::end_others(const Account& account, std::int64_t keep, const ClientInfo& client, UnixTime now) {
    return store_.end_other_sessions(account.id, keep, audit_event(account.id, "other_sessions_ended", client, now),
                                     now);
}

std::string SessionRegistry::remember_browser(const Account& account, const ClientInfo& client, std::int64_t days,
                                             UnixTime now, std::int64_t device_id) {
    std::string token = random_token(token_bytes);
    RememberedBrowser browser;
    browser.account_id = account.id;
    browser.token_hash = hash_token(token);
    browser.security_stamp = account.security_stamp;
    browser.created_at = now;
    browser.expires_at = now + days * 86400;
    browser.client_ip = client.ip;
    browser.user_agent = client.user_agent;
    browser.device_id = device_id;
    store_.remember_browser(browser, audit_event(account.id, "browser_remembered", client, now));
    return token;
}

UnixTime SessionRegistry::remembered_since(const std::string& token, const Account& account, UnixTime now) {
    if (!looks_like_token(token)) return 0;
    std::optional<RememberedBrowser> browser = store_.find_remembered_browser(hash_token(token));
    bool serves = browser && browser->account_id == account.id && browser->expires_at > now &&
                  browser->security_stamp == account.security_stamp;
    return serves ? browser->created_at : 0;
}

void SessionRegistry::note_second_step(const Session& session, UnixTime now) {
    if (session.second_factor_at == 0) store_.note_second_factor(session.id, now);
}

template <typename Change>
std::optional<SessionRegistry::Started> SessionRegistry::replace(const Session& current, const ClientInfo& client,
                                                                 UnixTime now, const char* reason, Change change) {
    Started started;
    started.token = random_token(token_bytes);
    Session& s = started.session;
    s = current;
    s.id = 0;
    s.token_hash = hash_token(started.token);
    s.created_at = now;
    s.last_seen_at = now;
    s.ended_at = 0;
    s.end_reason.clear();
    s.client_ip = client.ip;
    s.user_agent = client.user_agent;
    if (s.signed_in_at == 0) s.signed_in_at = current.created_at;  // a session from before the field
    change(s);
    try {
        s.id = store_.replace_session(current.id, reason, s);
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::conflict) throw;
        return std::nullopt;
    }
    return started;
}

std::optional<SessionRegistry::Started> SessionRegistry::pass_second_step(const Session& current,
                                                                          const ClientInfo& client, UnixTime now) {
    return replace(current, client, now, "second_factor", [now](Session& s) { s.second_factor_at = now; });
}

std::optional<SessionRegistry::Started> SessionRegistry::confirm_password(const Session& current,
                                                                          const ClientInfo& client, UnixTime now) {
    return replace(current, client, now, "password_confirmed", [now](Session& s) { s.signed_in_at = now; });
}

}  // namespace myaccount
