// The Store on one SQLite file. Its member functions are defined by subject across
// store/sqlite/*.cpp; every statement runs on the one connection, and a method that spans subjects
// (a reset: account, sessions, challenge, audit) does so inside one Transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/store.hpp"
#include "store/sqlite/connection.hpp"

namespace myaccount {

// One connection; use it from one thread at a time (the module keeps one per thread).
class SqliteStore : public Store {
public:
    explicit SqliteStore(sqlite::Database db);

    int schema_version() override;

    std::optional<Account> find_account(const std::string& username) override;
    std::optional<Account> find_account_by_id(AccountId id) override;
    std::vector<Account> list_accounts() override;
    AccountId create_account(const NewAccount& account, UnixTime now) override;
    std::vector<AccountId> create_accounts(const std::vector<NewAccount>& accounts, UnixTime now) override;
    void update_profile(AccountId id, const ProfileFields& fields, UnixTime now) override;
    void set_password_hash(AccountId id, const std::string& hash, bool end_sessions, UnixTime now) override;
    bool upgrade_password_hash(AccountId id, const std::string& old_hash, const std::string& new_hash,
                               UnixTime now) override;
    std::vector<std::string> previous_password_hashes(AccountId id, int limit) override;
    void change_password(AccountId id, const std::string& hash, const AuditEvent& event) override;
    void set_disabled(AccountId id, bool disabled, UnixTime now) override;
    void unlock(AccountId id, UnixTime now) override;
    int disable_account(AccountId id, const AuditEvent& event, UnixTime now) override;
    void enable_account(AccountId id, const AuditEvent& event, UnixTime now) override;
    void unlock_account(AccountId id, const AuditEvent& event, UnixTime now) override;
    void postpone_registration(AccountId id) override;
    void clear_postponed_registration(AccountId id) override;

    std::optional<Photo> find_photo(AccountId id) override;
    void set_photo(AccountId id, const Photo& photo) override;
    void remove_photo(AccountId id) override;

    std::int64_t create_organization(const Organization& org) override;
    std::optional<Organization> find_organization(const std::string& name) override;
    std::vector<Organization> list_organizations() override;
    bool set_organization_mfa(std::int64_t organization, MfaRequirement requirement) override;
    bool set_members_may_leave(std::int64_t organization, bool allowed) override;
    void leave_organization(AccountId account, std::int64_t organization, const AuditEvent& event) override;
    void add_membership(AccountId account, std::int64_t organization, MembershipKind kind,
                        const std::string& role) override;
    std::vector<Membership> memberships_of(AccountId account) override;

    void record_sign_in(const SignInAttempt& attempt) override;
    LockoutState lockout_of(AccountId id) override;
    bool replace_lockout(AccountId id, const LockoutState& expected, const LockoutState& next) override;
    LockoutState unknown_id_lockout(const std::string& id_hash) override;
    bool replace_unknown_id_lockout(const std::string& id_hash, const LockoutState& expected,
                                    const LockoutState& next) override;
    std::vector<std::string> sign_in_addresses(AccountId id, UnixTime since, int limit) override;
    std::vector<SignInAttempt> recent_sign_ins(AccountId id, int limit) override;

    std::int64_t create_session(const Session& session) override;
    std::optional<SessionWithAccount> find_session(const std::string& token_hash) override;
    void touch_session(std::int64_t session_id, UnixTime now) override;
    void note_second_factor(std::int64_t session_id, UnixTime at) override;
    void update_session_data(std::int64_t session_id, const std::string& data) override;
    void end_session(std::int64_t session_id, const std::string& reason, UnixTime now) override;
    std::int64_t replace_session(std::int64_t old_session, const std::string& reason, const Session& fresh) override;
    int end_all_sessions(AccountId id, const std::string& reason, UnixTime now) override;
    int sign_out_everywhere(AccountId id, const AuditEvent& event, UnixTime now) override;
    NotMe report_not_me(AccountId id, UnixTime added_since, const AuditEvent& event, UnixTime now) override;
    int end_other_sessions(AccountId id, std::int64_t keep, const AuditEvent& event, UnixTime now) override;
    std::vector<Session> sessions_of(AccountId id, bool active_only, UnixTime now) override;
    // Also forgets remembered browsers that expired before `before`.
    int prune_sessions(UnixTime before) override;

