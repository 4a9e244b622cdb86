// A JSON request body read as the API reads it: one object, or nothing.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace myaccount::web {

// The body as a JSON object; none when it is not well-formed JSON (strict RFC 8259, valid UTF-8)
// or not an object. Never throws on what a client sends.
std::optional<nlohmann::json> json_object_of(std::string_view body);

}  // namespace myaccount::web
