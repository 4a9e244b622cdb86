// A bound on the password hashes one process runs at once: argon2id takes 19 MiB a hash, so a
// storm of parallel sign-ins on a hundred worker threads would otherwise take hundreds of MiB.
// At most `concurrent + waiting` callers are admitted at once (the rest are turned away with
// HashingBusy: the portal answers 503 with Retry-After); of those, at most `concurrent` hash at a
// time, the others wait their turn for at most `patience`.
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

    // Held from before a sign-in writes anything until it is answered; given back when destroyed.
    class Admission {
    public:
        Admission() = default;
        Admission(Admission&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
        Admission& operator=(Admission&&) = delete;
        ~Admission();

    private:
        friend class HashingSlots;
        explicit Admission(HashingSlots* owner) : owner_(owner) {}
        HashingSlots* owner_ = nullptr;
    };

    // Held while a hash runs (and only then: a sign-in's database writes do not keep the processor
    // from another hash); given back when destroyed.
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

    // HashingBusy at once when `concurrent + waiting` callers are admitted already.
    Admission admit();
    // A slot for an admitted caller, waiting for one when all are taken; HashingBusy when none
    // came free within `patience`.
    Slot take(const Admission& admission);
    // Whether an admit() now would be turned away: a request that would wait in vain is answered
    // 503 before its password is read.
    bool crowded();

private:
    void leave();
    void give_back();

    const std::size_t concurrent_;
    const std::size_t admitted_at_most_;
    const std::chrono::milliseconds patience_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::size_t running_ = 0;
    std::size_t admitted_ = 0;
};

}  // namespace myaccount
