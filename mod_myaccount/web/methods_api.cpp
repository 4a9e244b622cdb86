// /api/v1/me/methods: the security info page's methods as JSON, with the same rules and the same
// notices (web/security_changes.hpp). No secret is ever listed; an authenticator's secret is in
// the one answer that creates it, as on the page.
#include "core/methods/totp.hpp"
#include "core/second_factor/requirement.hpp"
#include "core/text.hpp"
#include "web/code_methods.hpp"
#include "web/pages.hpp"
#include "web/password_problems.hpp"
#include "web/second_step.hpp"
#include "web/security_changes.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

constexpr const char* collection = "/api/v1/me/methods";

Response bad_label(const Exchange& exchange) {
    return json_response(422, {{"error", {{"code", "bad_label"},
                                          {"message", fill(exchange.text("security_error_label"),
                                                           {{"max", std::to_string(max_method_label)}})}}}});
}

// "/api/v1/me/methods/12/verify" -> {12, "verify"}; none when the segment after the collection
// is not an id (then the route does not exist: 404).
struct MethodPath {
    std::int64_t id = 0;
    std::string rest;
};
std::optional<MethodPath> method_path(const Exchange& exchange) {
    const std::string& route = exchange.request.route;
    std::string tail = route.substr(std::string(collection).size() + 1);
    std::size_t slash = tail.find('/');
    std::string segment = tail.substr(0, slash);
    std::optional<std::int64_t> id = id_from(&segment);
    if (!id) return std::nullopt;
    return MethodPath{*id, slash == std::string::npos ? std::string() : tail.substr(slash + 1)};
}

nlohmann::json api_view(const Exchange& exchange, const VerificationMethod& method) {
    int left = method.kind == MethodKind::recovery_codes
                   ? exchange.context.store.recovery_codes_left(exchange.account->id)
                   : 0;
    return method_api_view(method, left);
}

// The method this request's path names, when it is one of the signed-in account's.
struct Target {
    std::optional<VerificationMethod> method;
    std::optional<Response> refusal;  // 404 for a path that names none
};
Target target_of(const Exchange& exchange, bool verify) {
    std::optional<MethodPath> path = method_path(exchange);
    bool right_shape = path && (verify ? path->rest == "verify" : path->rest.empty());
    std::optional<VerificationMethod> method = right_shape ? own_method(exchange, path->id) : std::nullopt;
    if (!method) return {std::nullopt, failure(exchange, Failure::not_found)};
    return {method, std::nullopt};
}

Response created(const Exchange& exchange, std::int64_t id, nlohmann::json body) {
    Response response = json_response(201, body);
    response.set_header("Location", exchange.request.base_path + collection + "/" + std::to_string(id));
    return response;
}

Response add_authenticator(const Exchange& exchange, const nlohmann::json& body) {
    std::string label;
    if (body.contains("label")) {
        if (!body["label"].is_string()) return api_bad_request(exchange);
        label = body["label"].get<std::string>();
    }
    std::optional<SecondFactorEnrolment::NewAuthenticator> added = begin_authenticator(exchange, label);
    if (!added) return bad_label(exchange);
    return created(exchange, added->method_id,
                   {{"id", added->method_id},
                    {"kind", "authenticator"},
                    {"status", "pending"},
                    {"secret", added->secret_base32},
                    {"otpauth_uri", added->otpauth_uri}});
}

Response add_recovery_codes(const Exchange& exchange) {
    std::vector<std::string> codes = renew_recovery_codes(exchange);
    std::int64_t id = 0;
    for (const VerificationMethod& method : exchange.context.store.methods_of(exchange.account->id))
        if (method.kind == MethodKind::recovery_codes) id = method.id;
    return created(exchange, id, {{"id", id}, {"kind", "recovery_codes"}, {"codes", codes}});
}

// A string member, when present; `malformed` when present but not a string.
const std::string* string_member(const nlohmann::json& body, const char* name, bool& malformed) {
    auto it = body.find(name);
    if (it == body.end()) return nullptr;
    if (!it->is_string()) {
        malformed = true;
        return nullptr;
    }
    return it->get_ptr<const std::string*>();
}

Response refused(const Refusal& refusal) {
    return json_response(refusal.status, {{"error", {{"code", refusal.code}, {"message", refusal.message}}}});
}

