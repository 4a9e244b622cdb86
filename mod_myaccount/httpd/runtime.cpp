// Builds a server's runtime and lends out store connections.
#include "httpd/runtime.hpp"

#include "store/sqlite_store.hpp"

namespace myaccount::httpd {

namespace {
constexpr std::size_t max_idle_connections = 64;

// The common-password list, loaded once; a configured file that cannot be read stops start-up.
std::optional<PasswordBlocklist> load_blocklist(const std::string& path) {
    if (path.empty()) return std::nullopt;
    return PasswordBlocklist::load(path);
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
    return std::make_unique<Lease>(*this, open_sqlite_store(path_));
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

Runtime::Runtime(const Settings& s)
    : settings(s),
      key(SecretKey::load_file(s.key_file)),
      hasher(s.argon2),
      renderer(web::Renderer::load(s.templates)),
      stores(s.database),
      blocklist(load_blocklist(s.password_blocklist)),
      password_rules{PasswordPolicy{s.password_min, s.password_max}, blocklist ? &*blocklist : nullptr,
                     s.password_history, s.lockout} {}

}  // namespace myaccount::httpd
