// The security info page (GET /security), for the handlers of its forms to answer with.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/methods/method.hpp"
#include "web/respond.hpp"

namespace myaccount::web {

// The page with every section, `view` adding to it (errors, the e-mail code form, a banner).
Response security_info_page(const Exchange& exchange, int status, nlohmann::json view);
// The page with one error about a method (shown above the list).
Response security_method_error(const Exchange& exchange, int status, const std::string& message);

// The add-method page (GET /security/add); `view` adds what was typed and its errors to it,
// `phone_type` is the phone type the phone form shows chosen.
Response add_method_page(const Exchange& exchange, int status, nlohmann::json view,
                         PhoneType phone_type = PhoneType::mobile);

}  // namespace myaccount::web
