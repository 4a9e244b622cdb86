// Remembers recent rendered pages by their exact input, so a reload does not re-run Mustache.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace myaccount::web {

// The key is the whole input (template, language, view as JSON text): a hit is exactly the
// output a fresh render would give. Bounded; when full it starts over, which keeps it simple
// and cheap for the few pages a child serves over and over.
class RenderMemo {
public:
    explicit RenderMemo(std::size_t capacity) : capacity_(capacity) {}

    std::shared_ptr<const std::string> find(const std::string& key) const {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = pages_.find(key);
        return it == pages_.end() ? nullptr : it->second;
    }

    void remember(std::string key, std::shared_ptr<const std::string> page) const {
        std::lock_guard<std::mutex> lock(mutex_);
        if (pages_.size() >= capacity_) pages_.clear();
        pages_.emplace(std::move(key), std::move(page));
    }

private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, std::shared_ptr<const std::string>> pages_;
};

}  // namespace myaccount::web
