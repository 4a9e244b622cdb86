// Defaults and accepted ranges of what a site may configure: the one source for the core's structs
// and for the module's directive table (httpd/directive_table.hpp), which adds names and parsing.
#pragma once

#include <cstdint>

namespace myaccount::defaults {

// A whole-number setting: its default and the closed range a site may set it to.
struct Bounded {
    std::int64_t value;
    std::int64_t min;
    std::int64_t max;

    constexpr bool admits(std::int64_t candidate) const { return candidate >= min && candidate <= max; }
    // The default in the type of the field that holds it.
    template <typename T>
    constexpr T as() const {
        return static_cast<T>(value);
    }
};

inline constexpr std::int64_t day = 86400;

// Password hashing, OWASP's argon2id choice: m=19 MiB, t=2 (libsodium always uses p=1).
inline constexpr Bounded argon2_memory_kib{19456, 8192, 4194304};
inline constexpr Bounded argon2_iterations{2, 1, 16};
// Smart lockout: failed passwords from one client network (IPv4 /24, IPv6 /64) that lock the
// account for that network, and (NIST 800-63B: at most 100) consecutive failures from anywhere
// that lock it for every client but the familiar ones (0 = never, each).
inline constexpr Bounded lockout_threshold{10, 0, 100000};
inline constexpr Bounded lockout_account_threshold{100, 0, 100000};
inline constexpr Bounded lockout_duration{900, 1, 30 * day};
// NIST 800-63B AAL2: 30 minutes of inactivity, 12 hours at most.
inline constexpr Bounded session_idle_timeout{1800, 60, 7 * day};
inline constexpr Bounded session_max_lifetime{43200, 300, 90 * day};
// Lengths in Unicode code points.
inline constexpr Bounded password_min_length{12, 8, 64};
inline constexpr Bounded password_max_length{128, 64, 1024};
inline constexpr Bounded password_history{5, 0, 24};
// The fewest guesses zxcvbn must estimate for a new password, as a power of ten (0 = no estimate):
// 10^8 is its score 3, "safely unguessable: moderate protection from offline slow-hash attacks".
inline constexpr Bounded password_min_guesses{8, 0, 20};
// Failed passwords one client address may make per window (0 = no limit), and the window in seconds.
inline constexpr Bounded address_throttle_limit{100, 0, 1000000};
inline constexpr Bounded address_throttle_window{900, 60, day};

inline constexpr bool password_reset = false;
inline constexpr Bounded reset_methods_required{1, 1, 2};
inline constexpr Bounded code_lifetime{900, 60, 3600};
inline constexpr Bounded registration_postpones{3, 0, 100};

// 2-step verification: authenticator codes accepted this many steps either side of now (RFC 6238
// recommends at most one), how recent a proof changing security info needs, remembered browsers.
inline constexpr Bounded totp_window{1, 0, 3};
inline constexpr Bounded recent_verification{600, 60, day};
inline constexpr Bounded remember_browser_days{0, 0, 365};
inline constexpr bool app_passwords = false;
// Security alerts: a sign-in from a device the account has not signed in from before.
inline constexpr bool alert_new_device = true;
inline constexpr const char* default_country = "JP";
// The activity page: sign-ins and security events are kept this many days, then pruned.
inline constexpr Bounded activity_retention_days{180, 1, 3650};
inline constexpr const char* time_zone = "UTC";
// Password hashes one process runs at once (0 = as many as the CPU cores); up to
// hash_queue_per_slot times as many wait their turn, for at most hash_wait_ms.
inline constexpr Bounded hash_concurrency{0, 0, 256};
inline constexpr std::size_t hash_queue_per_slot = 8;
inline constexpr std::int64_t hash_wait_ms = 5000;
// Strict-Transport-Security max-age on https (a year, as browsers' preload lists ask); 0 = not sent.
inline constexpr Bounded hsts_max_age{31536000, 0, 2 * 31536000};

inline constexpr const char* issuer = "My Account";
inline constexpr const char* default_language = "en";
inline constexpr const char* login_action = "/login.do";  // mod_auth_form's form-login-handler, by convention

}  // namespace myaccount::defaults
