// The column lists of the SQLite store's tables and the readers that turn a row into a model type.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/store.hpp"
#include "store/sqlite/connection.hpp"

// A column list and its reader must stay in the same order. They are macros so that a statement's
// text stays one string literal, put together at compile time. `prefix` is a table alias with its
// dot ("a.") or "".

// 15 columns, read by read_account.
#define MYA_ACCOUNT_COLUMNS(prefix)                                                                   \
    prefix "id, " prefix "username, " prefix "display_name, " prefix "job_title, " prefix "office, " \
    prefix "password_hash, " prefix "disabled, " prefix "failed_attempts, " prefix "locked_until, "  \
    prefix "security_stamp, " prefix "profile_version, " prefix "registration_postponed, " prefix    \
    "created_at, " prefix "updated_at, " prefix "password_reset_required"
// One more column: the account's e-mail addresses in order, joined by a unit separator (0x1F,
// a control character no address may hold), so an account and its addresses come from one
// statement: one snapshot, and no second query on the path every signed-in request takes.
// Read by read_emails.
#define MYA_ACCOUNT_EMAILS(prefix)                                                                    \
    "(SELECT group_concat(address, char(31)) FROM (SELECT address FROM account_emails"               \
    " WHERE account_id = " prefix "id ORDER BY position))"
// 15 columns, read by read_session.
#define MYA_SESSION_COLUMNS(prefix)                                                                   \
    prefix "id, " prefix "token_hash, " prefix "account_id, " prefix "security_stamp, " prefix      \
    "created_at, " prefix "last_seen_at, " prefix "expires_at, " prefix "ended_at, " prefix         \
    "end_reason, " prefix "client_ip, " prefix "user_agent, " prefix "data, " prefix                \
    "signed_in_at, " prefix "second_factor_at, " prefix "device_id"
// One more column: the most any organization of the account asks (0 nothing, 1 registered, 2 all),
// read by read_organization_mfa; on the same statement as the account, so the gate needs no query.
#define MYA_ACCOUNT_ORGANIZATION_MFA(prefix)                                                          \
    "(SELECT coalesce(max(CASE o.require_mfa WHEN 'all' THEN 2 WHEN 'registered' THEN 1 ELSE 0 END), 0)" \
    " FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.account_id = " prefix "id)"
// 5 columns, read by read_organization.
#define MYA_ORGANIZATION_COLUMNS(prefix) \
    prefix "id, " prefix "name, " prefix "domain, " prefix "require_mfa, " prefix "members_may_leave"
// 16 columns, read by read_challenge.
#define MYA_CHALLENGE_COLUMNS                                                                        \
    "id, token_hash, purpose, account_id, username, security_stamp, created_at, expires_at,"        \
    " completed_at, target, code_hash, code_expires_at, code_attempts, delivery, proven, client_ip"
// 14 columns, read by read_method.
#define MYA_METHOD_COLUMNS                                                                           \
    "id, account_id, kind, address, label, phone_type, secret, last_step, is_default, active,"      \
    " created_at, created_ip, last_used_at, suspended_at"
// 7 columns, read by read_app_password.
#define MYA_APP_PASSWORD_COLUMNS "id, account_id, label, hash, created_at, created_ip, last_used_at"
// 9 columns, read by read_remembered_browser.
#define MYA_REMEMBERED_BROWSER_COLUMNS                                                               \
    "id, account_id, token_hash, security_stamp, created_at, expires_at, client_ip, user_agent, device_id"
// 7 columns, read by read_device.
#define MYA_DEVICE_COLUMNS "id, account_id, first_seen_at, last_sign_in_at, last_ip, user_agent, disabled_at"
// 7 columns, read by read_sign_in.
#define MYA_SIGN_IN_COLUMNS "username, account_id, at, client_ip, user_agent, method, result"
// 7 columns, read by read_event.
#define MYA_EVENT_COLUMNS "id, account_id, at, kind, client_ip, user_agent, detail"

namespace myaccount::sqlite {

constexpr int account_column_count = 15;
constexpr int session_column_count = 15;
constexpr int organization_column_count = 5;

// Each reader starts at column `first` (0 unless the statement joins several tables).
Account read_account(const Statement& row, int first);
std::vector<std::string> read_emails(const Statement& row, int column);
Session read_session(const Statement& row, int first);
Organization read_organization(const Statement& row, int first);
MfaRequirement read_organization_mfa(const Statement& row, int column);
// How organizations.require_mfa keeps a requirement ('' for off: the site's rule).
const char* organization_mfa_text(MfaRequirement requirement);
Challenge read_challenge(const Statement& row);
VerificationMethod read_method(const Statement& row);
AppPassword read_app_password(const Statement& row);
RememberedBrowser read_remembered_browser(const Statement& row);
Device read_device(const Statement& row);
SignInAttempt read_sign_in(const Statement& row, int first = 0);
AuditEvent read_event(const Statement& row);

// Enums are stored as their to_string text; reading one back that we never wrote means the
// file was edited by hand or by a newer build.
template <typename Enum>
Enum enum_from(const std::string& text, std::initializer_list<Enum> values, const char* what) {
    for (Enum value : values) {
        if (text == to_string(value)) return value;
    }
    throw StoreError(StoreError::Kind::io, std::string("unknown ") + what + " in database: " + text);
}

// A decimal id, all of `text`; nullopt for anything else.
std::optional<std::int64_t> parse_id(std::string_view text);
// Challenge::proven is kept as "12,40": ids joined by commas, "" for none.
std::string join_ids(const std::vector<std::int64_t>& ids);

// Every row the statement returns, each read by `read`.
template <typename Row>
std::vector<Row> read_all(Statement& statement, Row (*read)(const Statement&)) {
    std::vector<Row> rows;
    while (statement.step()) rows.push_back(read(statement));
    return rows;
}

// For UPDATEs and DELETEs by id: no row changed means there is no such row.
void expect_changed(std::int64_t changed, const char* what, std::int64_t id);

// Deletes one of an account's rows by `sql` (?1 the account, ?2 the row's id) in the caller's
// transaction; not_found, naming `what`, when the account has no such row.
void delete_owned(Database& db, std::string_view sql, AccountId account, std::int64_t id, const char* what);

// Binds an optional text field as NULL when unset, so "coalesce(?, column)" keeps the old value.
void bind_optional_text(Statement& statement, int index, const std::optional<std::string>& value);

}  // namespace myaccount::sqlite
