// GET /terms: the current terms of use of each of the user's organizations (in their language
// where published), Accept for those not accepted yet, Decline (which signs out), and every
// version they accepted and when; "Done" back to the profile, or to the page the gate stopped
// (?return=). The JSON twins under /api/v1/me/terms.
#include <algorithm>

#include "core/audit.hpp"
#include "core/terms_acceptance.hpp"
#include "core/text.hpp"
#include "web/pages.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

// Where the user goes once their terms are accepted: a path on this server the gate sent them
// from, never the terms page itself; none when the request names no such place.
std::string return_of(const Exchange& exchange, const std::string* wanted) {
    if (!wanted || !is_return_path(*wanted)) return {};
    if (wanted->rfind(exchange.request.base_path + "/terms", 0) == 0) return {};
    return *wanted;
}

std::string language_name(const Exchange& exchange, const std::string& language) {
    return exchange.text("language_" + language);
}

bool all_accepted(const std::vector<TermsDue>& due) {
    return std::all_of(due.begin(), due.end(), [](const TermsDue& d) { return d.acceptance.has_value(); });
}

nlohmann::json organization_terms_view(const Exchange& exchange, const TermsDue& due) {
    const TermsText* text = text_to_read(due.current, exchange.lang);
    nlohmann::json view = {
        {"organization", due.organization.name},
        {"version_id", std::to_string(due.current.id)},
        {"version_text", fill(exchange.text("terms_version"),
                              {{"version", due.current.version}, {"date", local_time_text(exchange, due.current.published_at)}})},
        {"accepted", due.acceptance.has_value()}};
    if (text) {
        view["language"] = text->language;
        view["safe_terms_html"] = text->body_html;
        if (text->language != exchange.lang)
            view["language_note"] =
                fill(exchange.text("terms_only_in"), {{"language", language_name(exchange, text->language)}});
    }
    if (due.acceptance)
        view["accepted_text"] =
            fill(exchange.text("terms_accepted_on"), {{"date", local_time_text(exchange, due.acceptance->accepted_at)}});
    return view;
}

nlohmann::json history_view(const Exchange& exchange, const std::vector<TermsAcceptance>& accepted) {
    nlohmann::json rows = nlohmann::json::array();
    for (const TermsAcceptance& a : accepted)
        rows.push_back(
            {{"organization", a.organization_name},
             {"text", fill(exchange.text("terms_history_row"), {{"version", a.version},
                                                                {"date", local_time_text(exchange, a.accepted_at)},
                                                                {"language", language_name(exchange, a.language)}})}});
    return rows;
}

Response terms_page(const Exchange& exchange, const std::string& back, const std::string& done_text) {
    Store& store = exchange.context.store;
    const std::vector<TermsDue> due = store.terms_due(exchange.account->id);
    nlohmann::json organizations = nlohmann::json::array();
    for (const TermsDue& item : due) organizations.push_back(organization_terms_view(exchange, item));
    const nlohmann::json history = history_view(exchange, store.terms_accepted_by(exchange.account->id));
    const bool pending = !all_accepted(due);
    nlohmann::json view = {{"organizations", organizations},
                           {"has_terms", !due.empty()},
                           {"pending", pending},
                           {"intro", exchange.text(due.empty() ? "terms_none"
                                                   : pending   ? "terms_intro_pending"
                                                               : "terms_intro_accepted")},
                           {"history", history},
                           {"has_history", !history.empty()},
                           {"return_to", back},
                           {"done_url", back.empty() ? exchange.request.base_path + "/" : back},
                           {"done_text", done_text}};
    return page(exchange, 200, "terms", "terms_title", std::move(view), "terms");
}

// The page again, with ?return= kept while there is somewhere to go back to.
Response back_to_terms(const Exchange& exchange, const std::string& flag, const std::string& back) {
    std::string route = "/terms?" + flag + "=1";
    if (!back.empty()) route += "&return=" + percent_encoded(back, "/");
    return see_other(exchange, route);
}

