// The code-check rules on a fixed clock: expiry, attempts, single use, what a proof unlocks.
#include <cppunit/extensions/HelperMacros.h>

#include "core/challenge.hpp"

using namespace myaccount;

namespace {
constexpr UnixTime t0 = 1'700'000'000;

Challenge with_code(ChallengePurpose purpose, const std::string& target) {
    Challenge challenge;
    challenge.id = 7;
    challenge.purpose = purpose;
    challenge.account_id = 1;
    challenge.expires_at = t0 + 3600;
    challenge.target = target;
    challenge.code_hash = "h";
    challenge.code_expires_at = t0 + 600;
    return challenge;
}
}  // namespace

class CodeRulesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CodeRulesTest);
    CPPUNIT_TEST(right_code_is_used_up_and_proves_its_method);
    CPPUNIT_TEST(right_code_proves_an_address);
    CPPUNIT_TEST(wrong_guesses_count_and_the_last_takes_the_code);
    CPPUNIT_TEST(expired_code_or_challenge_changes_nothing);
    CPPUNIT_TEST(no_code_outstanding_is_none);
    CPPUNIT_TEST(code_for_no_method_is_invalid);
    CPPUNIT_TEST_SUITE_END();

public:
    void right_code_is_used_up_and_proves_its_method() {
        Challenge challenge = with_code(ChallengePurpose::reset, "5");
        challenge.proven = {3};
        challenge.code_attempts = 2;
        CodeVerdict verdict = judge_code_guess(challenge, "h", 5, t0 + 599);
        CPPUNIT_ASSERT(verdict.result == Store::CodeCheck::accepted);
        CPPUNIT_ASSERT(verdict.next);
        CPPUNIT_ASSERT(verdict.next->code_hash.empty());
        CPPUNIT_ASSERT_EQUAL(UnixTime{0}, verdict.next->code_expires_at);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, verdict.next->code_attempts);
        CPPUNIT_ASSERT((verdict.next->proven == std::vector<std::int64_t>{3, 5}));
        // Proven twice, listed once.
        challenge.proven = {5};
        CPPUNIT_ASSERT((judge_code_guess(challenge, "h", 5, t0).next->proven == std::vector<std::int64_t>{5}));
    }

    void right_code_proves_an_address() {
        CodeVerdict verdict = judge_code_guess(with_code(ChallengePurpose::add_email, "a@example.org"), "h", 5, t0);
        CPPUNIT_ASSERT(verdict.result == Store::CodeCheck::accepted);
        CPPUNIT_ASSERT((verdict.next->proven == std::vector<std::int64_t>{0}));
    }

    void wrong_guesses_count_and_the_last_takes_the_code() {
        Challenge challenge = with_code(ChallengePurpose::reset, "5");
        CodeVerdict verdict = judge_code_guess(challenge, "x", 3, t0);
        CPPUNIT_ASSERT(verdict.result == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, verdict.next->code_attempts);
        CPPUNIT_ASSERT_EQUAL(std::string("h"), verdict.next->code_hash);
        challenge.code_attempts = 2;
        verdict = judge_code_guess(challenge, "x", 3, t0);
        CPPUNIT_ASSERT(verdict.result == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT(verdict.next->code_hash.empty());
        // At the limit already (it was lowered): even the right code is a wrong guess, and kills it.
        challenge.code_attempts = 4;
        verdict = judge_code_guess(challenge, "h", 3, t0);
        CPPUNIT_ASSERT(verdict.result == Store::CodeCheck::wrong);
        CPPUNIT_ASSERT(verdict.next->code_hash.empty());
        CPPUNIT_ASSERT(verdict.next->proven.empty());
    }

    void expired_code_or_challenge_changes_nothing() {
        Challenge challenge = with_code(ChallengePurpose::reset, "5");
        CodeVerdict verdict = judge_code_guess(challenge, "h", 5, t0 + 600);
        CPPUNIT_ASSERT(verdict.result == Store::CodeCheck::expired);
        CPPUNIT_ASSERT(!verdict.next);
        CPPUNIT_ASSERT(judge_code_guess(challenge, "h", 5, t0 + 3600).result == Store::CodeCheck::expired);
        challenge.completed_at = t0 - 1;
        CPPUNIT_ASSERT(judge_code_guess(challenge, "h", 5, t0).result == Store::CodeCheck::expired);
    }

    void no_code_outstanding_is_none() {
        Challenge challenge = with_code(ChallengePurpose::reset, "5");
        challenge.code_hash.clear();
        CodeVerdict verdict = judge_code_guess(challenge, "h", 5, t0);
        CPPUNIT_ASSERT(verdict.result == Store::CodeCheck::none);
        CPPUNIT_ASSERT(!verdict.next);
        // A closed challenge reads expired even without a code.
        challenge.expires_at = t0;
        CPPUNIT_ASSERT(judge_code_guess(challenge, "h", 5, t0).result == Store::CodeCheck::expired);
    }

    void code_for_no_method_is_invalid() {
        try {
            judge_code_guess(with_code(ChallengePurpose::reset, "five"), "h", 5, t0);
            CPPUNIT_FAIL("accepted a code for no method id");
        } catch (const StoreError& error) {
            CPPUNIT_ASSERT(error.kind() == StoreError::Kind::invalid);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CodeRulesTest);
