// What one configured server needs at request time, built once in post_config and shared by the
// threads of a child: templates, key, hasher, settings, and a pool of store connections.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/breached_passwords.hpp"
#include "core/crypto.hpp"
#include "core/notify_command.hpp"
#include "core/password_blocklist.hpp"
#include "core/password_change.hpp"
#include "core/password_hasher.hpp"
#include "core/password_sign_in.hpp"
#include "core/session_registry.hpp"
#include "core/store.hpp"
#include "httpd/config.hpp"
#include "store/open_store.hpp"
#include "web/render.hpp"

namespace myaccount::httpd {

// Store connections are per thread; a child keeps the idle ones for the next request.
// Connections open lazily, so none is ever inherited across fork().
class StorePool {
public:
    explicit StorePool(StoreLocation location) : location_(std::move(location)) {}

    class Lease {
    public:
        Lease(StorePool& pool, std::unique_ptr<Store> store) : pool_(pool), store_(std::move(store)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { pool_.give_back(std::move(store_)); }
        Store& operator*() { return *store_; }
        Store* operator->() { return store_.get(); }

    private:
        StorePool& pool_;
        std::unique_ptr<Store> store_;
    };

    std::unique_ptr<Lease> acquire();

private:
    void give_back(std::unique_ptr<Store> store) noexcept;

    const StoreLocation location_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Store>> idle_;
};

class Runtime {
public:
    // `server` is where the notifier logs; the runtime lives as long as its configuration.
    Runtime(const Settings& settings, server_rec* server);

    const Settings settings;
    const SecretKey key;
    HashingSlots hashing_slots;  // before the hasher, which takes them
    const PasswordHasher hasher;
    const std::shared_ptr<const web::Renderer> renderer;
    StorePool stores;
    web::PageCache pages{1024};
    const std::optional<PasswordBlocklist> blocklist;
    const std::optional<BreachedPasswords> breached;  // mapped, shared by the children across fork()
    const PasswordChangeRules password_rules;
    // Started lazily in a child (its thread never crosses fork()); stopped at the child's exit.
    CommandNotifier notifier;
    // When this process prunes the activity next (MyAccountActivityRetention); 0: at the first response.
    std::atomic<UnixTime> next_activity_prune{0};
    // log_turned_away: when this process last said so, and how many since.
    std::atomic<UnixTime> turned_away_logged_at{0};
    std::atomic<long> turned_away_unlogged{0};
};

}  // namespace myaccount::httpd
