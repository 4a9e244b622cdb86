// GET /devices: the browsers the user signed in from (first seen, last sign-in and address; this
// one marked) with their live sessions, "sign out" for one session and for all the others, and
// "disable device" behind a Yes / No question; the JSON twins under /api/v1/me/devices and
// /api/v1/me/sessions. Every change needs a recent proof, as signing out everywhere does.
#include <algorithm>

#include "core/account_security.hpp"
#include "core/devices.hpp"
#include "core/session_registry.hpp"
#include "core/user_agent.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

constexpr const char* device_collection = "/api/v1/me/devices/";

SessionRegistry registry_of(const Exchange& exchange) {
    return SessionRegistry(exchange.context.store, exchange.context.sessions);
}

const Session* current_session(const Exchange& exchange) {
    const std::optional<Session>& session = exchange.request.principal->session;
    return session ? &*session : nullptr;
}

std::int64_t current_session_id(const Exchange& exchange) {
    const Session* session = current_session(exchange);
    return session ? session->id : 0;
}

std::int64_t current_device_id(const Exchange& exchange) {
    const Session* session = current_session(exchange);
    return session ? session->device_id : 0;
}

// What the page and the API show of the account: its devices and its live sessions.
struct Overview {
    std::vector<Device> devices;
    std::vector<Session> sessions;
};

Overview overview_of(const Exchange& exchange) {
    return {DeviceRegistry(exchange.context.store).devices(*exchange.account),
            registry_of(exchange).live_sessions(*exchange.account, exchange.context.now)};
}

bool has_device(const std::vector<Device>& devices, std::int64_t id) {
    return std::any_of(devices.begin(), devices.end(), [&](const Device& d) { return d.id == id; });
}

nlohmann::json session_row(const Exchange& exchange, const Session& session) {
    return {{"id", std::to_string(session.id)},
            {"name", browser_summary(exchange, session.user_agent)},
            {"current", session.id == current_session_id(exchange)},
            {"started_text", fill(exchange.text("devices_started"),
                                  {{"date", minute_of(session.signed_in_at ? session.signed_in_at : session.created_at)},
                                   {"address", session.client_ip}})},
            {"active_text", fill(exchange.text("devices_last_active"), {{"date", minute_of(session.last_seen_at)}})}};
}

// The sessions begun on `device_id` (0: on no device the portal knows), this browser's first.
nlohmann::json session_rows(const Exchange& exchange, const Overview& overview, std::int64_t device_id) {
    nlohmann::json rows = nlohmann::json::array();
    for (const Session& session : overview.sessions) {
        const bool on_device = device_id != 0 ? session.device_id == device_id
                                              : !has_device(overview.devices, session.device_id);
        if (on_device) rows.push_back(session_row(exchange, session));
    }
    std::stable_partition(rows.begin(), rows.end(), [](const nlohmann::json& row) { return row["current"].get<bool>(); });
    return rows;
}

nlohmann::json device_rows(const Exchange& exchange, const Overview& overview) {
    nlohmann::json rows = nlohmann::json::array();
    for (const Device& device : overview.devices) {
        const bool current = device.id == current_device_id(exchange);
        rows.push_back({{"id", std::to_string(device.id)},
                        {"name", browser_summary(exchange, device.user_agent)},
                        {"current", current},
                        {"disabled", device.disabled_at != 0},
                        {"first_seen_text", fill(exchange.text("devices_first_seen"),
                                                 {{"date", minute_of(device.first_seen_at)}})},
                        {"last_sign_in_text", fill(exchange.text("devices_last_sign_in"),
                                                   {{"date", minute_of(device.last_sign_in_at)},
                                                    {"address", device.last_ip}})},
                        {"sessions", session_rows(exchange, overview, device.id)}});
    }
    std::stable_partition(rows.begin(), rows.end(), [](const nlohmann::json& row) { return row["current"].get<bool>(); });
    return rows;
}

Response devices_page(const Exchange& exchange, int status, const std::string& done_text) {
    const Overview overview = overview_of(exchange);
    const std::size_t others = std::count_if(overview.sessions.begin(), overview.sessions.end(),
                                             [&](const Session& s) { return s.id != current_session_id(exchange); });
    nlohmann::json other_sessions = session_rows(exchange, overview, 0);
    nlohmann::json view = {{"devices", device_rows(exchange, overview)},
                           {"has_other_sessions", !other_sessions.empty()},
                           {"other_sessions", std::move(other_sessions)},
                           {"has_others", others > 0},
                           {"done_text", done_text}};
    return page(exchange, status, "devices", "devices", std::move(view), "devices");
}

