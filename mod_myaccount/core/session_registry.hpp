// Server-side sign-in sessions: the browser holds a random token, the store holds its hash.
#pragma once

#include <optional>
#include <string>
#include <vector>

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
    // A session for a password just proven (signed_in_at = now). `second_step_at`, when not 0:
    // the second step counts as passed, proven then (a remembered browser: when its code was
    // typed, so it is no recent proof for changing security info).
    // `device_id`: the device it begins on (0: none known).
    Started start(const Account& account, const ClientInfo& client, const std::string& data,
                  UnixTime now, UnixTime second_step_at = 0, std::int64_t device_id = 0);

    struct Active {
        Session session;
        Account account;
    };
    // The live session behind a cookie token, or nothing: unknown, ended, idle or past its
    // lifetime, account disabled, or the account's security stamp moved on (password changed,
    // sign out everywhere). A session found dead is ended in the store with the reason.
    std::optional<Active> resume(const std::string& token, UnixTime now);

    void end(std::int64_t session_id, const std::string& reason, UnixTime now);

    // The account's sessions that would be let in now (not ended, expired, idle, nor made before
    // the account's security stamp last moved), most recently active first.
    std::vector<Session> live_sessions(const Account& account, UnixTime now);
    // Ends one of them at the user's request (recorded); false when the account has no such live
    // session (another account's id included).
    bool end_one(const Account& account, std::int64_t session_id, const ClientInfo& client, UnixTime now);
    // Ends every session of the account but `keep` (recorded); how many were active.
    int end_others(const Account& account, std::int64_t keep, const ClientInfo& client, UnixTime now);

    // A live session replaced by a new one (new token, new id) that passed the second step now:
    // it keeps the account, the sign-in time, the end of its lifetime and the data; the old one
    // ends with reason "second_factor". None when the old one has ended meanwhile (sign out
    // everywhere won the race): nothing is written.
    std::optional<Started> pass_second_step(const Session& current, const ClientInfo& client, UnixTime now);
    // The same after the password was typed again (a recent proof for security info without any
    // 2-step method): signed_in_at = now; the old one ends with reason "password_confirmed".
    std::optional<Started> confirm_password(const Session& current, const ClientInfo& client, UnixTime now);

    // A browser that passed the second step and asked not to be asked again for `days` days (the
    // event is recorded): the token for its cookie, of which the store keeps only the hash.
    // `device_id`: the device it is (0: none known); disabling the device forgets it.
    std::string remember_browser(const Account& account, const ClientInfo& client, std::int64_t days, UnixTime now,
                                 std::int64_t device_id);
    // When the browser holding `token` was remembered for this account, while it still skips the
    // second step (unexpired, and the account's security stamp unchanged since: a password change
    // or "sign out everywhere" forgets every browser); 0 when it does not.
    UnixTime remembered_since(const std::string& token, const Account& account, UnixTime now);
    // A session that proved a 2-step method as it added it has passed the step (in place: the
    // API's form token stays valid).
    void note_second_step(const Session& session, UnixTime now);

    static bool looks_like_token(const std::string& token);

private:
    // The new session in place of `current`, as `change` makes it from a copy.
    template <typename Change>
    std::optional<Started> replace(const Session& current, const ClientInfo& client, UnixTime now,
                                   const char* reason, Change change);
    // Why a stored session may no longer be used, or nullptr when it may.
    const char* end_reason(const Store::SessionWithAccount& found, UnixTime now) const;

    Store& store_;
    SessionSettings settings_;
};

}  // namespace myaccount
