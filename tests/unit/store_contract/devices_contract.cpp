// Store contract: devices — sighted at sign-in (made once per account and cookie hash), listed,
// disabled with their sessions and remembered browser in one transaction, enabled again.
#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>
#include <vector>

#include "store_contract/two_accounts_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class DevicesContract : public TwoAccountsFixture {
    CPPUNIT_TEST_SUITE(DevicesContract);
    CPPUNIT_TEST(a_device_is_made_once_and_sighted_again);
    CPPUNIT_TEST(one_cookie_is_a_device_of_each_account);
    CPPUNIT_TEST(disabling_ends_its_sessions_and_forgets_its_browser);
    CPPUNIT_TEST(a_disabled_device_is_not_updated_by_a_sighting);
    CPPUNIT_TEST(enabling_and_unknown_devices);
    CPPUNIT_TEST(old_and_surplus_devices_are_forgotten_disabled_ones_kept);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void a_device_is_made_once_and_sighted_again() {
        Store::DeviceSighting first = store_->sight_device(alice_, "d1", "192.0.2.1", "UA one", t0);
        CPPUNIT_ASSERT(first.is_new && first.first_of_account);
        CPPUNIT_ASSERT(first.device.id > 0);
        CPPUNIT_ASSERT_EQUAL(alice_, first.device.account_id);
        // Twice in the same second is still one device, and not new.
        Store::DeviceSighting same_second = store_->sight_device(alice_, "d1", "192.0.2.1", "UA one", t0);
        CPPUNIT_ASSERT(!same_second.is_new);
        Store::DeviceSighting later = store_->sight_device(alice_, "d1", "192.0.2.2", "UA two", t0 + 50);
        CPPUNIT_ASSERT(!later.is_new);
        CPPUNIT_ASSERT_EQUAL(first.device.id, later.device.id);
        std::optional<Device> found = store_->find_device(alice_, "d1");
        CPPUNIT_ASSERT(found);
        CPPUNIT_ASSERT_EQUAL(t0, found->first_seen_at);
        CPPUNIT_ASSERT_EQUAL(t0 + 50, found->last_sign_in_at);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.2"), found->last_ip);
        CPPUNIT_ASSERT_EQUAL(std::string("UA two"), found->user_agent);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, found->disabled_at);
        // A sign-in that finishes late never moves the last sign-in back.
        store_->sight_device(alice_, "d1", "192.0.2.3", "UA three", t0 + 10);
        CPPUNIT_ASSERT_EQUAL(t0 + 50, store_->find_device(alice_, "d1")->last_sign_in_at);

        Store::DeviceSighting second = store_->sight_device(alice_, "d2", "192.0.2.9", "UA", t0 + 100);
        CPPUNIT_ASSERT(second.is_new && !second.first_of_account);
        std::vector<Device> all = store_->devices_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.9"), all[0].last_ip);  // the last signed in from first
        CPPUNIT_ASSERT(!store_->find_device(alice_, "d3"));
    }

    void one_cookie_is_a_device_of_each_account() {
        std::int64_t alices = store_->sight_device(alice_, "shared", "192.0.2.1", "UA", t0).device.id;
        Store::DeviceSighting bobs = store_->sight_device(bob_, "shared", "192.0.2.1", "UA", t0 + 1);
        CPPUNIT_ASSERT(bobs.is_new && bobs.first_of_account);
        CPPUNIT_ASSERT(bobs.device.id != alices);
        store_->disable_device(alice_, alices, event_at(t0 + 2, "device_disabled"), t0 + 2);
        CPPUNIT_ASSERT(store_->find_device(alice_, "shared")->disabled_at != 0);
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, store_->find_device(bob_, "shared")->disabled_at);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->devices_of(bob_).size());
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
    }

    void disabling_ends_its_sessions_and_forgets_its_browser() {
        const std::int64_t device = store_->sight_device(alice_, "d1", "192.0.2.1", "UA", t0).device.id;
        const std::int64_t other = store_->sight_device(alice_, "d2", "192.0.2.1", "UA", t0).device.id;
        Session on_device = new_session(alice_, "s1", t0, 3600);
        on_device.device_id = device;
        store_->create_session(on_device);
        Session also_on_device = new_session(alice_, "s2", t0, 3600);
        also_on_device.device_id = device;
        store_->create_session(also_on_device);
        Session elsewhere = new_session(alice_, "s3", t0, 3600);
        elsewhere.device_id = other;
        store_->create_session(elsewhere);
        CPPUNIT_ASSERT_EQUAL(device, store_->find_session("s1")->session.device_id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store_->find_session("s1")->session.ended_at);

        RememberedBrowser remembered;
        remembered.account_id = alice_;
        remembered.token_hash = "r1";
        remembered.security_stamp = 1;
        remembered.created_at = t0;
        remembered.expires_at = t0 + 1000;
        remembered.device_id = device;
        store_->remember_browser(remembered, event_at(t0, "browser_remembered"));
        remembered.token_hash = "r2";
        remembered.device_id = other;
        store_->remember_browser(remembered, event_at(t0, "browser_remembered"));
        CPPUNIT_ASSERT_EQUAL(device, store_->find_remembered_browser("r1")->device_id);

        CPPUNIT_ASSERT_EQUAL(2, store_->disable_device(alice_, device, event_at(t0 + 5, "device_disabled"), t0 + 5));
        for (const char* token : {"s1", "s2"}) {
            Session ended = store_->find_session(token)->session;
            CPPUNIT_ASSERT_EQUAL(t0 + 5, ended.ended_at);
            CPPUNIT_ASSERT_EQUAL(std::string("device_disabled"), ended.end_reason);
        }
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, store_->find_session("s3")->session.ended_at);
        CPPUNIT_ASSERT(!store_->find_remembered_browser("r1"));
        CPPUNIT_ASSERT(store_->find_remembered_browser("r2"));
        CPPUNIT_ASSERT_EQUAL(t0 + 5, store_->find_device(alice_, "d1")->disabled_at);
        CPPUNIT_ASSERT_EQUAL(std::string("device_disabled"), store_->events_of(alice_, 1).at(0).kind);
        // Again: still disabled since the first time, nothing more to end.
        CPPUNIT_ASSERT_EQUAL(0, store_->disable_device(alice_, device, event_at(t0 + 9, "device_disabled"), t0 + 9));
        CPPUNIT_ASSERT_EQUAL(t0 + 5, store_->find_device(alice_, "d1")->disabled_at);
    }

    void a_disabled_device_is_not_updated_by_a_sighting() {
        const std::int64_t device = store_->sight_device(alice_, "d1", "192.0.2.1", "UA one", t0).device.id;
        store_->disable_device(alice_, device, event_at(t0 + 1, "device_disabled"), t0 + 1);
        Store::DeviceSighting refused = store_->sight_device(alice_, "d1", "203.0.113.7", "UA two", t0 + 60);
        CPPUNIT_ASSERT(!refused.is_new);
        CPPUNIT_ASSERT(refused.device.disabled_at != 0);
        std::optional<Device> kept = store_->find_device(alice_, "d1");
        CPPUNIT_ASSERT_EQUAL(t0, kept->last_sign_in_at);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.1"), kept->last_ip);
    }

    void enabling_and_unknown_devices() {
        const std::int64_t device = store_->sight_device(alice_, "d1", "192.0.2.1", "UA", t0).device.id;
        store_->disable_device(alice_, device, event_at(t0 + 1, "device_disabled"), t0 + 1);
        CPPUNIT_ASSERT(error_kind([&] { store_->enable_device(bob_, device, event_at(t0 + 2, "device_enabled")); }) ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT(store_->find_device(alice_, "d1")->disabled_at != 0);
        store_->enable_device(alice_, device, event_at(t0 + 2, "device_enabled"));
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, store_->find_device(alice_, "d1")->disabled_at);
        CPPUNIT_ASSERT_EQUAL(std::string("device_enabled"), store_->events_of(alice_, 1).at(0).kind);
        for (std::int64_t id : {device + 1000, std::int64_t{0}, std::int64_t{-1}})
            CPPUNIT_ASSERT(error_kind([&] { store_->disable_device(alice_, id, event_at(t0, "x"), t0); }) ==
                           StoreError::Kind::not_found);
        CPPUNIT_ASSERT(error_kind([&] { store_->disable_device(bob_, device, event_at(t0, "x"), t0); }) ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT(store_->events_of(bob_, 10).empty());
        // A device of an account that does not exist cannot be made.
        CPPUNIT_ASSERT(error_kind([&] { store_->sight_device(9999, "d9", "", "", t0); }).has_value());
    }

    void old_and_surplus_devices_are_forgotten_disabled_ones_kept() {
        store_->sight_device(alice_, "stale", "", "", t0);
        const std::int64_t disabled = store_->sight_device(alice_, "disabled", "", "", t0).device.id;
        store_->disable_device(alice_, disabled, event_at(t0, "device_disabled"), t0);
        const UnixTime later = t0 + Store::device_memory + 10;
        for (std::int64_t i = 0; i < Store::kept_devices + 2; ++i)
            store_->sight_device(alice_, "d" + std::to_string(i), "", "", later + i);
        std::vector<Device> kept = store_->devices_of(alice_);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(Store::kept_devices + 1), kept.size());
        CPPUNIT_ASSERT(!store_->find_device(alice_, "stale"));
        CPPUNIT_ASSERT(!store_->find_device(alice_, "d0") && !store_->find_device(alice_, "d1"));
        CPPUNIT_ASSERT(store_->find_device(alice_, "d2"));
        CPPUNIT_ASSERT_EQUAL(disabled, store_->find_device(alice_, "disabled")->id);
    }
};

MYA_STORE_CONTRACT(DevicesContract);
