// Hourly limits as store throttles keyed by a hash of what they count.
#include "core/hourly_limits.hpp"

#include <vector>

#include "core/crypto.hpp"

namespace myaccount {

namespace {

constexpr std::int64_t hour = 3600;

// Throttle keys name what they count without keeping what was typed.
std::string throttle_key(const char* what, const std::string& subject) {
    return std::string(what) + ":" + hex_encode(hash_token(subject));
}

}  // namespace

bool within_hourly_limits(Store& store, std::initializer_list<HourlyLimit> limits, UnixTime now) {
    std::vector<Store::ThrottleLimit> keyed;
    for (const HourlyLimit& limit : limits) keyed.push_back({throttle_key(limit.what, limit.subject), limit.per_hour});
    return store.throttle_take(keyed, hour, now);
}

}  // namespace myaccount
