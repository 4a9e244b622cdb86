// Who must pass the second step (MyAccountRequireMFA), and which proofs are recent enough to change
// security info, on a fixed clock.
#include <cppunit/extensions/HelperMacros.h>

#include <vector>

#include "core/second_factor/requirement.hpp"
#include "second_factor_values.hpp"

using namespace myaccount;

namespace {

constexpr UnixTime now = 1'700'000'000;

using testing::requiring;

VerificationMethod method(MethodKind kind, bool active = true) { return testing::method_of(kind, 0, active); }

}  // namespace

class SecondFactorRequirementTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SecondFactorRequirementTest);
    CPPUNIT_TEST(an_authenticator_or_a_phone_counts);
    CPPUNIT_TEST(off_registered_and_all);
    CPPUNIT_TEST(only_all_makes_users_register);
    CPPUNIT_TEST(an_organization_only_asks_more);
    CPPUNIT_TEST(with_methods_the_second_step_must_be_recent);
    CPPUNIT_TEST(without_methods_the_password_must_be_recent);
    CPPUNIT_TEST_SUITE_END();

public:
    void an_authenticator_or_a_phone_counts() {
        CPPUNIT_ASSERT(counts_as_two_step_method(method(MethodKind::authenticator)));
        CPPUNIT_ASSERT(counts_as_two_step_method(method(MethodKind::phone)));
        CPPUNIT_ASSERT(!counts_as_two_step_method(method(MethodKind::email)));  // a reset method
        CPPUNIT_ASSERT(!has_two_step_method({method(MethodKind::email), method(MethodKind::recovery_codes)}));
        CPPUNIT_ASSERT(!counts_as_two_step_method(method(MethodKind::recovery_codes)));
        CPPUNIT_ASSERT(!counts_as_two_step_method(method(MethodKind::authenticator, false)));  // pending
        CPPUNIT_ASSERT(!has_two_step_method({}));
        CPPUNIT_ASSERT(
            !has_two_step_method({method(MethodKind::recovery_codes), method(MethodKind::authenticator, false)}));
        CPPUNIT_ASSERT(has_two_step_method({method(MethodKind::recovery_codes), method(MethodKind::phone)}));
    }

    void off_registered_and_all() {
        const std::vector<VerificationMethod> none;
        const std::vector<VerificationMethod> codes_only{method(MethodKind::recovery_codes)};
        const std::vector<VerificationMethod> app{method(MethodKind::authenticator)};
        CPPUNIT_ASSERT(!must_use_second_factor(requiring(MfaRequirement::off), app));
        CPPUNIT_ASSERT(!must_use_second_factor(requiring(MfaRequirement::registered), none));
        CPPUNIT_ASSERT(!must_use_second_factor(requiring(MfaRequirement::registered), codes_only));
        CPPUNIT_ASSERT(must_use_second_factor(requiring(MfaRequirement::registered), app));
        CPPUNIT_ASSERT(must_use_second_factor(requiring(MfaRequirement::all), none));
        CPPUNIT_ASSERT(must_use_second_factor(requiring(MfaRequirement::all), app));
    }

    void an_organization_only_asks_more() {
        Account account;
        SecondFactorPolicy site = requiring(MfaRequirement::registered);
        site.totp_window = 2;
        CPPUNIT_ASSERT(policy_for(site, account).requirement == MfaRequirement::registered);
        account.organization_mfa = MfaRequirement::all;
        const SecondFactorPolicy asked = policy_for(site, account);
        CPPUNIT_ASSERT(asked.requirement == MfaRequirement::all);
        CPPUNIT_ASSERT_EQUAL(2, asked.totp_window);  // the rest is the site's
        CPPUNIT_ASSERT(must_register_second_factor(asked, {}));
        // Never less than the site asks.
        account.organization_mfa = MfaRequirement::off;
        CPPUNIT_ASSERT(policy_for(requiring(MfaRequirement::all), account).requirement == MfaRequirement::all);
        account.organization_mfa = MfaRequirement::registered;
        CPPUNIT_ASSERT(policy_for(requiring(MfaRequirement::off), account).requirement == MfaRequirement::registered);
    }

    void only_all_makes_users_register() {
        const std::vector<VerificationMethod> none;
        const std::vector<VerificationMethod> codes_only{method(MethodKind::recovery_codes)};
        CPPUNIT_ASSERT(must_register_second_factor(requiring(MfaRequirement::all), none));
        CPPUNIT_ASSERT(must_register_second_factor(requiring(MfaRequirement::all), codes_only));
        CPPUNIT_ASSERT(!must_register_second_factor(requiring(MfaRequirement::all), {method(MethodKind::phone)}));
        CPPUNIT_ASSERT(!must_register_second_factor(requiring(MfaRequirement::registered), none));
        CPPUNIT_ASSERT(!must_register_second_factor(requiring(MfaRequirement::off), none));
    }

    void with_methods_the_second_step_must_be_recent() {
        const SecondFactorPolicy policy = requiring(MfaRequirement::registered);
        Session session;
        session.created_at = now;
        session.signed_in_at = now;  // a fresh password proves nothing once there are methods
        CPPUNIT_ASSERT(!recently_verified(policy, session, true, now));
        session.second_factor_at = now - 600;
        CPPUNIT_ASSERT(recently_verified(policy, session, true, now));
        session.second_factor_at = now - 601;
        CPPUNIT_ASSERT(!recently_verified(policy, session, true, now));
    }

    void without_methods_the_password_must_be_recent() {
        const SecondFactorPolicy policy = requiring(MfaRequirement::registered);
        Session session;
        session.created_at = now - 5000;
        session.signed_in_at = now - 600;
        CPPUNIT_ASSERT(recently_verified(policy, session, false, now));
        session.signed_in_at = now - 601;
        CPPUNIT_ASSERT(!recently_verified(policy, session, false, now));
        // A session from before signed_in_at was kept: its start is when the password was proven.
        session.signed_in_at = 0;
        session.created_at = now - 100;
        CPPUNIT_ASSERT(recently_verified(policy, session, false, now));
        session.created_at = now - 601;
        CPPUNIT_ASSERT(!recently_verified(policy, session, false, now));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecondFactorRequirementTest);
