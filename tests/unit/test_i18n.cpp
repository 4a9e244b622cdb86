// Message catalogs: the shipped catalogs agree, loading reports bad files, negotiation follows RFC 9110.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <tuple>
#include <vector>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include "web/i18n.hpp"

using myaccount::web::Catalogs;

namespace {

namespace fs = std::filesystem;

const std::string kI18nDir = MYACCOUNT_SOURCE_DIR "/templates/i18n";

std::set<std::string> keys_of(const nlohmann::json& catalog) {
    std::set<std::string> keys;
    for (const auto& [key, value] : catalog.items()) keys.insert(key);
    return keys;
}

// A scratch directory removed when the test ends.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "myaccount-i18n-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
    }
    std::string path() const { return path_.string(); }

private:
    fs::path path_;
};

std::string load_error(const std::string& dir) {
    try {
        Catalogs::load(dir);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return {};
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

class I18nTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(I18nTest);
    CPPUNIT_TEST(shipped_catalogs_have_the_same_keys);
    CPPUNIT_TEST(shipped_catalogs_have_the_required_keys);
    CPPUNIT_TEST(shipped_catalogs_pair_every_key_with_a_message);
    CPPUNIT_TEST(shipped_catalogs_use_the_seed_wordings);
    CPPUNIT_TEST(negotiate_prefers_highest_q);
    CPPUNIT_TEST(negotiate_matches_regional_ranges);
    CPPUNIT_TEST(negotiate_falls_back);
    CPPUNIT_TEST(negotiate_excludes_q_zero);
    CPPUNIT_TEST(negotiate_ignores_malformed_entries);
    CPPUNIT_TEST(messages_and_text_fall_back);
    CPPUNIT_TEST(missing_key_is_named);
    CPPUNIT_TEST(extra_key_is_named);
    CPPUNIT_TEST(missing_japanese_catalog_is_named);
    CPPUNIT_TEST(invalid_json_names_the_file);
    CPPUNIT_TEST(non_string_value_is_rejected);
    CPPUNIT_TEST_SUITE_END();

public:
    void shipped_catalogs_have_the_same_keys() {
        const auto catalogs = Catalogs::load(kI18nDir);
        const auto languages = catalogs.languages();
        CPPUNIT_ASSERT(std::find(languages.begin(), languages.end(), "en") != languages.end());
        CPPUNIT_ASSERT(std::find(languages.begin(), languages.end(), "ja") != languages.end());
        CPPUNIT_ASSERT(keys_of(catalogs.messages("en")) == keys_of(catalogs.messages("ja")));
        CPPUNIT_ASSERT(catalogs.text("en", "sign_in") != catalogs.text("ja", "sign_in"));
        for (const auto& [key, value] : catalogs.messages("ja").items()) {
            CPPUNIT_ASSERT_MESSAGE(key, !value.get<std::string>().empty());
        }
    }

    void shipped_catalogs_have_the_required_keys() {
        const auto catalogs = Catalogs::load(kI18nDir);
        for (const char* key :
             {"app_name", "nav_profile", "nav_security", "nav_password", "nav_devices",
              "nav_organizations", "nav_terms", "sign_out", "sign_in", "sign_in_title", "user_id",
              "password", "profile_title", "profile_managed_note", "job_title", "email_addresses",
              "primary", "office", "organizations", "home_organization", "guest_organization",
              "no_organizations", "manage_account", "change_password", "security_info",
              "terms_of_use", "sign_out_everywhere", "devices", "photo_alt", "login_failed",
              "signed_out", "session_expired", "skip_to_content", "error_bad_request_title",
              "error_bad_request", "error_unauthorized_title", "error_unauthorized",
              "error_forbidden_title", "error_forbidden", "error_csrf", "error_not_found_title",
              "error_not_found", "error_method_title", "error_method",
              "error_unsupported_media_title", "error_unsupported_media", "error_too_large_title",
              "error_too_large", "error_server_title", "error_server", "back_to_profile"}) {
            CPPUNIT_ASSERT_MESSAGE(key, catalogs.messages("en").contains(key));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("サインアウト"), catalogs.text("ja", "sign_out"));
    }

    // Each key once per file (a key written twice silently keeps one of the two), in both en.json
    // and ja.json, never with an empty message (an empty message renders as nothing).
    void shipped_catalogs_pair_every_key_with_a_message() {
        std::map<std::string, std::vector<std::string>> keys;  // language -> keys in file order
        for (const char* lang : {"en", "ja"}) {
            std::ifstream in(kI18nDir + "/" + lang + ".json", std::ios::binary);
            const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            const auto parsed = nlohmann::json::parse(text, [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& key) {
                if (event == nlohmann::json::parse_event_t::key && depth == 1) keys[lang].push_back(key.get<std::string>());
                return true;
            });
            CPPUNIT_ASSERT(parsed.is_object());
            std::set<std::string> seen;
            for (const auto& key : keys[lang]) CPPUNIT_ASSERT_MESSAGE(std::string(lang) + ".json repeats " + key, seen.insert(key).second);
        }
        const std::set<std::string> en(keys["en"].begin(), keys["en"].end());
        const std::set<std::string> ja(keys["ja"].begin(), keys["ja"].end());
        for (const auto& key : en) CPPUNIT_ASSERT_MESSAGE("ja.json lacks " + key, ja.count(key) == 1);
        for (const auto& key : ja) CPPUNIT_ASSERT_MESSAGE("en.json lacks " + key, en.count(key) == 1);
        const auto catalogs = Catalogs::load(kI18nDir);
        for (const char* lang : {"en", "ja"}) {
            for (const auto& [key, value] : catalogs.messages(lang).items()) {
                const std::string text = value.get<std::string>();
                CPPUNIT_ASSERT_MESSAGE(std::string(lang) + ": " + key + " is empty",
                                       text.find_first_not_of(" \n") != std::string::npos);
            }
        }
        CPPUNIT_ASSERT(en.size() > 150);
    }

    // The Japanese edition of the "My Account" portal names these things so; keep to its words.
    void shipped_catalogs_use_the_seed_wordings() {
        const auto catalogs = Catalogs::load(kI18nDir);
        const std::vector<std::tuple<const char*, const char*, const char*>> seed = {
            {"profile_title", "Profile", "プロファイル"},
            {"nav_profile", "Profile", "プロファイル"},
            {"change_password", "Change password", "パスワードの変更"},
            {"nav_password", "Change password", "パスワードの変更"},
            {"security_info", "Security info", "セキュリティ情報"},
            {"nav_security", "Security info", "セキュリティ情報"},
            {"additional_security_verification", "Additional security verification", "追加のセキュリティ確認"},
            {"devices", "Devices", "デバイス"},
            {"nav_devices", "Devices", "デバイス"},
            {"disable_device", "Disable device", "デバイスを無効にする"},
            {"organizations", "Organizations", "組織"},
            {"nav_organizations", "Organizations", "組織"},
            {"leave_organization", "Sign in to leave the organization", "サインインして組織から脱退する"},
            {"terms_of_use", "Review terms of use", "利用規約の確認"},
            {"nav_terms", "Review terms of use", "利用規約の確認"},
            {"sign_out_everywhere", "Sign out everywhere", "すべてからサインアウト"},
            {"yes", "Yes", "はい"},
            {"no", "No", "いいえ"},
            {"manage_account", "Manage account", "アカウントの管理"},
            {"org_role_member", "Member", "メンバー"},
            {"org_role_guest", "Guest", "ゲスト"},
        };
        for (const auto& [key, english, japanese] : seed) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key, std::string(english), catalogs.text("en", key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key, std::string(japanese), catalogs.text("ja", key));
        }
        for (const auto& [key, value] : catalogs.messages("ja").items()) {
            CPPUNIT_ASSERT_MESSAGE(key + " says プロフィール", !contains(value.get<std::string>(), "プロフィール"));
        }
    }

    void negotiate_prefers_highest_q() {
        const auto catalogs = Catalogs::load(kI18nDir);
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate("ja-JP,ja;q=0.9,en;q=0.8", "en"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("ja;q=0.5, en;q=0.8", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("fr;q=1, en;q=0.2, ja;q=0.1", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate("en;q=0.5,ja", "en"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate("en;q=0.500, JA;Q=0.501", "en"));
    }

    void negotiate_matches_regional_ranges() {
        const auto catalogs = Catalogs::load(kI18nDir);
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("en-US", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("en-GB-oxendict", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate("ja-JP", "en"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate(" fr-CA , ja-Jpan-JP;q=0.7", "en"));
    }

    void negotiate_falls_back() {
        const auto catalogs = Catalogs::load(kI18nDir);
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate("fr", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("fr", "en"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate("", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate("*", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate("fr, *;q=0.5", "ja"));
        // An explicit language ranks above a wildcard with a lower weight.
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("*;q=0.1, en", "ja"));
    }

    void negotiate_excludes_q_zero() {
        const auto catalogs = Catalogs::load(kI18nDir);
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("ja;q=0, en;q=0.1", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate("en;q=0", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("ja;q=0.000", "en"));
        // "*" picks the fallback unless the fallback itself was refused.
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("ja;q=0, *", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("en-US;q=0, ja-JP;q=0", "en"));
    }

    void negotiate_ignores_malformed_entries() {
        const auto catalogs = Catalogs::load(kI18nDir);
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("ja;q=2, en;q=0.5", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("ja;q=abc, en;q=0.5", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("ja;q=0.1234, en;q=0.5", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), catalogs.negotiate("<script>, ja_JP, en", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate(",,;;,=", "ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate(std::string(100000, 'a'), "ja"));
        std::string many;
        for (int i = 0; i < 10000; ++i) many += "fr;q=0.9,";
        CPPUNIT_ASSERT_EQUAL(std::string("ja"), catalogs.negotiate(many + "en", "ja"));
    }

    void messages_and_text_fall_back() {
        const auto catalogs = Catalogs::load(kI18nDir);
        CPPUNIT_ASSERT(&catalogs.messages("xx") == &catalogs.messages("en"));
        CPPUNIT_ASSERT(&catalogs.messages("JA") == &catalogs.messages("ja"));
        CPPUNIT_ASSERT_EQUAL(std::string("Sign out"), catalogs.text("xx", "sign_out"));
        CPPUNIT_ASSERT_EQUAL(std::string("no_such_key"), catalogs.text("ja", "no_such_key"));
    }

    void missing_key_is_named() {
        TempDir dir;
        dir.write("en.json", R"({"a": "A", "b": "B", "c": "C"})");
        dir.write("ja.json", R"({"a": "あ"})");
        const auto error = load_error(dir.path());
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "ja.json"));
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "missing: b, c"));
    }

    void extra_key_is_named() {
        TempDir dir;
        dir.write("en.json", R"({"a": "A"})");
        dir.write("ja.json", R"({"a": "あ"})");
        dir.write("de.json", R"({"a": "A", "zusatz": "Z"})");
        const auto error = load_error(dir.path());
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "de.json"));
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "zusatz"));
    }

    void missing_japanese_catalog_is_named() {
        TempDir dir;
        dir.write("en.json", R"({"a": "A"})");
        const auto error = load_error(dir.path());
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "ja.json"));
        CPPUNIT_ASSERT_MESSAGE(load_error(dir.path() + "/nope"), contains(load_error(dir.path() + "/nope"), "nope"));
    }

    void invalid_json_names_the_file() {
        TempDir dir;
        dir.write("en.json", R"({"a": "A",})");
        dir.write("ja.json", R"({"a": "あ"})");
        const auto error = load_error(dir.path());
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "en.json"));
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "invalid JSON"));
    }

    void non_string_value_is_rejected() {
        TempDir dir;
        dir.write("en.json", R"({"a": {"nested": "x"}})");
        dir.write("ja.json", R"({"a": "あ"})");
        auto error = load_error(dir.path());
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "en.json") && contains(error, "\"a\""));
        dir.write("en.json", R"(["a"])");
        error = load_error(dir.path());
        CPPUNIT_ASSERT_MESSAGE(error, contains(error, "en.json") && contains(error, "object"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(I18nTest);
