// The text forms of MethodKind, as stored in the database.
#include "core/methods/method.hpp"

namespace myaccount {

const char* to_string(MethodKind kind) {
    switch (kind) {
    case MethodKind::email: return "email";
    }
    return "email";
}

std::optional<MethodKind> method_kind_from(const std::string& text) {
    if (text == to_string(MethodKind::email)) return MethodKind::email;
    return std::nullopt;
}

}  // namespace myaccount