    // The events given to the methods below, change_password, complete_email_registration,
    // complete_phone_registration and complete_reset are recorded for the account concerned,
    // whatever their account_id says. mark_method_used ignores a method that is gone (a sign-in
    // proven by it a moment before its removal is not undone).
    std::vector<VerificationMethod> methods_of(AccountId id) override;
    std::optional<VerificationMethod> find_method(AccountId id, std::int64_t method_id) override;
    std::int64_t add_pending_method(const VerificationMethod& method, UnixTime stale_before) override;
    bool activate_method(AccountId id, std::int64_t method_id, std::int64_t step, const AuditEvent& event) override;
    bool accept_authenticator_step(AccountId id, std::int64_t method_id, std::int64_t step, UnixTime now) override;
    void mark_method_used(AccountId id, std::int64_t method_id, UnixTime now) override;
    void rename_method(AccountId id, std::int64_t method_id, const std::string& label,
                       const AuditEvent& event) override;
    void set_default_method(AccountId id, std::int64_t method_id, const AuditEvent& event) override;
    void remove_method(AccountId id, std::int64_t method_id, const AuditEvent& event) override;
    void replace_method_secret(std::int64_t method_id, const std::string& secret_box) override;
    std::vector<VerificationMethod> all_authenticators() override;
    std::vector<VerificationMethod> suspended_methods_of(AccountId id) override;
    void confirm_method(AccountId id, std::int64_t method_id, const AuditEvent& event) override;

    std::int64_t replace_recovery_codes(AccountId id, const std::vector<std::string>& code_hashes,
                                        const AuditEvent& event) override;
    std::optional<int> use_recovery_code(AccountId id, const std::string& code_hash, UnixTime now) override;
    int recovery_codes_left(AccountId id) override;

    std::int64_t create_app_password(const AppPassword& password, const AuditEvent& event) override;
    std::vector<AppPassword> app_passwords_of(AccountId id) override;
    void revoke_app_password(AccountId id, std::int64_t app_password_id, const AuditEvent& event) override;
    std::optional<AppPassword> use_app_password(AccountId id, const std::string& hash, UnixTime now) override;

    LockoutState second_factor_lockout_of(AccountId id) override;
    bool replace_second_factor_lockout(AccountId id, const LockoutState& expected, const LockoutState& next) override;

    std::int64_t remember_browser(const RememberedBrowser& browser, const AuditEvent& event) override;
    std::optional<RememberedBrowser> find_remembered_browser(const std::string& token_hash) override;
    std::vector<RememberedBrowser> remembered_browsers_of(AccountId id, UnixTime now) override;
    void forget_remembered_browser(AccountId id, std::int64_t browser_id, const AuditEvent& event) override;
    int forget_all_remembered_browsers(AccountId id, const AuditEvent& event) override;

    DeviceSighting sight_device(AccountId id, const std::string& token_hash, const std::string& client_ip,
                                const std::string& user_agent, UnixTime now) override;
    std::optional<Device> find_device(AccountId id, const std::string& token_hash) override;
    std::vector<Device> devices_of(AccountId id) override;
    int disable_device(AccountId id, std::int64_t device_id, const AuditEvent& event, UnixTime now) override;
    void enable_device(AccountId id, std::int64_t device_id, const AuditEvent& event) override;

    std::int64_t publish_terms(std::int64_t organization, const std::string& version, const TermsText& text,
                               const std::string& source) override;
    void withdraw_terms(std::int64_t organization, const std::string& version, UnixTime now) override;
    std::vector<TermsVersion> terms_versions() override;
    std::vector<TermsDue> terms_due(AccountId id) override;
    bool terms_pending(AccountId id) override;
    bool accept_terms(AccountId id, std::int64_t version_id, const std::string& language,
                      const AuditEvent& event) override;
    std::vector<TermsAcceptance> terms_accepted_by(AccountId id) override;

    std::int64_t create_challenge(const Challenge& challenge) override;
    std::optional<Challenge> find_challenge(const std::string& token_hash, ChallengePurpose purpose) override;
    void issue_code(std::int64_t challenge, const std::string& target, const std::string& code_hash,
                    UnixTime code_expires_at) override;
    void set_delivery(std::int64_t challenge, const std::string& delivery) override;
    // A closed or expired challenge answers `expired` even with no code outstanding; a code at
    // `max_attempts` or more (the limit was lowered) dies at the next guess, which counts as wrong.
    CodeCheck check_code(std::int64_t challenge, const std::string& code_hash, int max_attempts, UnixTime now) override;
    std::int64_t complete_email_registration(std::int64_t challenge, const AuditEvent& event, std::size_t at_most) override;
    bool add_challenge_proof(std::int64_t challenge, std::int64_t method_id, UnixTime now) override;
    std::int64_t complete_phone_registration(std::int64_t challenge, PhoneType type, const std::string& label,
                                             const AuditEvent& event, std::size_t at_most) override;
    void complete_second_factor(std::int64_t challenge, UnixTime now) override;
    void complete_reset(std::int64_t challenge, std::int64_t expected_stamp, const std::string& new_hash,
                        const AuditEvent& event) override;
    // Also forgets throttle windows that ended before `before`, and unknown sign-in IDs' locks
    // that ran out before it (a lapsed lock and no record count the same next time).
    int prune_challenges(UnixTime before) override;

