// The one interface every SQL statement hides behind (SQLite now, PostgreSQL for farms later).
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/defaults.hpp"
#include "core/lockout.hpp"
#include "core/model.hpp"

namespace myaccount {

class StoreError : public std::runtime_error {
public:
    enum class Kind { not_found, conflict, busy, schema, io, invalid };
    StoreError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const noexcept { return kind_; }

private:
    Kind kind_;
};

struct NewAccount {
    std::string username;
    ProfileFields profile;
    std::string password_hash;  // may be empty: the account cannot sign in until a password is set
};

// Previous password hashes a store keeps per account (Store::previous_password_hashes); a history
// directive asking for more than this gets no more.
constexpr int password_history_kept = 24;

// Every method is one transaction: it either happens whole or not at all, and is safe to call
// from many httpd processes and threads at once (each thread uses its own Store object).
// Every write that changes what the profile shows (fields, e-mails, memberships, organization
// names) also moves Account::profile_version: rendered profiles are reused until it moves.
class Store {
public:
    virtual ~Store() = default;

    // --- schema
    virtual int schema_version() = 0;

    // --- accounts
    virtual std::optional<Account> find_account(const std::string& username) = 0;
    virtual std::optional<Account> find_account_by_id(AccountId id) = 0;
    virtual std::vector<Account> list_accounts() = 0;
    virtual AccountId create_account(const NewAccount& account, UnixTime now) = 0;  // conflict if taken
    // All or none: on the first failure (conflict naming the username, even one taken earlier in
    // the same batch) nothing is created. Returns the new ids in the order given.
    virtual std::vector<AccountId> create_accounts(const std::vector<NewAccount>& accounts, UnixTime now) = 0;
    virtual void update_profile(AccountId id, const ProfileFields& fields, UnixTime now) = 0;
    // Replaces the hash; when end_sessions, bumps the security stamp so every session ends.
    // A non-empty hash it replaces (by a different one) goes into the password history.
    virtual void set_password_hash(AccountId id, const std::string& hash, bool end_sessions, UnixTime now) = 0;
    // A stronger hash of the same password (sign-in rehash): replaces `old_hash` only while it is
    // still the account's hash, so a change or reset that won a race is never undone. No history,
    // no sessions end. False when the hash had changed meanwhile.
    virtual bool upgrade_password_hash(AccountId id, const std::string& old_hash, const std::string& new_hash,
                                       UnixTime now) = 0;
    // Hashes of the passwords the account had before the current one, newest first, at most
    // `limit` (the store keeps the last password_history_kept).
    virtual std::vector<std::string> previous_password_hashes(AccountId id, int limit) = 0;
    // The user's own change: the new hash (old one into the history), the security stamp moves
    // (every session ends) and the event is recorded, all in one transaction.
    virtual void change_password(AccountId id, const std::string& hash, const AuditEvent& event) = 0;
    // Disabling bumps the security stamp (every session ends at its next request).
    virtual void set_disabled(AccountId id, bool disabled, UnixTime now) = 0;
    virtual void unlock(AccountId id, UnixTime now) = 0;
    // An administrator's change, one transaction each with its audit event: disabling also marks
    // every active session ended (reason "disabled") and returns how many; unlocking (and unlock)
    // clears the lockout counters, the second step's too.
    virtual int disable_account(AccountId id, const AuditEvent& event, UnixTime now) = 0;
    virtual void enable_account(AccountId id, const AuditEvent& event, UnixTime now) = 0;
    virtual void unlock_account(AccountId id, const AuditEvent& event, UnixTime now) = 0;
    // Counts one "not now" on the after-sign-in request to register reset methods.
    virtual void postpone_registration(AccountId id) = 0;
    // Sets the "not now" count back to 0 (when is the caller's rule: a method was registered).
    virtual void clear_postponed_registration(AccountId id) = 0;