Response outdated(const Exchange& exchange, const std::string& back) {
    if (exchange.is_api()) return api_error(exchange, 409, "terms_outdated", "terms_outdated");
    std::string link = exchange.request.base_path + "/terms";
    if (!back.empty()) link += "?return=" + percent_encoded(back, "/");
    nlohmann::json view = {{"status", 409},
                           {"title", exchange.text("terms_outdated_title")},
                           {"message", exchange.text("terms_outdated")},
                           {"link_url", link},
                           {"link_text", exchange.text("terms_review_again")}};
    return page(exchange, 409, "error", "terms_outdated_title", std::move(view), "terms");
}

TermsAccepted accept(const Exchange& exchange, std::int64_t version_id, const std::string& language) {
    return accept_terms(exchange.context.store, *exchange.account, version_id, language, client_of(exchange),
                        exchange.context.now);
}

nlohmann::json acceptance_json(const TermsAcceptance& a) {
    return {{"organization", {{"id", a.organization_id}, {"name", a.organization_name}}},
            {"version_id", a.version_id},
            {"version", a.version},
            {"language", a.language},
            {"accepted_at", a.accepted_at}};
}

}  // namespace

Response show_terms(Exchange& exchange) {
    const Request& request = exchange.request;
    return terms_page(exchange, return_of(exchange, request.query_value("return")),
                      request.has_flag("accepted") ? exchange.text("terms_accepted_done") : "");
}

Response accept_terms_form(Exchange& exchange) {
    const Request& request = exchange.request;
    const std::string back = return_of(exchange, single_field(request, "return"));
    const std::optional<std::int64_t> version_id = id_from(single_field(request, "version"));
    const std::string* language = single_field(request, "language");
    if (!version_id || !language) return failure(exchange, Failure::not_found);
    switch (accept(exchange, *version_id, *language)) {
        case TermsAccepted::unknown:
            return failure(exchange, Failure::not_found);
        case TermsAccepted::outdated:
            return outdated(exchange, back);
        case TermsAccepted::accepted:
        case TermsAccepted::accepted_before:
            break;
    }
    if (!back.empty() && !exchange.context.store.terms_pending(exchange.account->id)) return redirect_to(back);
    return back_to_terms(exchange, "accepted", back);
}

Response decline_terms_form(Exchange& exchange) {
    exchange.context.store.record_event(
        audit_event(exchange.account->id, "terms_declined", client_of(exchange), exchange.context.now));
    return signed_out(exchange, "terms_declined", {{"signed_out", true}}, "terms_declined");
}

Response api_terms(Exchange& exchange) {
    Store& store = exchange.context.store;
    nlohmann::json organizations = nlohmann::json::array();
    const std::vector<TermsDue> due = store.terms_due(exchange.account->id);
    for (const TermsDue& item : due) {
        nlohmann::json texts = nlohmann::json::array();
        for (const TermsText& text : item.current.texts)
            texts.push_back(
                {{"language", text.language}, {"html", text.body_html}, {"published_at", text.published_at}});
        organizations.push_back({{"organization", {{"id", item.organization.id}, {"name", item.organization.name}}},
                                 {"version_id", item.current.id},
                                 {"version", item.current.version},
                                 {"published_at", item.current.published_at},
                                 {"texts", texts},
                                 {"accepted", item.acceptance ? acceptance_json(*item.acceptance) : nlohmann::json()}});
    }
    nlohmann::json accepted = nlohmann::json::array();
    for (const TermsAcceptance& a : store.terms_accepted_by(exchange.account->id))
        accepted.push_back(acceptance_json(a));
    return json_response(200, {{"pending", !all_accepted(due)}, {"current", organizations}, {"accepted", accepted}});
}

Response api_accept_terms(Exchange& exchange) {
    const std::optional<nlohmann::json> body = body_object(exchange);
    if (!body) return api_bad_request(exchange);
    const auto version = body->find("version_id");
    const auto language = body->find("language");
    if (version == body->end() || !version->is_number_integer() || language == body->end() || !language->is_string())
        return api_bad_request(exchange);
    const std::int64_t version_id = version->get<std::int64_t>();
    switch (accept(exchange, version_id, language->get<std::string>())) {
        case TermsAccepted::unknown:
            return failure(exchange, Failure::not_found);
        case TermsAccepted::outdated:
            return outdated(exchange, {});
        case TermsAccepted::accepted:
        case TermsAccepted::accepted_before:
            break;
    }
    return api_terms(exchange);
}

}  // namespace myaccount::web
