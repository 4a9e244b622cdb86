// Server-side sign-in sessions: the browser holds a random token, the store holds its hash.
#pragma once

#include <optional>
#include <string>

#include "core/client_info.hpp"
#include "core/defaults.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace myaccount {

struct SessionSettings {
    UnixTime idle_timeout = defaults::session_idle_timeout.value;
    UnixTime max_lifetime = defaults::session_max_lifetime.value;
    UnixTime touch_interval = 60;    // last_seen is written at most this often (no write per request)
};

class SessionRegistry {
public:
    SessionRegistry(Store& store, SessionSettings settings) : store_(store), settings_(settings) {}

    struct Started {
        std::string token;  // goes into the cookie, never into the store
        Session session;
    };
    Started start(const Account& account, const ClientInfo& client, const std::string& data,
                  UnixTime now);

    struct Active {
        Session session;
        Account account;
    };
    // The live session behind a cookie token, or nothing: unknown, ended, idle or past its
    // lifetime, account disabled, or the account's security stamp moved on (password changed,
    // sign out everywhere). A session found dead is ended in the store with the reason.
    std::optional<Active> resume(const std::string& token, UnixTime now);

    void end(std::int64_t session_id, const std::string& reason, UnixTime now);

    static bool looks_like_token(const std::string& token);

private:
    // Why a stored session may no longer be used, or nullptr when it may.
    const char* end_reason(const Store::SessionWithAccount& found, UnixTime now) const;

    Store& store_;
    SessionSettings settings_;
};

}  // namespace myaccount