    // --- photos
    virtual std::optional<Photo> find_photo(AccountId id) = 0;
    virtual void set_photo(AccountId id, const Photo& photo) = 0;
    virtual void remove_photo(AccountId id) = 0;

    // --- organizations
    virtual std::int64_t create_organization(const Organization& org) = 0;  // conflict if name taken
    virtual std::optional<Organization> find_organization(const std::string& name) = 0;
    virtual std::vector<Organization> list_organizations() = 0;
    // What the organization asks of its people beyond the site's rule; false: no such organization.
    virtual bool set_organization_mfa(std::int64_t organization, MfaRequirement requirement) = 0;
    // Whether its guests may leave it themselves; false: no such organization.
    virtual bool set_members_may_leave(std::int64_t organization, bool allowed) = 0;
    // One transaction: the account's guest membership ends (the profile changes) and the event is
    // recorded. not_found when the account is no guest of it; conflict when its members may not leave.
    virtual void leave_organization(AccountId account, std::int64_t organization, const AuditEvent& event) = 0;
    virtual void add_membership(AccountId account, std::int64_t organization, MembershipKind kind,
                                const std::string& role) = 0;  // replaces an existing membership
    virtual std::vector<Membership> memberships_of(AccountId account) = 0;

    // --- sign-in bookkeeping
    // Records the attempt for the activity page; the lockout counters are counted apart (below).
    virtual void record_sign_in(const SignInAttempt& attempt) = 0;
    virtual std::vector<SignInAttempt> recent_sign_ins(AccountId id, int limit) = 0;
    // The client addresses of the account's successful sign-ins since `since`, at most `limit`
    // different ones, the latest first: where it is familiar (core/familiar_clients.hpp).
    virtual std::vector<std::string> sign_in_addresses(AccountId id, UnixTime since, int limit) = 0;

    // --- lockout counters; the rule lives in core/lockout.hpp, the store only keeps the numbers.
    // The account's counters (failed_attempts, locked_until); not_found without such an account.
    virtual LockoutState lockout_of(AccountId id) = 0;
    // Compare-and-set: writes `next` only while the counters still read `expected`; false, nothing
    // written, when another caller changed them first (or there is no such account).
    virtual bool replace_lockout(AccountId id, const LockoutState& expected, const LockoutState& next) = 0;
    // The same for a sign-in ID that names no account, kept by a keyed hash of the ID so that it
    // locks exactly like an account. An ID never counted reads {0, 0}.
    virtual LockoutState unknown_id_lockout(const std::string& id_hash) = 0;
    virtual bool replace_unknown_id_lockout(const std::string& id_hash, const LockoutState& expected,
                                            const LockoutState& next) = 0;

