// Security info's 2-step methods against the real httpd: an authenticator enrolled with codes from
// `oathtool` (not our own TOTP code), its secret never shown again; recovery codes shown once and
// stored only as hashes; rename, default and remove; another user's method ids; CSRF on every new
// change; and the same through /api/v1/me/methods.
#include <ctime>
#include <regex>

#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;
using nlohmann::json;

namespace {

const char* const kTinaPassword = "tina's password 2024";
const char* const kOttoPassword = "otto's password 2024";

std::vector<std::string> recovery_codes_on(const std::string& html) {
    static const std::regex code(R"re(<li><code class="secret" translate="no">([^<]+)</code></li>)re");
    std::vector<std::string> codes;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), code); it != std::sregex_iterator(); ++it)
        codes.push_back(it->str(1));
    return codes;
}

json json_of(const Response& r) {
    json j = json::parse(r.body, nullptr, false);
    CPPUNIT_ASSERT_MESSAGE("not JSON\n" + r.describe(), !j.is_discarded());
    return j;
}

// An authenticator's set-up page: its method id and secret.
struct Setup {
    Response page;
    std::string method;
    std::string secret;
};

Setup begin_authenticator(Browser& b, const std::string& label) {
    Response page = b.post_form("/myaccount/security/authenticator",
                                {{"csrf", csrf_of(b, "/myaccount/security/add")}, {"label", label}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(page.describe(), 200L, page.status);
    Setup setup{page, input_value(page.body, "method"), totp_secret_on(page.body)};
    CPPUNIT_ASSERT_MESSAGE("no method id or secret on the set-up page\n" + page.describe(6000),
                           !setup.method.empty() && setup.secret.size() == 32);
    return setup;
}

Response confirm(Browser& b, const Setup& setup, const std::string& code) {
    return b.post_form("/myaccount/security/authenticator/confirm",
                       {{"csrf", csrf_from_html(setup.page.body)}, {"method", setup.method}, {"code", code}});
}

// Enrols an authenticator with oathtool's code: its method id.
std::string enrol(Browser& b, const std::string& label) {
    Setup setup = begin_authenticator(b, label);
    Response done = confirm(b, setup, oathtool_code(setup.secret));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(done.describe(), 303L, done.status);
    return setup.method;
}

Response post_security(Browser& b, const std::string& action, Fields fields) {
    fields.emplace_back("csrf", csrf_of(b, "/myaccount/security"));
    return b.post_form("/myaccount/security/" + action, fields);
}

std::string hex_of(const std::string& base32) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    static const char digits[] = "0123456789abcdef";
    std::string hex;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : base32) {
        buffer = (buffer << 5) | static_cast<unsigned>(alphabet.find(c));
        bits += 5;
        if (bits >= 8) {
            unsigned byte = (buffer >> (bits - 8)) & 0xff;
            hex += digits[byte >> 4];
            hex += digits[byte & 15];
            bits -= 8;
        }
    }
    return hex;
}

}  // namespace

