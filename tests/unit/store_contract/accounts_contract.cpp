// Store contract: accounts, their profile and e-mails, all-or-none batches, photos.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "store_contract/contract_fixture.hpp"

using namespace myaccount;
using namespace myaccount::testing;

class AccountsContract : public ContractFixture {
    CPPUNIT_TEST_SUITE(AccountsContract);
    CPPUNIT_TEST(account_crud_and_case_insensitive_lookup);
    CPPUNIT_TEST(emails_keep_their_order);
    CPPUNIT_TEST(password_and_disable_bump_security_stamp);
    CPPUNIT_TEST(failed_write_leaves_nothing_half_written);
    CPPUNIT_TEST(batch_creates_all_in_order);
    CPPUNIT_TEST(batch_with_existing_user_creates_none);
    CPPUNIT_TEST(batch_with_names_differing_in_case_creates_none);
    CPPUNIT_TEST(batch_failing_late_creates_none);
    CPPUNIT_TEST(photo_set_get_remove);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void account_crud_and_case_insensitive_lookup() {
        AccountId alice = store_->create_account(new_account("Alice"), 1000);
        AccountId bob = store_->create_account(new_account("bob"), 1001);
        CPPUNIT_ASSERT(alice != bob);

        auto found = store_->find_account("ALICE");
        CPPUNIT_ASSERT(found);
        CPPUNIT_ASSERT_EQUAL(alice, found->id);
        CPPUNIT_ASSERT_EQUAL(std::string("Alice"), found->username);  // stored as typed at creation
        CPPUNIT_ASSERT_EQUAL(std::string("Display Alice"), found->display_name);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, found->security_stamp);
        CPPUNIT_ASSERT_EQUAL(UnixTime{1000}, found->created_at);
        CPPUNIT_ASSERT(!found->disabled);
        CPPUNIT_ASSERT(store_->find_account_by_id(bob));
        CPPUNIT_ASSERT(!store_->find_account("carol"));
        CPPUNIT_ASSERT(!store_->find_account_by_id(9999));

        StoreError conflict = thrown_by([&] { store_->create_account(new_account("aLiCe"), 1002); });
        CPPUNIT_ASSERT(conflict.kind() == StoreError::Kind::conflict);

        auto all = store_->list_accounts();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Alice"), all[0].username);
        CPPUNIT_ASSERT_EQUAL(std::string("bob"), all[1].username);

        ProfileFields change;
        change.job_title = "Manager";
        store_->update_profile(alice, change, 2000);
        auto updated = store_->find_account_by_id(alice);
        CPPUNIT_ASSERT_EQUAL(std::string("Manager"), updated->job_title);
        CPPUNIT_ASSERT_EQUAL(std::string("Display Alice"), updated->display_name);  // unset: kept
        CPPUNIT_ASSERT_EQUAL(std::string("B1"), updated->office);
        CPPUNIT_ASSERT_EQUAL(UnixTime{2000}, updated->updated_at);

