// The name of every directive: for the directive table and for messages that tell which one to set.
#pragma once

namespace myaccount::httpd::directive_name {

inline constexpr const char* database = "MyAccountDatabase";
inline constexpr const char* secret_key_file = "MyAccountSecretKeyFile";
inline constexpr const char* templates = "MyAccountTemplates";
inline constexpr const char* issuer = "MyAccountIssuer";
inline constexpr const char* default_language = "MyAccountDefaultLanguage";
inline constexpr const char* login_action = "MyAccountLoginAction";
inline constexpr const char* default_location = "MyAccountDefaultLocation";
inline constexpr const char* session_cookie_name = "MyAccountSessionCookieName";
inline constexpr const char* argon2_memory = "MyAccountArgon2Memory";
inline constexpr const char* argon2_iterations = "MyAccountArgon2Iterations";
inline constexpr const char* lockout_threshold = "MyAccountLockoutThreshold";
inline constexpr const char* lockout_duration = "MyAccountLockoutDuration";
inline constexpr const char* lockout_account_threshold = "MyAccountLockoutAccountThreshold";
inline constexpr const char* session_idle_timeout = "MyAccountSessionIdleTimeout";
inline constexpr const char* session_max_lifetime = "MyAccountSessionMaxLifetime";
inline constexpr const char* password_min_length = "MyAccountPasswordMinLength";
inline constexpr const char* password_max_length = "MyAccountPasswordMaxLength";
inline constexpr const char* password_history = "MyAccountPasswordHistory";
inline constexpr const char* password_min_guesses = "MyAccountPasswordMinGuesses";
inline constexpr const char* password_blocklist = "MyAccountPasswordBlocklist";
inline constexpr const char* password_breached_hashes = "MyAccountPasswordBreachedHashes";
inline constexpr const char* password_reset = "MyAccountPasswordReset";
inline constexpr const char* password_reset_scope = "MyAccountPasswordResetScope";
inline constexpr const char* password_reset_methods = "MyAccountPasswordResetMethods";
inline constexpr const char* code_lifetime = "MyAccountCodeLifetime";
inline constexpr const char* registration_postpones = "MyAccountRegistrationPostpones";
inline constexpr const char* notify_command = "MyAccountNotifyCommand";
inline constexpr const char* portal_url = "MyAccountPortalUrl";
inline constexpr const char* password_change_url = "MyAccountPasswordChangeUrl";
inline constexpr const char* address_throttle = "MyAccountAddressThrottle";
inline constexpr const char* session = "MyAccountSession";
inline constexpr const char* require_mfa = "MyAccountRequireMFA";
inline constexpr const char* totp_window = "MyAccountTOTPWindow";
inline constexpr const char* recent_verification = "MyAccountRecentVerification";
inline constexpr const char* remember_browser = "MyAccountRememberBrowser";
inline constexpr const char* app_passwords = "MyAccountAppPasswords";
inline constexpr const char* alert_new_device = "MyAccountAlertNewDevice";
inline constexpr const char* strict_transport_security = "MyAccountStrictTransportSecurity";
inline constexpr const char* hash_concurrency = "MyAccountHashConcurrency";
inline constexpr const char* default_country = "MyAccountDefaultCountry";
inline constexpr const char* activity_retention = "MyAccountActivityRetention";
inline constexpr const char* time_zone = "MyAccountTimeZone";
inline constexpr const char* security_alerts = "MyAccountSecurityAlerts";
inline constexpr const char* gate = "MyAccountGate";
inline constexpr const char* terms_required = "MyAccountTermsRequired";

}  // namespace myaccount::httpd::directive_name