    std::int64_t throttle_hits(const std::string& key, std::int64_t window, UnixTime now) override;
    std::int64_t throttle_hit(const std::string& key, std::int64_t window, UnixTime now) override;
    bool throttle_take(const std::vector<ThrottleLimit>& limits, std::int64_t window, UnixTime now) override;
    void throttle_release(const std::string& key, std::int64_t window, UnixTime now) override;
    void throttle_forget(const std::string& key) override;

    std::vector<ActivityEntry> activity_of(AccountId id, std::int64_t offset, int limit) override;
    int prune_activity(UnixTime before, int batch) override;
    std::optional<ActivityEntry> find_activity(AccountId id, bool sign_in, std::int64_t entry_id) override;

    void record_event(const AuditEvent& event) override;
    std::vector<AuditEvent> events_of(AccountId id, int limit) override;

private:
    // One write statement in a transaction of its own; returns how many rows it changed.
    template <typename... Values>
    std::int64_t write_alone(std::string_view sql, const Values&... values) {
        sqlite::Transaction transaction(db_);
        std::int64_t changed = 0;
        {
            auto statement = db_.prepare(sql);
            statement->bind_all(values...);
            statement->run();
            changed = db_.changes();
        }
        transaction.commit();
        return changed;
    }

    // Helpers run inside the caller's transaction; they never begin one themselves.
    std::int64_t count_hit(const std::string& key, std::int64_t window, UnixTime now);
    void forget_network_lockouts(AccountId id);
    AccountId insert_account(const NewAccount& account, UnixTime now);
    std::vector<std::string> emails_of(AccountId id);
    void replace_emails(AccountId id, const std::vector<std::string>& emails);
    void expect_account_changed(AccountId id);
    void replace_password_hash(AccountId id, const std::string& hash, bool end_sessions, UnixTime now);
    int end_active_sessions(AccountId id, const std::string& reason, UnixTime now);
    // The security stamp moves, every active session ends with `reason`, remembered browsers go.
    int sign_out_all(AccountId id, const std::string& reason, UnixTime now);
    void clear_lockout(AccountId id, UnixTime now);
    void clear_second_factor_lockout(AccountId id);
    // The two counters of a lockout, by a statement selecting them for account ?1; not_found without it.
    LockoutState account_lockout(std::string_view select, AccountId id);
    std::int64_t insert_session(const Session& session);
    std::int64_t insert_method(const VerificationMethod& method, bool active, bool is_default);
    // Makes `method_id` (none: the oldest active method that may be one) the account's default
    // method, when it has none.
    void default_if_none(AccountId id, std::optional<std::int64_t> method_id);
    void mark_used(AccountId id, std::int64_t method_id, UnixTime now);
    int unused_recovery_codes(AccountId id);
    void write_disabled(AccountId id, bool disabled, UnixTime now);
    void insert_event(const AuditEvent& event, AccountId account);
    // What the profile shows changed: a cached profile page must not be reused.
    void bump_profile_version(AccountId account);
    Challenge challenge_by_id(std::int64_t id);
    std::vector<TermsText> terms_texts(std::int64_t version_id, bool with_bodies);
    // The challenge, still open, unexpired at `now` and for `purpose`, with an account; else conflict.
    Challenge open_challenge(std::int64_t id, ChallengePurpose purpose, UnixTime now);
    // The same, with a code accepted (`proven` not empty); else conflict.
    Challenge accepted_challenge(std::int64_t id, ChallengePurpose purpose, UnixTime now);
    void close_challenge(std::int64_t id, UnixTime now);
    // Registers the target of an accepted challenge as `method`'s address (kind, type and label
    // from `method`), closes the challenge and records the event; returns the method id.
    std::int64_t complete_address_registration(std::int64_t id, ChallengePurpose purpose, VerificationMethod method,
                                               const AuditEvent& event, std::size_t at_most);

    sqlite::Database db_;
};

}  // namespace myaccount
