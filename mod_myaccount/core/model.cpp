// The text forms of the model's enums, as stored in the database and shown in logs and the API.
#include "core/model.hpp"

namespace myaccount {

const char* to_string(SignInResult result) {
    switch (result) {
    case SignInResult::success: return "success";
    case SignInResult::bad_password: return "bad_password";
    case SignInResult::unknown_user: return "unknown_user";
    case SignInResult::disabled: return "disabled";
    case SignInResult::locked: return "locked";
    case SignInResult::error: return "error";
    case SignInResult::device_disabled: return "device_disabled";
    case SignInResult::password_reset_required: return "password_reset_required";
    }
    return "error";  // unreachable for valid enumerators; keeps -Wreturn-type quiet
}

const char* to_string(SignInMethod method) {
    switch (method) {
    case SignInMethod::form: return "form";
    case SignInMethod::basic: return "basic";
    case SignInMethod::password_change: return "password_change";
    case SignInMethod::other: return "other";
    case SignInMethod::app_password: return "app_password";
    }
    return "other";
}

const char* to_string(MembershipKind kind) {
    switch (kind) {
    case MembershipKind::home: return "home";
    case MembershipKind::guest: return "guest";
    }
    return "home";
}

const char* to_string(ChallengePurpose purpose) {
    switch (purpose) {
    case ChallengePurpose::reset: return "reset";
    case ChallengePurpose::add_email: return "add_email";
    case ChallengePurpose::second_factor: return "second_factor";
    case ChallengePurpose::add_phone: return "add_phone";
    }
    return "reset";
}

std::optional<ChallengePurpose> challenge_purpose_from(const std::string& text) {
    for (ChallengePurpose purpose : {ChallengePurpose::reset, ChallengePurpose::add_email,
                                     ChallengePurpose::second_factor, ChallengePurpose::add_phone}) {
        if (text == to_string(purpose)) return purpose;
    }
    return std::nullopt;
}

std::optional<MembershipKind> membership_kind_from(const std::string& text) {
    for (MembershipKind kind : {MembershipKind::home, MembershipKind::guest}) {
        if (text == to_string(kind)) return kind;
    }
    return std::nullopt;
}

const char* to_string(MfaRequirement requirement) {
    switch (requirement) {
    case MfaRequirement::off: return "off";
    case MfaRequirement::registered: return "registered";
    case MfaRequirement::all: return "all";
    }
    return "all";
}

std::optional<MfaRequirement> mfa_requirement_from(const std::string& text) {
    for (MfaRequirement requirement : {MfaRequirement::off, MfaRequirement::registered, MfaRequirement::all}) {
        if (text == to_string(requirement)) return requirement;
    }
    return std::nullopt;
}

}  // namespace myaccount
