// Per-request state kept in the main request's module config, destroyed by a pool cleanup.
#include "httpd/request_state.hpp"

#include <new>

#include "httpd/module.hpp"

namespace myaccount::httpd {

namespace {
apr_status_t destroy_state(void* state) {
    static_cast<RequestState*>(state)->~RequestState();
    return APR_SUCCESS;
}

// Subrequests and internal redirects (an ErrorDocument) serve one client request: they share its
// state, so the session loaded for it stays loaded (its cookie was taken out of the headers).
request_rec* main_request(request_rec* r) {
    while (r->main || r->prev) r = r->main ? r->main : r->prev;
    return r;
}
}  // namespace

RequestState* request_state(request_rec* r, bool create) {
    request_rec* m = main_request(r);
    auto* state = static_cast<RequestState*>(ap_get_module_config(m->request_config, &myaccount_module));
    if (state || !create) return state;
    void* memory = apr_palloc(m->pool, sizeof(RequestState));
    state = new (memory) RequestState();
    apr_pool_cleanup_register(m->pool, state, destroy_state, apr_pool_cleanup_null);
    ap_set_module_config(m->request_config, &myaccount_module, state);
    return state;
}

Store& request_store(request_rec* r, Runtime& runtime) {
    RequestState* state = request_state(r, true);
    if (!state->store) state->store = runtime.stores.acquire();
    return **state->store;
}

}  // namespace myaccount::httpd
