// Input filter on the front's form-login-handler: notes a NUL byte anywhere in the posted form.
#include "httpd/login_guard.hpp"

#include <cstring>
#include <string>

#include <apr_strings.h>
#include <httpd.h>

#include "httpd/request_state.hpp"

namespace myaccount::httpd {

namespace {

constexpr const char* form_login_handler = "form-login-handler";

// The last two bytes already seen, so "%0" + "0" split across buckets is still found.
struct ScanState {
    char tail[3] = {0, 0, 0};
};

bool has_nul(ScanState& state, const char* data, apr_size_t length) {
    if (std::memchr(data, '\0', length)) return true;
    std::string window = std::string(state.tail) + std::string(data, length);
    bool found = window.find("%00") != std::string::npos;
    std::string last = window.size() >= 2 ? window.substr(window.size() - 2) : window;
    apr_cpystrn(state.tail, last.c_str(), sizeof state.tail);
    return found;
}

}  // namespace

void insert_login_guard(request_rec* r) {
    if (r->method_number == M_POST && r->handler && std::strcmp(r->handler, form_login_handler) == 0)
        ap_add_input_filter(login_guard_filter_name, nullptr, r, r->connection);
}

apr_status_t login_guard_filter(ap_filter_t* f, apr_bucket_brigade* brigade, ap_input_mode_t mode,
                                apr_read_type_e block, apr_off_t bytes) {
    apr_status_t status = ap_get_brigade(f->next, brigade, mode, block, bytes);
    if (status != APR_SUCCESS || mode != AP_MODE_READBYTES) return status;
    if (!f->ctx) f->ctx = apr_pcalloc(f->r->pool, sizeof(ScanState));
    auto* state = static_cast<ScanState*>(f->ctx);
    for (apr_bucket* b = APR_BRIGADE_FIRST(brigade); b != APR_BRIGADE_SENTINEL(brigade); b = APR_BUCKET_NEXT(b)) {
        if (APR_BUCKET_IS_METADATA(b)) continue;
        const char* data = nullptr;
        apr_size_t length = 0;
        if (apr_bucket_read(b, &data, &length, APR_BLOCK_READ) != APR_SUCCESS) continue;
        if (has_nul(*state, data, length)) request_state(f->r, true)->form_had_nul = true;
    }
    return APR_SUCCESS;
}

bool login_form_had_nul(request_rec* r) {
    RequestState* state = request_state(r, false);
    return state && state->form_had_nul;
}

}  // namespace myaccount::httpd