    // --- sessions
    // A session given with signed_in_at 0 (here or to replace_session) is stored with its created_at:
    // it began with its password.
    virtual std::int64_t create_session(const Session& session) = 0;
    // The session with this token hash and its account, whether or not it is still valid.
    struct SessionWithAccount {
        Session session;
        Account account;
    };
    virtual std::optional<SessionWithAccount> find_session(const std::string& token_hash) = 0;
    virtual void touch_session(std::int64_t session_id, UnixTime now) = 0;
    // A new session in place of an active one (the second step passed, or a fresh sign-in over it):
    // ends `old_session` with `reason` and creates `fresh` in one transaction. conflict, nothing
    // written, when the old session has ended meanwhile (sign out everywhere won the race).
    virtual std::int64_t replace_session(std::int64_t old_session, const std::string& reason, const Session& fresh) = 0;
    virtual void update_session_data(std::int64_t session_id, const std::string& data) = 0;
    // Marks an active session as past the second step at `at` (it proved a method it just added);
    // a session that passed it already keeps its time.
    virtual void note_second_factor(std::int64_t session_id, UnixTime at) = 0;
    virtual void end_session(std::int64_t session_id, const std::string& reason, UnixTime now) = 0;
    virtual int end_all_sessions(AccountId id, const std::string& reason, UnixTime now) = 0;
    // Ends every active session of the account but `keep` (reason "ended_by_user") and records the
    // event, one transaction; returns how many ended.
    virtual int end_other_sessions(AccountId id, std::int64_t keep, const AuditEvent& event, UnixTime now) = 0;
    // Sign out everywhere, one transaction: the security stamp moves (a session made concurrently
    // under the old stamp is dead at its first request, and remembered browsers no longer skip the
    // second step), every active session ends (reason "signed_out_everywhere"), remembered browsers
    // are forgotten and the event recorded. Returns how many sessions were active.
    virtual int sign_out_everywhere(AccountId id, const AuditEvent& event, UnixTime now) = 0;
    // "This wasn't me", one transaction: everything sign_out_everywhere does (sessions end with reason
    // "not_me"), the account's active methods added at or after `added_since` are suspended (as if
    // not active and not the default, until confirm_method), its app passwords made since then are
    // revoked, no password sign-in is accepted until a new password is set
    // (Account::password_reset_required), and the event is recorded.
    struct NotMe {
        int sessions_ended = 0;
        int methods_suspended = 0;
        int app_passwords_revoked = 0;
    };
    virtual NotMe report_not_me(AccountId id, UnixTime added_since, const AuditEvent& event, UnixTime now) = 0;
    virtual std::vector<Session> sessions_of(AccountId id, bool active_only, UnixTime now) = 0;
    // Deletes sessions that ended or expired before `before`; returns how many.
    virtual int prune_sessions(UnixTime before) = 0;

    // --- verification methods (2-step verification and self-service reset)
    // At most one default per account, never recovery codes nor a pending method; an e-mail or
    // phone registered while the account has no default becomes it (as activate_method says).
    // The account's active methods, oldest first (an authenticator not yet proven is not among them).
    virtual std::vector<VerificationMethod> methods_of(AccountId id) = 0;
    // One of the account's methods, active or pending; none for another account's method id.
    virtual std::optional<VerificationMethod> find_method(AccountId id, std::int64_t method_id) = 0;
    // Adds a method not yet proven (an authenticator before its first code: `active` is ignored and
    // stored false). The account's pending methods created before `stale_before` are deleted in
    // the same transaction. Returns the new id.
    virtual std::int64_t add_pending_method(const VerificationMethod& method, UnixTime stale_before) = 0;
    // Proves a pending authenticator: it becomes active with `step` as its last accepted step, and
    // the event is recorded. When the account had no default method, this one becomes it.
    // False, nothing written, when it is not a pending method of this account (gone, or proven by a
    // request that won a race).
    virtual bool activate_method(AccountId id, std::int64_t method_id, std::int64_t step, const AuditEvent& event) = 0;
    // The replay guard of authenticator codes, atomic: writes `step` as the last accepted step and
    // `now` as last use only while the stored last step is below `step`. False when it was not
    // (the same or an earlier code was accepted already) or there is no such active method.
    virtual bool accept_authenticator_step(AccountId id, std::int64_t method_id, std::int64_t step, UnixTime now) = 0;
    // Records a use of a method (a code sent to it was accepted at the verify step).
    virtual void mark_method_used(AccountId id, std::int64_t method_id, UnixTime now) = 0;
    // not_found when the account has no such active method; the event is recorded with the change.
    virtual void rename_method(AccountId id, std::int64_t method_id, const std::string& label,
                               const AuditEvent& event) = 0;
    // Makes this active method the default and every other of the account's not; not_found when
    // the account has no such active method, invalid for recovery codes.
    virtual void set_default_method(AccountId id, std::int64_t method_id, const AuditEvent& event) = 0;
    // Removes one of the account's methods (active or pending; recovery codes take their codes
    // with them) and records the event; not_found when it has no such method. When the default
    // is removed, the oldest remaining active method that is not recovery codes becomes the default.
    virtual void remove_method(AccountId id, std::int64_t method_id, const AuditEvent& event) = 0;
    // Re-encryption after a key change: replaces one method's sealed secret (not_found without it;
    // invalid for a kind that holds none).
    virtual void replace_method_secret(std::int64_t method_id, const std::string& secret_box) = 0;
    // The account's suspended methods ("This wasn't me"), oldest first.
    virtual std::vector<VerificationMethod> suspended_methods_of(AccountId id) = 0;
    // Its owner confirms a suspended method: active again, recorded. not_found when the account has
    // no such suspended method.
    virtual void confirm_method(AccountId id, std::int64_t method_id, const AuditEvent& event) = 0;
    // Every authenticator method of every account (for re-keying), pending ones included.
    virtual std::vector<VerificationMethod> all_authenticators() = 0;

