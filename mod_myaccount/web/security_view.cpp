// Shapes verification methods, app passwords and remembered browsers for the pages and the API.
#include "web/security_view.hpp"

#include "core/user_agent.hpp"

#include <cstdio>
#include <ctime>

#include "core/methods/phone_number.hpp"
#include "core/methods/recovery_codes.hpp"
#include "core/second_factor/requirement.hpp"
#include "web/profile_view.hpp"

namespace myaccount::web {

namespace {

const char* kind_key(const VerificationMethod& method) {
    switch (method.kind) {
    case MethodKind::email: return "security_method_email";
    case MethodKind::authenticator: return "security_method_authenticator";
    case MethodKind::recovery_codes: return "security_method_recovery_codes";
    case MethodKind::phone: break;
    }
    switch (method.phone_type) {
    case PhoneType::mobile: return "security_method_phone_mobile";
    case PhoneType::alternate_mobile: return "security_method_phone_alternate_mobile";
    case PhoneType::office: return "security_method_phone_office";
    case PhoneType::none: break;
    }
    return "security_method_phone";
}

const char* icon_of(MethodKind kind) {
    switch (kind) {
    case MethodKind::email: return "mail";
    case MethodKind::phone: return "phone";
    case MethodKind::authenticator: return "authenticator";
    case MethodKind::recovery_codes: return "recovery";
    }
    return "mail";
}

std::string added_text(const Exchange& exchange, UnixTime at, const std::string& address) {
    if (address.empty()) return fill(exchange.text("security_added_text"), {{"date", date_of(at)}});
    return fill(exchange.text("security_added_from"), {{"date", date_of(at)}, {"address", address}});
}

std::string used_text(const Exchange& exchange, UnixTime last_used) {
    if (last_used == 0) return exchange.text("security_never_used");
    return fill(exchange.text("security_last_used"), {{"date", date_of(last_used)}});
}

// The recovery codes' row: how many are left, and a warning when few are.
nlohmann::json recovery_view(const Exchange& exchange, int left) {
    Placeholders counts = {{"left", std::to_string(left)}, {"total", std::to_string(recovery_code_count)}};
    return {{"left_text", fill(exchange.text("security_recovery_left"), counts)},
            {"low", left <= recovery_codes_low},
            {"low_text", fill(exchange.text("security_recovery_low"), counts)}};
}

nlohmann::json method_row(const Exchange& exchange, const VerificationMethod& method) {
    bool named_by_label = method.kind == MethodKind::authenticator && !method.label.empty();
    std::string id = std::to_string(method.id);
    std::string kind = method_kind_text(exchange, method);
    std::string name = method_name(exchange, method);
    // A method named by its kind alone ("Recovery codes") says so once.
    bool show_kind = name != kind;
    nlohmann::json row = {{"id", id},
                          {"kind", to_string(method.kind)},
                          {"kind_text", show_kind ? kind : std::string()},
                          {"described_by", show_kind ? "method-kind-" + id + " method-" + id : "method-" + id},
                          {"icon", icon_of(method.kind)},
                          {"is_email", method.kind == MethodKind::email},
                          {"name_parts", break_points(name)},
                          {"label", named_by_label ? std::string() : method.label},
                          {"label_value", method.label},
                          {"added_text", added_text(exchange, method.created_at, method.created_ip)},
                          {"used_text", used_text(exchange, method.last_used_at)},
                          {"is_default", method.is_default},
                          {"can_rename", method.kind != MethodKind::recovery_codes},
                          {"recovery", false}};
    if (method.kind == MethodKind::recovery_codes)
        row["recovery"] = recovery_view(exchange, exchange.context.store.recovery_codes_left(method.account_id));
    return row;
}

}  // namespace

namespace {

std::string utc_text(UnixTime when, const char* format) {
    std::time_t time = static_cast<std::time_t>(when);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[32];
    std::strftime(text, sizeof text, format, &parts);
    return text;
}

}  // namespace

std::string date_of(UnixTime when) { return utc_text(when, "%Y-%m-%d"); }

std::string minute_of(UnixTime when) { return utc_text(when, "%Y-%m-%d %H:%M UTC"); }

std::string local_time_text(const Exchange& exchange, UnixTime when) {
    return local_time_text(exchange.context.renderer.catalogs(), exchange.lang, exchange.context.settings.time_zone,
                           when);
}

std::string local_time_text(const Catalogs& catalogs, const std::string& lang, const TimeZone& zone, UnixTime when) {
    const LocalTime local = local_time(when, zone);
    const std::string months = catalogs.text(lang, "months_short");
    std::string month_name;
    std::size_t start = 0;
    for (int i = 1; i <= local.month; ++i) {
        const std::size_t comma = months.find(',', start);
        month_name = months.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        start = comma == std::string::npos ? months.size() : comma + 1;
    }
    char minute[3];
    std::snprintf(minute, sizeof minute, "%02d", local.minute);
    return fill(catalogs.text(lang, "time_format"), {{"year", std::to_string(local.year)},
                                               {"month", std::to_string(local.month)},
                                               {"month_name", month_name},
                                               {"day", std::to_string(local.day)},
                                               {"hour", std::to_string(local.hour)},
                                               {"minute", minute},
                                               {"zone", zone.name}});
}

std::string browser_summary(const Catalogs& catalogs, const std::string& lang, const std::string& user_agent) {
    const UserAgentName name = name_user_agent(user_agent);
    const std::string browser = name.browser.empty() ? catalogs.text(lang, "device_unknown_browser") : name.browser;
    if (name.os.empty()) return browser;
    return fill(catalogs.text(lang, "device_browser_on_os"), {{"browser", browser}, {"os", name.os}});
}

std::string browser_summary(const Exchange& exchange, const std::string& user_agent) {
    return browser_summary(exchange.context.renderer.catalogs(), exchange.lang, user_agent);
}

std::string method_kind_text(const Exchange& exchange, const VerificationMethod& method) {
    return exchange.text(kind_key(method));
}

std::string method_name(const Exchange& exchange, const VerificationMethod& method) {
    switch (method.kind) {
    case MethodKind::email: return method.address;
    case MethodKind::phone: return readable_phone(method.address);
    case MethodKind::authenticator:
        if (!method.label.empty()) return method.label;
        break;
    case MethodKind::recovery_codes: break;
    }
    return method_kind_text(exchange, method);
}

std::string method_title(const Exchange& exchange, const VerificationMethod& method) {
    std::string kind = method_kind_text(exchange, method);
    std::string name = method_name(exchange, method);
    return name == kind ? kind : kind + ": " + name;
}

MethodsView methods_view(const Exchange& exchange, const std::vector<VerificationMethod>& methods) {
    MethodsView view;
    for (const VerificationMethod& method : methods) {
        view.rows.push_back(method_row(exchange, method));
        ++view.count;
        if (!counts_as_two_step_method(method)) continue;  // what may be the default
        // "E-mail: alice@example.net": never the bare name, which the list shows on its own.
        std::string choice = method_title(exchange, method);
        view.default_choices.push_back(
            {{"id", std::to_string(method.id)}, {"text", choice}, {"selected", method.is_default}});
        if (method.is_default) view.default_name = choice;
    }
    return view;
}

nlohmann::json method_api_view(const VerificationMethod& method, int recovery_left) {
    nlohmann::json view = {{"id", method.id},
                           {"kind", to_string(method.kind)},
                           {"label", method.label},
                           {"default", method.is_default},
                           {"status", method.active ? "active" : "pending"},
                           {"created_at", method.created_at},
                           {"created_ip", method.created_ip},
                           {"last_used_at", method.last_used_at == 0 ? nlohmann::json() : nlohmann::json(method.last_used_at)}};
    if (method.kind == MethodKind::email) view["address"] = method.address;
    if (method.kind == MethodKind::phone) {
        view["number"] = method.address;
        view["phone_type"] = to_string(method.phone_type);
    }
    if (method.kind == MethodKind::recovery_codes) view["codes_left"] = recovery_left;
    return view;
}

nlohmann::json app_passwords_view(const Exchange& exchange, const std::vector<AppPassword>& passwords) {
    nlohmann::json rows = nlohmann::json::array();
    for (const AppPassword& password : passwords) {
        rows.push_back({{"id", std::to_string(password.id)},
                        {"label", password.label},
                        {"added_text", added_text(exchange, password.created_at, password.created_ip)},
                        {"used_text", used_text(exchange, password.last_used_at)}});
    }
    return rows;
}

nlohmann::json remembered_browsers_view(const Exchange& exchange, const std::vector<RememberedBrowser>& browsers) {
    nlohmann::json rows = nlohmann::json::array();
    for (const RememberedBrowser& browser : browsers) {
        rows.push_back({{"id", std::to_string(browser.id)},
                        {"browser", browser_summary(exchange, browser.user_agent)},
                        {"added_text", added_text(exchange, browser.created_at, browser.client_ip)},
                        {"expires_text", fill(exchange.text("security_browser_expires"),
                                              {{"date", date_of(browser.expires_at)}})}});
    }
    return rows;
}

SecondFactorEnrolment enrolment_of(const Exchange& exchange) {
    const Context& context = exchange.context;
    return SecondFactorEnrolment(context.store, context.key, context.second_factor, context.settings.issuer);
}

std::optional<std::int64_t> id_from(const std::string* text) {
    if (!text || text->empty() || text->size() > 18 || text->find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    std::int64_t id = std::stoll(*text);
    if (id <= 0) return std::nullopt;
    return id;
}

}  // namespace myaccount::web
