// Racing callers for the tests: threads on store connections of their own, as httpd processes and
// threads have, starting each round together rather than one after another.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "core/store.hpp"

namespace myaccount::testing {

// Calls `take(store, round)` from `racers` threads, each on a connection `open` makes for it; in each
// of `rounds` rounds they all start together. Returns how many calls threw.
inline int race(const std::function<std::unique_ptr<Store>()>& open, int racers, int rounds,
                const std::function<void(Store&, int)>& take) {
    std::vector<std::unique_ptr<Store>> stores;
    for (int racer = 0; racer < racers; ++racer) stores.push_back(open());
    std::vector<std::atomic<int>> arrived(rounds);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int racer = 0; racer < racers; ++racer) {
        threads.emplace_back([&, racer] {
            for (int round = 0; round < rounds; ++round) {
                ++arrived[round];
                while (arrived[round].load() < racers) std::this_thread::yield();
                try {
                    take(*stores[racer], round);
                } catch (...) {
                    ++failures;
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    return failures.load();
}

}  // namespace myaccount::testing
