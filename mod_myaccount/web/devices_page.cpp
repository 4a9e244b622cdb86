// GET /devices: where the user is signed in (browser, system, address, started, last active; this
// browser marked), with "sign out" for one session and for all the others; the JSON twins under
// /api/v1/me/sessions. Ending sessions needs a recent proof, as signing out everywhere does.
#include <algorithm>

#include "core/session_registry.hpp"
#include "core/user_agent.hpp"
#include "web/pages.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

SessionRegistry registry_of(const Exchange& exchange) {
    return SessionRegistry(exchange.context.store, exchange.context.sessions);
}

std::int64_t current_session_id(const Exchange& exchange) {
    const std::optional<Session>& session = exchange.request.principal->session;
    return session ? session->id : 0;
}

nlohmann::json session_rows(const Exchange& exchange, const std::vector<Session>& sessions) {
    nlohmann::json rows = nlohmann::json::array();
    const std::int64_t current = current_session_id(exchange);
    for (const Session& session : sessions) {
        rows.push_back({{"id", std::to_string(session.id)},
                        {"name", browser_summary(exchange, session.user_agent)},
                        {"current", session.id == current},
                        {"started_text", fill(exchange.text("devices_started"),
                                              {{"date", minute_of(session.signed_in_at ? session.signed_in_at
                                                                                      : session.created_at)},
                                               {"address", session.client_ip}})},
                        {"active_text", fill(exchange.text("devices_last_active"),
                                             {{"date", minute_of(session.last_seen_at)}})}});
    }
    // This browser first.
    std::stable_partition(rows.begin(), rows.end(), [](const nlohmann::json& row) { return row["current"].get<bool>(); });
    return rows;
}

Response devices_page(const Exchange& exchange, int status, const std::string& done_text) {
    const std::vector<Session> sessions = registry_of(exchange).live_sessions(*exchange.account, exchange.context.now);
    nlohmann::json view = {{"sessions", session_rows(exchange, sessions)},
                           {"has_others", sessions.size() > 1 || (sessions.size() == 1 && current_session_id(exchange) == 0)},
                           {"done_text", done_text}};
    return page(exchange, status, "devices", "devices", std::move(view), "devices");
}

std::string done_text_of(const Exchange& exchange) {
    const std::string* ended = exchange.request.query_value("ended");
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
            {"current", session.id == current_session_id(exchange)}};
}

}  // namespace

Response show_devices(Exchange& exchange) {
    return devices_page(exchange, 200, done_text_of(exchange));
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
