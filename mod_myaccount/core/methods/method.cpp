// The text forms of MethodKind and PhoneType, as stored in the database.
#include "core/methods/method.hpp"

namespace myaccount {

const char* to_string(MethodKind kind) {
    switch (kind) {
    case MethodKind::email: return "email";
    case MethodKind::phone: return "phone";
    case MethodKind::authenticator: return "authenticator";
    case MethodKind::recovery_codes: return "recovery_codes";
    }
    return "email";
}

std::optional<MethodKind> method_kind_from(const std::string& text) {
    for (MethodKind kind : {MethodKind::email, MethodKind::phone, MethodKind::authenticator, MethodKind::recovery_codes})
        if (text == to_string(kind)) return kind;
    return std::nullopt;
}

const char* to_string(PhoneType type) {
    switch (type) {
    case PhoneType::none: return "";
    case PhoneType::mobile: return "mobile";
    case PhoneType::alternate_mobile: return "alternate_mobile";
    case PhoneType::office: return "office";
    }
    return "";
}

std::optional<PhoneType> phone_type_from(const std::string& text) {
    for (PhoneType type : {PhoneType::none, PhoneType::mobile, PhoneType::alternate_mobile, PhoneType::office})
        if (text == to_string(type)) return type;
    return std::nullopt;
}

}  // namespace myaccount
