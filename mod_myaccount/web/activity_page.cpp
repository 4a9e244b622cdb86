// GET /activity: the account's sign-ins (success or failure and why, how, from where and which
// device) and security events, newest first, a page at a time, times in the reader's language
// and the configured zone; "This wasn't me" on each, behind a Yes / No question. The JSON twins:
// GET /api/v1/me/activity?page=N&per_page=M and POST /api/v1/me/activity/not-me.
#include <charconv>

#include "core/account_security.hpp"
#include "web/notices.hpp"
#include "web/pages.hpp"
#include "web/security_view.hpp"

namespace myaccount::web {

namespace {

constexpr std::int64_t max_page = 100000;
constexpr int entries_per_page = 20;
constexpr int max_per_page = 100;

// A whole number in [1, max] as the query gives it, `fallback` when absent; none when malformed
// or out of range (a page far past the end is still a page: it is empty).
std::optional<std::int64_t> bounded_number(const std::string* text, std::int64_t fallback, std::int64_t max) {
    if (!text) return fallback;
    std::int64_t value = 0;
    const char* end = text->data() + text->size();
    auto [stop, error] = std::from_chars(text->data(), end, value);
    if (text->empty() || error != std::errc() || stop != end || value < 1 || value > max) return std::nullopt;
    return value;
}

struct Paging {
    std::int64_t page = 1;
    int per_page = entries_per_page;
};

std::optional<Paging> paging_of(const Request& request, bool api) {
    const std::optional<std::int64_t> page = bounded_number(request.query_value("page"), 1, max_page);
    const std::optional<std::int64_t> per_page =
        api ? bounded_number(request.query_value("per_page"), entries_per_page, max_per_page)
            : std::optional<std::int64_t>(entries_per_page);
    if (!page || !per_page) return std::nullopt;
    return Paging{*page, static_cast<int>(*per_page)};
}

// One page of entries, and whether an older page follows (one entry more was asked for).
struct ActivityPage {
    std::vector<ActivityEntry> entries;
    bool more = false;
};

ActivityPage page_of(const Exchange& exchange, const Paging& paging) {
    ActivityPage result;
    result.entries = exchange.context.store.activity_of(exchange.account->id, (paging.page - 1) * paging.per_page,
                                                        paging.per_page + 1);
    result.more = result.entries.size() > static_cast<std::size_t>(paging.per_page);
    if (result.more) result.entries.pop_back();
    return result;
}

std::string catalog_or(const Exchange& exchange, const std::string& key, const char* fallback) {
    const std::string text = exchange.text(key);
    return text == key ? exchange.text(fallback) : text;
}

std::string entry_key(const ActivityEntry& entry) {
    return (entry.sign_in ? "s" : "e") + std::to_string(entry.id);
}

const std::string& client_ip(const ActivityEntry& e) {
    return e.sign_in ? e.sign_in->client_ip : e.event->client_ip;
}
const std::string& user_agent(const ActivityEntry& e) {
    return e.sign_in ? e.sign_in->user_agent : e.event->user_agent;
}

bool failed(const ActivityEntry& entry) {
    return entry.sign_in && entry.sign_in->result != SignInResult::success;
}

// A password typed again before a change (not a sign-in of its own).
bool is_confirmation(const SignInAttempt& attempt) {
    return attempt.method == SignInMethod::password_change || attempt.method == SignInMethod::other;
}

std::string title_of(const Exchange& exchange, const ActivityEntry& entry) {
    if (entry.sign_in && is_confirmation(*entry.sign_in)) {
        if (entry.sign_in->result == SignInResult::success) return exchange.text("activity_password_confirmed");
        if (entry.sign_in->result == SignInResult::bad_password) return exchange.text("activity_confirmation_failed");
    }
    if (entry.sign_in) return exchange.text(std::string("activity_sign_in_") + to_string(entry.sign_in->result));
    return catalog_or(exchange, "activity_event_" + entry.event->kind, "activity_event_other");
}

// How a sign-in was made, or what an event was about: the 2-step method a verification used, in
// the reader's words; the detail the event was recorded with otherwise.
std::string subtitle_of(const Exchange& exchange, const ActivityEntry& entry) {
    if (entry.sign_in) return exchange.text(std::string("activity_method_") + to_string(entry.sign_in->method));
    const AuditEvent& event = *entry.event;
    if (event.kind == "second_factor_passed") {
        if (const std::optional<MethodKind> kind = method_kind_from(event.detail)) {
            VerificationMethod method;
            method.kind = *kind;
            method.phone_type = PhoneType::mobile;
            return method_kind_text(exchange, method);
        }
    }
    return event.detail;
}

// When, from where and on what: "7 Dec 2026, 21:15 (UTC) · 192.0.2.1 · Chrome on Windows".
std::string meta_of(const Exchange& exchange, const ActivityEntry& entry) {
    const std::string address = client_ip(entry).empty() ? "—" : client_ip(entry);
    return fill(exchange.text("activity_meta"), {{"time", local_time_text(exchange, entry.at())},
                                                 {"address", address},
                                                 {"device", browser_summary(exchange, user_agent(entry))}});
}

nlohmann::json entry_view(const Exchange& exchange, const ActivityEntry& entry) {
    return {{"key", entry_key(entry)},
            {"icon", entry.sign_in ? "profile" : "security"},
            {"failed", failed(entry)},
            {"title", title_of(exchange, entry)},
            {"subtitle", subtitle_of(exchange, entry)},
            {"meta", meta_of(exchange, entry)}};
}

nlohmann::json entry_json(const Exchange& exchange, const ActivityEntry& entry) {
    nlohmann::json json = {{"id", entry_key(entry)},
                           {"type", entry.sign_in ? "sign_in" : "event"},
                           {"at", entry.at()},
                           {"time_text", local_time_text(exchange, entry.at())},
                           {"title", title_of(exchange, entry)},
                           {"address", client_ip(entry)},
                           {"device", browser_summary(exchange, user_agent(entry))}};
    if (entry.sign_in) {
        json["result"] = to_string(entry.sign_in->result);
        json["method"] = to_string(entry.sign_in->method);
    } else {
        json["kind"] = entry.event->kind;
        json["detail"] = entry.event->detail;
    }
    return json;
}

Response bad_page(const Exchange& exchange) {
    if (exchange.is_api()) return api_error(exchange, 400, "bad_page", "activity_bad_page");
    nlohmann::json view = {{"status", 400},
                           {"title", exchange.text("activity_title")},
                           {"message", exchange.text("activity_bad_page")},
                           {"link_url", exchange.request.base_path + "/activity"},
                           {"link_text", exchange.text("activity_title")}};
    return page(exchange, 400, "error", "activity_title", std::move(view), "activity");
}

// The entry an id as the page writes it names ("s12": a sign-in, "e7": an event), if it is the
// account's.
std::optional<ActivityEntry> entry_named(const Exchange& exchange, const std::string* key) {
    if (!key || key->size() < 2 || (key->front() != 's' && key->front() != 'e')) return std::nullopt;
    const std::string digits = key->substr(1);
    const std::optional<std::int64_t> id = id_from(&digits);
    if (!id) return std::nullopt;
    return exchange.context.store.find_activity(exchange.account->id, key->front() == 's', *id);
}

// What was not recognized, in one line: "Signed in · 7 Dec 2026, 21:15 (UTC) · 192.0.2.1 · Chrome on Windows".
std::string what_of(const Exchange& exchange, const ActivityEntry& entry) {
    return title_of(exchange, entry) + " · " + meta_of(exchange, entry);
}

AccountSecurity::NotMeDone report(const Exchange& exchange, const ActivityEntry& entry) {
    CatalogWording wording(exchange);
    return account_security(exchange, wording)
        .report_not_me(*exchange.account, what_of(exchange, entry), client_of(exchange), exchange.context.now);
}

std::string page_url(const Exchange& exchange, std::int64_t page) {
    return exchange.request.base_path + "/activity" + (page > 1 ? "?page=" + std::to_string(page) : "");
}

}  // namespace

Response show_activity(Exchange& exchange) {
    const std::optional<Paging> paging = paging_of(exchange.request, false);
    if (!paging) return bad_page(exchange);
    const ActivityPage found = page_of(exchange, *paging);
    nlohmann::json entries = nlohmann::json::array();
    for (const ActivityEntry& entry : found.entries) entries.push_back(entry_view(exchange, entry));
    const bool newer = paging->page > 1;
    nlohmann::json view = {
        {"entries", entries},
        {"has_entries", !entries.empty()},
        {"page_text", fill(exchange.text("activity_page"), {{"page", std::to_string(paging->page)}})},
        {"paged", newer || found.more},
        {"newer_url", newer ? page_url(exchange, paging->page - 1) : ""},
        {"older_url", found.more ? page_url(exchange, paging->page + 1) : ""}};
    return page(exchange, 200, "activity", "activity_title", std::move(view), "activity");
}

Response show_not_me(Exchange& exchange) {
    const std::optional<ActivityEntry> entry = entry_named(exchange, exchange.request.query_value("entry"));
    if (!entry) return failure(exchange, Failure::not_found);
    const std::string& base = exchange.request.base_path;
    nlohmann::json view = {{"interrupt", true},
                           {"icon", "security"},
                           {"title", exchange.text("not_me_title")},
                           {"paragraphs",
                            {fill(exchange.text("not_me_question"), {{"what", what_of(exchange, *entry)}}),
                             exchange.text("not_me_explain")}},
                           {"action", base + "/activity/not-me"},
                           {"fields", {{{"name", "entry"}, {"value", entry_key(*entry)}}}},
                           {"yes", exchange.text("not_me_yes")},
                           {"no", exchange.text("no")},
                           {"no_url", base + "/activity"}};
    return page(exchange, 200, "confirm", "not_me_title", std::move(view), "activity");
}

Response not_me_form(Exchange& exchange) {
    const std::optional<ActivityEntry> entry = entry_named(exchange, single_field(exchange.request, "entry"));
    if (!entry) return failure(exchange, Failure::not_found);
    report(exchange, *entry);
    return signed_out(exchange, "not_me", {}, "not_me");
}

Response api_not_me(Exchange& exchange) {
    const std::optional<nlohmann::json> body = body_object(exchange);
    if (!body) return api_bad_request(exchange);
    const auto id = body->find("id");
    if (id == body->end() || !id->is_string()) return api_bad_request(exchange);
    const std::string key = id->get<std::string>();
    const std::optional<ActivityEntry> entry = entry_named(exchange, &key);
    if (!entry) return failure(exchange, Failure::not_found);
    const AccountSecurity::NotMeDone done = report(exchange, *entry);
    return signed_out(exchange, "not_me",
                      {{"signed_out", true},
                       {"sessions_ended", done.done.sessions_ended},
                       {"methods_suspended", done.methods_suspended},
                       {"app_passwords_revoked", done.app_passwords_revoked},
                       {"password_reset_required", true}},
                      "not_me");
}

Response api_activity(Exchange& exchange) {
    const std::optional<Paging> paging = paging_of(exchange.request, true);
    if (!paging) return bad_page(exchange);
    const ActivityPage found = page_of(exchange, *paging);
    nlohmann::json entries = nlohmann::json::array();
    for (const ActivityEntry& entry : found.entries) entries.push_back(entry_json(exchange, entry));
    return json_response(200, {{"entries", entries},
                               {"page", paging->page},
                               {"per_page", paging->per_page},
                               {"has_more", found.more},
                               {"time_zone", exchange.context.settings.time_zone.name}});
}

}  // namespace myaccount::web
