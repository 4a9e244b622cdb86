// HashingSlots: at most N hashes at once, a bounded queue, a bounded wait.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/hashing_slots.hpp"
#include "core/password_hasher.hpp"

using namespace myaccount;
using namespace std::chrono_literals;

class HashingSlotsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HashingSlotsTest);
    CPPUNIT_TEST(never_more_than_the_bound_run_at_once);
    CPPUNIT_TEST(a_full_queue_turns_away_at_once);
    CPPUNIT_TEST(a_wait_that_runs_out_turns_away);
    CPPUNIT_TEST(a_hasher_with_slots_gives_them_back);
    CPPUNIT_TEST_SUITE_END();

public:
    void never_more_than_the_bound_run_at_once() {
        HashingSlots slots(2, 64, 10s);
        std::atomic<int> running{0};
        std::atomic<int> most{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 16; ++i)
            threads.emplace_back([&] {
                HashingSlots::Slot slot = slots.take();
                const int now = ++running;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                std::this_thread::sleep_for(5ms);
                --running;
            });
        for (std::thread& t : threads) t.join();
        CPPUNIT_ASSERT_EQUAL(2, most.load());
    }

    void a_full_queue_turns_away_at_once() {
        HashingSlots slots(1, 1, 10s);
        HashingSlots::Slot held = slots.take();
        CPPUNIT_ASSERT(!slots.crowded());  // one may still wait
        std::thread waiter([&] { HashingSlots::Slot mine = slots.take(); });
        while (!slots.crowded()) std::this_thread::sleep_for(1ms);
        const auto start = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_THROW(slots.take(), HashingBusy);
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < 5s);  // not after the 10 s wait
        held.release();
        waiter.join();  // the waiter got the freed slot
        CPPUNIT_ASSERT(slots.take());
    }

    void a_wait_that_runs_out_turns_away() {
        HashingSlots slots(1, 4, 50ms);
        HashingSlots::Slot held = slots.take();
        CPPUNIT_ASSERT_THROW(slots.take(), HashingBusy);
        held = HashingSlots::Slot();
        CPPUNIT_ASSERT(slots.take());
    }

    void a_hasher_with_slots_gives_them_back() {
        HashingSlots slots(1, 0, 10ms);
        PasswordHasher hasher(Argon2Params{8192, 1}, nullptr, &slots);
        const std::string hash = hasher.hash("a password");
        CPPUNIT_ASSERT(hasher.verify(hash, "a password").match);
        CPPUNIT_ASSERT(!hasher.verify("", "a password").match);  // the dummy path inside verify
        hasher.verify_dummy("x");
        HashingSlots::Slot held = slots.take();  // every one given back: the single slot is free
        CPPUNIT_ASSERT_THROW(hasher.verify(hash, "a password"), HashingBusy);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HashingSlotsTest);
