// Rendered pages kept by a key that names everything they were made from, so a reload of the
// same page by the same session skips the database queries and the template engine.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace myaccount::web {

// Thread-safe and bounded; when full it starts over, which keeps it simple and cheap for the few
// pages a child serves over and over. A key must change whenever the page would: callers build
// it from versions the store moves on every change (e.g. Account::profile_version).
class PageCache {
public:
    explicit PageCache(std::size_t capacity) : capacity_(capacity) {}

    std::shared_ptr<const std::string> find(const std::string& key) const {
        std::shared_lock<std::shared_mutex> lock(mutex_);  // readers do not wait for each other
        auto it = pages_.find(key);
        return it == pages_.end() ? nullptr : it->second;
    }

    void remember(std::string key, std::shared_ptr<const std::string> page) {
        std::unique_lock<std::shared_mutex> lock(mutex_);
        if (pages_.size() >= capacity_) pages_.clear();
        pages_.insert_or_assign(std::move(key), std::move(page));
    }

private:
    std::size_t capacity_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const std::string>> pages_;
};

}  // namespace myaccount::web