std::string done_text_of(const Exchange& exchange) {
    const std::string* ended = exchange.request.query_value("ended");
    if (exchange.request.has_flag("disabled")) return exchange.text("devices_device_disabled");
    if (!ended) return {};
    if (*ended == "others") return exchange.text("devices_others_ended");
    if (*ended == "1") return exchange.text("devices_session_ended");
    return {};
}

nlohmann::json session_json(const Exchange& exchange, const Session& session) {
    const UserAgentName name = name_user_agent(session.user_agent);
    return {{"id", session.id},
            {"browser", name.browser},
            {"os", name.os},
            {"name", browser_summary(exchange, session.user_agent)},
            {"address", session.client_ip},
            {"started_at", session.signed_in_at ? session.signed_in_at : session.created_at},
            {"last_active_at", session.last_seen_at},
            {"device", session.device_id != 0 ? nlohmann::json(session.device_id) : nlohmann::json(nullptr)},
            {"current", session.id == current_session_id(exchange)}};
}

nlohmann::json device_json(const Exchange& exchange, const Device& device, const std::vector<Session>& sessions) {
    const UserAgentName name = name_user_agent(device.user_agent);
    nlohmann::json on_device = nlohmann::json::array();
    for (const Session& session : sessions)
        if (session.device_id == device.id) on_device.push_back(session_json(exchange, session));
    return {{"id", device.id},
            {"browser", name.browser},
            {"os", name.os},
            {"name", browser_summary(exchange, device.user_agent)},
            {"first_seen_at", device.first_seen_at},
            {"last_sign_in_at", device.last_sign_in_at},
            {"last_address", device.last_ip},
            {"disabled", device.disabled_at != 0},
            {"disabled_at", device.disabled_at != 0 ? nlohmann::json(device.disabled_at) : nlohmann::json(nullptr)},
            {"current", device.id == current_device_id(exchange)},
            {"sessions", std::move(on_device)}};
}

// The account's device named by the form's or the path's id, still able to sign in; none for a
// malformed id, another account's device, or one disabled already.
std::optional<Device> enabled_device(const Exchange& exchange, const std::string* id_text) {
    std::optional<std::int64_t> id = id_from(id_text);
    if (!id) return std::nullopt;
    std::optional<Device> device = DeviceRegistry(exchange.context.store).find(*exchange.account, *id);
    if (!device || device->disabled_at != 0) return std::nullopt;
    return device;
}

// Disables it (told to the user): this browser's device (its session ended with it), another
// one, or none when the device went away between the lookup and the write (nothing done: 404).
enum class Disabled { none, this_device, other_device };
Disabled disable(const Exchange& exchange, const Device& device) {
    CatalogWording wording(exchange);
    const std::optional<AccountSecurity::Done> done = account_security(exchange, wording)
        .disable_device(*exchange.account, device.id, browser_summary(exchange, device.user_agent),
                        client_of(exchange), exchange.context.now);
    if (!done) return Disabled::none;
    return device.id == current_device_id(exchange) ? Disabled::this_device : Disabled::other_device;
}

Response this_device_disabled(Exchange& exchange) {
    return signed_out(exchange, "device_disabled", {{"disabled", true}, {"signed_out", true}}, "device_disabled");
}

}  // namespace

Response show_devices(Exchange& exchange) {
    return devices_page(exchange, 200, done_text_of(exchange));
}

Response show_disable_device(Exchange& exchange) {
    const std::optional<Device> device = enabled_device(exchange, exchange.request.query_value("device"));
    if (!device) return failure(exchange, Failure::not_found);
    const std::string& base = exchange.request.base_path;
    const std::string name = browser_summary(exchange, device->user_agent);
    nlohmann::json view = {
        {"interrupt", true},
        {"icon", "browser"},
        {"title", exchange.text("disable_device")},
        {"paragraphs", {fill(exchange.text("disable_device_question"), {{"device", name}}),
                        exchange.text(device->id == current_device_id(exchange) ? "disable_device_explain_this"
                                                                                : "disable_device_explain")}},
        {"action", base + "/devices/disable"},
        {"fields", {{{"name", "device"}, {"value", std::to_string(device->id)}}}},
        {"yes", exchange.text("yes")},
        {"no", exchange.text("no")},
        {"no_url", base + "/devices"}};
    return page(exchange, 200, "confirm", "disable_device", std::move(view), "devices");
}

