// The two scalars every model header shares: points in time and account ids.
#pragma once

#include <cstdint>

namespace myaccount {

// Seconds since the Unix epoch; the core never reads the clock itself, callers pass "now".
using UnixTime = std::int64_t;
using AccountId = std::int64_t;

}  // namespace myaccount