    // --- recovery codes: one set per account, kept as keyed hashes, each usable once
    // Replaces the account's set (the old codes stop working) in one transaction with its event;
    // returns the id of the recovery_codes method that lists it (the same method from one set to
    // the next, made anew as of the event). An empty set is invalid; a code twice, conflict.
    virtual std::int64_t replace_recovery_codes(AccountId id, const std::vector<std::string>& code_hashes,
                                                const AuditEvent& event) = 0;
    // Uses the unused code with this hash, atomically (two requests with one code: one wins), and
    // marks the method used; returns how many unused codes remain, or none when no unused code
    // has this hash.
    virtual std::optional<int> use_recovery_code(AccountId id, const std::string& code_hash, UnixTime now) = 0;
    virtual int recovery_codes_left(AccountId id) = 0;

    // --- app passwords
    virtual std::int64_t create_app_password(const AppPassword& password, const AuditEvent& event) = 0;
    virtual std::vector<AppPassword> app_passwords_of(AccountId id) = 0;  // oldest first
    // not_found when the account has no such app password.
    virtual void revoke_app_password(AccountId id, std::int64_t app_password_id, const AuditEvent& event) = 0;
    // The account's app password with this hash, as it was before this use (last_used_at: the use
    // before), and marked used at `now`; none when no such one.
    virtual std::optional<AppPassword> use_app_password(AccountId id, const std::string& hash, UnixTime now) = 0;

    // --- the second step's lockout counters (the rule is core/lockout.hpp's), apart from the password's
    // (a completed reset clears only the password's)
    virtual LockoutState second_factor_lockout_of(AccountId id) = 0;
    virtual bool replace_second_factor_lockout(AccountId id, const LockoutState& expected, const LockoutState& next) = 0;

    // --- remembered browsers (no second step until they expire)
    virtual std::int64_t remember_browser(const RememberedBrowser& browser, const AuditEvent& event) = 0;
    // The remembered browser with this token hash, expired or not.
    virtual std::optional<RememberedBrowser> find_remembered_browser(const std::string& token_hash) = 0;
    // The account's unexpired ones, oldest first.
    virtual std::vector<RememberedBrowser> remembered_browsers_of(AccountId id, UnixTime now) = 0;
    // not_found when the account has no such remembered browser.
    virtual void forget_remembered_browser(AccountId id, std::int64_t browser_id, const AuditEvent& event) = 0;
    virtual int forget_all_remembered_browsers(AccountId id, const AuditEvent& event) = 0;

