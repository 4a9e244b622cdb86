#include "core/hashing_slots.hpp"

namespace myaccount {

HashingSlots::HashingSlots(std::size_t concurrent, std::size_t waiting, std::chrono::milliseconds patience)
    : concurrent_(concurrent == 0 ? 1 : concurrent), waiting_(waiting), patience_(patience) {}

bool HashingSlots::crowded() {
    std::lock_guard<std::mutex> lock(mutex_);
    return running_ >= concurrent_ && queued_ >= waiting_;
}

HashingSlots::Slot HashingSlots::take() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (running_ >= concurrent_) {
        if (queued_ >= waiting_) throw HashingBusy();
        ++queued_;
        const bool got = freed_.wait_for(lock, patience_, [this] { return running_ < concurrent_; });
        --queued_;
        if (!got) throw HashingBusy();
    }
    ++running_;
    return Slot(this);
}

void HashingSlots::give_back() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        --running_;
    }
    freed_.notify_one();
}

void HashingSlots::Slot::release() {
    if (owner_) owner_->give_back();
    owner_ = nullptr;
}

HashingSlots::Slot& HashingSlots::Slot::operator=(Slot&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = other.owner_;
        other.owner_ = nullptr;
    }
    return *this;
}

}  // namespace myaccount
