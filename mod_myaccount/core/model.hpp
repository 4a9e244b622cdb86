// Plain data the core and the store exchange: accounts, organizations, sessions, sign-in records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// An account's verification methods are part of the account model.
#include "core/methods/method.hpp"
#include "core/time_and_ids.hpp"

namespace myaccount {

// Who must pass the second step: nobody, those who registered a 2-step method, or everyone
// (MyAccountRequireMFA for the site; an organization may ask more of its people). Ordered: a
// later value asks more.
enum class MfaRequirement { off, registered, all };

struct Account {
    AccountId id = 0;
    std::string username;      // the sign-in ID, unique (case-insensitive)
    std::string display_name;
    std::string job_title;
    std::vector<std::string> emails;  // first is the primary address
    std::string office;
    std::string password_hash;        // argon2id string, a legacy htpasswd hash, or "" (no password)
    bool disabled = false;
    std::int64_t failed_attempts = 0; // consecutive failed password checks
    UnixTime locked_until = 0;        // 0 = not locked
    // Bumped whenever every existing session must end: password change, disable, sign out everywhere.
    std::int64_t security_stamp = 1;
    // Moves whenever anything the profile shows changes: fields, e-mails, memberships (the store
    // keeps this promise for every write it offers).
    std::int64_t profile_version = 1;
    // Times the user put off registering password-reset methods when asked after sign-in.
    std::int64_t registration_postponed = 0;
    // "This wasn't me": no sign-in with the password until a reset (or an administrator) sets a new one.
    bool password_reset_required = false;
    // The most any organization of the account (home or guest) asks of it; off: only the site's rule.
    MfaRequirement organization_mfa = MfaRequirement::off;
    UnixTime created_at = 0;
    UnixTime updated_at = 0;
};

// Fields an administrator sets when creating an account or editing its profile.
struct ProfileFields {
    std::optional<std::string> display_name;
    std::optional<std::string> job_title;
    std::optional<std::vector<std::string>> emails;
    std::optional<std::string> office;
};

struct Photo {
    std::string content_type;  // image/jpeg, image/png, image/webp or image/gif
    std::string bytes;
    UnixTime updated_at = 0;
};

enum class MembershipKind { home, guest };

struct Organization {
    std::int64_t id = 0;
    std::string name;       // unique display name, e.g. "Contoso"
    std::string domain;     // e.g. "contoso.example" (may be empty)
    // What the organization asks of its people beyond the site's rule (off: nothing more).
    MfaRequirement require_mfa = MfaRequirement::off;
    bool members_may_leave = true;  // guests may leave it themselves (a home member never may)
};

struct Membership {
    Organization organization;
    MembershipKind kind = MembershipKind::home;
    std::string role;       // free text, e.g. "Member", "Guest"
};

// A server-side sign-in session. The browser holds only a random token; the store keeps its hash.
struct Session {
    std::int64_t id = 0;
    std::string token_hash;         // raw bytes of BLAKE2b-256(token)
    AccountId account_id = 0;
    std::int64_t security_stamp = 0; // the account's stamp when the session began
    UnixTime created_at = 0;
    UnixTime last_seen_at = 0;
    UnixTime expires_at = 0;        // absolute end
    UnixTime ended_at = 0;          // 0 = still active
    std::string end_reason;         // "signed_out", "expired", "password_changed", ...
    std::string client_ip;
    std::string user_agent;
    std::string data;               // mod_session entries without secrets (urlencoded)
    // When the password that began the session was proven (a session that replaces another for the
    // second step keeps its predecessor's), and when this session passed the second step (0 = not
    // yet). Only the server sets them: a session is verified by replacing it (a new id).
    UnixTime signed_in_at = 0;
    UnixTime second_factor_at = 0;
    std::int64_t device_id = 0;     // the device it began on; 0 = none known
};

// A browser the person signed in from, known by a long-lived cookie (random; the store keeps its
// hash). One browser is one device per account: disabling it for one person leaves others be.
struct Device {
    std::int64_t id = 0;
    AccountId account_id = 0;
    UnixTime first_seen_at = 0;
    UnixTime last_sign_in_at = 0;
    std::string last_ip;
    std::string user_agent;         // of the last sign-in
    UnixTime disabled_at = 0;       // 0 = may sign in
};

// A browser the user asked not to be asked for the second step again for a while. The browser
// holds a random token; the store keeps its hash. It serves while unexpired and while the
// account's security stamp is still the one it was made under (password change, sign out everywhere).
struct RememberedBrowser {
    std::int64_t id = 0;
    AccountId account_id = 0;
    std::string token_hash;         // raw bytes of BLAKE2b-256(token)
    std::int64_t security_stamp = 0;
    UnixTime created_at = 0;
    UnixTime expires_at = 0;
    std::string client_ip;
    std::string user_agent;
    std::int64_t device_id = 0;     // the device it was remembered on; 0 = none known
};

// A password for one program that cannot do 2-step verification (HTTP Basic tools, mail clients).
// Shown once; the store keeps only a keyed hash of it.
struct AppPassword {
    std::int64_t id = 0;
    AccountId account_id = 0;
    std::string label;
    std::string hash;               // keyed hash (core/second_factor/app_passwords.hpp)
    UnixTime created_at = 0;
    std::string created_ip;
    UnixTime last_used_at = 0;      // 0 = never used
};

// A proof in several steps, kept server-side: a password reset, or an address being verified
// before it is registered. The browser holds a random token; the store keeps its hash.
// second_factor: a code sent to an e-mail or phone method at the verify step (target: the method id).
// add_phone: a number being verified before it is registered (target: the number in E.164).
enum class ChallengePurpose { reset, add_email, second_factor, add_phone };

struct Challenge {
    std::int64_t id = 0;
    std::string token_hash;              // raw bytes of BLAKE2b-256(token)
    ChallengePurpose purpose = ChallengePurpose::reset;
    std::optional<AccountId> account_id; // none: a reset for nobody the flow may serve (it fails late)
    std::string username;                // as typed (reset) or the account's (add_email)
    std::int64_t security_stamp = 0;     // the account's stamp at the start: a change since ends it
    UnixTime created_at = 0;
    UnixTime expires_at = 0;             // the whole flow's end
    UnixTime completed_at = 0;           // 0 = still open; a completed challenge never serves again
    // The one code outstanding, if any (a new code replaces it).
    std::string target;                  // where it went: a method id (reset) or an address (add_email)
    std::string code_hash;               // keyed hash of the code; empty = none outstanding
    UnixTime code_expires_at = 0;
    std::int64_t code_attempts = 0;      // wrong guesses at the outstanding code
    std::string delivery;                // "", "sent" or "failed" (reported by the notifier)
    std::vector<std::int64_t> proven;    // ids of the methods proven so far (reset)
    std::string client_ip;
};

// One line of an account's audit trail (password changed, reset, method added or removed, ...).
struct AuditEvent {
    std::int64_t id = 0;
    AccountId account_id = 0;
    UnixTime at = 0;
    std::string kind;        // "password_changed", "password_reset", "method_added", ...
    std::string client_ip;
    std::string user_agent;
    std::string detail;      // free text without secrets, e.g. the address of a method
};

// Terms of use: one version an organization published, in the languages it was published in.
struct TermsText {
    std::string language;       // "en" or "ja"
    std::string source_format;  // "markdown" or "html", as the file was
    std::string body_html;      // what is shown: sanitized when published
    UnixTime published_at = 0;
};

struct TermsVersion {
    std::int64_t id = 0;
    std::int64_t organization_id = 0;
    std::string organization_name;
    std::string version;           // the administrator's label, e.g. "2026-12" or "2"
    UnixTime published_at = 0;     // of its first language
    UnixTime withdrawn_at = 0;     // 0 = in force
    std::vector<TermsText> texts;  // by language
    std::int64_t acceptances = 0;  // how many accounts accepted it
};

// One acceptance of a version: kept for as long as the account exists.
struct TermsAcceptance {
    std::int64_t version_id = 0;
    std::int64_t organization_id = 0;
    std::string organization_name;
    std::string version;
    std::string language;          // the text the person read
    UnixTime accepted_at = 0;
    std::string client_ip;
};

// What one of the person's organizations asks them to accept now: its current version, and
// their acceptance of it when they gave one.
struct TermsDue {
    Organization organization;
    TermsVersion current;
    std::optional<TermsAcceptance> acceptance;
};

// device_disabled: refused before the password, the browser's device being disabled for the account;
// password_reset_required: the right password, refused because a new one is due ("This wasn't me").
enum class SignInResult {
    success,
    bad_password,
    unknown_user,
    disabled,
    locked,
    error,
    device_disabled,
    password_reset_required
};
// app_password: HTTP Basic with an app password (recorded at most once an hour for each).
enum class SignInMethod { form, basic, password_change, other, app_password };

struct SignInAttempt {
    std::string username;        // as typed (bounded in length by the caller)
    std::optional<AccountId> account_id;
    UnixTime at = 0;
    std::string client_ip;
    std::string user_agent;
    SignInMethod method = SignInMethod::other;
    SignInResult result = SignInResult::error;
};

// One line of the activity page: a sign-in attempt or an event of the audit trail.
struct ActivityEntry {
    std::int64_t id = 0;                  // the attempt's or the event's, within its kind
    std::optional<SignInAttempt> sign_in;  // one of the two
    std::optional<AuditEvent> event;
    UnixTime at() const { return sign_in ? sign_in->at : event->at; }
};

const char* to_string(SignInResult result);
const char* to_string(SignInMethod method);
const char* to_string(MembershipKind kind);
const char* to_string(ChallengePurpose purpose);
std::optional<ChallengePurpose> challenge_purpose_from(const std::string& text);
std::optional<MembershipKind> membership_kind_from(const std::string& text);
const char* to_string(MfaRequirement requirement);  // off, registered, all
std::optional<MfaRequirement> mfa_requirement_from(const std::string& text);

}  // namespace myaccount
