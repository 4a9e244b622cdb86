// The second step a session owes (core/second_factor/second_step.hpp), on a fixed clock: per
// requirement, per method known to the session, and the recent proof security info needs.
#include <cppunit/extensions/HelperMacros.h>

#include <vector>

#include "core/second_factor/second_step.hpp"
#include "second_factor_values.hpp"

using namespace myaccount;

namespace {

constexpr UnixTime t0 = 1'700'000'000;

VerificationMethod method(MethodKind kind, UnixTime created_at, bool active = true) {
    return testing::method_of(kind, created_at, active);
}

Session session_at(UnixTime signed_in_at, UnixTime second_factor_at = 0) {
    Session s;
    s.created_at = signed_in_at;
    s.signed_in_at = signed_in_at;
    s.second_factor_at = second_factor_at;
    return s;
}

SecondFactorPolicy policy(MfaRequirement requirement) { return testing::requiring(requirement); }

}  // namespace

class SecondStepTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SecondStepTest);
    CPPUNIT_TEST(off_asks_nothing);
    CPPUNIT_TEST(registered_asks_those_with_a_method);
    CPPUNIT_TEST(recovery_codes_and_pending_apps_are_not_methods);
    CPPUNIT_TEST(all_asks_everyone_to_register_first);
    CPPUNIT_TEST(a_verified_session_owes_nothing);
    CPPUNIT_TEST(a_method_added_since_the_sign_in_asks_too);
    CPPUNIT_TEST(without_a_session_the_rule_stands_for_the_account);
    CPPUNIT_TEST(recent_proof_is_the_second_step_once_there_is_a_method);
    CPPUNIT_TEST(recent_proof_is_the_password_without_one);
    CPPUNIT_TEST(older_sessions_count_from_their_start);
    CPPUNIT_TEST(directions_name_the_page_and_come_back_encoded);
    CPPUNIT_TEST(the_challenge_quotes_what_it_names);
    CPPUNIT_TEST_SUITE_END();

