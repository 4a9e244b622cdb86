// The security info pages and their JSON twin through web::handle with the real store, templates
// and key: the method list, an authenticator's set-up, recovery codes, rename/default/remove, app
// passwords, remembered browsers, and who may touch which method.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/methods/recovery_codes.hpp"
#include "core/methods/totp.hpp"
#include "portal_fixture.hpp"

using namespace myaccount;
using nlohmann::json;
using web::Request;
using web::Response;

namespace {

constexpr UnixTime t0 = testing::portal_now;  // 2023-11-14 22:13:20 UTC
using testing::contains;
using testing::header;
using testing::without_wbr;

// RFC 4648 base32 (what the page shows, spaces allowed) back to the raw secret.
std::string from_base32(const std::string& text) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        std::size_t value = alphabet.find(c);
        if (value == std::string::npos) continue;
        buffer = (buffer << 5) | static_cast<unsigned>(value);
        bits += 5;
        if (bits >= 8) {
            out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

std::string first_match(const std::string& text, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(text, m, std::regex(pattern)) ? m.str(1) : std::string();
}

// The percent-decoded payload of a data: URL.
std::string percent_decoded(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace

class SecurityPagesTest : public testing::PortalFixture {
    CPPUNIT_TEST_SUITE(SecurityPagesTest);
    CPPUNIT_TEST(list_shows_each_method_with_its_facts);
    CPPUNIT_TEST(recovery_codes_warn_when_two_or_fewer_remain);
    CPPUNIT_TEST(authenticator_secret_is_shown_only_until_proven);
    CPPUNIT_TEST(authenticator_set_up_returns_to_a_local_next);
    CPPUNIT_TEST(phone_is_added_with_the_code_sent_to_it);
    CPPUNIT_TEST(bad_phone_numbers_are_refused);
    CPPUNIT_TEST(bad_authenticator_label_keeps_the_add_page);
    CPPUNIT_TEST(recovery_codes_are_shown_once_with_a_download);
    CPPUNIT_TEST(rename_default_and_remove);
    CPPUNIT_TEST(another_users_method_is_not_found);
    CPPUNIT_TEST(last_method_stays_while_two_step_is_required);
    CPPUNIT_TEST(every_new_form_needs_its_token);
    CPPUNIT_TEST(api_lists_creates_verifies_changes_and_deletes);
    CPPUNIT_TEST(api_refuses_bad_input_with_fitting_statuses);
    CPPUNIT_TEST(api_changes_need_the_csrf_header);
    CPPUNIT_TEST(app_passwords_exist_only_when_on);
    CPPUNIT_TEST(remembered_browsers_are_listed_and_forgotten);
    CPPUNIT_TEST(pages_are_in_japanese_too);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        testing::PortalFixture::setUp();
        alice_ = add_person("alice", "Alice Example", "alice@contoso.example");
        bob_ = add_person("bob", "Bob Builder", "bob@contoso.example");
    }

    void list_shows_each_method_with_its_facts() {
        std::int64_t app = enrol_authenticator("Pixel 8");
        post_ok("/security/recovery-codes", {});
        Response page = run(signed_in("GET", "/security"));
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        const std::string body = without_wbr(page.body);
        CPPUNIT_ASSERT(contains(body, "Authenticator app"));
        CPPUNIT_ASSERT(contains(body, ">Pixel 8<"));
        CPPUNIT_ASSERT(contains(body, "Added 2023-11-14 from 192.0.2.10"));
        CPPUNIT_ASSERT(contains(body, "Never used"));
        CPPUNIT_ASSERT(contains(body, "10 of 10 codes left"));
        CPPUNIT_ASSERT(!contains(body, "Create a new set so that"));  // plenty left: no warning
        // The first 2-step method became the default; recovery codes can never be it.
        CPPUNIT_ASSERT(contains(body, "<span class=\"badge badge-brand\">Default</span>"));
        CPPUNIT_ASSERT(contains(body, "<option value=\"" + std::to_string(app) + "\" selected>"));
        std::string select = first_match(body, R"((<select[\s\S]*?</select>))");
        CPPUNIT_ASSERT_MESSAGE(select, !contains(select, "Recovery codes"));
        // Each remove button is described by its method's kind and name.
        CPPUNIT_ASSERT(contains(body, "aria-describedby=\"method-kind-" + std::to_string(app) + " method-" +
                                          std::to_string(app) + "\">Remove</button>"));
        // Marked once the authenticator passed a verify step.
        store().accept_authenticator_step(alice_, app, t0 / 30 + 5, t0 + 86400);
        CPPUNIT_ASSERT(contains(run(signed_in("GET", "/security")).body, "Last used 2023-11-15"));
    }

    void recovery_codes_warn_when_two_or_fewer_remain() {
        std::vector<std::string> codes = recovery_codes_from(post_ok("/security/recovery-codes", {}));
        for (std::size_t i = 0; i < 7; ++i) use_recovery_code(codes[i]);
        std::string body = run(signed_in("GET", "/security")).body;
        CPPUNIT_ASSERT(contains(body, "3 of 10 codes left"));
        CPPUNIT_ASSERT(!contains(body, "Create a new set so that"));
        use_recovery_code(codes[7]);
        body = run(signed_in("GET", "/security")).body;
        CPPUNIT_ASSERT(contains(body, "2 of 10 codes left"));
        CPPUNIT_ASSERT(contains(body, "Only 2 recovery codes are left. Create a new set so that"));
    }

    void authenticator_secret_is_shown_only_until_proven() {
        Response setup = post_ok("/security/authenticator", {{"label", "  Pixel 8  "}});
        const std::string secret = secret_on(setup.body);
        CPPUNIT_ASSERT_MESSAGE(setup.body, std::regex_match(secret, std::regex("([A-Z2-7]{4} )+[A-Z2-7]{1,4}")));
        CPPUNIT_ASSERT_EQUAL(std::size_t{32}, from_base32(secret).size() * 8 / 5);  // 160 bits: 32 characters
        CPPUNIT_ASSERT(contains(setup.body, "src=\"data:image/svg+xml;charset=utf-8,%3Csvg"));
        CPPUNIT_ASSERT(contains(setup.body, "alt=\"QR code to scan with your authenticator app\""));
        CPPUNIT_ASSERT(contains(setup.body, "<dd>alice</dd>") && contains(setup.body, "<dd>Contoso</dd>"));
        CPPUNIT_ASSERT(contains(setup.body, "autocomplete=\"one-time-code\"") &&
                       contains(setup.body, "inputmode=\"numeric\""));
        CPPUNIT_ASSERT(contains(setup.body, "Microsoft Authenticator") &&
                       contains(setup.body, "Google Authenticator"));
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), header(setup, "Cache-Control").value_or(""));
        const std::string id = first_match(setup.body, R"re(name="method" value="(\d+)")re");

        const std::string right = totp_code_at(from_base32(secret), now_);
        const std::string wrong = right == "000000" ? "111111" : "000000";
        Response refused = post("/security/authenticator/confirm", {{"method", id}, {"code", wrong}});
        CPPUNIT_ASSERT_EQUAL(400, refused.status);
        CPPUNIT_ASSERT(contains(refused.body, "That code is not right"));
        CPPUNIT_ASSERT_EQUAL(secret, secret_on(refused.body));  // the same set-up, to try again
        CPPUNIT_ASSERT(contains(refused.body, "aria-describedby=\"totp-code-hint authenticator-errors\""));
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, store().methods_of(alice_).size());

