// Times as people read them: in the zone the site is configured for (MyAccountTimeZone), which is
// a fixed offset from UTC (Japan's has no daylight saving time; a zone with one needs its offset
// changed twice a year).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time_and_ids.hpp"

namespace myaccount {

struct TimeZone {
    int offset_minutes = 0;    // east of UTC
    std::string name = "UTC";  // "UTC", "UTC+09:00", "UTC-05:30"
};

// "UTC", or an offset written "+09:00" / "UTC+09:00" / "-05:30" (hours 0-14, minutes 00, 15, 30
// or 45); none for anything else.
std::optional<TimeZone> time_zone_from(std::string_view text);

// The calendar fields of `when` in `zone`.
struct LocalTime {
    int year = 1970;
    int month = 1;  // 1-12
    int day = 1;
    int hour = 0;
    int minute = 0;
};
LocalTime local_time(UnixTime when, const TimeZone& zone);

}  // namespace myaccount
