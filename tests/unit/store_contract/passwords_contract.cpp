// Store contract: the password history kept when a hash is replaced.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "store_contract/contract_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class PasswordHistoryContract : public ContractFixture {
    CPPUNIT_TEST_SUITE(PasswordHistoryContract);
    CPPUNIT_TEST(password_history_keeps_old_hashes_newest_first);
    CPPUNIT_TEST(first_password_leaves_no_history);
    CPPUNIT_TEST(password_history_keeps_at_most_24);
    CPPUNIT_TEST(password_history_of_unknown_account_is_empty);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void password_history_keeps_old_hashes_newest_first() {
        AccountId id = store_->create_account(new_account("hank"), 1);  // created with a hash
        const std::string first = store_->find_account_by_id(id)->password_hash;
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 24).empty());

        store_->set_password_hash(id, "hash-b", false, 2);
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 24) == std::vector<std::string>{first});
        store_->set_password_hash(id, "hash-c", true, 3);
        CPPUNIT_ASSERT((store_->previous_password_hashes(id, 24) == std::vector<std::string>{"hash-b", first}));
        // Setting the same hash again is no change of password: nothing is added.
        store_->set_password_hash(id, "hash-c", false, 4);
        CPPUNIT_ASSERT((store_->previous_password_hashes(id, 24) == std::vector<std::string>{"hash-b", first}));
        // Replaced within the same second: still newest first.
        store_->set_password_hash(id, "hash-d", false, 4);
        CPPUNIT_ASSERT((store_->previous_password_hashes(id, 24) ==
                        std::vector<std::string>{"hash-c", "hash-b", first}));

        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 1) == std::vector<std::string>{"hash-c"});
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 0).empty());
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, -1).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("hash-d"), store_->find_account_by_id(id)->password_hash);

        // Another account's history is its own.
        AccountId other = store_->create_account(new_account("ivy"), 5);
        store_->set_password_hash(other, "ivy-2", false, 6);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store_->previous_password_hashes(other, 24).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, store_->previous_password_hashes(id, 24).size());
    }

    void first_password_leaves_no_history() {
        NewAccount without = new_account("jill");
        without.password_hash.clear();
        AccountId id = store_->create_account(without, 1);
        store_->set_password_hash(id, "first-hash", false, 2);
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 24).empty());
        store_->set_password_hash(id, "second-hash", false, 3);
        CPPUNIT_ASSERT(store_->previous_password_hashes(id, 24) == std::vector<std::string>{"first-hash"});
    }

    void password_history_keeps_at_most_24() {
        AccountId id = store_->create_account(new_account("kim"), 1);
        for (int i = 1; i <= 30; ++i) store_->set_password_hash(id, "hash-" + std::to_string(i), false, 1 + i / 4);
        // hash-30 is current; the history holds hash-29 down to hash-6.
        std::vector<std::string> history = store_->previous_password_hashes(id, 100);
        CPPUNIT_ASSERT_EQUAL(std::size_t{24}, history.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{static_cast<std::size_t>(password_history_kept)}, history.size());
        for (std::size_t i = 0; i < history.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL("hash-" + std::to_string(29 - i), history[i]);
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{24}, count_rows("password_history"));
    }

    void password_history_of_unknown_account_is_empty() {
        CPPUNIT_ASSERT(store_->previous_password_hashes(9999, 24).empty());
        CPPUNIT_ASSERT(thrown_by([&] { store_->set_password_hash(9999, "x", false, 1); }).kind() ==
                       StoreError::Kind::not_found);
    }
};

MYA_STORE_CONTRACT(PasswordHistoryContract);