        Response done = post("/security/authenticator/confirm", {{"method", id}, {"code", right}});
        CPPUNIT_ASSERT_EQUAL(303, done.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security?added=authenticator"), header(done, "Location").value_or(""));
        Request after = signed_in("GET", "/security");
        after.query_fields = {{"added", "authenticator"}};
        Response listed = run(after);
        CPPUNIT_ASSERT(contains(listed.body, "The authenticator app was added."));
        // Never again: not on the list, not by confirming once more, not through the API.
        const std::string bare = secret.substr(0, 4) + secret.substr(5, 4);
        CPPUNIT_ASSERT(!contains(listed.body, secret.substr(0, 9)));
        Response again = post("/security/authenticator/confirm", {{"method", id}, {"code", right}});
        CPPUNIT_ASSERT_EQUAL(400, again.status);
        CPPUNIT_ASSERT(!contains(again.body, secret.substr(0, 9)));
        CPPUNIT_ASSERT(!contains(run(signed_in("GET", "/api/v1/me/methods")).body, bare));
        // Everyone on the account hears of it, named as the user named it.
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, notifier_.sent.size());
        CPPUNIT_ASSERT_EQUAL(std::string("alice@contoso.example"), notifier_.sent[0].recipient);
        CPPUNIT_ASSERT(contains(notifier_.sent[0].body, "Authenticator app: Pixel 8"));
        CPPUNIT_ASSERT(!contains(notifier_.sent[0].body, bare));
    }

    // Started by the request to register a method (a gated page waits): back there once proven;
    // a "next" that is not a path on this server is not followed.
    void authenticator_set_up_returns_to_a_local_next() {
        for (const auto& [next, expected] : std::vector<std::pair<std::string, std::string>>{
                 {"/app/report?id=7", "/app/report?id=7"},
                 {"//evil.example/", "/myaccount/security?added=authenticator"},
                 {"https://evil.example/", "/myaccount/security?added=authenticator"},
                 {"/\\evil.example", "/myaccount/security?added=authenticator"}}) {
            Response setup = post_ok("/security/authenticator", {{"next", next}});
            CPPUNIT_ASSERT_EQUAL(next[1] == 'a', contains(setup.body, "name=\"next\" value=\"" + next + "\""));
            const std::string id = first_match(setup.body, R"re(name="method" value="(\d+)")re");
            const std::string code = totp_code_at(from_base32(secret_on(setup.body)), now_);
            Response done = post("/security/authenticator/confirm", {{"method", id}, {"code", code}, {"next", next}});
            CPPUNIT_ASSERT_EQUAL(303, done.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(next, expected, header(done, "Location").value_or(""));
            now_ += 30;  // the next app's code is of a later step
        }
    }

    // A phone: the national format with the default country, a code by text message (a call for
    // an office phone) to the E.164 number, then it is listed.
    void phone_is_added_with_the_code_sent_to_it() {
        settings_.default_country = "JP";
        Response code_page = post_ok("/security/phone", {{"number", "090-1234-5678"}, {"phone_type", "mobile"},
                                                        {"label", "Work"}});
        CPPUNIT_ASSERT(contains(code_page.body, "+81 90-1234-5678"));
        const Notification sent = notifier_.sent.back();
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), sent.channel);
        CPPUNIT_ASSERT_EQUAL(std::string("+819012345678"), sent.recipient);
        const std::string code = first_match(sent.body, R"re(\b([0-9]{8})\b)re");
        CPPUNIT_ASSERT_MESSAGE(sent.body, !code.empty());
        const std::string challenge = first_match(code_page.body, R"re(name="challenge" value="([^"]+)")re");
        const web::Fields carried = {{"challenge", challenge}, {"phone_type", "mobile"}, {"label", "Work"}};
        web::Fields wrong = carried;
        wrong.emplace_back("code", code == "00000000" ? "11111111" : "00000000");
        Response refused = post("/security/phone/verify", wrong);
        CPPUNIT_ASSERT_EQUAL(400, refused.status);
        CPPUNIT_ASSERT(contains(refused.body, "That code is wrong or has expired."));
        CPPUNIT_ASSERT(store().methods_of(alice_).empty());
        web::Fields right = carried;
        right.emplace_back("code", code);
        Response added = post("/security/phone/verify", right);
        CPPUNIT_ASSERT_EQUAL(303, added.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security?added=phone"), header(added, "Location").value_or(""));
        std::vector<VerificationMethod> methods = store().methods_of(alice_);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, methods.size());
        CPPUNIT_ASSERT(methods[0].kind == MethodKind::phone && methods[0].phone_type == PhoneType::mobile);
        CPPUNIT_ASSERT_EQUAL(std::string("+819012345678"), methods[0].address);
        std::string page = run(signed_in("GET", "/security")).body;
        CPPUNIT_ASSERT(contains(page, "Mobile phone") && contains(page, ">+81 90-1234-5678<") && contains(page, ">Work<"));
        CPPUNIT_ASSERT(contains(notifier_.sent.back().body, "Mobile phone: +81 90-1234-5678"));

        Response again = post("/security/phone", {{"number", "+81 90 1234 5678"}, {"phone_type", "office"}});
        CPPUNIT_ASSERT_EQUAL(400, again.status);
        CPPUNIT_ASSERT(contains(again.body, "This phone number is already registered."));
        post_ok("/security/phone", {{"number", "03-1234-5678"}, {"phone_type", "office"}});
        CPPUNIT_ASSERT_EQUAL(std::string("voice"), notifier_.sent.back().channel);
        CPPUNIT_ASSERT_EQUAL(std::string("+81312345678"), notifier_.sent.back().recipient);
    }

    void bad_phone_numbers_are_refused() {
        const std::size_t sent = notifier_.sent.size();
        for (const char* number : {"", "12", "not a number", "090-1234-5678\nBcc: x", "+81 90 1234 5678 9999 9999 9999"}) {
            Response refused = post("/security/phone", {{"number", number}, {"phone_type", "mobile"}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(number, 400, refused.status);
            CPPUNIT_ASSERT(contains(refused.body, "Enter a valid phone number."));
            CPPUNIT_ASSERT(contains(refused.body, "aria-invalid=\"true\""));
        }
        CPPUNIT_ASSERT_EQUAL(400, post("/security/phone", {{"number", "090-1234-5678"}, {"phone_type", "fax"}}).status);
        CPPUNIT_ASSERT_EQUAL(sent, notifier_.sent.size());
    }

    void bad_authenticator_label_keeps_the_add_page() {
        Response refused = post("/security/authenticator", {{"label", "Pixel\n8"}});
        CPPUNIT_ASSERT_EQUAL(400, refused.status);
        CPPUNIT_ASSERT(contains(refused.body, "Enter a name of at most 64 characters on one line."));
        CPPUNIT_ASSERT(contains(refused.body, "aria-invalid=\"true\""));
        CPPUNIT_ASSERT(!contains(refused.body, "class=\"secret\""));
        CPPUNIT_ASSERT_EQUAL(400, post("/security/authenticator", {{"label", std::string(65, 'x')}}).status);
        CPPUNIT_ASSERT_EQUAL(200, post("/security/authenticator", {}).status);  // the name is optional
    }

    void recovery_codes_are_shown_once_with_a_download() {
        Response first = post_ok("/security/recovery-codes", {});
        std::vector<std::string> codes = recovery_codes_from(first);
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, codes.size());
        CPPUNIT_ASSERT(!contains(first.body, "no longer work"));
        std::string href = first_match(first.body, R"re(href="data:text/plain;charset=utf-8,([^"]*)" download="recovery-codes.txt")re");
        const std::string file = percent_decoded(href);
        for (const std::string& code : codes) CPPUNIT_ASSERT_MESSAGE(file, contains(file, code + "\n"));
        CPPUNIT_ASSERT(contains(file, "Contoso: alice"));
        // Kept only as hashes: no code in the database file, with or without its dashes.
        const std::string stored = dump_database();
        CPPUNIT_ASSERT(stored.size() > 4096);
        for (const std::string& code : codes) {
            CPPUNIT_ASSERT_MESSAGE(code, !contains(stored, code));
            CPPUNIT_ASSERT_MESSAGE(code, !contains(stored, normalized_recovery_code(code)));
        }

        Response second = post_ok("/security/recovery-codes", {});
        CPPUNIT_ASSERT(contains(second.body, "Your previous recovery codes no longer work."));
        std::vector<std::string> renewed = recovery_codes_from(second);
        CPPUNIT_ASSERT(codes != renewed);
        CPPUNIT_ASSERT(!store().use_recovery_code(alice_, code_hash(codes[0]), t0));  // the old set is void
        CPPUNIT_ASSERT(store().use_recovery_code(alice_, code_hash(renewed[0]), t0));
        CPPUNIT_ASSERT(!contains(run(signed_in("GET", "/security")).body, renewed[1]));
    }

    void rename_default_and_remove() {
        std::int64_t first = enrol_authenticator("Phone");
        std::int64_t second = enrol_authenticator("Tablet");
        notifier_.sent.clear();
        Response renamed = post("/security/methods/rename", {{"method", std::to_string(second)}, {"label", " iPad "}});
        CPPUNIT_ASSERT_EQUAL(303, renamed.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security?changed=renamed"), header(renamed, "Location").value_or(""));
        CPPUNIT_ASSERT_EQUAL(std::string("iPad"), store().find_method(alice_, second)->label);
        Request banner = signed_in("GET", "/security");
        banner.query_fields = {{"changed", "renamed"}};
        CPPUNIT_ASSERT(contains(run(banner).body, "The name was changed."));
        CPPUNIT_ASSERT_EQUAL(400, post("/security/methods/rename", {{"method", std::to_string(second)},
                                                                    {"label", std::string(65, 'x')}}).status);
        CPPUNIT_ASSERT_EQUAL(std::string("iPad"), store().find_method(alice_, second)->label);

        CPPUNIT_ASSERT(store().find_method(alice_, first)->is_default);
        Response made = post("/security/methods/default", {{"method", std::to_string(second)}});
        CPPUNIT_ASSERT_EQUAL(303, made.status);
        CPPUNIT_ASSERT(store().find_method(alice_, second)->is_default);
        CPPUNIT_ASSERT(!store().find_method(alice_, first)->is_default);
        post_ok("/security/recovery-codes", {});
        std::int64_t codes = method_of_kind(MethodKind::recovery_codes);
        CPPUNIT_ASSERT_EQUAL(404, post("/security/methods/default", {{"method", std::to_string(codes)}}).status);

        Response removed = post("/security/methods/remove", {{"method", std::to_string(first)}});
        CPPUNIT_ASSERT_EQUAL(303, removed.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security?removed=authenticator"),
                             header(removed, "Location").value_or(""));
        CPPUNIT_ASSERT(!store().find_method(alice_, first));
        CPPUNIT_ASSERT_EQUAL(404, post("/security/methods/remove", {{"method", std::to_string(first)}}).status);
        // The old e-mail route removes through the same rules.
        Response codes_gone = post("/security/email/remove", {{"method", std::to_string(codes)}});
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/security?removed=recovery_codes"),
                             header(codes_gone, "Location").value_or(""));
        std::vector<std::string> subjects;
        for (const Notification& n : notifier_.sent) subjects.push_back(n.subject);
        for (const char* subject :
             {"A sign-in method of your account was renamed", "Your default sign-in method was changed",
              "New recovery codes were created for your account", "A sign-in method was removed from your account"})
            CPPUNIT_ASSERT_MESSAGE(subject, std::find(subjects.begin(), subjects.end(), subject) != subjects.end());
    }

    void another_users_method_is_not_found() {
        std::int64_t bobs = enrol_authenticator("Bob's phone", "bob");
        for (const char* route : {"/security/methods/rename", "/security/methods/default", "/security/methods/remove",
                                  "/security/email/remove"}) {
            Response r = post(route, {{"method", std::to_string(bobs)}, {"label", "mine now"}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, 404, r.status);
            Response missing = post(route, {{"method", "999999"}, {"label", "mine now"}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, missing.body, r.body);
        }
        for (const char* method : {"GET", "PATCH", "DELETE"}) {
            Request api = signed_in(method, "/api/v1/me/methods/" + std::to_string(bobs));
            api.content_type = "application/json";
            api.body = R"({"label":"mine now"})";
            api.csrf_header = valid_token();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method, 404, run(api).status);
        }
        std::optional<VerificationMethod> kept = store().find_method(bob_, bobs);
        CPPUNIT_ASSERT(kept && kept->label == "Bob's phone" && kept->is_default);
        CPPUNIT_ASSERT(notifier_.sent.size() == 1 && notifier_.sent[0].recipient == "bob@contoso.example");
    }

    void last_method_stays_while_two_step_is_required() {
        std::int64_t only = enrol_authenticator("Phone");
        second_factor_.requirement = MfaRequirement::all;
        Response refused = post("/security/methods/remove", {{"method", std::to_string(only)}});
        CPPUNIT_ASSERT_EQUAL(400, refused.status);
        CPPUNIT_ASSERT(contains(refused.body, "you cannot remove your last sign-in method"));
        CPPUNIT_ASSERT(contains(refused.body, "role=\"alert\""));
        CPPUNIT_ASSERT(store().find_method(alice_, only));
        Request api = signed_in("DELETE", "/api/v1/me/methods/" + std::to_string(only));
        api.csrf_header = valid_token();
        Response conflict = run(api);
        CPPUNIT_ASSERT_EQUAL(409, conflict.status);
        CPPUNIT_ASSERT_EQUAL(std::string("last_method"), json::parse(conflict.body)["error"]["code"].get<std::string>());
        std::int64_t another = enrol_authenticator("Tablet");
        CPPUNIT_ASSERT_EQUAL(303, post("/security/methods/remove", {{"method", std::to_string(only)}}).status);
        CPPUNIT_ASSERT(store().find_method(alice_, another));
    }

    void every_new_form_needs_its_token() {
        std::int64_t id = enrol_authenticator("Phone");
        second_factor_.app_passwords = true;
        second_factor_.remember_days = 30;
        const std::map<std::string, web::Fields> forms = {
            {"/security/authenticator", {{"label", "x"}}},
            {"/security/authenticator/confirm", {{"method", std::to_string(id)}, {"code", "123456"}}},
            {"/security/recovery-codes", {}},
            {"/security/methods/rename", {{"method", std::to_string(id)}, {"label", "x"}}},
            {"/security/methods/default", {{"method", std::to_string(id)}}},
            {"/security/methods/remove", {{"method", std::to_string(id)}}},
            {"/security/app-passwords", {{"label", "Mail"}}},
            {"/security/app-passwords/revoke", {{"app_password", "1"}}},
            {"/security/browsers/forget", {{"browser", "1"}}},
        };
        for (const auto& [route, fields] : forms) {
            Request r = signed_in("POST", route);
            r.content_type = "application/x-www-form-urlencoded";
            r.form = fields;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, 403, run(r).status);
            r.form.emplace_back("csrf", valid_token() + "x");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route, 403, run(r).status);
        }
        CPPUNIT_ASSERT(store().find_method(alice_, id)->label == "Phone");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store().methods_of(alice_).size());
        CPPUNIT_ASSERT(store().app_passwords_of(alice_).empty());
    }

    void api_lists_creates_verifies_changes_and_deletes() {
        Response created = api("POST", "/api/v1/me/methods", {{"kind", "authenticator"}, {"label", "Pixel 8"}});
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        json body = json::parse(created.body);
        const std::int64_t id = body["id"].get<std::int64_t>();
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), body["status"].get<std::string>());
        CPPUNIT_ASSERT_EQUAL("/myaccount/api/v1/me/methods/" + std::to_string(id), header(created, "Location").value_or(""));
        const std::string secret = body["secret"].get<std::string>();
        CPPUNIT_ASSERT(std::regex_match(secret, std::regex("[A-Z2-7]{32}")));
        CPPUNIT_ASSERT(contains(body["otpauth_uri"].get<std::string>(), "otpauth://totp/Contoso:alice?secret=" + secret));
        CPPUNIT_ASSERT_EQUAL(std::string("pending"),
                             json::parse(api("GET", "/api/v1/me/methods/" + std::to_string(id)).body)["status"].get<std::string>());

        const std::string path = "/api/v1/me/methods/" + std::to_string(id);
        const std::string right = totp_code_at(from_base32(secret), now_);
        Response wrong = api("POST", path + "/verify", {{"code", right == "000000" ? "111111" : "000000"}});
        CPPUNIT_ASSERT_EQUAL(422, wrong.status);
        CPPUNIT_ASSERT_EQUAL(std::string("wrong_code"), json::parse(wrong.body)["error"]["code"].get<std::string>());
        Response verified = api("POST", path + "/verify", {{"code", right}});
        CPPUNIT_ASSERT_EQUAL(200, verified.status);
        CPPUNIT_ASSERT_EQUAL(std::string("active"), json::parse(verified.body)["status"].get<std::string>());
        CPPUNIT_ASSERT_EQUAL(409, api("POST", path + "/verify", {{"code", right}}).status);

        Response listed = api("GET", "/api/v1/me/methods", nullptr);
        CPPUNIT_ASSERT_EQUAL(200, listed.status);
        json list = json::parse(listed.body);
        CPPUNIT_ASSERT_EQUAL(id, list["default_method"].get<std::int64_t>());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, list["methods"].size());
        CPPUNIT_ASSERT(list["methods"][0]["default"].get<bool>());
        CPPUNIT_ASSERT(!contains(listed.body, secret) && !contains(listed.body, "secret"));

        Response codes = api("POST", "/api/v1/me/methods", {{"kind", "recovery_codes"}});
        CPPUNIT_ASSERT_EQUAL(201, codes.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, json::parse(codes.body)["codes"].size());
        const std::int64_t codes_id = json::parse(codes.body)["id"].get<std::int64_t>();
        CPPUNIT_ASSERT_EQUAL(10, json::parse(api("GET", "/api/v1/me/methods/" + std::to_string(codes_id)).body)["codes_left"].get<int>());

        Response patched = api("PATCH", path, {{"label", "Work phone"}, {"default", true}});
        CPPUNIT_ASSERT_EQUAL(200, patched.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Work phone"), json::parse(patched.body)["label"].get<std::string>());
        Response deleted = api("DELETE", path, nullptr);
        CPPUNIT_ASSERT_EQUAL(204, deleted.status);
        CPPUNIT_ASSERT(deleted.body.empty());
        CPPUNIT_ASSERT_EQUAL(404, api("DELETE", path, nullptr).status);
        CPPUNIT_ASSERT(!store().find_method(alice_, id));
    }

    void api_refuses_bad_input_with_fitting_statuses() {
        std::int64_t id = enrol_authenticator("Phone");
        const std::string path = "/api/v1/me/methods/" + std::to_string(id);
        post_ok("/security/recovery-codes", {});
        const std::string codes = "/api/v1/me/methods/" + std::to_string(method_of_kind(MethodKind::recovery_codes));
        struct Case {
            const char* method;
            std::string path;
            json body;
            int status;
            const char* code;
        };
        const std::vector<Case> cases = {
            {"POST", "/api/v1/me/methods", json::array(), 400, "bad_request"},
            {"POST", "/api/v1/me/methods", {{"kind", 7}}, 400, "bad_request"},
            {"POST", "/api/v1/me/methods", {{"kind", "carrier_pigeon"}}, 422, "unsupported_kind"},
            {"POST", "/api/v1/me/methods", {{"kind", "email"}}, 422, "required"},
            {"POST", "/api/v1/me/methods", {{"kind", "phone"}}, 400, "bad_number"},
            {"POST", "/api/v1/me/methods", {{"kind", "phone"}, {"number", 5}}, 400, "bad_request"},
            {"POST", "/api/v1/me/methods", {{"kind", "phone"}, {"challenge", "x"}}, 400, "bad_request"},
            {"POST", "/api/v1/me/methods", {{"kind", "authenticator"}, {"label", "a\tb"}}, 422, "bad_label"},
            {"PATCH", path, json::object(), 400, "bad_request"},
            {"PATCH", path, {{"label", "x"}, {"is_admin", true}}, 400, "bad_request"},
            {"PATCH", path, {{"label", std::string(65, 'x')}}, 422, "bad_label"},
            {"PATCH", path, {{"default", false}}, 422, "cannot_be_default"},
            {"PATCH", codes, {{"default", true}}, 422, "cannot_be_default"},
            {"PATCH", "/api/v1/me/methods/abc", {{"label", "x"}}, 404, "not_found"},
            {"GET", "/api/v1/me/methods/1x", nullptr, 404, "not_found"},
            {"GET", path + "/extra", nullptr, 404, "not_found"},
            {"POST", path + "/verify", {{"code", "123456"}}, 409, "already_active"},
            {"POST", path + "/unverify", {{"code", "123456"}}, 404, "not_found"},
            {"POST", path, {{"code", "123456"}}, 405, "method_not_allowed"},
        };
        for (const Case& c : cases) {
            Response r = api(c.method, c.path, c.body);
            const std::string what = std::string(c.method) + " " + c.path + " " + c.body.dump() + " -> " + r.body;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, c.status, r.status);
            json error = json::parse(r.body, nullptr, false);
            CPPUNIT_ASSERT_MESSAGE(what, error.is_object() && error["error"]["code"] == c.code);
        }
        std::optional<VerificationMethod> kept = store().find_method(alice_, id);
        CPPUNIT_ASSERT(kept->label == "Phone" && kept->is_default);
    }

    void api_changes_need_the_csrf_header() {
        std::int64_t id = enrol_authenticator("Phone");
        const std::string path = "/api/v1/me/methods/" + std::to_string(id);
        for (const auto& [method, route] : std::vector<std::pair<std::string, std::string>>{
                 {"POST", "/api/v1/me/methods"}, {"PATCH", path}, {"DELETE", path}, {"POST", path + "/verify"}}) {
            Request r = signed_in(method, route);
            r.content_type = "application/json";
            r.body = R"({"kind":"recovery_codes","label":"x","code":"123456"})";
            Response refused = run(r);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + route, 403, refused.status);
            CPPUNIT_ASSERT(contains(refused.body, "\"csrf_failed\""));
        }
        CPPUNIT_ASSERT(store().find_method(alice_, id));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store().methods_of(alice_).size());
    }

    void app_passwords_exist_only_when_on() {
        CPPUNIT_ASSERT(!contains(run(signed_in("GET", "/security")).body, "App passwords"));
        CPPUNIT_ASSERT_EQUAL(404, post("/security/app-passwords", {{"label", "Mail"}}).status);
        second_factor_.app_passwords = true;
        CPPUNIT_ASSERT(contains(run(signed_in("GET", "/security")).body, "You have no app passwords."));
        Response created = post("/security/app-passwords", {{"label", " Mail on my laptop "}});
        CPPUNIT_ASSERT_EQUAL(200, created.status);
        const std::string password = first_match(created.body, R"(<code class="secret">([a-z ]+)</code>)");
        CPPUNIT_ASSERT_MESSAGE(created.body, std::regex_match(password, std::regex("[a-z]{4}( [a-z]{4}){3}")));
        CPPUNIT_ASSERT(!contains(dump_database(), password.substr(0, 4) + password.substr(5, 4)));
        Response page = run(signed_in("GET", "/security"));
        CPPUNIT_ASSERT(contains(page.body, ">Mail on my laptop<") && !contains(page.body, password));
        CPPUNIT_ASSERT_EQUAL(400, post("/security/app-passwords", {{"label", ""}}).status);

        const std::int64_t id = store().app_passwords_of(alice_).at(0).id;
        second_factor_.app_passwords = true;
        Request bobs = signed_in("POST", "/security/app-passwords/revoke", "bob");
        bobs.content_type = "application/x-www-form-urlencoded";
        bobs.form = {{"csrf", valid_token()}, {"app_password", std::to_string(id)}};
        CPPUNIT_ASSERT_EQUAL(404, run(bobs).status);
        Response revoked = post("/security/app-passwords/revoke", {{"app_password", std::to_string(id)}});
        CPPUNIT_ASSERT_EQUAL(303, revoked.status);
        CPPUNIT_ASSERT(store().app_passwords_of(alice_).empty());
    }

    void remembered_browsers_are_listed_and_forgotten() {
        std::int64_t mine = remember(alice_, "Mozilla/5.0 (Windows NT 10.0) AppleWebKit Chrome/120.0 Safari/537 Edg/120.0");
        std::int64_t bobs = remember(bob_, "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0");
        CPPUNIT_ASSERT(!contains(run(signed_in("GET", "/security")).body, "Remembered browsers"));
        CPPUNIT_ASSERT_EQUAL(404, post("/security/browsers/forget", {{"browser", std::to_string(mine)}}).status);
        second_factor_.remember_days = 30;
        std::string body = run(signed_in("GET", "/security")).body;
        CPPUNIT_ASSERT_MESSAGE(body, contains(body, ">Edge on Windows<"));
        CPPUNIT_ASSERT(contains(body, "Remembered until 2023-12-14"));
        CPPUNIT_ASSERT(!contains(body, "Firefox"));
        CPPUNIT_ASSERT_EQUAL(404, post("/security/browsers/forget", {{"browser", std::to_string(bobs)}}).status);
        Response forgotten = post("/security/browsers/forget", {{"browser", std::to_string(mine)}});
        CPPUNIT_ASSERT_EQUAL(303, forgotten.status);
        CPPUNIT_ASSERT(store().remembered_browsers_of(alice_, t0).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, store().remembered_browsers_of(bob_, t0).size());
    }

    void pages_are_in_japanese_too() {
        std::int64_t app = enrol_authenticator("");
        Request r = signed_in("GET", "/security");
        r.accept_language = "ja";
        std::string body = run(r).body;
        for (const char* word : {"セキュリティ情報", "認証アプリ", "既定のサインイン方法", "変更", "削除",
                                 "サインイン方法の追加", "未使用"})
            CPPUNIT_ASSERT_MESSAGE(word, contains(body, word));
        Request add = signed_in("GET", "/security/add");
        add.accept_language = "ja";
        body = run(add).body;
        CPPUNIT_ASSERT(contains(body, "回復コード") && contains(body, "認証アプリ"));
        CPPUNIT_ASSERT(app > 0);
    }