// 202: the code went out; the client sends it back with the challenge to finish.
Response code_sent(const Exchange& exchange, const CodeSent& sent, const char* channel) {
    return json_response(202, {{"status", "code_sent"},
                               {"challenge", sent.challenge},
                               {"recipient", sent.recipient},
                               {"channel", channel},
                               {"expires_in", exchange.context.reset.code_lifetime}});
}

Response proven(const Exchange& exchange, const std::optional<VerificationMethod>& added) {
    if (!added) return api_error(exchange, 422, "wrong_code", "security_error_code");
    return created(exchange, added->id, api_view(exchange, *added));
}

// {"kind":"email","address","current_password"} sends a code; {"kind":"email","challenge","code"}
// registers the address it proves.
Response add_email(const Exchange& exchange, const nlohmann::json& body) {
    bool malformed = false;
    const std::string* challenge = string_member(body, "challenge", malformed);
    const std::string* code = string_member(body, "code", malformed);
    const std::string* address = string_member(body, "address", malformed);
    const std::string* password = string_member(body, "current_password", malformed);
    if (malformed) return api_bad_request(exchange);
    if (challenge || code) {
        if (!challenge || !code) return api_bad_request(exchange);
        return proven(exchange, confirm_email_method(exchange, *challenge, *code));
    }
    if (!address || !password || address->empty() || password->empty() || password->size() > max_password_field)
        return api_error(exchange, 422, "required", "security_error_required");
    CodeSent sent = begin_email_method(exchange, *address, *password);
    return sent.refusal ? refused(*sent.refusal) : code_sent(exchange, sent, "email");
}

// {"kind":"phone","number","phone_type"?,"label"?} sends a code (a text, a call for an office
// phone); the same with "challenge" and "code" registers the number it proves.
Response add_phone(const Exchange& exchange, const nlohmann::json& body) {
    bool malformed = false;
    const std::string* challenge = string_member(body, "challenge", malformed);
    const std::string* code = string_member(body, "code", malformed);
    const std::string* number = string_member(body, "number", malformed);
    const std::string* type_text = string_member(body, "phone_type", malformed);
    const std::string* label_text = string_member(body, "label", malformed);
    if (malformed) return api_bad_request(exchange);
    std::optional<PhoneType> type = type_text ? phone_type_from(*type_text) : PhoneType::mobile;
    if (!type || *type == PhoneType::none) return api_error(exchange, 422, "bad_phone_type", "error_bad_request");
    const std::string label = label_text ? trim_spaces(*label_text) : std::string();
    if (!acceptable_label(label)) return bad_label(exchange);
    if (challenge || code) {
        if (!challenge || !code) return api_bad_request(exchange);
        return proven(exchange, confirm_phone_method(exchange, *challenge, *code, *type, label));
    }
    CodeSent sent = begin_phone_method(exchange, number ? *number : std::string(), *type);
    return sent.refusal ? refused(*sent.refusal) : code_sent(exchange, sent, phone_channel(*type));
}

Response change_refused(const Exchange& exchange, Change change) {
    switch (change) {
    case Change::bad_label: return bad_label(exchange);
    case Change::last_method: return api_error(exchange, 409, "last_method", "security_error_last_method");
    case Change::not_found:
    case Change::done: break;
    }
    return failure(exchange, Failure::not_found);
}

}  // namespace

Response api_list_methods(Exchange& exchange) {
    nlohmann::json list = nlohmann::json::array();
    nlohmann::json default_id = nullptr;
    for (const VerificationMethod& method : exchange.context.store.methods_of(exchange.account->id)) {
        list.push_back(api_view(exchange, method));
        if (method.is_default) default_id = method.id;
    }
    return json_response(200, {{"methods", std::move(list)}, {"default_method", default_id}});
}

Response api_add_method(Exchange& exchange) {
    std::optional<nlohmann::json> body = body_object(exchange);
    if (!body || !body->contains("kind") || !(*body)["kind"].is_string()) return api_bad_request(exchange);
    const std::string kind = (*body)["kind"].get<std::string>();
    if (kind == "authenticator") return add_authenticator(exchange, *body);
    if (kind == "recovery_codes") return add_recovery_codes(exchange);
    if (kind == "phone") return add_phone(exchange, *body);
    if (kind == "email") return add_email(exchange, *body);
    return api_error(exchange, 422, "unsupported_kind", "security_error_kind");
}

