// Tests of MyAccountTimeZone's values and the calendar fields of a time in a fixed-offset zone.
#include <cppunit/extensions/HelperMacros.h>

#include "core/local_time.hpp"

using namespace myaccount;

class LocalTimeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LocalTimeTest);
    CPPUNIT_TEST(zones_are_utc_or_quarter_hour_offsets);
    CPPUNIT_TEST(times_move_by_the_offset_across_days_and_years);
    CPPUNIT_TEST_SUITE_END();

public:
    void zones_are_utc_or_quarter_hour_offsets() {
        CPPUNIT_ASSERT_EQUAL(std::string("UTC"), time_zone_from("UTC")->name);
        CPPUNIT_ASSERT_EQUAL(0, time_zone_from("+00:00")->offset_minutes);
        CPPUNIT_ASSERT_EQUAL(std::string("UTC"), time_zone_from("-00:00")->name);
        CPPUNIT_ASSERT_EQUAL(540, time_zone_from("+09:00")->offset_minutes);
        CPPUNIT_ASSERT_EQUAL(std::string("UTC+09:00"), time_zone_from("UTC+09:00")->name);
        CPPUNIT_ASSERT_EQUAL(-330, time_zone_from("-05:30")->offset_minutes);
        CPPUNIT_ASSERT_EQUAL(std::string("UTC+05:45"), time_zone_from("+05:45")->name);
        CPPUNIT_ASSERT_EQUAL(840, time_zone_from("+14:00")->offset_minutes);
        for (const char* bad : {"", "JST", "Asia/Tokyo", "+9", "+09", "+0900", "09:00", "+15:00", "+09:10", "+09:60",
                                "UTC+", "+09:00 ", "utc+09:00x", "+-9:00"})
            CPPUNIT_ASSERT_MESSAGE(bad, !time_zone_from(bad));
    }

    void times_move_by_the_offset_across_days_and_years() {
        const TimeZone tokyo = *time_zone_from("+09:00");
        // 2025-12-31 15:00 UTC is New Year in Tokyo.
        LocalTime t = local_time(1767193200, tokyo);
        CPPUNIT_ASSERT_EQUAL(2026, t.year);
        CPPUNIT_ASSERT_EQUAL(1, t.month);
        CPPUNIT_ASSERT_EQUAL(1, t.day);
        CPPUNIT_ASSERT_EQUAL(0, t.hour);
        LocalTime utc = local_time(1767193200, TimeZone{});
        CPPUNIT_ASSERT_EQUAL(2025, utc.year);
        CPPUNIT_ASSERT_EQUAL(15, utc.hour);
        // 2026-03-01 00:10 UTC is still February in New York's winter offset.
        LocalTime ny = local_time(1772323800, *time_zone_from("-05:00"));
        CPPUNIT_ASSERT_EQUAL(2, ny.month);
        CPPUNIT_ASSERT_EQUAL(28, ny.day);
        CPPUNIT_ASSERT_EQUAL(19, ny.hour);
        CPPUNIT_ASSERT_EQUAL(10, ny.minute);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LocalTimeTest);
