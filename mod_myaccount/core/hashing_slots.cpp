#include "core/hashing_slots.hpp"

namespace myaccount {

HashingSlots::HashingSlots(std::size_t concurrent, std::size_t waiting, std::chrono::milliseconds patience)
    : concurrent_(concurrent == 0 ? 1 : concurrent),
      admitted_at_most_((concurrent == 0 ? 1 : concurrent) + waiting),
      patience_(patience) {}

bool HashingSlots::crowded() {
    std::lock_guard<std::mutex> lock(mutex_);
    return admitted_ >= admitted_at_most_;
}

HashingSlots::Admission HashingSlots::admit() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (admitted_ >= admitted_at_most_) throw HashingBusy();
    ++admitted_;
    return Admission(this);
}

HashingSlots::Slot HashingSlots::take(const Admission&) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!freed_.wait_for(lock, patience_, [this] { return running_ < concurrent_; })) throw HashingBusy();
    ++running_;
    return Slot(this);
}

void HashingSlots::leave() {
    std::lock_guard<std::mutex> lock(mutex_);
    --admitted_;
}

void HashingSlots::give_back() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        --running_;
    }
    freed_.notify_one();
}

HashingSlots::Admission::~Admission() {
    if (owner_) owner_->leave();
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