Response api_show_method(Exchange& exchange) {
    Target target = target_of(exchange, false);
    if (target.refusal) return *target.refusal;
    return json_response(200, api_view(exchange, *target.method));
}

Response api_verify_method(Exchange& exchange) {
    std::optional<MethodPath> path = method_path(exchange);
    if (path && path->rest.empty()) {
        Response response = failure(exchange, Failure::method_not_allowed);
        response.set_header("Allow", "GET, HEAD, PATCH, DELETE");
        return response;
    }
    Target target = target_of(exchange, true);
    if (target.refusal) return *target.refusal;
    const VerificationMethod& method = *target.method;
    if (method.active) return api_error(exchange, 409, "already_active", "authenticator_error_active");
    std::optional<nlohmann::json> body = body_object(exchange);
    if (!body || !body->contains("code") || !(*body)["code"].is_string()) return api_bad_request(exchange);
    const std::string code = (*body)["code"].get<std::string>();
    if (code.size() > 16 || !looks_like_totp_code(code))
        return api_error(exchange, 422, "invalid_code", "authenticator_error_format");
    SecondFactorEnrolment::Confirmation confirmation = confirm_authenticator(exchange, method.id, code);
    switch (confirmation.result) {
    case SecondFactorEnrolment::Confirmed::active: {
        std::optional<VerificationMethod> now_active = own_method(exchange, method.id);
        nlohmann::json view = now_active ? api_view(exchange, *now_active) : nlohmann::json::object();
        view["clock_off"] = confirmation.clock_off;
        return json_response(200, view);
    }
    case SecondFactorEnrolment::Confirmed::wrong_code:
        return api_error(exchange, 422, "wrong_code", "authenticator_error_wrong",
                         {{"clock_off", confirmation.clock_off}});
    case SecondFactorEnrolment::Confirmed::locked: {
        Response locked = json_response(
            423, {{"error", {{"code", "locked"}, {"message", second_step_locked_text(exchange, confirmation.locked_until)}}}});
        locked.set_header("Retry-After", std::to_string(confirmation.locked_until - exchange.context.now));
        return locked;
    }
    case SecondFactorEnrolment::Confirmed::gone: break;
    }
    return failure(exchange, Failure::not_found);
}

Response api_change_method(Exchange& exchange) {
    Target target = target_of(exchange, false);
    if (target.refusal) return *target.refusal;
    std::optional<nlohmann::json> body = body_object(exchange);
    if (!body || body->empty()) return api_bad_request(exchange);
    for (const auto& [name, value] : body->items()) {
        bool known = (name == "label" && value.is_string()) || (name == "default" && value.is_boolean());
        if (!known) return api_bad_request(exchange);
    }
    const VerificationMethod& method = *target.method;
    // Checked before anything is written, so a refused part leaves the other undone too.
    if (body->contains("label") && !acceptable_label((*body)["label"].get<std::string>()))
        return bad_label(exchange);
    bool make_default = body->value("default", false);
    if (body->contains("default") && (!make_default || !counts_as_two_step_method(method)))
        return api_error(exchange, 422, "cannot_be_default", "security_error_default");
    if (body->contains("label")) {
        Change change = rename_method(exchange, method.id, (*body)["label"].get<std::string>());
        if (change != Change::done) return change_refused(exchange, change);
    }
    if (make_default && !method.is_default) {
        Change change = make_default_method(exchange, method.id);
        if (change != Change::done) return change_refused(exchange, change);
    }
    std::optional<VerificationMethod> changed = own_method(exchange, method.id);
    if (!changed) return failure(exchange, Failure::not_found);
    return json_response(200, api_view(exchange, *changed));
}

Response api_remove_method(Exchange& exchange) {
    Target target = target_of(exchange, false);
    if (target.refusal) return *target.refusal;
    Change change = remove_method(exchange, target.method->id);
    if (change != Change::done) return change_refused(exchange, change);
    Response response;
    response.status = 204;
    response.content_type = "application/json";
    return response;
}

}  // namespace myaccount::web
