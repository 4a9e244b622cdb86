// The kinds of security alerts, and which notice belongs to which.
#include "core/alert_policy.hpp"

#include "core/account_security.hpp"

namespace myaccount {

namespace {

// The kind of a notice; none for the new-device alert, which has a switch of its own.
std::optional<AlertKind> kind_of(SecurityNotice notice) {
    switch (notice) {
        case SecurityNotice::password_changed:
        case SecurityNotice::password_reset:
        case SecurityNotice::password_set_by_admin:
            return AlertKind::password;
        case SecurityNotice::method_added:
        case SecurityNotice::method_removed:
        case SecurityNotice::two_step_method_added:
        case SecurityNotice::two_step_method_removed:
        case SecurityNotice::method_renamed:
        case SecurityNotice::default_method_changed:
        case SecurityNotice::recovery_codes_renewed:
        case SecurityNotice::app_password_created:
        case SecurityNotice::app_password_revoked:
        case SecurityNotice::browser_forgotten:
        case SecurityNotice::code_replayed:
            return AlertKind::methods;
        case SecurityNotice::signed_out_everywhere:
            return AlertKind::sessions;
        case SecurityNotice::device_disabled:
        case SecurityNotice::device_enabled:
            return AlertKind::devices;
        case SecurityNotice::organization_left:
            return AlertKind::organizations;
        case SecurityNotice::account_disabled:
        case SecurityNotice::account_enabled:
            return AlertKind::account;
        case SecurityNotice::not_me:
            return AlertKind::not_me;
        case SecurityNotice::new_device_sign_in:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

const char* to_string(AlertKind kind) {
    switch (kind) {
        case AlertKind::password:
            return "password";
        case AlertKind::methods:
            return "methods";
        case AlertKind::sessions:
            return "sessions";
        case AlertKind::devices:
            return "devices";
        case AlertKind::organizations:
            return "organizations";
        case AlertKind::account:
            return "account";
        case AlertKind::not_me:
            return "not_me";
    }
    return "";
}

std::optional<AlertKind> alert_kind_from(std::string_view word) {
    for (AlertKind kind : all_alert_kinds)
        if (word == to_string(kind)) return kind;
    return std::nullopt;
}

bool AlertPolicy::tells(SecurityNotice notice) const {
    const std::optional<AlertKind> kind = kind_of(notice);
    return !kind || is_on(*kind);
}

}  // namespace myaccount
