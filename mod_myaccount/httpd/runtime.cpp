// Builds a server's runtime and lends out store connections.
#include "httpd/runtime.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

#include "apr/htpasswd_hashes.hpp"
#include "apr/sha1_hex.hpp"
#include "core/reset/password_reset.hpp"
#include "httpd/request_context.hpp"
#include "store/open_store.hpp"

APLOG_USE_MODULE(myaccount);

namespace myaccount::httpd {

namespace {
constexpr std::size_t max_idle_connections = 64;

// The common-password list, loaded once; a configured file that cannot be read stops start-up.
std::optional<PasswordBlocklist> load_blocklist(const std::string& path) {
    if (path.empty()) return std::nullopt;
    return PasswordBlocklist::load(path);
}

// The breached-password hash file, mapped (not read); the directive's setter already checked it.
// A newer file renamed over it is seen at the next (graceful) restart: this mapping keeps the old one.
std::optional<BreachedPasswords> map_breached(const std::string& path) {
    if (path.empty()) return std::nullopt;
    return BreachedPasswords::open(path, sha1_hex);
}
}

std::unique_ptr<StorePool::Lease> StorePool::acquire() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!idle_.empty()) {
            std::unique_ptr<Store> store = std::move(idle_.back());
            idle_.pop_back();
            return std::make_unique<Lease>(*this, std::move(store));
        }
    }
    return std::make_unique<Lease>(*this, open_store(location_));
}

void StorePool::give_back(std::unique_ptr<Store> store) noexcept {
    if (!store) return;
    try {
        std::lock_guard<std::mutex> lock(mutex_);
        if (idle_.size() < max_idle_connections) idle_.push_back(std::move(store));
    } catch (...) {
        // Could not keep it: the connection simply closes.
    }
}

namespace {

// The notifier's outcomes land on the challenge (the reset page then says "could not send").
CommandNotifier::OutcomeHandler record_delivery(StorePool& stores, const ResetPolicy& policy) {
    return [&stores, &policy](std::int64_t challenge, bool delivered) {
        std::unique_ptr<StorePool::Lease> store = stores.acquire();
        record_reset_delivery(**store, challenge, delivered, policy, static_cast<UnixTime>(std::time(nullptr)));
    };
}

// MyAccountHashConcurrency, 0 meaning as many as the CPU cores (each hash keeps a core busy).
std::size_t hashes_at_once(const Settings& s) {
    if (s.hash_concurrency > 0) return static_cast<std::size_t>(s.hash_concurrency);
    // As many as the machine has cores, in each process: the MPM does not spread sign-ins evenly
    // over its processes (keep-alive connections stay where they were accepted), so a share of the
    // cores per process would leave cores idle while one process's sign-ins queue.
    return std::max(1U, std::thread::hardware_concurrency());
}

CommandNotifier::Logger log_to(server_rec* server) {
    return [server](const std::string& line) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, server, "%s: %s", msg::notify_failed, line.c_str());
    };
}

}  // namespace

Runtime::Runtime(const Settings& s, server_rec* server)
    : settings(s),
      key(SecretKey::load_file(s.key_file)),
      hashing_slots(hashes_at_once(s), hashes_at_once(s) * defaults::hash_queue_per_slot,
                    std::chrono::milliseconds(defaults::hash_wait_ms)),
      hasher(s.argon2, htpasswd_hash_matches, &hashing_slots),
      renderer(web::Renderer::load(s.templates)),
      stores(StoreLocation::parse(s.database)),
      blocklist(load_blocklist(s.password_blocklist)),
      breached(map_breached(s.password_breached_hashes)),
      password_rules{PasswordPolicy{s.password_min, s.password_max, s.password_min_guesses},
                     blocklist ? &*blocklist : nullptr, s.password_history, s.lockout, s.throttle,
                     breached ? &*breached : nullptr},
      notifier(settings.notify_command, record_delivery(stores, settings.reset), log_to(server)) {}

}  // namespace myaccount::httpd
