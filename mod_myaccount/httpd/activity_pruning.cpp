// Pruning the activity (sign-in attempts and audit events) by age, after responses.
#include "httpd/activity_pruning.hpp"

#include <exception>

#include <http_log.h>

#include "httpd/config.hpp"
#include "httpd/request_context.hpp"
#include "httpd/request_state.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {

constexpr int batch_rows = 500;
constexpr int batches_at_once = 4;
constexpr UnixTime prune_every = 3600;
constexpr UnixTime soon_again = 60;  // more old rows were left: come back in a minute

// Claims the next prune for this process: true for the one request that moved the time on.
bool prune_is_due(Runtime& runtime, UnixTime now) {
    UnixTime due = runtime.next_activity_prune.load();
    return now >= due && runtime.next_activity_prune.compare_exchange_strong(due, now + prune_every);
}

}  // namespace

int prune_activity_after_response(request_rec* r) {
    Runtime* runtime = r->main ? nullptr : server_config(r->server).runtime;
    if (!runtime) return DECLINED;
    const UnixTime now = now_of(r);
    if (!prune_is_due(*runtime, now)) return DECLINED;
    try {
        const UnixTime before = now - static_cast<UnixTime>(runtime->settings.activity_retention_days) * 86400;
        Store& store = request_store(r, *runtime);
        int pruned = 0;
        for (int batch = 0; batch < batches_at_once; ++batch) {
            const int removed = store.prune_activity(before, batch_rows);
            pruned += removed;
            if (removed < batch_rows) break;
            if (batch + 1 == batches_at_once) runtime->next_activity_prune.store(now + soon_again);
        }
        if (pruned > 0)
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "pruned %d sign-ins and security events older than %d days",
                          pruned, runtime->settings.activity_retention_days);
    } catch (const std::exception& e) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "%s: pruning the activity: %s", msg::store_failed, e.what());
    } catch (...) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "%s: pruning the activity failed", msg::store_failed);
    }
    return DECLINED;
}

}  // namespace myaccount::httpd