    // --- devices (browsers the person signed in from, by the hash of their device cookie)
    static constexpr std::int64_t kept_devices = 50;
    static constexpr UnixTime device_memory = 400 * 86400;  // as long as the device cookie lives
    struct DeviceSighting {
        Device device;
        bool is_new = false;          // first seen by this sign-in
        bool first_of_account = false;  // ... and the account had no device before
    };
    // The account's device with this cookie hash, made when new; a device that may sign in records
    // this sign-in (time, address, browser), a disabled one is returned unchanged. Making one
    // forgets the account's devices that may sign in but were not seen for `device_memory` or are
    // beyond the `kept_devices` seen last (a browser that drops its cookies is a new device each
    // time); disabled devices are kept.
    virtual DeviceSighting sight_device(AccountId id, const std::string& token_hash, const std::string& client_ip,
                                        const std::string& user_agent, UnixTime now) = 0;
    virtual std::optional<Device> find_device(AccountId id, const std::string& token_hash) = 0;
    // The account's devices, the last signed in from first.
    virtual std::vector<Device> devices_of(AccountId id) = 0;
    // One transaction: the device is disabled (kept as disabled when it was), its active sessions end
    // (reason "device_disabled"), its remembered browser is forgotten and the event recorded.
    // Returns how many sessions ended; not_found when the account has no such device.
    virtual int disable_device(AccountId id, std::int64_t device_id, const AuditEvent& event, UnixTime now) = 0;
    // not_found when the account has no such device.
    virtual void enable_device(AccountId id, std::int64_t device_id, const AuditEvent& event) = 0;

    // --- terms of use (an organization's current version is its latest one not withdrawn)
    // Publishes one language of a version, making the version when it is new (it then becomes the
    // organization's current one); returns the version's id. conflict, nothing written, when that
    // language of the version is published already or the version was withdrawn.
    virtual std::int64_t publish_terms(std::int64_t organization, const std::string& version, const TermsText& text,
                                       const std::string& source) = 0;
    // Withdraws the version (every language; its acceptances stay on record); the organization's
    // previous version in force, if any, is current again. not_found without such a version in force.
    virtual void withdraw_terms(std::int64_t organization, const std::string& version, UnixTime now) = 0;
    // Every version of every organization, by organization name and then newest first; the texts
    // without their bodies.
    virtual std::vector<TermsVersion> terms_versions() = 0;
    // For each of the account's organizations with terms in force: the current version, its texts
    // with their bodies, and the account's acceptance of it if any.
    virtual std::vector<TermsDue> terms_due(AccountId id) = 0;
    // Whether one of the account's organizations has a current version the account has not
    // accepted: one indexed query, as the gate asks it on every request of a location that requires terms.
    virtual bool terms_pending(AccountId id) = 0;
    // One transaction: the account accepts the version (in `language`) and the event is recorded.
    // False, nothing written, when it had accepted it already. not_found when the version is not
    // one of the account's organizations'; conflict when it is no longer their current one.
    virtual bool accept_terms(AccountId id, std::int64_t version_id, const std::string& language,
                              const AuditEvent& event) = 0;
    // Every acceptance the account gave, newest first.
    virtual std::vector<TermsAcceptance> terms_accepted_by(AccountId id) = 0;

