// Builds the portal's responses: pages in the user's language, JSON, and one table of errors.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/client_info.hpp"
#include "web/http.hpp"
#include "web/portal.hpp"

namespace myaccount::web {

enum class Failure {
    bad_request,
    unauthorized,
    no_account,
    csrf,
    not_found,
    method_not_allowed,
    unsupported_media_type,
    too_large,
    busy,          // too many password checks at once in this process: 503, Retry-After
    server_error,
};

// What a handler works with: the request, the shared context, the user's language, and the
// signed-in account when there is one.
struct Exchange {
    const Request& request;
    Context& context;
    std::string lang;
    std::optional<Account> account;

    bool is_api() const;
    std::string text(const std::string& key) const;
};

// A page inside the layout (navigation, sign-out button, CSRF token for forms).
Response page(const Exchange& exchange, int status, const std::string& template_name,
              const std::string& title_key, nlohmann::json view, const char* current_nav = nullptr);
// A page for someone not signed in (login): the layout without navigation.
Response public_page(const Exchange& exchange, int status, const std::string& template_name,
                     const std::string& title_key, nlohmann::json view);
Response json_response(int status, const nlohmann::json& body);
// {"error": {"code": code, "message": the catalog's message_key, ...extra}}.
Response api_error(const Exchange& exchange, int status, const char* code, const char* message_key,
                   nlohmann::json extra = nlohmann::json::object());
Response api_bad_request(const Exchange& exchange);  // 400 bad_request
// The request body as a JSON object, or none (a body that is not one is a 400).
std::optional<nlohmann::json> body_object(const Exchange& exchange);
// An error as HTML or as {"error": {"code", "message"}} depending on the route.
Response failure(const Exchange& exchange, Failure kind);

// 403 for a state change that did not prove it came from our page: says so without blaming the
// user and offers the page of the form again (`form_page`, a route; null: the portal's start).
Response form_refused(const Exchange& exchange, const char* form_page);

// 303 See Other to a route of the portal (e.g. "/reset/verify", "/security?added=1").
Response see_other(const Exchange& exchange, const std::string& route);
// 303 See Other to a path already checked to be on this server.
Response redirect_to(const std::string& location);
// The one value of a form field, or null when it is missing or repeated.
const std::string* single_field(const Request& request, const char* name);
// What was typed, to show again in a form after an error: a single line within the field's limit
// (code points), else nothing (people type passwords into ID fields too; junk is not echoed).
std::string typed_again(const std::string* typed, std::size_t max_code_points);
ClientInfo client_of(const Exchange& exchange);

// Replaces each "{name}" in a catalog text with its value.
using Placeholders = std::vector<std::pair<std::string, std::string>>;
std::string fill(std::string text, const Placeholders& values);

// The token this page's forms carry: bound to the session, or without one to the account's
// security stamp and a time window.
std::string csrf_token(const Exchange& exchange);
// The request carries the CSRF token (form field "csrf" or X-CSRF-Token header) and the browser
// does not say another site sent it.
bool csrf_ok(const Exchange& exchange);
// Sec-Fetch-Site or Origin says another site sent the request (see web/request_origin.hpp).
bool sent_from_another_site(const Request& request);

}  // namespace myaccount::web