class TwoStepMethodsTest : public ServerFixture<TwoStepMethodsTest> {
    CPPUNIT_TEST_SUITE(TwoStepMethodsTest);
    CPPUNIT_TEST(testEnrolAnAuthenticatorWithOathtool);
    CPPUNIT_TEST(testWrongAndOldCodesAreRefused);
    CPPUNIT_TEST(testRecoveryCodesShownOnceAndStoredAsHashes);
    CPPUNIT_TEST(testRenameDefaultAndRemove);
    CPPUNIT_TEST(testAnotherUsersMethodIsNotFound);
    CPPUNIT_TEST(testEveryNewChangeNeedsItsToken);
    CPPUNIT_TEST(testApiListCreateVerifyPatchDelete);
    CPPUNIT_TEST(testApiAddsPhonesAndAddressesWithTheirCodes);
    CPPUNIT_TEST(testPhoneProvenByTextMessage);
    CPPUNIT_TEST(testPagesInJapanese);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "twostep"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        for (const char* user : {"tina", "tim", "rosa", "ren", "ida", "csrf", "apiu", "jun", "pia", "apip"})
            env.add_user(user, std::string(user) + "'s password 2024", std::string(user) + " Tester",
                         std::string(user) + "@contoso.example");
        env.add_user("otto", kOttoPassword, "Otto Other", "otto@contoso.example");
    }

    void testEnrolAnAuthenticatorWithOathtool() {
        auto b = signed_in("tina", kTinaPassword);
        const std::size_t told = env().notification_count("tina@contoso.example");
        Setup setup = begin_authenticator(*b, "Pixel 8");
        assert_security_headers(setup.page, "the authenticator set-up page");
        CPPUNIT_ASSERT_MESSAGE(setup.page.describe(), setup.page.header("Cache-Control") == "no-store");
        const std::string& page = setup.page.body;
        CPPUNIT_ASSERT_MESSAGE("QR code as an image of our own\n" + setup.page.describe(4000),
                               contains(page, "<img class=\"qr-code\" src=\"data:image/svg+xml;charset=utf-8,%3Csvg") &&
                                   contains(page, "alt=\"QR code to scan with your authenticator app\""));
        CPPUNIT_ASSERT_MESSAGE(setup.page.describe(4000), !contains(page, "<script"));
        CPPUNIT_ASSERT_MESSAGE(setup.page.describe(4000),
                               contains(page, "autocomplete=\"one-time-code\"") && contains(page, "inputmode=\"numeric\""));
        // The otpauth URI inside the QR code names issuer and user: check it in the image's source.
        CPPUNIT_ASSERT_MESSAGE(setup.page.describe(4000), contains(page, "<dd>tina</dd>") && contains(page, "<dd>Contoso</dd>"));

        Response done = confirm(*b, setup, oathtool_code(setup.secret));
        IT_ASSERT_STATUS(done, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security?added=authenticator"), location_path(done));
        Response listed = b->get("/myaccount/security?added=authenticator");
        IT_ASSERT_STATUS(listed, 200);
        CPPUNIT_ASSERT_MESSAGE(listed.describe(6000), contains(listed.body, "The authenticator app was added."));
        CPPUNIT_ASSERT_MESSAGE(listed.describe(6000), contains(listed.body, ">Pixel 8<"));
        CPPUNIT_ASSERT_MESSAGE(listed.describe(6000), contains(listed.body, "Never used"));
        CPPUNIT_ASSERT_EQUAL(std::string("1|1|1\n"),
                             env().sql("select count(*), sum(active), sum(is_default) from verification_methods "
                                       "where account_id=(select id from accounts where username='tina')"));

        // The secret is never shown again, nor kept in the clear.
        const std::string first_group = setup.secret.substr(0, 4) + " " + setup.secret.substr(4, 4);
        for (const std::string path : {"/myaccount/security", "/myaccount/security/add", "/myaccount/api/v1/me/methods"}) {
            Response r = b->get(path);
            CPPUNIT_ASSERT_MESSAGE(path + " shows the secret\n" + r.describe(),
                                   !contains(r.body, setup.secret) && !contains(r.body, first_group));
        }
        Response again = confirm(*b, setup, oathtool_code(setup.secret));
        CPPUNIT_ASSERT_MESSAGE(again.describe(), again.status == 400 && !contains(again.body, first_group));
        const std::string dump = env().dump();
        CPPUNIT_ASSERT_MESSAGE("the database holds the secret", !contains(dump, setup.secret) &&
                                                                    !contains(lower(dump), hex_of(setup.secret)));
        CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                             env().sql("select count(*) from audit_events where kind='method_added' and "
                                       "account_id=(select id from accounts where username='tina')"));
        // PW-15: told, by name, without the secret.
        auto notice = env().wait_for_notification("tina@contoso.example", told, 5, [](const Notification& n) {
            return contains(n.message, "Pixel 8");
        });
        CPPUNIT_ASSERT_MESSAGE("no notice of the new authenticator", notice.has_value());
        CPPUNIT_ASSERT_MESSAGE(notice->message, !contains(notice->message, setup.secret.substr(0, 8)));
    }

    void testWrongAndOldCodesAreRefused() {
        auto b = signed_in("tim", "tim's password 2024");
        Setup setup = begin_authenticator(*b, "");
        const std::string right = oathtool_code(setup.secret);
        const std::string wrong = right == "123456" ? "654321" : "123456";
        Response refused = confirm(*b, setup, wrong);
        IT_ASSERT_STATUS(refused, 400);
        CPPUNIT_ASSERT_MESSAGE(refused.describe(4000), contains(refused.body, "That code is not right"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the same set-up, to try again", setup.secret, totp_secret_on(refused.body));
        // Two steps ago is outside the window of one step.
        Response old = confirm(*b, setup, oathtool_code(setup.secret, -60));
        IT_ASSERT_STATUS(old, 400);
        for (const std::string& junk : {std::string(""), std::string("12345"), std::string("abcdef"), std::string(5000, '1')}) {
            Response bad = confirm(*b, setup, junk);
            CPPUNIT_ASSERT_MESSAGE("code '" + junk.substr(0, 20) + "'\n" + bad.describe(), bad.status == 400);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("0\n"),
                             env().sql("select count(*) from verification_methods where active=1 and "
                                       "account_id=(select id from accounts where username='tim')"));
        IT_ASSERT_STATUS(confirm(*b, setup, oathtool_code(setup.secret)), 303);
    }

    void testRecoveryCodesShownOnceAndStoredAsHashes() {
        auto b = signed_in("rosa", "rosa's password 2024");
        Response first = b->post_form("/myaccount/security/recovery-codes",
                                      {{"csrf", csrf_of(*b, "/myaccount/security/add")}});
        IT_ASSERT_STATUS(first, 200);
        CPPUNIT_ASSERT_MESSAGE(first.describe(), first.header("Cache-Control") == "no-store");
        const std::vector<std::string> codes = recovery_codes_on(first.body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.describe(6000), std::size_t{10}, codes.size());
        CPPUNIT_ASSERT_MESSAGE(first.describe(6000),
                               contains(first.body, "download=\"recovery-codes.txt\"") &&
                                   contains(first.body, "href=\"data:text/plain;charset=utf-8,"));
        const std::string dump = env().dump();
        for (const std::string& code : codes) {
            std::string bare = code;
            bare.erase(std::remove(bare.begin(), bare.end(), '-'), bare.end());
            CPPUNIT_ASSERT_MESSAGE("the database holds " + code, !contains(dump, code) && !contains(lower(dump), lower(bare)));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("10\n"),
                             env().sql("select count(*) from recovery_codes where used_at=0 and "
                                       "account_id=(select id from accounts where username='rosa')"));
        Response listed = b->get("/myaccount/security");
        CPPUNIT_ASSERT_MESSAGE(listed.describe(6000), contains(listed.body, "10 of 10 codes left"));
        CPPUNIT_ASSERT_MESSAGE("the list shows a code", !contains(listed.body, codes[0]));

        const std::string old_hashes = env().sql("select group_concat(hex(code_hash)) from recovery_codes where "
                                                 "account_id=(select id from accounts where username='rosa')");
        Response add = b->get("/myaccount/security/add");
        CPPUNIT_ASSERT_MESSAGE(add.describe(6000), contains(add.body, "your current codes stop working"));
        Response second = b->post_form("/myaccount/security/recovery-codes", {{"csrf", csrf_from_html(add.body)}});
        IT_ASSERT_STATUS(second, 200);
        CPPUNIT_ASSERT_MESSAGE(second.describe(6000), contains(second.body, "Your previous recovery codes no longer work."));
        const std::vector<std::string> renewed = recovery_codes_on(second.body);
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, renewed.size());
        for (const std::string& code : codes)
            CPPUNIT_ASSERT(std::find(renewed.begin(), renewed.end(), code) == renewed.end());
        const std::string hashes = env().sql("select group_concat(hex(code_hash)) from recovery_codes where "
                                             "account_id=(select id from accounts where username='rosa')");
        CPPUNIT_ASSERT_MESSAGE("the old set is still stored", !contains(hashes, old_hashes.substr(0, 40)));
        CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                             env().sql("select count(*) from verification_methods where kind='recovery_codes' and "
                                       "account_id=(select id from accounts where username='rosa')"));
    }

    void testRenameDefaultAndRemove() {
        auto b = signed_in("ren", "ren's password 2024");
        const std::string first = enrol(*b, "Phone");
        const std::string second = enrol(*b, "Tablet");
        Response renamed = post_security(*b, "methods/rename", {{"method", second}, {"label", "iPad mini"}});
        IT_ASSERT_STATUS(renamed, 303);
        Response page = b->get(location_path(renamed));
        CPPUNIT_ASSERT_MESSAGE(page.describe(6000), contains(page.body, ">iPad mini<") &&
                                                         contains(page.body, "The name was changed."));
        Response made = post_security(*b, "methods/default", {{"method", second}});
        IT_ASSERT_STATUS(made, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("0|1\n"),
                             env().sql("select (select is_default from verification_methods where id=" + first +
                                       "), (select is_default from verification_methods where id=" + second + ")"));
        Response removed = post_security(*b, "methods/remove", {{"method", first}});
        IT_ASSERT_STATUS(removed, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security?removed=authenticator"), location_path(removed));
        Response after = b->get("/myaccount/security?removed=authenticator");
        CPPUNIT_ASSERT_MESSAGE(after.describe(6000), contains(after.body, "The authenticator app was removed.") &&
                                                          !contains(after.body, ">Phone<"));
        IT_ASSERT_STATUS(post_security(*b, "methods/remove", {{"method", first}}), 404);
        for (const char* kind : {"method_renamed", "default_method_set", "method_removed"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(kind, std::string("1\n"),
                                         env().sql(std::string("select count(*) from audit_events where kind='") + kind +
                                                   "' and account_id=(select id from accounts where username='ren')"));
        Response bad = post_security(*b, "methods/rename", {{"method", second}, {"label", std::string(65, 'x')}});
        IT_ASSERT_STATUS(bad, 400);
        CPPUNIT_ASSERT_MESSAGE(bad.describe(4000), contains(bad.body, "at most 64 characters"));
    }

    void testAnotherUsersMethodIsNotFound() {
        auto otto = signed_in("otto", kOttoPassword);
        const std::string ottos = enrol(*otto, "Otto's phone");
        auto ida = signed_in("ida", "ida's password 2024");
        const std::string token = api_token(*ida);
        for (const char* action : {"methods/rename", "methods/default", "methods/remove", "email/remove"}) {
            Response r = post_security(*ida, action, {{"method", ottos}, {"label", "mine"}});
            IT_ASSERT_STATUS(r, 404);
            Response missing = post_security(*ida, action, {{"method", "999999"}, {"label", "mine"}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string("another user's method and a missing one should look alike: ") + action,
                                         missing.body, r.body);
        }
        const std::string path = "/myaccount/api/v1/me/methods/" + ottos;
        IT_ASSERT_STATUS(ida->get(path), 404);
        IT_ASSERT_STATUS(ida->request("PATCH", path, R"({"label":"mine"})",
                                      {{"Content-Type", "application/json"}, {"X-CSRF-Token", token}}),
                         404);
        IT_ASSERT_STATUS(ida->request("DELETE", path, {}, {{"X-CSRF-Token", token}}), 404);
        IT_ASSERT_STATUS(ida->post_json(path + "/verify", R"({"code":"123456"})", {{"X-CSRF-Token", token}}), 404);
        CPPUNIT_ASSERT_EQUAL(std::string("Otto's phone|1|1\n"),
                             env().sql("select label, active, is_default from verification_methods where id=" + ottos));
    }

    void testEveryNewChangeNeedsItsToken() {
        auto b = signed_in("csrf", "csrf's password 2024");
        const std::string id = enrol(*b, "Phone");
        const std::string csrf = csrf_of(*b, "/myaccount/security");
        const std::vector<std::pair<std::string, Fields>> posts = {
            {"/myaccount/security/authenticator", {{"label", "x"}}},
            {"/myaccount/security/authenticator/confirm", {{"method", id}, {"code", "123456"}}},
            {"/myaccount/security/recovery-codes", {}},
            {"/myaccount/security/methods/rename", {{"method", id}, {"label", "x"}}},
            {"/myaccount/security/methods/default", {{"method", id}}},
            {"/myaccount/security/methods/remove", {{"method", id}}},
        };
        for (const auto& [path, fields] : posts) assert_post_needs_token(*b, path, fields, csrf);
        const std::string path = "/myaccount/api/v1/me/methods/" + id;
        IT_ASSERT_STATUS(b->post_json("/myaccount/api/v1/me/methods", R"({"kind":"recovery_codes"})"), 403);
        IT_ASSERT_STATUS(b->request("PATCH", path, R"({"label":"x"})", {{"Content-Type", "application/json"}}), 403);
        IT_ASSERT_STATUS(b->request("DELETE", path), 403);
        IT_ASSERT_STATUS(b->request("DELETE", path, {}, {{"X-CSRF-Token", std::string(43, 'A')}}), 403);
        CPPUNIT_ASSERT_EQUAL(std::string("Phone|1\n"),
                             env().sql("select label, count(*) from verification_methods where "
                                       "account_id=(select id from accounts where username='csrf')"));
    }

    void testApiListCreateVerifyPatchDelete() {
        auto b = signed_in("apiu", "apiu's password 2024");
        const std::string token = api_token(*b);
        const Headers with_token = {{"X-CSRF-Token", token}};
        Response created = b->post_json("/myaccount/api/v1/me/methods", R"({"kind":"authenticator","label":"CLI"})",
                                        with_token);
        IT_ASSERT_STATUS(created, 201);
        json body = json_of(created);
        const std::string id = std::to_string(body.value("id", 0));
        const std::string secret = body.value("secret", "");
        CPPUNIT_ASSERT_MESSAGE(created.describe(), body.value("status", "") == "pending" && secret.size() == 32);
        CPPUNIT_ASSERT_MESSAGE(created.describe(),
                               body.value("otpauth_uri", "").rfind("otpauth://totp/Contoso:apiu?secret=" + secret, 0) == 0);
        const std::string path = "/myaccount/api/v1/me/methods/" + id;
        Response wrong = b->post_json(path + "/verify", R"({"code":"000000"})", with_token);
        if (oathtool_code(secret) != "000000") IT_ASSERT_STATUS(wrong, 422);
        Response verified = b->post_json(path + "/verify", json{{"code", oathtool_code(secret)}}.dump(), with_token);
        IT_ASSERT_STATUS(verified, 200);
        CPPUNIT_ASSERT_EQUAL(std::string("active"), json_of(verified).value("status", ""));

        Response listed = b->get("/myaccount/api/v1/me/methods");
        IT_ASSERT_STATUS(listed, 200);
        json list = json_of(listed);
        CPPUNIT_ASSERT_MESSAGE(listed.describe(), list["methods"].size() == 1 && list["methods"][0].value("default", false) &&
                                                      std::to_string(list.value("default_method", 0)) == id);
        CPPUNIT_ASSERT_MESSAGE("the list shows a secret\n" + listed.describe(), !contains(listed.body, secret) &&
                                                                                    !contains(listed.body, "secret"));
        Response codes = b->post_json("/myaccount/api/v1/me/methods", R"({"kind":"recovery_codes"})", with_token);
        IT_ASSERT_STATUS(codes, 201);
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, json_of(codes)["codes"].size());

        Response patched = b->request("PATCH", path, R"({"label":"Command line"})",
                                      {{"Content-Type", "application/json"}, {"X-CSRF-Token", token}});
        IT_ASSERT_STATUS(patched, 200);
        CPPUNIT_ASSERT_EQUAL(std::string("Command line"), json_of(patched).value("label", ""));
        Response unknown_kind = b->post_json("/myaccount/api/v1/me/methods", R"({"kind":"fax"})", with_token);
        IT_ASSERT_STATUS(unknown_kind, 422);
        IT_ASSERT_STATUS(b->post_json("/myaccount/api/v1/me/methods", "not json", with_token), 400);
        IT_ASSERT_STATUS(b->get("/myaccount/api/v1/me/methods/12abc"), 404);
        // MyAccountRequireMFA Registered: who registered may step back out (All would refuse).
        Response deleted = b->request("DELETE", path, {}, with_token);
        IT_ASSERT_STATUS(deleted, 204);
        IT_ASSERT_STATUS(b->request("DELETE", path, {}, with_token), 404);
        CPPUNIT_ASSERT_EQUAL(std::string("recovery_codes\n"),
                             env().sql("select group_concat(kind) from verification_methods where "
                                       "account_id=(select id from accounts where username='apiu')"));
    }

    // The API's twin of the add page: a first call sends the code (202 with a challenge), a second
    // with the challenge and the code registers the method (201); wrong codes and bad input say so.
    void testApiAddsPhonesAndAddressesWithTheirCodes() {
        auto b = signed_in("apip", "apip's password 2024");
        const Headers with_token = {{"X-CSRF-Token", api_token(*b)}};
        const std::string number = "+819022223333";
        std::size_t known = env().code_count(number);
        Response sent = b->post_json("/myaccount/api/v1/me/methods",
                                     R"({"kind":"phone","number":"090-2222-3333","label":"Work"})", with_token);
        IT_ASSERT_STATUS(sent, 202);
        json started = json_of(sent);
        CPPUNIT_ASSERT_EQUAL(number, started.value("recipient", ""));
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), started.value("channel", ""));
        const std::string challenge = started.value("challenge", "");
        const std::string code = env().wait_for_code(number, known);
        CPPUNIT_ASSERT_MESSAGE("no text message to " + number, !code.empty() && !challenge.empty());
        const std::string wrong = code == "00000000" ? "11111111" : "00000000";
        Response refused = b->post_json("/myaccount/api/v1/me/methods",
                                        json{{"kind", "phone"}, {"challenge", challenge}, {"code", wrong}}.dump(),
                                        with_token);
        IT_ASSERT_STATUS(refused, 422);
        CPPUNIT_ASSERT_EQUAL(std::string("wrong_code"), json_of(refused)["error"].value("code", ""));
        Response added = b->post_json(
            "/myaccount/api/v1/me/methods",
            json{{"kind", "phone"}, {"challenge", challenge}, {"code", code}, {"label", "Work"}}.dump(), with_token);
        IT_ASSERT_STATUS(added, 201);
        json phone = json_of(added);
        CPPUNIT_ASSERT_MESSAGE(added.describe(), phone.value("kind", "") == "phone" && phone.value("label", "") == "Work" &&
                                                     phone.value("status", "") == "active" && phone.value("default", false) &&
                                                     phone.value("number", "") == number);
        CPPUNIT_ASSERT(contains(added.header("Location"), "/myaccount/api/v1/me/methods/"));

        IT_ASSERT_STATUS(b->post_json("/myaccount/api/v1/me/methods", R"({"kind":"phone","number":"12"})", with_token),
                         400);
        IT_ASSERT_STATUS(b->post_json("/myaccount/api/v1/me/methods", R"({"kind":"phone","number":12})", with_token),
                         400);
        IT_ASSERT_STATUS(b->post_json("/myaccount/api/v1/me/methods",
                                      R"({"kind":"phone","number":"090-2222-3333"})", with_token),
                         400);  // registered already

        const std::string address = "apip.home@example.net";
        known = env().code_count(address);
        Response wrong_password = b->post_json(
            "/myaccount/api/v1/me/methods",
            json{{"kind", "email"}, {"address", address}, {"current_password", "not it"}}.dump(), with_token);
        IT_ASSERT_STATUS(wrong_password, 400);
        CPPUNIT_ASSERT_EQUAL(std::string("wrong_password"), json_of(wrong_password)["error"].value("code", ""));
        Response mailed = b->post_json(
            "/myaccount/api/v1/me/methods",
            json{{"kind", "email"}, {"address", address}, {"current_password", "apip's password 2024"}}.dump(),
            with_token);
        IT_ASSERT_STATUS(mailed, 202);
        const std::string mail_code = env().wait_for_code(address, known);
        Response email = b->post_json(
            "/myaccount/api/v1/me/methods",
            json{{"kind", "email"}, {"challenge", json_of(mailed).value("challenge", "")}, {"code", mail_code}}.dump(),
            with_token);
        IT_ASSERT_STATUS(email, 201);
        CPPUNIT_ASSERT_EQUAL(address, json_of(email).value("address", ""));
        CPPUNIT_ASSERT_EQUAL(std::string("email|apip.home@example.net|0\nphone|+819022223333|1\n"),
                             env().sql("select kind, address, is_default from verification_methods where account_id="
                                       "(select id from accounts where username='apip') order by kind"));
    }

    // A mobile phone typed as people write it in Japan: the code goes out by text message to the
    // E.164 number (the demo notifier records the channel), and proves it.
    void testPhoneProvenByTextMessage() {
        auto b = signed_in("pia", "pia's password 2024");
        const std::string number = "+819012345678";
        const std::size_t known = env().notification_count(number);
        Response code_page = b->post_form("/myaccount/security/phone",
                                          {{"csrf", csrf_of(*b, "/myaccount/security/add")},
                                           {"number", "090-1234-5678"},
                                           {"phone_type", "mobile"},
                                           {"label", "Work mobile"}});
        IT_ASSERT_STATUS(code_page, 200);
        CPPUNIT_ASSERT_MESSAGE(code_page.describe(4000), contains(code_page.body, "+81 90-1234-5678"));
        auto message = env().wait_for_notification(number, known, 5);
        CPPUNIT_ASSERT_MESSAGE("no text message to " + number, message.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), message->channel);
        std::smatch m;
        CPPUNIT_ASSERT_MESSAGE(message->message, std::regex_search(message->message, m, std::regex("\\b([0-9]{8})\\b")));
        Response added = b->post_form("/myaccount/security/phone/verify", {{"csrf", csrf_from_html(code_page.body)},
                                                                          {"challenge", input_value(code_page.body, "challenge")},
                                                                          {"phone_type", "mobile"},
                                                                          {"label", "Work mobile"},
                                                                          {"code", m.str(1)}});
        IT_ASSERT_STATUS(added, 303);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security?added=phone"), location_path(added));
        Response listed = b->get("/myaccount/security?added=phone");
        CPPUNIT_ASSERT_MESSAGE(listed.describe(6000), contains(listed.body, "The phone was added.") &&
                                                           contains(listed.body, ">+81 90-1234-5678<"));
        CPPUNIT_ASSERT_EQUAL(std::string("phone|+819012345678|mobile|Work mobile\n"),
                             env().sql("select kind, address, phone_type, label from verification_methods where "
                                       "account_id=(select id from accounts where username='pia')"));
    }

    void testPagesInJapanese() {
        auto b = browser("ja");
        assert_signed_in(b->sign_in("jun", "jun's password 2024"), *b, "jun");
        const std::string id = enrol(*b, "");
        Response page = b->get("/myaccount/security");
        IT_ASSERT_STATUS(page, 200);
        for (const char* word : {"セキュリティ情報", "認証アプリ", "既定のサインイン方法", "変更", "削除", "未使用"})
            CPPUNIT_ASSERT_MESSAGE(std::string(word) + "\n" + page.describe(6000), contains(page.body, word));
        Response add = b->get("/myaccount/security/add");
        CPPUNIT_ASSERT_MESSAGE(add.describe(6000), contains(add.body, "回復コード") && contains(add.body, "サインイン方法の追加"));
        CPPUNIT_ASSERT(!id.empty());
    }
};

IT_REGISTER_SUITE(TwoStepMethodsTest);
