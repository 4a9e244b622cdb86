// A bound on the password hashes one process runs at once: argon2id takes 19 MiB a hash, so a
// storm of parallel sign-ins on a hundred worker threads would otherwise take hundreds of MiB.
// At most `concurrent` hashes run; up to `waiting` more wait their turn for at most `patience`;
// beyond that a caller is turned away with HashingBusy (the portal answers 503 with Retry-After).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <stdexcept>

namespace myaccount {

// What a turned-away client is told to wait before trying again (Retry-After).
inline constexpr int busy_retry_after_seconds = 5;

struct HashingBusy : std::runtime_error {
    HashingBusy() : std::runtime_error("too many password checks at once; try again shortly") {}
};

class HashingSlots {
public:
    HashingSlots(std::size_t concurrent, std::size_t waiting, std::chrono::milliseconds patience);
    HashingSlots(const HashingSlots&) = delete;
    HashingSlots& operator=(const HashingSlots&) = delete;

    // Held while a hash runs; given back when destroyed.
    class Slot {
    public:
        Slot() = default;
        Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
        Slot& operator=(Slot&& other) noexcept;
        ~Slot() { release(); }
        void release();
        explicit operator bool() const { return owner_ != nullptr; }

    private:
        friend class HashingSlots;
        explicit Slot(HashingSlots* owner) : owner_(owner) {}
        HashingSlots* owner_ = nullptr;
    };

    // A slot, waiting for one when all are taken; HashingBusy when `waiting` callers wait already
    // or none came free within `patience`.
    Slot take();
    // Whether a take() now would be turned away at once (every slot busy, the queue full): a
    // request that would wait in vain is answered 503 before its password is read.
    bool crowded();

private:
    void give_back();

    const std::size_t concurrent_;
    const std::size_t waiting_;
    const std::chrono::milliseconds patience_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::size_t running_ = 0;
    std::size_t queued_ = 0;
};

}  // namespace myaccount
