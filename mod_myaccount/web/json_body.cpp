// Reading a JSON request body without exceptions.
#include "web/json_body.hpp"

namespace myaccount::web {

std::optional<nlohmann::json> json_object_of(std::string_view body) {
    nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) return std::nullopt;
    return parsed;
}

}  // namespace myaccount::web