Response disable_device_form(Exchange& exchange) {
    const std::optional<Device> device = enabled_device(exchange, single_field(exchange.request, "device"));
    if (!device) return failure(exchange, Failure::not_found);
    switch (disable(exchange, *device)) {
        case Disabled::none: return failure(exchange, Failure::not_found);
        case Disabled::this_device: return this_device_disabled(exchange);
        case Disabled::other_device: break;
    }
    return see_other(exchange, "/devices?disabled=1");
}

Response end_session_form(Exchange& exchange) {
    std::optional<std::int64_t> id = id_from(single_field(exchange.request, "session"));
    if (!id || !registry_of(exchange).end_one(*exchange.account, *id, client_of(exchange), exchange.context.now))
        return failure(exchange, Failure::not_found);
    if (*id == current_session_id(exchange)) return sign_out(exchange);
    return see_other(exchange, "/devices?ended=1");
}

Response end_other_sessions_form(Exchange& exchange) {
    registry_of(exchange).end_others(*exchange.account, current_session_id(exchange), client_of(exchange),
                                     exchange.context.now);
    return see_other(exchange, "/devices?ended=others");
}

Response api_list_devices(Exchange& exchange) {
    const Overview overview = overview_of(exchange);
    nlohmann::json devices = nlohmann::json::array();
    for (const Device& device : overview.devices) devices.push_back(device_json(exchange, device, overview.sessions));
    nlohmann::json other = nlohmann::json::array();
    for (const Session& session : overview.sessions)
        if (!has_device(overview.devices, session.device_id)) other.push_back(session_json(exchange, session));
    return json_response(200, {{"devices", std::move(devices)}, {"other_sessions", std::move(other)}});
}

Response api_change_device(Exchange& exchange) {
    const std::string id_text = exchange.request.route.substr(std::string(device_collection).size());
    std::optional<std::int64_t> id = id_from(&id_text);
    std::optional<Device> device =
        id ? DeviceRegistry(exchange.context.store).find(*exchange.account, *id) : std::nullopt;
    if (!device) return failure(exchange, Failure::not_found);
    std::optional<nlohmann::json> body = body_object(exchange);
    if (!body || body->size() != 1 || !body->contains("disabled") || !(*body)["disabled"].is_boolean())
        return api_bad_request(exchange);
    if (!(*body)["disabled"].get<bool>()) {
        if (device->disabled_at == 0) return json_response(200, device_json(exchange, *device, {}));
        return api_error(exchange, 403, "administrator_only", "devices_enable_admin_only");
    }
    if (device->disabled_at == 0) {
        const Disabled done = disable(exchange, *device);
        if (done == Disabled::none) return failure(exchange, Failure::not_found);
        if (done == Disabled::this_device) return this_device_disabled(exchange);
    }
    device = DeviceRegistry(exchange.context.store).find(*exchange.account, *id);
    if (!device) return failure(exchange, Failure::not_found);
    return json_response(200, device_json(exchange, *device, {}));
}

Response api_list_sessions(Exchange& exchange) {
    nlohmann::json list = nlohmann::json::array();
    for (const Session& session : registry_of(exchange).live_sessions(*exchange.account, exchange.context.now))
        list.push_back(session_json(exchange, session));
    return json_response(200, {{"sessions", list}});
}

Response api_end_session(Exchange& exchange) {
    const std::string tail = exchange.request.route.substr(std::string("/api/v1/me/sessions/").size());
    SessionRegistry registry = registry_of(exchange);
    if (tail == "others") {
        const int ended = registry.end_others(*exchange.account, current_session_id(exchange), client_of(exchange),
                                              exchange.context.now);
        return json_response(200, {{"sessions_ended", ended}});
    }
    std::optional<std::int64_t> id = id_from(&tail);
    if (!id || !registry.end_one(*exchange.account, *id, client_of(exchange), exchange.context.now))
        return failure(exchange, Failure::not_found);
    if (*id == current_session_id(exchange)) return sign_out(exchange);
    return json_response(200, {{"ended", true}});
}

}  // namespace myaccount::web
