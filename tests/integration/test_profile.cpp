// The profile page and the photo, as a signed-in employee sees them (English and Japanese).
#include <regex>

#include "suite.hpp"

using namespace it;

namespace {

// A valid 2x2 RGB PNG.
const unsigned char kPng[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00,
    0x00, 0x00, 0x12, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xcf, 0x00, 0x04, 0xff, 0x41, 0xe8,
    0xff, 0xff, 0xff, 0x00, 0x1f, 0xee, 0x05, 0xfb, 0x97, 0xae, 0x1c, 0x51, 0x00, 0x00, 0x00, 0x00, 0x49,
    0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

bool links_to(const std::string& html, const std::string& path) {
    const std::regex href("href\\s*=\\s*[\"']" + path + "/?[\"'?#]");
    return std::regex_search(html, href);
}

}  // namespace

class ProfileTest : public ServerFixture<ProfileTest> {
    CPPUNIT_TEST_SUITE(ProfileTest);
    CPPUNIT_TEST(testProfileShowsTheAccount);
    CPPUNIT_TEST(testProfileLinksToTheOtherPages);
    CPPUNIT_TEST(testProfileSpeaksJapanese);
    CPPUNIT_TEST(testPhotoIsInitialsUntilOneIsSet);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "profile"; }

    void testProfileShowsTheAccount() {
        auto b = signed_in("alice", kAlicePassword);
        Response r = b->get("/myaccount/");
        IT_ASSERT_STATUS(r, 200);
        CPPUNIT_ASSERT_MESSAGE(r.describe(), contains_ci(r.header("Content-Type"), "text/html"));
        for (const char* text :
             {"Alice Example", "Engineer", "alice@contoso.example", "Tokyo HQ", "Contoso", "Fabrikam"}) {
            CPPUNIT_ASSERT_MESSAGE(std::string("profile lacks '") + text + "'\n" + r.describe(4000),
                                   contains(without_wbr(r.body), text));
        }
        CPPUNIT_ASSERT_MESSAGE("profile should be lang=\"en\" for Accept-Language: en\n" + r.describe(300),
                               contains(r.body, "lang=\"en\""));
        CPPUNIT_ASSERT_MESSAGE("no hidden csrf field on the profile page\n" + r.describe(4000),
                               !csrf_from_html(r.body).empty());
        assert_security_headers(r, "profile page");
    }

    void testProfileLinksToTheOtherPages() {
        auto b = signed_in("alice", kAlicePassword);
        Response r = b->get("/myaccount/");
        IT_ASSERT_STATUS(r, 200);
        for (const char* path : {"/myaccount/password", "/myaccount/security", "/myaccount/devices",
                                  "/myaccount/organizations", "/myaccount/activity", "/myaccount/terms",
                                  "/myaccount/sign-out-everywhere"}) {
            CPPUNIT_ASSERT_MESSAGE(std::string("no link to ") + path + "\n" + r.describe(4000), links_to(r.body, path));
            IT_ASSERT_STATUS(b->get(path), 200);
        }
        // Pages of later releases are not linked before they exist.
        for (const char* path : {"/myaccount/signout-all"}) {
            CPPUNIT_ASSERT_MESSAGE(std::string("a link to the missing ") + path + "\n" + r.describe(4000),
                                   !links_to(r.body, path));
            IT_ASSERT_STATUS(b->get(path), 404);
        }
    }

    void testProfileSpeaksJapanese() {
        auto b = browser("ja");
        Response in = b->sign_in("alice", kAlicePassword);
        assert_signed_in(in, *b, "sign-in (ja)");
        Response r = b->get("/myaccount/");
        IT_ASSERT_STATUS(r, 200);
        CPPUNIT_ASSERT_MESSAGE("want lang=\"ja\"\n" + r.describe(500), contains(r.body, "lang=\"ja\""));
        // The seed's words: プロファイル, アカウントの管理.
        for (const char* text : {"プロファイル", "アカウントの管理", "セキュリティ情報"})
            CPPUNIT_ASSERT_MESSAGE(std::string("no Japanese text ") + text + "\n" + r.describe(3000), contains(r.body, text));
        // Names stay as entered whatever the language.
        CPPUNIT_ASSERT_MESSAGE(r.describe(3000), contains(r.body, "Alice Example"));
        // The login page follows Accept-Language too.
        auto anon = browser("ja");
        Response login = anon->get("/myaccount/");
        assert_login_page(login, "login page (ja)");
        CPPUNIT_ASSERT_MESSAGE("login page not in Japanese\n" + login.describe(500), contains(login.body, "lang=\"ja\""));
    }

    void testPhotoIsInitialsUntilOneIsSet() {
        IT_ASSERT_STATUS(browser()->get("/myaccount/photo"), 401);

        auto b = signed_in("alice", kAlicePassword);
        Response avatar = b->get("/myaccount/photo");
        IT_ASSERT_STATUS(avatar, 200);
        CPPUNIT_ASSERT_MESSAGE(avatar.describe(), avatar.header("Content-Type").rfind("image/svg+xml", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(avatar.describe(), contains(avatar.body, "<svg"));
        assert_security_headers(avatar, "initials avatar");

        const std::string png(reinterpret_cast<const char*>(kPng), sizeof kPng);
        const std::string png_path = env().root() + "/alice.png";
        write_file(png_path, png);
        env().ctl_ok({"user", "set-photo", "alice", png_path});

        Response photo = b->get("/myaccount/photo");
        IT_ASSERT_STATUS(photo, 200);
        CPPUNIT_ASSERT_MESSAGE(photo.describe(80), photo.header("Content-Type").rfind("image/png", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE("photo bytes differ from the PNG given to set-photo\n" + photo.describe(0),
                               photo.body == png);
        assert_security_headers(photo, "uploaded photo");
    }
};

IT_REGISTER_SUITE(ProfileTest);