private:
    Response post(const std::string& route, web::Fields fields, const std::string& user = "alice") {
        Request r = signed_in("POST", route, user);
        r.content_type = "application/x-www-form-urlencoded";
        fields.emplace_back("csrf", valid_token());
        r.form = std::move(fields);
        return run(r);
    }

    Response post_ok(const std::string& route, web::Fields fields, const std::string& user = "alice") {
        Response response = post(route, std::move(fields), user);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(route + "\n" + response.body.substr(0, 3000), 200, response.status);
        return response;
    }

    Response api(const std::string& method, const std::string& route, const json& body = nullptr) {
        Request r = signed_in(method, route);
        if (!body.is_null()) {
            r.content_type = "application/json";
            r.body = body.dump();
        }
        r.csrf_header = valid_token();
        return run(r);
    }

    static std::string secret_on(const std::string& html) {
        return first_match(html, R"(<code class="secret" translate="no">([A-Z2-7 ]+)</code>)");
    }

    // Adds an authenticator through the set-up page and a right code; its method id.
    std::int64_t enrol_authenticator(const std::string& label, const std::string& user = "alice") {
        Response setup = post_ok("/security/authenticator", {{"label", label}}, user);
        const std::string id = first_match(setup.body, R"re(name="method" value="(\d+)")re");
        const std::string code = totp_code_at(from_base32(secret_on(setup.body)), now_);
        Response done = post("/security/authenticator/confirm", {{"method", id}, {"code", code}}, user);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body.substr(0, 3000), 303, done.status);
        return std::stoll(id);
    }

    std::vector<std::string> recovery_codes_from(const Response& page) {
        std::vector<std::string> codes;
        std::regex code(R"(<li><code class="secret" translate="no">([^<]+)</code></li>)");
        for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), code); it != std::sregex_iterator(); ++it)
            codes.push_back(it->str(1));
        return codes;
    }

    std::string code_hash(const std::string& code) {
        return recovery_code_hash(*key_, alice_, normalized_recovery_code(code));
    }

    void use_recovery_code(const std::string& code) {
        CPPUNIT_ASSERT(store().use_recovery_code(alice_, code_hash(code), t0));
    }

    std::int64_t method_of_kind(MethodKind kind) {
        for (const VerificationMethod& method : store().methods_of(alice_))
            if (method.kind == kind) return method.id;
        CPPUNIT_FAIL("no such method");
        return 0;
    }

    std::int64_t remember(AccountId account, const std::string& user_agent) {
        RememberedBrowser browser;
        browser.account_id = account;
        browser.token_hash = std::string(32, static_cast<char>('a' + account));
        browser.security_stamp = 1;
        browser.created_at = t0;
        browser.expires_at = t0 + 30 * 86400;
        browser.client_ip = "192.0.2.10";
        browser.user_agent = user_agent;
        AuditEvent event;
        event.account_id = account;
        event.at = t0;
        event.kind = "browser_remembered";
        return store().remember_browser(browser, event);
    }

    // The database's bytes as they lie on disk (the main file and its write-ahead log), for
    // "is this secret stored anywhere?".
    std::string dump_database() const {
        std::string all;
        for (const std::string& file : {path_, path_ + "-wal"}) {
            std::ifstream in(file, std::ios::binary);
            all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        return all;
    }

    AccountId alice_ = 0;
    AccountId bob_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecurityPagesTest);
