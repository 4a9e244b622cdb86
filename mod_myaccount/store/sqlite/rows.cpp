// Row readers of the SQLite store: one per model type, shared by every subject that selects it.
#include "store/sqlite/rows.hpp"

#include <charconv>

namespace myaccount::sqlite {

namespace {

std::vector<std::int64_t> split_ids(const std::string& joined) {
    std::vector<std::int64_t> ids;
    if (joined.empty()) return ids;
    for (std::size_t start = 0;;) {
        std::size_t end = joined.find(',', start);
        auto id = parse_id(std::string_view(joined).substr(start, end - start));
        if (!id) throw StoreError(StoreError::Kind::io, "malformed proven list in database: " + joined);
        ids.push_back(*id);
        if (end == std::string::npos) return ids;
        start = end + 1;
    }
}

SignInResult sign_in_result_from(const std::string& text) {
    return enum_from(text,
                     {SignInResult::success, SignInResult::bad_password, SignInResult::unknown_user,
                      SignInResult::disabled, SignInResult::locked, SignInResult::error,
                      SignInResult::device_disabled, SignInResult::password_reset_required},
                     "sign-in result");
}

SignInMethod sign_in_method_from(const std::string& text) {
    return enum_from(text,
                     {SignInMethod::form, SignInMethod::basic, SignInMethod::password_change, SignInMethod::other,
                      SignInMethod::app_password},
                     "sign-in method");
}

}  // namespace

Account read_account(const Statement& row, int first) {
    Account account;
    int c = first;
    account.id = row.column_int64(c++);
    account.username = row.column_text(c++);
    account.display_name = row.column_text(c++);
    account.job_title = row.column_text(c++);
    account.office = row.column_text(c++);
    account.password_hash = row.column_text(c++);
    account.disabled = row.column_int64(c++) != 0;
    account.failed_attempts = row.column_int64(c++);
    account.locked_until = row.column_int64(c++);
    account.security_stamp = row.column_int64(c++);
    account.profile_version = row.column_int64(c++);
    account.registration_postponed = row.column_int64(c++);
    account.created_at = row.column_int64(c++);
    account.updated_at = row.column_int64(c++);
    account.password_reset_required = row.column_int64(c++) != 0;
    return account;
}

std::vector<std::string> read_emails(const Statement& row, int column) {
    std::vector<std::string> emails;
    if (row.column_is_null(column)) return emails;
    std::string joined = row.column_text(column);
    for (std::size_t start = 0;;) {
        std::size_t end = joined.find('\x1f', start);
        emails.push_back(joined.substr(start, end - start));
        if (end == std::string::npos) return emails;
        start = end + 1;
    }
}

Session read_session(const Statement& row, int first) {
    Session session;
    int c = first;
    session.id = row.column_int64(c++);
    session.token_hash = row.column_blob(c++);
    session.account_id = row.column_int64(c++);
    session.security_stamp = row.column_int64(c++);
    session.created_at = row.column_int64(c++);
    session.last_seen_at = row.column_int64(c++);
    session.expires_at = row.column_int64(c++);
    session.ended_at = row.column_int64(c++);
    session.end_reason = row.column_text(c++);
    session.client_ip = row.column_text(c++);
    session.user_agent = row.column_text(c++);
    session.data = row.column_text(c++);
    session.signed_in_at = row.column_int64(c++);
    session.second_factor_at = row.column_int64(c++);
    session.device_id = row.column_int64(c++);
    return session;
}

Organization read_organization(const Statement& row, int first) {
    Organization org;
    org.id = row.column_int64(first);
    org.name = row.column_text(first + 1);
    org.domain = row.column_text(first + 2);
    org.members_may_leave = row.column_int64(first + 4) != 0;
    const std::string required = row.column_text(first + 3);
    if (required.empty()) return org;
    std::optional<MfaRequirement> parsed = mfa_requirement_from(required);
    if (!parsed || *parsed == MfaRequirement::off)
        throw StoreError(StoreError::Kind::io, "unknown 2-step requirement in database: " + required);
    org.require_mfa = *parsed;
    return org;
}

MfaRequirement read_organization_mfa(const Statement& row, int column) {
    switch (row.column_int64(column)) {
    case 0: return MfaRequirement::off;
    case 1: return MfaRequirement::registered;
    default: return MfaRequirement::all;
    }
}

const char* organization_mfa_text(MfaRequirement requirement) {
    return requirement == MfaRequirement::off ? "" : to_string(requirement);
}

Challenge read_challenge(const Statement& row) {
    Challenge challenge;
    int c = 0;
    challenge.id = row.column_int64(c++);
    challenge.token_hash = row.column_blob(c++);
    challenge.purpose = enum_from(row.column_text(c++),
                                  {ChallengePurpose::reset, ChallengePurpose::add_email,
                                   ChallengePurpose::second_factor, ChallengePurpose::add_phone},
                                  "challenge purpose");
    if (!row.column_is_null(c)) challenge.account_id = row.column_int64(c);
    ++c;
    challenge.username = row.column_text(c++);
    challenge.security_stamp = row.column_int64(c++);
    challenge.created_at = row.column_int64(c++);
    challenge.expires_at = row.column_int64(c++);
    challenge.completed_at = row.column_int64(c++);
    challenge.target = row.column_text(c++);
    challenge.code_hash = row.column_blob(c++);
    challenge.code_expires_at = row.column_int64(c++);
    challenge.code_attempts = row.column_int64(c++);
    challenge.delivery = row.column_text(c++);
    challenge.proven = split_ids(row.column_text(c++));
    challenge.client_ip = row.column_text(c++);
    return challenge;
}

VerificationMethod read_method(const Statement& row) {
    VerificationMethod method;
    int c = 0;
    method.id = row.column_int64(c++);
    method.account_id = row.column_int64(c++);
    method.kind = enum_from(row.column_text(c++),
                            {MethodKind::email, MethodKind::phone, MethodKind::authenticator, MethodKind::recovery_codes},
                            "verification method kind");
    method.address = row.column_text(c++);
    method.label = row.column_text(c++);
    method.phone_type = enum_from(row.column_text(c++),
                                  {PhoneType::none, PhoneType::mobile, PhoneType::alternate_mobile, PhoneType::office},
                                  "phone type");
    method.secret_box = row.column_blob(c++);
    method.last_step = row.column_int64(c++);
    method.is_default = row.column_int64(c++) != 0;
    method.active = row.column_int64(c++) != 0;
    method.created_at = row.column_int64(c++);
    method.created_ip = row.column_text(c++);
    method.last_used_at = row.column_int64(c++);
    method.suspended_at = row.column_int64(c++);
    return method;
}

AppPassword read_app_password(const Statement& row) {
    AppPassword password;
    int c = 0;
    password.id = row.column_int64(c++);
    password.account_id = row.column_int64(c++);
    password.label = row.column_text(c++);
    password.hash = row.column_blob(c++);
    password.created_at = row.column_int64(c++);
    password.created_ip = row.column_text(c++);
    password.last_used_at = row.column_int64(c++);
    return password;
}

RememberedBrowser read_remembered_browser(const Statement& row) {
    RememberedBrowser browser;
    int c = 0;
    browser.id = row.column_int64(c++);
    browser.account_id = row.column_int64(c++);
    browser.token_hash = row.column_blob(c++);
    browser.security_stamp = row.column_int64(c++);
    browser.created_at = row.column_int64(c++);
    browser.expires_at = row.column_int64(c++);
    browser.client_ip = row.column_text(c++);
    browser.user_agent = row.column_text(c++);
    browser.device_id = row.column_int64(c++);
    return browser;
}

Device read_device(const Statement& row) {
    Device device;
    int c = 0;
    device.id = row.column_int64(c++);
    device.account_id = row.column_int64(c++);
    device.first_seen_at = row.column_int64(c++);
    device.last_sign_in_at = row.column_int64(c++);
    device.last_ip = row.column_text(c++);
    device.user_agent = row.column_text(c++);
    device.disabled_at = row.column_int64(c++);
    return device;
}

SignInAttempt read_sign_in(const Statement& row, int first) {
    SignInAttempt attempt;
    attempt.username = row.column_text(first);
    if (!row.column_is_null(first + 1)) attempt.account_id = row.column_int64(first + 1);
    attempt.at = row.column_int64(first + 2);
    attempt.client_ip = row.column_text(first + 3);
    attempt.user_agent = row.column_text(first + 4);
    attempt.method = sign_in_method_from(row.column_text(first + 5));
    attempt.result = sign_in_result_from(row.column_text(first + 6));
    return attempt;
}

AuditEvent read_event(const Statement& row) {
    AuditEvent event;
    event.id = row.column_int64(0);
    event.account_id = row.column_int64(1);
    event.at = row.column_int64(2);
    event.kind = row.column_text(3);
    event.client_ip = row.column_text(4);
    event.user_agent = row.column_text(5);
    event.detail = row.column_text(6);
    return event;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::string join_ids(const std::vector<std::int64_t>& ids) {
    std::string joined;
    for (std::int64_t id : ids) {
        if (!joined.empty()) joined += ',';
        joined += std::to_string(id);
    }
    return joined;
}

void expect_changed(std::int64_t changed, const char* what, std::int64_t id) {
    if (changed == 0) {
        throw StoreError(StoreError::Kind::not_found, std::string("no ") + what + " with id " + std::to_string(id));
    }
}

void delete_owned(Database& db, std::string_view sql, AccountId account, std::int64_t id, const char* what) {
    auto remove = db.prepare(sql);
    remove->bind_all(account, id);
    remove->run();
    expect_changed(db.changes(), what, id);
}

void bind_optional_text(Statement& statement, int index, const std::optional<std::string>& value) {
    if (value) {
        statement.bind(index, std::string_view(*value));
    } else {
        statement.bind(index, nullptr);
    }
}

}  // namespace myaccount::sqlite