    // --- challenges (reset flows, address verification)
    virtual std::int64_t create_challenge(const Challenge& challenge) = 0;
    // The challenge with this token hash and purpose, completed or expired ones included.
    virtual std::optional<Challenge> find_challenge(const std::string& token_hash, ChallengePurpose purpose) = 0;
    // A new code replaces the outstanding one (its attempts start at 0, delivery at "").
    virtual void issue_code(std::int64_t challenge, const std::string& target, const std::string& code_hash,
                            UnixTime code_expires_at) = 0;
    // What the notifier reports: "sent" or "failed".
    virtual void set_delivery(std::int64_t challenge, const std::string& delivery) = 0;
    enum class CodeCheck { accepted, wrong, expired, none };
    // One atomic step, safe against the same code posted twice at once: reads the challenge, asks
    // the core's rules (judge_code_guess in core/challenge.hpp: expiry, attempts, single use, what
    // a proof unlocks) and writes their verdict before any other caller can read it.
    virtual CodeCheck check_code(std::int64_t challenge, const std::string& code_hash, int max_attempts,
                                 UnixTime now) = 0;
    // Completes an add_email challenge whose code was accepted: registers its address as an
    // e-mail method of its account, marks the
    // challenge completed and records the event. Returns
    // the method id; conflict when the challenge is completed already, has expired or its code
    // was not accepted (`proven` empty), and when the account has `at_most` e-mail methods already
    // (counted in the same transaction: parallel registrations cannot pass the cap); an address the
    // account has already is not added twice (its id is returned).
    virtual std::int64_t complete_email_registration(std::int64_t challenge, const AuditEvent& event,
                                                     std::size_t at_most) = 0;
    // The same for an add_phone challenge: registers its number (the challenge's target, E.164) as
    // a phone method of this type and label.
    virtual std::int64_t complete_phone_registration(std::int64_t challenge, PhoneType type, const std::string& label,
                                                     const AuditEvent& event, std::size_t at_most) = 0;
    // Adds a method proven without a code of the challenge's own (an authenticator code, a recovery
    // code) to an open challenge's proofs; false, nothing written, when it is no longer open.
    virtual bool add_challenge_proof(std::int64_t challenge, std::int64_t method_id, UnixTime now) = 0;
    // Completes a second_factor challenge whose code was accepted (conflict otherwise, as above)
    // and marks the proven method used.
    virtual void complete_second_factor(std::int64_t challenge, UnixTime now) = 0;
    // Completes a reset in one transaction, conditional on the account's security stamp still
    // being `expected_stamp` (the caller's rule says which: the stamp the flow began with): the
    // challenge is marked completed (conflict when it was already, has expired, or the stamp is
    // another), the new hash replaces the old (history kept), the account is unlocked, its security
    // stamp moves (every session ends) and the event is recorded.
    virtual void complete_reset(std::int64_t challenge, std::int64_t expected_stamp, const std::string& new_hash,
                                const AuditEvent& event) = 0;
    // Deletes challenges that expired before `before`; returns how many.
    virtual int prune_challenges(UnixTime before) = 0;

    // --- throttling: fixed windows of `window` seconds per key, shared by every process
    virtual std::int64_t throttle_hits(const std::string& key, std::int64_t window, UnixTime now) = 0;
    // Counts one hit and returns the hits of the current window, this one included.
    virtual std::int64_t throttle_hit(const std::string& key, std::int64_t window, UnixTime now) = 0;
    // Counts one hit on every key when none has reached its limit in the current window, all in one
    // transaction: concurrent callers cannot all slip past a limit. False, nothing counted, else.
    struct ThrottleLimit {
        std::string key;
        std::int64_t limit = 0;
    };
    virtual bool throttle_take(const std::vector<ThrottleLimit>& limits, std::int64_t window, UnixTime now) = 0;
    // Gives back one hit taken in the current window (never below 0): a reserved slot not used up.
    virtual void throttle_release(const std::string& key, std::int64_t window, UnixTime now) = 0;
    // Forgets the key's hits altogether.
    virtual void throttle_forget(const std::string& key) = 0;
    // The throttle key counting an account's failed passwords from one client network; every key of
    // the account starts with network_lockout_prefix(id), which unlocking the account forgets.
    static std::string network_lockout_prefix(AccountId id) { return "signin-net:a" + std::to_string(id) + ":"; }

    // --- activity: sign-in attempts and the audit trail, as the person sees them
    // The account's, newest first: `limit` entries after the first `offset`.
    virtual std::vector<ActivityEntry> activity_of(AccountId id, std::int64_t offset, int limit) = 0;
    // Deletes sign-in attempts and audit events older than `before`, at most `batch` of each in one
    // short transaction (a prune never holds the database for long); returns how many went.
    virtual int prune_activity(UnixTime before, int batch) = 0;
    // One of the account's entries: a sign-in attempt (`sign_in`) or an event with this id; none
    // for another account's or an unknown one.
    virtual std::optional<ActivityEntry> find_activity(AccountId id, bool sign_in, std::int64_t entry_id) = 0;

    // --- audit trail
    virtual void record_event(const AuditEvent& event) = 0;
    virtual std::vector<AuditEvent> events_of(AccountId id, int limit) = 0;  // newest first
};

}  // namespace myaccount
