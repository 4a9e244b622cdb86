// Where the portal is mounted, read from httpd's own <Location> sections and SetHandler.
#include "httpd/locations.hpp"

#include <cstring>

#include <apr_uri.h>
#include <ap_expr.h>
#include <http_core.h>

#include "httpd/module.hpp"

namespace myaccount::httpd {

namespace {

// The paths of the plain <Location>s of r's server whose SetHandler is ours and whose path starts
// `uri` (every one when `uri` is null), in config order. httpd keeps no record of which <Location>
// set the handler, so each candidate's expression is evaluated.
std::vector<std::string> portal_sections(request_rec* r, const char* uri) {
    std::vector<std::string> sections;
    auto* server = static_cast<core_server_config*>(ap_get_core_module_config(r->server->module_config));
    for (int i = 0; server && i < server->sec_url->nelts; ++i) {
        auto* vector = APR_ARRAY_IDX(server->sec_url, i, ap_conf_vector_t*);
        auto* section = static_cast<core_dir_config*>(ap_get_core_module_config(vector));
        if (!section || !section->d || section->r || section->d_is_fnmatch || !section->expr_handler) continue;
        if (uri && std::strncmp(uri, section->d, std::strlen(section->d)) != 0) continue;
        const char* error = nullptr;
        const char* handler = ap_expr_str_exec(r, section->expr_handler, &error);
        if (handler && !error && std::strcmp(handler, myaccount_handler_name) == 0) sections.emplace_back(section->d);
    }
    return sections;
}

}  // namespace

std::vector<std::string> location_sections(request_rec* r) { return portal_sections(r, r->uri); }

bool portal_serves(request_rec* r) {
    auto* server = static_cast<core_server_config*>(ap_get_core_module_config(r->server->module_config));
    if (!server || !r->uri) return false;
    bool ours = false;
    for (int i = 0; i < server->sec_url->nelts; ++i) {
        auto* vector = APR_ARRAY_IDX(server->sec_url, i, ap_conf_vector_t*);
        auto* section = static_cast<core_dir_config*>(ap_get_core_module_config(vector));
        if (!section || !section->expr_handler) continue;
        if (section->r || section->d_is_fnmatch || !section->d) return false;  // not judged here
        std::size_t length = std::strlen(section->d);
        bool covers = std::strncmp(r->uri, section->d, length) == 0 &&
                      (r->uri[length] == '\0' || r->uri[length] == '/' || (length > 0 && section->d[length - 1] == '/'));
        if (!covers) continue;
        const char* error = nullptr;
        const char* handler = ap_expr_str_exec(r, section->expr_handler, &error);
        ours = handler && !error && std::strcmp(handler, myaccount_handler_name) == 0;
    }
    return ours;
}

std::string configured_handler(request_rec* r) {
    auto* conf = static_cast<core_dir_config*>(ap_get_core_module_config(r->per_dir_config));
    if (!conf || !conf->expr_handler) return {};
    const char* error = nullptr;
    const char* handler = ap_expr_str_exec(r, conf->expr_handler, &error);
    return handler && !error ? handler : "";
}

std::string portal_path(request_rec* r, const std::string& portal_url) {
    if (!portal_url.empty()) {
        apr_uri_t uri{};
        if (apr_uri_parse(r->pool, portal_url.c_str(), &uri) == APR_SUCCESS && uri.path && *uri.path) {
            std::string path = uri.path;
            while (path.size() > 1 && path.back() == '/') path.pop_back();
            return path == "/" ? "" : path;
        }
    }
    std::vector<std::string> sections = portal_sections(r, nullptr);
    if (sections.empty()) return {};
    std::string path = sections.front();
    while (!path.empty() && path.back() == '/') path.pop_back();
    return path;
}

}  // namespace myaccount::httpd
