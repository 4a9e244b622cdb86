// Carrying authenticator secrets over to a new key: every secret opens under the new key, a second
// run changes nothing, and a secret neither key opens is reported, not lost.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/methods/totp.hpp"
#include "core/second_factor/rekey.hpp"
#include "store_contract/store_fixture.hpp"

using namespace myaccount;

namespace {

class RekeyTest : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(RekeyTest);
    CPPUNIT_TEST(every_secret_moves_to_the_new_key);
    CPPUNIT_TEST(running_again_changes_nothing);
    CPPUNIT_TEST(a_secret_neither_key_opens_is_reported);
    CPPUNIT_TEST_SUITE_END();

    const SecretKey old_key = SecretKey::from_bytes(std::string(32, '\x01'));
    const SecretKey new_key = SecretKey::from_bytes(std::string(32, '\x02'));
    const SecretKey other_key = SecretKey::from_bytes(std::string(32, '\x03'));

    std::int64_t add_authenticator(AccountId account, const std::string& secret, const SecretKey& key) {
        VerificationMethod method;
        method.account_id = account;
        method.kind = MethodKind::authenticator;
        method.label = "phone";
        method.secret_box = seal_totp_secret(key, account, secret);
        method.created_at = 1000;
        return store().add_pending_method(method, 0);
    }

    std::string secret_of(AccountId account, std::int64_t id, const SecretKey& key) {
        auto method = store().find_method(account, id);
        CPPUNIT_ASSERT(method);
        return open_totp_secret(key, account, method->secret_box);
    }

    void every_secret_moves_to_the_new_key() {
        AccountId alice = add_account("alice", "");
        AccountId bob = add_account("bob", "");
        std::int64_t a = add_authenticator(alice, "alice's 20-byte seed", old_key);
        std::int64_t b = add_authenticator(bob, "bob's 20-byte seed!!", old_key);
        RekeyReport report = rekey_secrets(store(), old_key, new_key);
        CPPUNIT_ASSERT_EQUAL(2, report.resealed);
        CPPUNIT_ASSERT(report.unreadable.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("alice's 20-byte seed"), secret_of(alice, a, new_key));
        CPPUNIT_ASSERT_EQUAL(std::string("bob's 20-byte seed!!"), secret_of(bob, b, new_key));
        CPPUNIT_ASSERT_THROW(secret_of(alice, a, old_key), std::runtime_error);
    }

    void running_again_changes_nothing() {
        AccountId alice = add_account("alice", "");
        std::int64_t a = add_authenticator(alice, "alice's 20-byte seed", old_key);
        rekey_secrets(store(), old_key, new_key);
        std::string box = store().find_method(alice, a)->secret_box;
        RekeyReport again = rekey_secrets(store(), old_key, new_key);
        CPPUNIT_ASSERT_EQUAL(0, again.resealed);
        CPPUNIT_ASSERT_EQUAL(1, again.already_new);
        CPPUNIT_ASSERT_EQUAL(box, store().find_method(alice, a)->secret_box);
    }

    void a_secret_neither_key_opens_is_reported() {
        AccountId alice = add_account("alice", "");
        std::int64_t lost = add_authenticator(alice, "sealed under a third", other_key);
        std::int64_t kept = add_authenticator(alice, "alice's 20-byte seed", old_key);
        RekeyReport report = rekey_secrets(store(), old_key, new_key);
        CPPUNIT_ASSERT_EQUAL(1, report.resealed);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, report.unreadable.size());
        CPPUNIT_ASSERT_EQUAL(lost, report.unreadable.front());
        CPPUNIT_ASSERT_EQUAL(std::string("alice's 20-byte seed"), secret_of(alice, kept, new_key));
        CPPUNIT_ASSERT_EQUAL(std::string("sealed under a third"), secret_of(alice, lost, other_key));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RekeyTest);

}  // namespace
