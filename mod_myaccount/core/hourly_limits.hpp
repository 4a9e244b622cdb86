// Hourly limits on asking for codes and flows, per user ID or client network, counted in the store.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/model.hpp"
#include "core/store.hpp"

namespace myaccount {

struct HourlyLimit {
    const char* what;     // the counter's name, e.g. "reset-send-ip"
    std::string subject;  // whom it counts: kept only as a hash
    std::int64_t per_hour;
};

// Counts one hit on every limit when none of them is used up yet (atomically, in the store).
bool within_hourly_limits(Store& store, std::initializer_list<HourlyLimit> limits, UnixTime now);

}  // namespace myaccount
