// HashingSlots: at most N hashes at once, a bounded queue, a bounded wait.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <optional>
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
    CPPUNIT_TEST(an_admission_holds_no_slot_between_hashes);
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
                const HashingSlots::Admission admission = slots.admit();
                HashingSlots::Slot slot = slots.take(admission);
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
        std::optional<HashingSlots::Admission> first(slots.admit());
        HashingSlots::Slot held = slots.take(*first);
        CPPUNIT_ASSERT(!slots.crowded());  // one may still wait
        std::thread waiter([&] {
            const HashingSlots::Admission admission = slots.admit();
            HashingSlots::Slot mine = slots.take(admission);
        });
        while (!slots.crowded()) std::this_thread::sleep_for(1ms);
        const auto start = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_THROW(slots.admit(), HashingBusy);
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < 5s);  // not after the 10 s wait
        held.release();
        first.reset();
        waiter.join();  // the waiter got the freed slot
        const HashingSlots::Admission again = slots.admit();
        CPPUNIT_ASSERT(slots.take(again));
    }

    // Admitted but no slot free within the patience: turned away too.
    void a_wait_that_runs_out_turns_away() {
        HashingSlots slots(1, 4, 50ms);
        const HashingSlots::Admission first = slots.admit();
        HashingSlots::Slot held = slots.take(first);
        const HashingSlots::Admission second = slots.admit();
        CPPUNIT_ASSERT_THROW(slots.take(second), HashingBusy);
        held = HashingSlots::Slot();
        CPPUNIT_ASSERT(slots.take(second));
    }

    // The slot is the processor's: a caller admitted for a whole sign-in holds it only while it hashes.
    void an_admission_holds_no_slot_between_hashes() {
        HashingSlots slots(1, 1, 10ms);
        const HashingSlots::Admission signing_in = slots.admit();  // writing to the database meanwhile
        const HashingSlots::Admission other = slots.admit();
        CPPUNIT_ASSERT(slots.take(other));
        CPPUNIT_ASSERT_THROW(slots.admit(), HashingBusy);  // both admitted: the process is full
    }

    void a_hasher_with_slots_gives_them_back() {
        HashingSlots slots(1, 0, 10ms);
        PasswordHasher hasher(Argon2Params{8192, 1}, nullptr, &slots);
        const std::string hash = hasher.hash("a password");
        CPPUNIT_ASSERT(hasher.verify(hash, "a password").match);
        CPPUNIT_ASSERT(!hasher.verify("", "a password").match);  // the dummy path inside verify
        hasher.verify_dummy("x");
        const HashingSlots::Admission held = slots.admit();  // every one given back: the single place is free
        CPPUNIT_ASSERT_THROW(hasher.verify(hash, "a password"), HashingBusy);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HashingSlotsTest);
