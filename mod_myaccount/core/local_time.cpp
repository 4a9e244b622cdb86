// Fixed-offset time zones and the calendar fields of a time in one.
#include "core/local_time.hpp"

#include <cstdio>
#include <ctime>

namespace myaccount {

namespace {

bool two_digits(std::string_view text, int& value) {
    if (text.size() != 2 || text[0] < '0' || text[0] > '9' || text[1] < '0' || text[1] > '9') return false;
    value = (text[0] - '0') * 10 + (text[1] - '0');
    return true;
}

std::string offset_name(int minutes) {
    if (minutes == 0) return "UTC";
    const int magnitude = minutes < 0 ? -minutes : minutes;
    char text[16];
    std::snprintf(text, sizeof text, "UTC%c%02d:%02d", minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
    return text;
}

}  // namespace

std::optional<TimeZone> time_zone_from(std::string_view text) {
    if (text == "UTC" || text == "utc") return TimeZone{};
    if (text.substr(0, 3) == "UTC") text.remove_prefix(3);
    int hours = 0;
    int minutes = 0;
    if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':' ||
        !two_digits(text.substr(1, 2), hours) || !two_digits(text.substr(4, 2), minutes))
        return std::nullopt;
    if (hours > 14 || minutes % 15 != 0 || minutes > 45) return std::nullopt;
    const int offset = (text[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
    return TimeZone{offset, offset_name(offset)};
}

LocalTime local_time(UnixTime when, const TimeZone& zone) {
    const std::time_t shifted = static_cast<std::time_t>(when + static_cast<UnixTime>(zone.offset_minutes) * 60);
    std::tm fields{};
    gmtime_r(&shifted, &fields);
    return {fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday, fields.tm_hour, fields.tm_min};
}

}  // namespace myaccount