        CPPUNIT_ASSERT(thrown_by([&] { store_->update_profile(9999, change, 1); }).kind() ==
                       StoreError::Kind::not_found);
        CPPUNIT_ASSERT(thrown_by([&] { store_->set_password_hash(9999, "x", true, 1); }).kind() ==
                       StoreError::Kind::not_found);
    }

    void emails_keep_their_order() {
        AccountId id = store_->create_account(new_account("dana", {"b@example.org", "a@example.org", "c@example.org"}), 1);
        auto account = store_->find_account("dana");
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, account->emails.size());
        CPPUNIT_ASSERT_EQUAL(std::string("b@example.org"), account->emails[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("a@example.org"), account->emails[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("c@example.org"), account->emails[2]);

        ProfileFields change;
        change.emails = std::vector<std::string>{"z@example.org", "y@example.org"};
        store_->update_profile(id, change, 2);
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, account->emails.size());
        CPPUNIT_ASSERT_EQUAL(std::string("z@example.org"), account->emails[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("y@example.org"), account->emails[1]);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->list_accounts()[0].emails.size());

        ProfileFields other;  // emails unset: kept
        other.office = "B2";
        store_->update_profile(id, other, 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store_->find_account_by_id(id)->emails.size());
    }

    void password_and_disable_bump_security_stamp() {
        AccountId id = store_->create_account(new_account("erin"), 1);
        store_->set_password_hash(id, "new-hash", false, 2);
        auto account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT_EQUAL(std::string("new-hash"), account->password_hash);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, account->security_stamp);

        store_->set_password_hash(id, "newer-hash", true, 3);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store_->find_account_by_id(id)->security_stamp);

        store_->set_disabled(id, true, 4);
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT(account->disabled);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, account->security_stamp);

        store_->set_disabled(id, false, 5);
        account = store_->find_account_by_id(id);
        CPPUNIT_ASSERT(!account->disabled);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, account->security_stamp);
    }

    void failed_write_leaves_nothing_half_written() {
        // The second address is empty, which the schema refuses after the account row went in.
        StoreError error = thrown_by(
            [&] { store_->create_account(new_account("lee", {"lee@example.org", ""}), 1); });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::invalid);
        CPPUNIT_ASSERT(!store_->find_account("lee"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_rows("account_emails"));
        // The connection is still usable afterwards.
        CPPUNIT_ASSERT(store_->create_account(new_account("lee", {"lee@example.org"}), 2) > 0);
    }

    void batch_creates_all_in_order() {
        CPPUNIT_ASSERT(store_->create_accounts({}, 1).empty());
        std::vector<AccountId> ids = store_->create_accounts(
            {new_account("mia", {"mia@example.org", "m@example.org"}), new_account("ned"), new_account("Ola")}, 500);
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, ids.size());
        const char* names[] = {"mia", "ned", "Ola"};
        for (std::size_t i = 0; i < ids.size(); ++i) {
            auto found = store_->find_account_by_id(ids[i]);
            CPPUNIT_ASSERT(found);
            CPPUNIT_ASSERT_EQUAL(std::string(names[i]), found->username);
            CPPUNIT_ASSERT_EQUAL(UnixTime{500}, found->created_at);
        }
        CPPUNIT_ASSERT(store_->find_account("mia")->emails ==
                       std::vector<std::string>({"mia@example.org", "m@example.org"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, store_->list_accounts().size());
    }

    void batch_with_existing_user_creates_none() {
        store_->create_account(new_account("alice"), 1);
        StoreError error = thrown_by([&] {
            store_->create_accounts({new_account("bob"), new_account("ALICE"), new_account("carol")}, 2);
        });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(contains(error.what(), "ALICE"));
        auto all = store_->list_accounts();
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), all[0].username);
        CPPUNIT_ASSERT(!store_->find_account("bob"));
    }

    void batch_with_names_differing_in_case_creates_none() {
        StoreError error = thrown_by([&] {
            store_->create_accounts({new_account("dora"), new_account("erik"), new_account("Dora")}, 1);
        });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::conflict);
        CPPUNIT_ASSERT(contains(error.what(), "Dora"));
        CPPUNIT_ASSERT(store_->list_accounts().empty());
        // The connection is still usable, and the same names go in once the clash is gone.
        CPPUNIT_ASSERT_EQUAL(std::size_t{2},
                             store_->create_accounts({new_account("dora"), new_account("erik")}, 2).size());
    }

    void batch_failing_late_creates_none() {
        // Not a conflict: the last account's empty address is refused after the others went in.
        StoreError error = thrown_by([&] {
            store_->create_accounts({new_account("pia", {"pia@example.org"}), new_account("quinn", {""})}, 1);
        });
        CPPUNIT_ASSERT(error.kind() == StoreError::Kind::invalid);
        CPPUNIT_ASSERT(store_->list_accounts().empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_rows("account_emails"));
    }

    void photo_set_get_remove() {
        AccountId id = store_->create_account(new_account("jo"), 1);
        CPPUNIT_ASSERT(!store_->find_photo(id));
        Photo photo{"image/png", std::string("\x89PNG\r\n\x1a\n\0\0", 10), 50};
        store_->set_photo(id, photo);
        auto found = store_->find_photo(id);
        CPPUNIT_ASSERT(found);
        CPPUNIT_ASSERT_EQUAL(std::string("image/png"), found->content_type);
        CPPUNIT_ASSERT(found->bytes == photo.bytes);
        CPPUNIT_ASSERT_EQUAL(UnixTime{50}, found->updated_at);

        store_->set_photo(id, Photo{"image/jpeg", "\xff\xd8\xff", 60});
        found = store_->find_photo(id);
        CPPUNIT_ASSERT_EQUAL(std::string("image/jpeg"), found->content_type);
        CPPUNIT_ASSERT_EQUAL(std::string("\xff\xd8\xff"), found->bytes);

        store_->remove_photo(id);
        CPPUNIT_ASSERT(!store_->find_photo(id));
        store_->remove_photo(id);  // removing nothing is fine
        CPPUNIT_ASSERT(thrown_by([&] { store_->set_photo(9999, photo); }).kind() == StoreError::Kind::not_found);
    }
};

MYA_STORE_CONTRACT(AccountsContract);