public:
    void off_asks_nothing() {
        const std::vector<VerificationMethod> methods{method(MethodKind::authenticator, t0 - 100)};
        CPPUNIT_ASSERT(second_step_due(policy(MfaRequirement::off), methods, session_at(t0)) == SecondStepDue::none);
        CPPUNIT_ASSERT(second_step_due(policy(MfaRequirement::off), methods) == SecondStepDue::none);
    }

    void registered_asks_those_with_a_method() {
        const SecondFactorPolicy registered = policy(MfaRequirement::registered);
        CPPUNIT_ASSERT(second_step_due(registered, {}, session_at(t0)) == SecondStepDue::none);
        for (MethodKind kind : {MethodKind::authenticator, MethodKind::phone})
            CPPUNIT_ASSERT(second_step_due(registered, {method(kind, t0 - 100)}, session_at(t0)) ==
                           SecondStepDue::verify);
        // An e-mail address is a way back in (reset), not a second factor.
        CPPUNIT_ASSERT(second_step_due(registered, {method(MethodKind::email, t0 - 100)}, session_at(t0)) ==
                       SecondStepDue::none);
    }

    void recovery_codes_and_pending_apps_are_not_methods() {
        const std::vector<VerificationMethod> methods{method(MethodKind::recovery_codes, t0 - 100),
                                                      method(MethodKind::authenticator, t0 - 100, false)};
        CPPUNIT_ASSERT(second_step_due(policy(MfaRequirement::registered), methods, session_at(t0)) ==
                       SecondStepDue::none);
        CPPUNIT_ASSERT(second_step_due(policy(MfaRequirement::all), methods, session_at(t0)) ==
                       SecondStepDue::register_method);
    }

    void all_asks_everyone_to_register_first() {
        const SecondFactorPolicy all = policy(MfaRequirement::all);
        CPPUNIT_ASSERT(second_step_due(all, {}, session_at(t0)) == SecondStepDue::register_method);
        CPPUNIT_ASSERT(second_step_due(all, {}) == SecondStepDue::register_method);
        CPPUNIT_ASSERT(second_step_due(all, {method(MethodKind::authenticator, t0 - 1)}, session_at(t0)) ==
                       SecondStepDue::verify);
    }

    void a_verified_session_owes_nothing() {
        const std::vector<VerificationMethod> methods{method(MethodKind::authenticator, t0 - 100)};
        for (MfaRequirement requirement : {MfaRequirement::registered, MfaRequirement::all})
            CPPUNIT_ASSERT(second_step_due(policy(requirement), methods, session_at(t0, t0 + 20)) ==
                           SecondStepDue::none);
    }

    // A session held at the step does not slip through when the methods change meanwhile (the
    // owner replaced them from another session): every method now asks. The session that proved
    // a method as it added it passed the step then (second_factor_at set by the enrolment).
    void a_method_added_since_the_sign_in_asks_too() {
        const std::vector<VerificationMethod> methods{method(MethodKind::authenticator, t0 + 60)};
        for (MfaRequirement requirement : {MfaRequirement::registered, MfaRequirement::all}) {
            CPPUNIT_ASSERT(second_step_due(policy(requirement), methods, session_at(t0)) == SecondStepDue::verify);
            CPPUNIT_ASSERT(second_step_due(policy(requirement), methods, session_at(t0, t0 + 60)) ==
                           SecondStepDue::none);
        }
    }

    void without_a_session_the_rule_stands_for_the_account() {
        const std::vector<VerificationMethod> methods{method(MethodKind::phone, t0 + 60)};
        CPPUNIT_ASSERT(second_step_due(policy(MfaRequirement::registered), methods) == SecondStepDue::verify);
        CPPUNIT_ASSERT(second_step_due(policy(MfaRequirement::registered), {}) == SecondStepDue::none);
    }

    void recent_proof_is_the_second_step_once_there_is_a_method() {
        const std::vector<VerificationMethod> methods{method(MethodKind::authenticator, t0 - 100)};
        for (MfaRequirement requirement : {MfaRequirement::off, MfaRequirement::registered}) {
            const SecondFactorPolicy p = policy(requirement);
            CPPUNIT_ASSERT(!recent_enough(p, methods, session_at(t0), t0 + 1));  // the password is not enough
            CPPUNIT_ASSERT(recent_enough(p, methods, session_at(t0, t0 + 10), t0 + 610));
            CPPUNIT_ASSERT(!recent_enough(p, methods, session_at(t0, t0 + 10), t0 + 611));
        }
    }

    void recent_proof_is_the_password_without_one() {
        const std::vector<VerificationMethod> added_since{method(MethodKind::authenticator, t0 + 60)};
        const SecondFactorPolicy registered = policy(MfaRequirement::registered);
        CPPUNIT_ASSERT(recent_enough(registered, {}, session_at(t0), t0 + 600));
        CPPUNIT_ASSERT(!recent_enough(registered, {}, session_at(t0), t0 + 601));
        // Once there is a method the password is not enough, however fresh.
        CPPUNIT_ASSERT(!recent_enough(registered, added_since, session_at(t0), t0 + 1));
        CPPUNIT_ASSERT(recent_enough(registered, added_since, session_at(t0, t0 + 60), t0 + 660));
        // Off and no method: being signed in is enough.
        CPPUNIT_ASSERT(recent_enough(policy(MfaRequirement::off), {}, session_at(t0), t0 + 86400));
    }

    void older_sessions_count_from_their_start() {
        Session older = session_at(0);
        older.created_at = t0;
        CPPUNIT_ASSERT_EQUAL(t0, password_proven_at(older));
        CPPUNIT_ASSERT(recent_enough(policy(MfaRequirement::registered), {}, older, t0 + 600));
        CPPUNIT_ASSERT(second_step_due(policy(MfaRequirement::registered), {method(MethodKind::phone, t0 - 1)},
                                       older) == SecondStepDue::verify);
    }

    void directions_name_the_page_and_come_back_encoded() {
        Directions verify = second_step_directions("/myaccount", SecondStepDue::verify, "/app/a b?x=1&y=2");
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/verify?return=/app/a%20b%3Fx%3D1%26y%3D2"), verify.url);
        CPPUNIT_ASSERT_EQUAL(std::string("second_factor_required"), std::string(verify.error));
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/verify?return=/app/&recent=1"),
                             second_step_directions("/myaccount", SecondStepDue::verify, "/app/", true).url);
        Directions enrol = second_step_directions("/p", SecondStepDue::register_method, "/app/");
        CPPUNIT_ASSERT_EQUAL(std::string("/p/security/register?next=/app/"), enrol.url);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"error":"second_factor_registration_required","register_url":"/p/security/register?next=/app/"})"),
                             enrol.json_body().dump());
    }

    void the_challenge_quotes_what_it_names() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(MyAccount error="second_factor_required", verify_url="/m/verify?return=/")"),
                             second_step_directions("/m", SecondStepDue::verify, "/").challenge());
        // A portal path with a quote or a backslash (the sysadmin's to choose) stays inside its quotes.
        CPPUNIT_ASSERT_EQUAL(std::string(R"(MyAccount error="second_factor_required", verify_url="/a\"b\\c/verify?return=/")"),
                             second_step_directions("/a\"b\\c", SecondStepDue::verify, "/").challenge());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecondStepTest);
