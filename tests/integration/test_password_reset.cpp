// Self-service password reset (SSPR) through its pages: the whole walk, the one-time codes, what an
// attacker can learn or break, and the feature switched off. Codes come from the demo notifier's file.
#include <fstream>
#include <iostream>
#include <regex>
#include <set>

#include <unistd.h>

#include "suite.hpp"

using namespace it;

namespace {

const char* const kBobPassword = "bob's password 42";

// The "this reset has expired or was used; start again" answer: a link to /reset and no form of the flow.
void assert_start_again(const Response& r, const std::string& context) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + ": want the start-again page (200)\n" + r.describe(3000), 200L, r.status);
    CPPUNIT_ASSERT_MESSAGE(context + ": no link to /myaccount/reset\n" + r.describe(3000),
                           contains(r.body, "href=\"/myaccount/reset\""));
    for (const char* field : {"address", "code", "new_password", "csrf"})
        CPPUNIT_ASSERT_MESSAGE(context + ": the start-again page has a '" + field + "' field\n" + r.describe(3000),
                               !has_named_field(r.body, field));
}

// Signs user in from a browser of its own and registers address through the security page.
void give_email(Environment& env, const std::string& user, const std::string& password, const std::string& address) {
    Browser b(env.base_url());
    b.set_source_address(fresh_client_address());
    Response in = b.sign_in(user, password);
    assert_signed_in(in, b, "sign-in of " + user);
    register_email(env, b, address, password);
}

// The message to address that carries code.
Notification message_with(Environment& env, const std::string& address, const std::string& code) {
    for (const auto& n : env.notifications_for(address))
        if (n.code() == code) return n;
    CPPUNIT_FAIL("no message to " + address + " with code " + code);
    return {};
}

// A notice (no code) to address whose Subject contains `subject`, after the first `known` messages.
std::optional<Notification> wait_for_notice(Environment& env, const std::string& address, std::size_t known,
                                            const std::string& subject) {
    return env.wait_for_notification(address, known, 5, [&](const Notification& n) {
        return n.code().empty() && contains_ci(n.header("Subject"), subject);
    });
}

// A code that is certainly not `code`.
std::string other_code(const std::string& code, int delta = 1) {
    const long next = (std::stol(code) + delta) % 100000000L;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08ld", next);
    return buf;
}

// The notifier contract for e-mail: a complete message with ASCII headers, no header injection.
void assert_mail_format(const Notification& n, const std::string& address) {
    const std::string context = "message to " + address + ":\n" + n.message;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("email"), n.channel);
    CPPUNIT_ASSERT_MESSAGE(context, contains(n.header("To"), address));
    CPPUNIT_ASSERT_MESSAGE("no Subject\n" + context, !n.header("Subject").empty());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("1.0"), n.header("MIME-Version"));
    CPPUNIT_ASSERT_MESSAGE(context, contains_ci(n.header("Content-Type"), "text/plain") &&
                                        contains_ci(n.header("Content-Type"), "charset=UTF-8"));
    CPPUNIT_ASSERT_MESSAGE(context, contains_ci(n.header("Content-Transfer-Encoding"), "8bit"));
    CPPUNIT_ASSERT_MESSAGE("a Bcc/Cc header\n" + context, n.header("Bcc").empty() && n.header("Cc").empty());
    CPPUNIT_ASSERT_MESSAGE("CR in the message head\n" + context, n.head().find('\r') == std::string::npos);
}

// Account columns a reset may change, for "nothing changed" checks.
std::string account_state(Environment& env, const std::string& user) {
    return env.sql(
        "select password_hash, failed_attempts, locked_until, security_stamp, disabled from accounts"
        " where username='" +
        user + "'");
}

std::string long_common_password() {
    std::ifstream in(std::string(MYACCOUNT_SOURCE_DIR) + "/conf/common-passwords.txt");
    for (std::string line; std::getline(in, line);)
        if (line.size() >= 12 && line.size() <= 64 && line.find(' ') == std::string::npos) return line;
    return {};
}

// A response body with its per-response tokens blanked, to compare two users' pages.
std::string without_tokens(const std::string& body) {
    static const std::regex tokens(R"re(((?:name="(?:csrf|challenge|next)"[^>]*value|nonce)\s*=\s*")[^"]*")re");
    return std::regex_replace(body, tokens, "$1{TOKEN}\"");
}

}  // namespace

// ================================================================================================
// The demo configuration: reset On, scope All, one method, codes to <rundir>/notifications.log.
class PasswordResetTest : public ServerFixture<PasswordResetTest> {
    CPPUNIT_TEST_SUITE(PasswordResetTest);
    CPPUNIT_TEST(testLoginPageOffersReset);
    CPPUNIT_TEST(testResetEndToEnd);
    CPPUNIT_TEST(testRequestingAResetChangesNothing);
    CPPUNIT_TEST(testResetLinkIgnoresHostHeaders);
    CPPUNIT_TEST(testResetPagesAreNeitherCachedNorReferred);
    CPPUNIT_TEST(testPolicyAppliesOnTheResetPath);
    CPPUNIT_TEST(testEveryResetPostNeedsItsToken);
    CPPUNIT_TEST(testBadInputIsAClearError);
    CPPUNIT_TEST(testNoSecretsInLogs);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "reset"; }
    // The reset itself, without 2-step verification at the sign-ins around it (test_gate.cpp
    // walks a reset with it).
    static std::string extra_directives(const Environment&) { return "MyAccountRequireMFA Off"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("bob", kBobPassword, "Bob Builder");
        env.add_user("hal", "hal's password 2001", "Hal Nine");
        env.add_user("rita", "rita's password 77", "Rita Host");
        env.add_user("pia", "pia's password 3141", "Pia Headers");
        env.add_user("ida", "quiet harbor 1815 lamp", "Ida Ingram");
        env.add_user("cora", "cora's password 55", "Cora Forge");
        env.add_user("bea", "bea's password 404", "Bea Input");
        env.add_user("lou", "Lou-0ld secret LG1 pass", "Lou Logs");
    }

    void testLoginPageOffersReset() {
        auto b = browser();
        Response login = b->get("/myaccount/login");
        CPPUNIT_ASSERT_MESSAGE(login.describe(4000), contains(login.body, "href=\"/myaccount/reset\""));
        CPPUNIT_ASSERT_MESSAGE(login.describe(4000), contains_ci(login.body, "Forgot your password?"));
        Response after = b->get("/myaccount/login?password_reset=1");
        CPPUNIT_ASSERT_MESSAGE(after.describe(4000), contains_ci(after.body, "Your password was reset"));
        Response plain = b->get("/myaccount/login");
        CPPUNIT_ASSERT_MESSAGE(plain.describe(4000), !contains_ci(plain.body, "Your password was reset"));
    }

    // The whole walk for a locked-out alice: PW-14 (the lock does not stop the reset, the reset
    // lifts it), RS-4 (no session from it), RS-7 (other sessions end), PW-15 (notice, no secret).
    void testResetEndToEnd() {
        allow_failed_sign_in_lines();
        const std::string address = "alice.home@example.net";
        give_email(env(), "alice", kAlicePassword, address);

        auto elsewhere = signed_in("alice", kAlicePassword);
        IT_ASSERT_STATUS(elsewhere->get("/myaccount/"), 200);

        // Someone guesses alice's password five times (MyAccountLockoutThreshold 5): locked for
        // their network (fresh_browser()'s addresses share one /24).
        auto attacker = fresh_browser();
        for (int i = 0; i < 5; ++i)
            IT_ASSERT_STATUS(attacker->sign_in("alice", "guess number " + std::to_string(i)), 401);
        Response locked = fresh_browser()->sign_in("alice", kAlicePassword);
        IT_ASSERT_STATUS(locked, 401);
        CPPUNIT_ASSERT_MESSAGE("alice should be locked\n" + locked.describe(2000), contains(locked.body, "temporarily locked"));
        IT_ASSERT_STATUS(elsewhere->get("/myaccount/"), 200);

        auto b = fresh_browser();
        Response form = b->get("/myaccount/reset");
        IT_ASSERT_STATUS(form, 200);
        assert_security_headers(form, "GET /myaccount/reset");
        CPPUNIT_ASSERT_MESSAGE(form.describe(4000), has_named_field(form.body, "username"));
        CPPUNIT_ASSERT_MESSAGE(form.describe(4000), ends_with(form_action(form.body), "/myaccount/reset"));
        const std::string form_token = csrf_from_html(form.body);
        CPPUNIT_ASSERT_MESSAGE(form.describe(4000), !form_token.empty());

        Response started = b->post_form("/myaccount/reset", {{"csrf", form_token}, {"username", "alice"}});
        assert_see_other(started, "/myaccount/reset/verify", "POST /myaccount/reset");
        auto cookie = find_set_cookie(started, kResetCookie);
        CPPUNIT_ASSERT_MESSAGE("no Set-Cookie " + std::string(kResetCookie) + "\n" + started.describe(),
                               cookie.has_value());
        CPPUNIT_ASSERT_MESSAGE(cookie->raw, cookie->has("httponly"));
        CPPUNIT_ASSERT_MESSAGE(cookie->raw, cookie->has("samesite") && lower(cookie->attrs.at("samesite")) == "strict");
        CPPUNIT_ASSERT_MESSAGE(cookie->raw, cookie->has("path") && cookie->attrs.at("path") == "/myaccount/reset");
        CPPUNIT_ASSERT_MESSAGE("flow token should be >= 128 bits of base64url: " + cookie->raw,
                               cookie->value.size() >= 22 && is_base64url(cookie->value));
        const std::string flow_token = cookie->value;

        Response verify = b->get("/myaccount/reset/verify");
        IT_ASSERT_STATUS(verify, 200);
        CPPUNIT_ASSERT_MESSAGE(verify.describe(4000), has_named_field(verify.body, "address"));
        CPPUNIT_ASSERT_MESSAGE(verify.describe(4000), contains(verify.body, "Step 2 of 3"));

        const std::size_t known = env().code_count(address);
        Response sent = send_code(*b, address);
        assert_see_other(sent, "/myaccount/reset/verify", "POST /myaccount/reset/send");
        const std::string code = env().wait_for_code(address, known);
        CPPUNIT_ASSERT_MESSAGE("no code mailed to " + address, !code.empty());
        const Notification mail = message_with(env(), address, code);
        assert_mail_format(mail, address);
        CPPUNIT_ASSERT_MESSAGE("the flow token is in the mail:\n" + mail.message, !contains(mail.message, flow_token));
        CPPUNIT_ASSERT_MESSAGE(b->get("/myaccount/reset/verify").describe(4000),
                               has_named_field(b->get("/myaccount/reset/verify").body, "code"));

        assert_see_other(enter_code(*b, code), "/myaccount/reset/password", "POST /myaccount/reset/code");
        Response page = b->get("/myaccount/reset/password");
        IT_ASSERT_STATUS(page, 200);
        CPPUNIT_ASSERT_MESSAGE(
            page.describe(4000),
            contains(page.body, "name=\"new_password\" type=\"password\" autocomplete=\"new-password\""));
        CPPUNIT_ASSERT_MESSAGE(page.describe(4000), has_named_field(page.body, "confirm_password"));

        const std::string next = "seven quiet lanterns over the bay";
        const std::size_t before_notice = env().notification_count(address);
        const std::string profile_address = "alice@contoso.example";
        const std::size_t before_profile_notice = env().notification_count(profile_address);
        Response done =
            b->post_form("/myaccount/reset/password",
                         {{"csrf", csrf_from_html(page.body)}, {"new_password", next}, {"confirm_password", next}});
        assert_see_other(done, "/myaccount/login?password_reset=1", "POST /myaccount/reset/password");
        auto cleared = find_set_cookie(done, kResetCookie);
        CPPUNIT_ASSERT_MESSAGE("the flow cookie should be cleared\n" + done.describe(), cleared && cleared->clears());
        // RS-4: no sign-in from a reset.
        auto session = find_set_cookie(done, kSessionCookie);
        CPPUNIT_ASSERT_MESSAGE("a reset set a session\n" + done.describe(), !session || session->clears());
        assert_login_page(b->get("/myaccount/"), "the first request after the reset");
        // RS-7: the session alice had elsewhere ended.
        IT_ASSERT_STATUS(elsewhere->get("/myaccount/"), 401);
        // The old password fails, the new one works although alice was locked (PW-14).
        IT_ASSERT_STATUS(fresh_browser()->sign_in("alice", kAlicePassword), 401);
        auto fresh = fresh_browser();
        assert_signed_in(fresh->sign_in("alice", next), *fresh, "sign-in with the reset password");
        IT_ASSERT_STATUS(fresh->get("/myaccount/"), 200);
        CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                             env().sql("select count(*) from audit_events where kind='password_reset'"
                                       " and account_id=(select id from accounts where username='alice')"));
        // PW-15: the notice, without the password, the code or the token.
        auto notice = wait_for_notice(env(), address, before_notice, "reset");
        CPPUNIT_ASSERT_MESSAGE("no 'password reset' notice to " + address, notice.has_value());
        assert_mail_format(*notice, address);
        CPPUNIT_ASSERT_MESSAGE(notice->message, contains_ci(notice->message, "reset"));
        for (const std::string& secret : {next, std::string(kAlicePassword), code, flow_token})
            CPPUNIT_ASSERT_MESSAGE("secret '" + secret + "' in the notice:\n" + notice->message,
                                   !contains(notice->message, secret));
        CPPUNIT_ASSERT_MESSAGE("a code line in the notice:\n" + notice->message, notice->code().empty());
        // ... and to the address of her profile.
        auto profile_notice = wait_for_notice(env(), profile_address, before_profile_notice, "reset");
        CPPUNIT_ASSERT_MESSAGE("no 'password reset' notice to " + profile_address, profile_notice.has_value());
        CPPUNIT_ASSERT_MESSAGE(profile_notice->message,
                               !contains(profile_notice->message, next) && !contains(profile_notice->message, code));
    }

    // RS-5: asking for a reset (even with wrong codes) changes nothing about the account.
    void testRequestingAResetChangesNothing() {
        const std::string address = "hal@example.net";
        give_email(env(), "hal", "hal's password 2001", address);
        auto mine = signed_in("hal", "hal's password 2001");
        const std::string before = account_state(env(), "hal");

        auto b = fresh_browser();
        assert_see_other(start_reset(*b, "hal"), "/myaccount/reset/verify", "start");
        const std::string code = request_code(env(), *b, address);
        IT_ASSERT_STATUS(enter_code(*b, other_code(code)), 400);
        IT_ASSERT_STATUS(enter_code(*b, other_code(code, 2)), 400);

        CPPUNIT_ASSERT_EQUAL_MESSAGE("the account changed", before, account_state(env(), "hal"));
        IT_ASSERT_STATUS(mine->get("/myaccount/"), 200);
        auto again = fresh_browser();
        assert_signed_in(again->sign_in("hal", "hal's password 2001"), *again, "hal with the old password");
    }

    // RS-3: the link in the mail comes from MyAccountPortalUrl, never from the request.
    void testResetLinkIgnoresHostHeaders() {
        const std::string address = "rita@example.net";
        give_email(env(), "rita", "rita's password 77", address);
        const std::string portal = env().base_url() + "/myaccount";
        const std::vector<Headers> spoofs = {
            {{"Host", "evil.example"}},
            {{"X-Forwarded-Host", "evil.example"}, {"X-Forwarded-Proto", "https"}, {"Forwarded", "host=evil.example"}},
        };
        for (const Headers& spoof : spoofs) {
            const std::string context = "with " + spoof.front().first + ": evil.example";
            auto b = fresh_browser();
            assert_see_other(start_reset(*b, "rita", spoof), "/myaccount/reset/verify", context);
            const std::size_t known = env().code_count(address);
            Response sent = send_code(*b, address, spoof);
            CPPUNIT_ASSERT_MESSAGE(context + "\n" + sent.describe(), sent.status == 303 || sent.status == 400);
            const std::string code = env().wait_for_code(address, known);
            std::optional<Notification> mail;
            if (!code.empty()) mail = message_with(env(), address, code);
            if (!mail) {
                CPPUNIT_ASSERT_MESSAGE(context + ": refused, but with 303 as if sent\n" + sent.describe(),
                                       sent.status == 400);
                continue;
            }
            CPPUNIT_ASSERT_MESSAGE(context + ": 'evil' in the mail\n" + mail->message,
                                   !contains_ci(mail->message, "evil"));
            const auto urls = urls_in(mail->message);
            CPPUNIT_ASSERT_MESSAGE(context + ": no link in the mail\n" + mail->message, !urls.empty());
            for (const auto& url : urls)
                CPPUNIT_ASSERT_MESSAGE(context + ": link not under " + portal + ": " + url,
                                       url == portal || url.rfind(portal + "/", 0) == 0);
        }
    }

    // RS-6 and HD-1: nothing of the flow cached or sent on as Referer; no foreign resources. The
    // flow carries no secret in any URL (the code is typed), and the referrer never leaves the
    // site: the same policy as every page, under which browsers send a real Origin (CSRF-5).
    void testResetPagesAreNeitherCachedNorReferred() {
        const std::string address = "pia@example.net";
        give_email(env(), "pia", "pia's password 3141", address);
        std::vector<Response> seen;
        auto b = fresh_browser();
        seen.push_back(b->get("/myaccount/reset"));
        seen.push_back(start_reset(*b, "pia"));
        seen.push_back(b->get("/myaccount/reset/verify"));
        const std::size_t known = env().code_count(address);
        seen.push_back(send_code(*b, address));
        const std::string code = env().wait_for_code(address, known);
        CPPUNIT_ASSERT(!code.empty());
        seen.push_back(b->get("/myaccount/reset/verify"));
        seen.push_back(enter_code(*b, other_code(code)));
        seen.push_back(enter_code(*b, code));
        seen.push_back(b->get("/myaccount/reset/password"));
        seen.push_back(choose_password(*b, "a fine new ocean passphrase", "a different confirmation"));
        seen.push_back(choose_password(*b, "a fine new ocean passphrase", "a fine new ocean passphrase"));
        seen.push_back(b->get("/myaccount/reset/verify"));  // after the end: start again
        seen.push_back(fresh_browser()->get("/myaccount/reset/password"));
        for (const Response& r : seen) {
            const std::string context = r.method + " " + r.path + " -> " + std::to_string(r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context + "\n" + r.describe(), std::string("same-origin"),
                                         lower(r.header("Referrer-Policy")));
            for (const std::string& url : {r.path, r.header("Location")}) {
                const std::size_t query = url.find('?');
                CPPUNIT_ASSERT_MESSAGE(context + ": a URL of the flow carries more than the final flag\n" + r.describe(),
                                       query == std::string::npos || url.substr(query) == "?password_reset=1");
                CPPUNIT_ASSERT_MESSAGE(context + ": the code in a URL\n" + r.describe(), url.find(code) == std::string::npos);
            }
            assert_security_headers(r, context);
            static const std::regex foreign(R"((src|href|action)\s*=\s*["'](https?:)?//)", std::regex::icase);
            CPPUNIT_ASSERT_MESSAGE(context + ": loads or links a resource of another site\n" + r.describe(6000),
                                   !std::regex_search(r.body, foreign));
        }
    }

    // PW-6: the reset path applies the whole password policy and names every reason.
    void testPolicyAppliesOnTheResetPath() {
        const std::string address = "ida@example.net";
        const std::string current = "quiet harbor 1815 lamp";
        give_email(env(), "ida", current, address);
        auto b = fresh_browser();
        prove(env(), *b, "ida", address);
        const std::string before = account_state(env(), "ida");
        struct Case {
            std::string password;
            std::vector<std::string> messages;  // any one of them
        };
        const std::string common = long_common_password();
        CPPUNIT_ASSERT_MESSAGE("the shipped list has a 12+ character entry", !common.empty());
        const std::vector<Case> cases = {
            {"short pass!", {"too short"}},
            {std::string(129, 'x'), {"too long"}},
            {"ida is my user id 2026", {"user ID, name or e-mail"}},
            {"my name is ingram, ok!", {"user ID, name or e-mail"}},
            {common, {"too common"}},
            {"password1234567", {"too easy to guess"}},  // with zxcvbn's feedback (below)
            {current, {"same as the current", "used this password recently"}},
        };
        for (const Case& c : cases) {
            Response r = choose_password(*b, c.password, c.password);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.password + "\n" + r.describe(3000), 400L, r.status);
            bool named = false;
            for (const auto& m : c.messages) named = named || contains_ci(r.body, m);
            CPPUNIT_ASSERT_MESSAGE("'" + c.password + "' should say " + c.messages.front() + "\n" + r.describe(4000),
                                   named);
        }
        Response guessable = choose_password(*b, "asdfghjkl;lkjh", "asdfghjkl;lkjh");
        IT_ASSERT_STATUS(guessable, 400);
        CPPUNIT_ASSERT_MESSAGE(guessable.describe(4000), contains(guessable.body, "Rows and patterns of keys, like qwerty or 1qaz, are easy to guess.") &&
                                                             contains(guessable.body, "Avoid rows and patterns of keys."));
        Response mismatch = choose_password(*b, "a fine new harbor passphrase", "a fine new harbor passphrase!");
        IT_ASSERT_STATUS(mismatch, 400);
        CPPUNIT_ASSERT_MESSAGE(mismatch.describe(4000), contains_ci(mismatch.body, "do not match"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a refused reset changed the account", before, account_state(env(), "ida"));
        // The refusals did not use the flow up.
        assert_see_other(choose_password(*b, "a fine new harbor passphrase", "a fine new harbor passphrase"),
                         "/myaccount/login?password_reset=1", "an acceptable password after refusals");
    }

    // CSRF on every reset POST: no token, a wrong one, another flow's, or a cross-site request.
    void testEveryResetPostNeedsItsToken() {
        const std::string address = "cora@example.net";
        give_email(env(), "cora", "cora's password 55", address);
        const Headers cross_site = {{"Sec-Fetch-Site", "cross-site"}};
        const Headers foreign_origin = {{"Origin", "https://evil.example"}};
        auto b = fresh_browser();

        const std::string form_token = csrf_from_html(b->get("/myaccount/reset").body);
        IT_ASSERT_STATUS(b->post_form("/myaccount/reset", {{"username", "cora"}}), 403);
        IT_ASSERT_STATUS(b->post_form("/myaccount/reset", {{"csrf", "x"}, {"username", "cora"}}), 403);
        IT_ASSERT_STATUS(b->post_form("/myaccount/reset", {{"csrf", form_token}, {"username", "cora"}}, cross_site),
                         403);
        IT_ASSERT_STATUS(b->post_form("/myaccount/reset", {{"csrf", form_token}, {"username", "cora"}}, foreign_origin),
                         403);
        CPPUNIT_ASSERT_MESSAGE("a refused start set the flow cookie", b->cookie(kResetCookie).empty());
        assert_see_other(b->post_form("/myaccount/reset", {{"csrf", form_token}, {"username", "cora"}}),
                         "/myaccount/reset/verify", "start with the form token");

        auto other = fresh_browser();
        assert_see_other(start_reset(*other, "cora"), "/myaccount/reset/verify", "a second flow");
        const std::string others_token = flow_csrf(*other);
        const std::string token = flow_csrf(*b);
        CPPUNIT_ASSERT(!token.empty() && token != others_token);

        const std::size_t known = env().code_count(address);
        for (const auto& [fields, headers] :
             std::vector<std::pair<Fields, Headers>>{{{{"address", address}}, {}},
                                                     {{{"csrf", ""}, {"address", address}}, {}},
                                                     {{{"csrf", others_token}, {"address", address}}, {}},
                                                     {{{"csrf", token}, {"address", address}}, cross_site},
                                                     {{{"csrf", token}, {"address", address}}, foreign_origin}}) {
            IT_ASSERT_STATUS(b->post_form("/myaccount/reset/send", fields, headers), 403);
        }
        const std::string code = request_code(env(), *b, address);
        for (const auto& [fields, headers] :
             std::vector<std::pair<Fields, Headers>>{{{{"code", code}}, {}},
                                                     {{{"csrf", others_token}, {"code", code}}, {}},
                                                     {{{"csrf", token}, {"code", code}}, cross_site}}) {
            IT_ASSERT_STATUS(b->post_form("/myaccount/reset/code", fields, headers), 403);
        }
        assert_see_other(enter_code(*b, code), "/myaccount/reset/password", "the code with the flow's token");

        const std::string before = account_state(env(), "cora");
        const std::string next = "a brand new anvil passphrase";
        for (const auto& [fields, headers] : std::vector<std::pair<Fields, Headers>>{
                 {{{"new_password", next}, {"confirm_password", next}}, {}},
                 {{{"csrf", others_token}, {"new_password", next}, {"confirm_password", next}}, {}},
                 {{{"csrf", token}, {"new_password", next}, {"confirm_password", next}}, cross_site},
                 {{{"csrf", token}, {"new_password", next}, {"confirm_password", next}}, foreign_origin}}) {
            IT_ASSERT_STATUS(b->post_form("/myaccount/reset/password", fields, headers), 403);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a refused POST changed the account", before, account_state(env(), "cora"));
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("refused sends mailed codes", known + 1, env().code_count(address));
        assert_see_other(choose_password(*b, next, next), "/myaccount/login?password_reset=1", "with the token");
    }

    // Oversized, NUL, invalid UTF-8 and empty fields: a 400/413 page, never a 500, never a code.
    void testBadInputIsAClearError() {
        const std::string address = "bea@example.net";
        give_email(env(), "bea", "bea's password 404", address);
        const std::string mb(1 << 20, 'a');
        const std::vector<std::string> bad_usernames = {"", mb, std::string("bea\0x", 5),
                                                        "b\xff\xfe"
                                                        "a",
                                                        "bea\r\nX: y"};
        auto b = fresh_browser();
        Response empty = start_reset(*b, "");
        IT_ASSERT_STATUS(empty, 400);
        CPPUNIT_ASSERT_MESSAGE(empty.describe(2000), contains(empty.body, "Enter your user ID") &&
                                                         contains(empty.body, "name=\"username\""));
        for (const auto& username : bad_usernames) {
            Response r = start_reset(*b, username);
            CPPUNIT_ASSERT_MESSAGE(
                "username of " + std::to_string(username.size()) + " bytes: want 400/413\n" + r.describe(),
                r.status == 400 || r.status == 413);
            // The start page again saying what is wrong, or (a body too large to read) the
            // generic bad-request page.
            if (r.status == 400)
                CPPUNIT_ASSERT_MESSAGE("the page says what is wrong\n" + r.describe(2000),
                                       contains(r.body, "Enter your user ID") ||
                                           contains(r.body, "Check what you entered and try again"));
        }
        const std::size_t known = env().code_count(address);
        assert_see_other(start_reset(*b, "bea"), "/myaccount/reset/verify", "start for bea");
        const std::vector<std::string> bad_addresses = {"",
                                                        mb + "@example.net",
                                                        std::string("bea@example.net\0", 16),
                                                        "b\xff"
                                                        "ea@example.net",
                                                        "bea@example.net\r\nBcc: evil@example.net",
                                                        "bea@example.net, evil@example.net"};
        for (const auto& a : bad_addresses) {
            Response r = send_code(*b, a);
            CPPUNIT_ASSERT_MESSAGE("address of " + std::to_string(a.size()) + " bytes: want 400/413\n" + r.describe(),
                                   r.status == 400 || r.status == 413);
        }
        const std::string code = request_code(env(), *b, address);
        const std::vector<std::string> bad_codes = {
            "",
            mb,
            std::string("1234\0"
                        "5678",
                        9),
            "\xff\xfe\xfd\xfc"
            "1234",
            "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98",
            code + "0",
            "1 OR 1=1"};
        for (const auto& c : bad_codes) {
            Response r = enter_code(*b, c);
            CPPUNIT_ASSERT_MESSAGE("code of " + std::to_string(c.size()) + " bytes: want 400/413\n" + r.describe(),
                                   r.status == 400 || r.status == 413);
        }
        const std::string before = account_state(env(), "bea");
        auto c = fresh_browser();
        prove(env(), *c, "bea", address);
        const std::vector<std::string> bad_passwords = {"", mb, std::string("nul\0inside a passphrase", 23),
                                                        "bad \xff\xfe utf-8 passphrase here"};
        for (const auto& p : bad_passwords) {
            Response r = choose_password(*c, p, p);
            CPPUNIT_ASSERT_MESSAGE("password of " + std::to_string(p.size()) + " bytes: want 400/413\n" + r.describe(),
                                   r.status == 400 || r.status == 413);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("bad input changed the account", before, account_state(env(), "bea"));
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a code went out for bad input", known + 2, env().code_count(address));
        for (const auto& n : env().notifications())
            CPPUNIT_ASSERT_MESSAGE("a message to '" + n.recipient + "'", !contains_ci(n.recipient, "evil"));
        IT_ASSERT_STATUS(b->get("/myaccount/reset"), 200);
    }

    // LG-1: after registration, a failed sign-in and a reset, no code, token or password in the logs
    // (the flow posts everything, so nothing lands in a URL) nor in the database.
    void testNoSecretsInLogs() {
        allow_failed_sign_in_lines();
        const std::string address = "lou@example.net";
        const std::string first = "Lou-0ld secret LG1 pass";
        const std::string wrong = "Wr0ng-secret LG1 guess";
        const std::string next = "N3w-secret LG1 passphrase";
        std::vector<std::string> secrets = {first, wrong, next};

        auto mine = signed_in("lou", first);
        const std::size_t known = env().code_count(address);
        Response page = add_email(*mine, address, first);
        IT_ASSERT_STATUS(page, 200);
        const std::string challenge = input_value(page.body, "challenge");
        const std::string added_code = env().wait_for_code(address, known, 1);
        CPPUNIT_ASSERT(!added_code.empty() && !challenge.empty());
        secrets.push_back(challenge);
        secrets.push_back(added_code);
        IT_ASSERT_STATUS(verify_email(*mine, page, other_code(added_code)), 400);
        assert_see_other(verify_email(*mine, page, added_code), "/myaccount/security?added=1", "verify");

        IT_ASSERT_STATUS(fresh_browser()->sign_in("lou", wrong), 401);
        auto b = fresh_browser();
        assert_see_other(start_reset(*b, "lou"), "/myaccount/reset/verify", "start");
        secrets.push_back(b->cookie(kResetCookie));
        const std::string replaced = request_code(env(), *b, address);
        const std::string code = request_code(env(), *b, address);
        secrets.push_back(replaced);
        secrets.push_back(code);
        if (replaced != code) IT_ASSERT_STATUS(enter_code(*b, replaced), 400);
        assert_see_other(enter_code(*b, code), "/myaccount/reset/password", "code");
        assert_see_other(choose_password(*b, next, next), "/myaccount/login?password_reset=1", "new password");
        auto in = fresh_browser();
        assert_signed_in(in->sign_in("lou", next), *in, "lou with the new password");
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the access log and the notifier catch up

        const std::string error_log = env().error_log_text();
        const std::string access_log = read_file(env().access_log());
        const std::string dump = env().dump();
        for (const std::string& secret : secrets) {
            CPPUNIT_ASSERT_MESSAGE("an empty secret in the scenario", !secret.empty());
            std::string plus = secret;
            std::replace(plus.begin(), plus.end(), ' ', '+');
            for (const std::string& form : {secret, plus, Browser::urlencode({{"p", secret}}).substr(2)}) {
                CPPUNIT_ASSERT_MESSAGE("'" + form + "' in error.log", !contains(error_log, form));
                CPPUNIT_ASSERT_MESSAGE("'" + form + "' in access.log", !contains(access_log, form));
                CPPUNIT_ASSERT_MESSAGE("'" + form + "' in the database dump", !contains(dump, form));
            }
        }
    }
};

IT_REGISTER_SUITE(PasswordResetTest);

// ================================================================================================
// RS-2: one-time codes are single-use, replaced by newer ones, killed by guessing, expire, die with
// a password change, are stored only as hashes, and a token of one purpose serves no other.
class ResetCodesTest : public ServerFixture<ResetCodesTest> {
    CPPUNIT_TEST_SUITE(ResetCodesTest);
    CPPUNIT_TEST(testUsedCodeAndFlowDoNotServeAgain);
    CPPUNIT_TEST(testNewerCodeReplacesTheOlder);
    CPPUNIT_TEST(testFiveWrongGuessesKillTheCode);
    CPPUNIT_TEST(testExpiredCodeIsRefused);
    CPPUNIT_TEST(testPasswordChangeEndsAnOpenReset);
    CPPUNIT_TEST(testDatabaseHoldsOnlyHashes);
    CPPUNIT_TEST(testTokenOfAnotherPurposeIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "resetcodes"; }
    static std::string extra_directives(const Environment&) { return "MyAccountRequireMFA Off"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        for (const char* u : {"ann", "ben", "cat", "dee", "eve", "fay", "gil"})
            env.add_user(u, std::string(u) + "'s first password", std::string(u) + " Coder");
    }

    static std::string pw(const std::string& user) { return user + "'s first password"; }
    static std::string mail_of(const std::string& user) { return user + ".home@example.net"; }

    // RS-2 (a): the code proves once; the finished flow cannot set a password again.
    void testUsedCodeAndFlowDoNotServeAgain() {
        give_email(env(), "ann", pw("ann"), mail_of("ann"));
        auto b = fresh_browser();
        const std::string code = prove(env(), *b, "ann", mail_of("ann"));
        IT_ASSERT_STATUS(enter_code(*b, code), 400);

        auto other = fresh_browser();
        assert_see_other(start_reset(*other, "ann"), "/myaccount/reset/verify", "a second flow");
        IT_ASSERT_STATUS(enter_code(*other, code), 400);
        IT_ASSERT_STATUS(other->get("/myaccount/reset/password"), 303);

        const std::string token = b->cookie(kResetCookie);
        const std::string csrf = csrf_from_html(b->get("/myaccount/reset/password").body);
        CPPUNIT_ASSERT(!token.empty() && !csrf.empty());
        assert_see_other(choose_password(*b, "a second passphrase 2", "a second passphrase 2"),
                         "/myaccount/login?password_reset=1", "the reset");
        const std::string after = account_state(env(), "ann");

        auto replay = fresh_browser();
        replay->set_cookie(kResetCookie, token);
        assert_start_again(replay->get("/myaccount/reset/verify"), "the used flow's verify page");
        Response again = replay->post_form(
            "/myaccount/reset/password",
            {{"csrf", csrf}, {"new_password", "a third passphrase 3"}, {"confirm_password", "a third passphrase 3"}});
        CPPUNIT_ASSERT_MESSAGE("a used flow set the password again\n" + again.describe(),
                               again.status != 303 || !contains(again.header("Location"), "password_reset=1"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the used flow changed the account", after, account_state(env(), "ann"));
        auto in = fresh_browser();
        assert_signed_in(in->sign_in("ann", "a second passphrase 2"), *in, "ann");
    }

    // RS-2 (c): asking again replaces the code; the first one is dead.
    void testNewerCodeReplacesTheOlder() {
        give_email(env(), "ben", pw("ben"), mail_of("ben"));
        auto b = fresh_browser();
        assert_see_other(start_reset(*b, "ben"), "/myaccount/reset/verify", "start");
        const std::string first = request_code(env(), *b, mail_of("ben"));
        const std::string second = request_code(env(), *b, mail_of("ben"));
        CPPUNIT_ASSERT_MESSAGE("the same code twice: " + first, first != second);
        IT_ASSERT_STATUS(enter_code(*b, first), 400);
        assert_see_other(enter_code(*b, second), "/myaccount/reset/password", "the newer code");
    }

    void testFiveWrongGuessesKillTheCode() {
        give_email(env(), "cat", pw("cat"), mail_of("cat"));
        auto b = fresh_browser();
        assert_see_other(start_reset(*b, "cat"), "/myaccount/reset/verify", "start");
        const std::string code = request_code(env(), *b, mail_of("cat"));
        for (int i = 1; i <= 5; ++i) {
            Response wrong = enter_code(*b, other_code(code, i));
            CPPUNIT_ASSERT_EQUAL_MESSAGE("wrong guess " + std::to_string(i) + "\n" + wrong.describe(), 400L,
                                         wrong.status);
            CPPUNIT_ASSERT_MESSAGE(wrong.describe(3000), contains_ci(wrong.body, "wrong or has expired"));
        }
        Response right = enter_code(*b, code);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the right code after 5 wrong guesses\n" + right.describe(), 400L, right.status);
        IT_ASSERT_STATUS(b->get("/myaccount/reset/password"), 303);
    }

    // RS-2 (b). MyAccountCodeLifetime cannot go below 60 s, too slow for a test, so this one test
    // ages the code in the database (write access: the only set-up no page can make).
    void testExpiredCodeIsRefused() {
        give_email(env(), "dee", pw("dee"), mail_of("dee"));
        auto b = fresh_browser();
        assert_see_other(start_reset(*b, "dee"), "/myaccount/reset/verify", "start");
        const std::string code = request_code(env(), *b, mail_of("dee"));
        env().sql_write(
            "UPDATE challenges SET code_expires_at = 1 WHERE purpose = 'reset' AND length(code_hash) > 0"
            " AND account_id = (SELECT id FROM accounts WHERE username = 'dee')");
        CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                             env().sql("select count(*) from challenges where code_expires_at = 1"));
        Response r = enter_code(*b, code);
        IT_ASSERT_STATUS(r, 400);
        CPPUNIT_ASSERT_MESSAGE(r.describe(3000), contains_ci(r.body, "wrong or has expired"));
        IT_ASSERT_STATUS(b->get("/myaccount/reset/password"), 303);
    }

    // RS-2 (d): a password change while a reset stands at its last step ends that reset.
    void testPasswordChangeEndsAnOpenReset() {
        give_email(env(), "eve", pw("eve"), mail_of("eve"));
        auto b = fresh_browser();
        prove(env(), *b, "eve", mail_of("eve"));
        const std::string token = csrf_from_html(b->get("/myaccount/reset/password").body);

        auto mine = signed_in("eve", pw("eve"));
        Response form = mine->get("/myaccount/password");
        IT_ASSERT_STATUS(form, 200);
        Response changed = mine->post_form("/myaccount/password", {{"csrf", csrf_from_html(form.body)},
                                                                   {"current_password", pw("eve")},
                                                                   {"new_password", "a changed passphrase 2"},
                                                                   {"confirm_password", "a changed passphrase 2"}});
        IT_ASSERT_STATUS(changed, 303);

        Response r = b->post_form(
            "/myaccount/reset/password",
            {{"csrf", token}, {"new_password", "a reset passphrase 3"}, {"confirm_password", "a reset passphrase 3"}});
        CPPUNIT_ASSERT_MESSAGE("the reset went through after a password change\n" + r.describe(3000),
                               !(r.status == 303 && contains(r.header("Location"), "password_reset=1")));
        CPPUNIT_ASSERT_MESSAGE("want the start-again page, a 4xx or a 303 back to the flow\n" + r.describe(3000),
                               r.status == 200 || r.status == 303 || (r.status >= 400 && r.status < 500));
        allow_failed_sign_in_lines();
        IT_ASSERT_STATUS(fresh_browser()->sign_in("eve", "a reset passphrase 3"), 401);
        auto in = fresh_browser();
        assert_signed_in(in->sign_in("eve", "a changed passphrase 2"), *in, "eve with the changed password");
    }

    // RS-2 (f): the database keeps neither the code nor the flow token, only their hashes.
    void testDatabaseHoldsOnlyHashes() {
        give_email(env(), "fay", pw("fay"), mail_of("fay"));
        auto b = fresh_browser();
        assert_see_other(start_reset(*b, "fay"), "/myaccount/reset/verify", "start");
        const std::string code = request_code(env(), *b, mail_of("fay"));
        const std::string token = b->cookie(kResetCookie);
        const std::string row = env().sql(
            "select quote(token_hash), quote(code_hash), target from challenges"
            " where account_id=(select id from accounts where username='fay')"
            " and purpose='reset' and length(code_hash) > 0");
        CPPUNIT_ASSERT_MESSAGE("no open reset challenge with a code hash for fay: '" + row + "'", !row.empty());
        const std::string dump = env().dump();
        CPPUNIT_ASSERT_MESSAGE("the code " + code + " is in the database", !contains(dump, code));
        CPPUNIT_ASSERT_MESSAGE("the flow token is in the database", !contains(dump, token));
        // The code is in no column, as text or as bytes; the columns that are no hash hold no 8-digit number.
        CPPUNIT_ASSERT_EQUAL(std::string("0\n"),
                             env().sql("select count(*) from challenges where instr(cast(code_hash as text), '" + code +
                                       "') > 0 or instr(cast(token_hash as text), '" + code + "') > 0"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            "the code hash is too short to be a keyed hash", std::string("1\n"),
            env().sql("select min(length(code_hash)) >= 16 from challenges where length(code_hash) > 0"));
        static const std::regex eight_digits(R"((^|[^0-9])[0-9]{8}([^0-9]|$))");
        const std::string plain = env().sql("select username, target, proven, client_ip, delivery from challenges");
        CPPUNIT_ASSERT_MESSAGE("an 8-digit number in the challenges table:\n" + plain,
                               !std::regex_search(plain, eight_digits));
    }

    // RS-2 (e): the add-address challenge token is no reset flow, and a reset flow's token and
    // code do not register an address.
    void testTokenOfAnotherPurposeIsRefused() {
        auto mine = signed_in("gil", pw("gil"));
        const std::string address = mail_of("gil");
        const std::size_t known = env().code_count(address);
        Response page = add_email(*mine, address, pw("gil"));
        IT_ASSERT_STATUS(page, 200);
        const std::string challenge = input_value(page.body, "challenge");
        const std::string gil_code = env().wait_for_code(address, known, 1);
        CPPUNIT_ASSERT(!challenge.empty() && !gil_code.empty());

        auto b = fresh_browser();
        b->set_cookie(kResetCookie, challenge);
        assert_start_again(b->get("/myaccount/reset/verify"), "the add-address challenge as a reset flow");
        Response pw_page = b->get("/myaccount/reset/password");
        CPPUNIT_ASSERT_MESSAGE("the add-address challenge opened the password step\n" + pw_page.describe(3000),
                               !has_named_field(pw_page.body, "new_password"));
        Response code = b->post_form("/myaccount/reset/code", {{"csrf", ""}, {"code", gil_code}});
        CPPUNIT_ASSERT_MESSAGE(code.describe(), code.status == 403 || code.status == 400 || code.status == 200);

        // The other way round: a reset flow's token and code (alice's) in gil's add-address form.
        give_email(env(), "alice", kAlicePassword, "alice.codes@example.net");
        auto r = fresh_browser();
        assert_see_other(start_reset(*r, "alice"), "/myaccount/reset/verify", "alice's reset");
        const std::string reset_code = request_code(env(), *r, "alice.codes@example.net");
        Response cross = mine->post_form(
            "/myaccount/security/email/verify",
            {{"csrf", csrf_from_html(page.body)}, {"challenge", r->cookie(kResetCookie)}, {"code", reset_code}});
        IT_ASSERT_STATUS(cross, 400);
        const std::string listed = mine->get("/myaccount/security").body;
        CPPUNIT_ASSERT_MESSAGE("an address was registered with a reset flow's token",
                               method_id_on_page(listed, "alice.codes@example.net").empty());
        // gil's own code still works with his own challenge.
        assert_see_other(verify_email(*mine, page, gil_code), "/myaccount/security?added=1", "gil's own code");
    }
};

IT_REGISTER_SUITE(ResetCodesTest);

// ================================================================================================
// RS-1 and RS-6: what someone who types user IDs can learn (status, body, cookies, time, limits),
// with a notifier that takes 0.2 s (a response that waited for it would show) and a scope
// (MyAccountPasswordResetScope Contoso) that leaves oscar out.
namespace {
const char* const kTimingUsers[] = {"t1", "t2", "t3", "t4", "t5"};
}

class ResetEnumerationTest : public ServerFixture<ResetEnumerationTest> {
    CPPUNIT_TEST_SUITE(ResetEnumerationTest);
    CPPUNIT_TEST(testStartLooksTheSameForEveryone);
    CPPUNIT_TEST(testSendLooksTheSameAndMailsOnlyRegisteredAddresses);
    CPPUNIT_TEST(testTimingDoesNotTellRealUsers);
    CPPUNIT_TEST(testFloodSendsOnlyFiveCodes);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "resetenum"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        for (const char* u : {"dan", "una", "flo", "noel"}) env.add_user(u, std::string(u) + "'s password 123");
        for (const char* u : kTimingUsers) env.add_user(u, std::string(u) + "'s password 123");
        for (const char* u : {"dan", "una", "flo", "noel", "t1", "t2", "t3", "t4", "t5"})
            env.ctl_ok({"org", "add-member", "Contoso", u});
        env.add_user("oscar", "oscar's password 123", "Oscar Outside");
        const std::string script = env.root() + "/slow-notify";
        write_file(script,
                   "#!/bin/sh\nsleep 0.2\nexec '" + std::string(source_dir()) + "/scripts/notify-to-file' '" +
                       env.notifications_file() + "' \"$@\"\n",
                   0755);
    }
    static std::string extra_directives(const Environment& env) {
        return "MyAccountPasswordResetScope Contoso\nMyAccountNotifyCommand \"" + env.root() + "/slow-notify\"";
    }

    static std::string pw(const std::string& user) { return user + "'s password 123"; }

    // Registrations made once for the suite (through the pages).
    void ensure_registrations() {
        static bool done = false;
        if (done) return;
        give_email(env(), "alice", kAlicePassword, "alice.home@example.net");
        give_email(env(), "dan", pw("dan"), "dan.home@example.net");
        env().ctl_ok({"user", "disable", "dan"});
        give_email(env(), "flo", pw("flo"), "flo.home@example.net");
        for (const char* u : kTimingUsers) give_email(env(), u, pw(u), std::string(u) + ".home@example.net");
        // oscar is out of scope; the security page may still let him keep addresses (else he has none).
        Browser b(env().base_url());
        b.set_source_address(fresh_client_address());
        assert_signed_in(b.sign_in("oscar", pw("oscar")), b, "oscar");
        bool registered = false;
        if (b.get("/myaccount/security").status == 200) {
            Response added = add_email(b, "oscar.home@example.net", pw("oscar"));
            const std::string code = env().wait_for_code("oscar.home@example.net", 0, 1);
            if (added.status == 200 && !code.empty()) registered = verify_email(b, added, code).status == 303;
        }
        std::cerr << "\n[RS-1] oscar (out of scope) has a registered address: " << (registered ? "yes" : "no") << "\n";
        done = true;
    }

    std::size_t all_codes() {
        std::size_t n = 0;
        for (const auto& m : env().notifications())
            if (!m.code().empty()) ++n;
        return n;
    }

    struct Probe {
        std::string user;
        std::string address;
    };
    std::vector<Probe> probes() {
        return {{"alice", "alice.home@example.net"}, {"nobody_" + std::to_string(::getpid()), "nobody@example.net"},
                {"dan", "dan.home@example.net"},        // disabled
                {"una", "una@contoso.example"},         // no method (her profile address)
                {"oscar", "oscar.home@example.net"},    // out of scope
                {"ALICE", "alice.other@example.net"}};  // real, but not her address
    }

    void testStartLooksTheSameForEveryone() {
        ensure_registrations();
        std::vector<Response> starts;
        std::vector<std::string> verify_pages;
        for (const Probe& p : probes()) {
            auto b = fresh_browser();
            starts.push_back(start_reset(*b, p.user));
            verify_pages.push_back(without_tokens(b->get("/myaccount/reset/verify").body));
        }
        const Response& first = starts.front();
        assert_see_other(first, "/myaccount/reset/verify", "start for alice");
        const auto cookie = find_set_cookie(first, kResetCookie);
        CPPUNIT_ASSERT(cookie.has_value());
        for (std::size_t i = 0; i < starts.size(); ++i) {
            const Response& r = starts[i];
            const std::string who = probes()[i].user;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(who + "\n" + r.describe(), first.status, r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(who, first.header("Location"), r.header("Location"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(who, first.body.size(), r.body.size());
            const auto c = find_set_cookie(r, kResetCookie);
            CPPUNIT_ASSERT_MESSAGE(who + ": no flow cookie\n" + r.describe(), c.has_value());
            CPPUNIT_ASSERT_MESSAGE(who + ": cookie attributes differ: " + cookie->raw + " vs " + c->raw,
                                   cookie->attrs == c->attrs);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(who, cookie->value.size(), c->value.size());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": the verify page differs", verify_pages.front(), verify_pages[i]);
        }
    }

    void testSendLooksTheSameAndMailsOnlyRegisteredAddresses() {
        ensure_registrations();
        std::map<std::string, std::size_t> before;
        for (const Probe& p : probes()) before[p.address] = env().code_count(p.address);
        const std::size_t total = all_codes();
        std::vector<Response> sends;
        std::vector<std::string> pages;
        for (const Probe& p : probes()) {
            auto b = fresh_browser();
            assert_see_other(start_reset(*b, p.user), "/myaccount/reset/verify", "start for " + p.user);
            sends.push_back(send_code(*b, p.address));
            pages.push_back(without_tokens(b->get("/myaccount/reset/verify").body));
        }
        for (std::size_t i = 0; i < sends.size(); ++i) {
            const std::string who = probes()[i].user + " / " + probes()[i].address;
            assert_see_other(sends[i], "/myaccount/reset/verify", who);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(who, sends.front().body, sends[i].body);
            std::string page = pages[i];
            std::string want = pages.front();
            // The page may echo the address typed; compare with it blanked.
            for (std::string* s : {&page, &want}) {
                for (const Probe& p : probes()) {
                    std::size_t pos;
                    while ((pos = s->find(p.address)) != std::string::npos)
                        s->replace(pos, p.address.size(), "{ADDRESS}");
                }
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": the page after sending differs", want, page);
        }
        CPPUNIT_ASSERT_MESSAGE(
            "alice got no code",
            !env().wait_for_code("alice.home@example.net", before["alice.home@example.net"]).empty());
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // anything else would be there now
        for (const Probe& p : probes()) {
            const std::size_t want = p.address == "alice.home@example.net" ? before[p.address] + 1 : before[p.address];
            CPPUNIT_ASSERT_EQUAL_MESSAGE("messages to " + p.address + " (user " + p.user + ")", want,
                                         env().code_count(p.address));
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("codes sent in all", total + 1, all_codes());
    }

    // RS-1 time: real users with addresses vs unknown IDs, at the start and at the send (which
    // for real users issues a code for a notifier that takes 0.2 s).
    void testTimingDoesNotTellRealUsers() {
        ensure_registrations();
        std::vector<double> real_start, fake_start, real_send, fake_send;
        const std::string tag = std::to_string(::getpid());
        {
            auto warm = fresh_browser();
            start_reset(*warm, "warmup_" + tag);
            send_code(*warm, "warmup@example.net");
        }
        for (int round = 0; round < 4; ++round) {
            for (const char* user : kTimingUsers) {
                const std::string address = std::string(user) + ".home@example.net";
                const std::string nobody = "nobody_" + tag + "_" + std::to_string(round) + "_" + user;
                for (bool real : {true, false}) {
                    auto b = fresh_browser();
                    const std::string csrf = csrf_from_html(b->get("/myaccount/reset").body);
                    Response s = b->post_form("/myaccount/reset", {{"csrf", csrf}, {"username", real ? user : nobody}});
                    IT_ASSERT_STATUS(s, 303);
                    (real ? real_start : fake_start).push_back(s.seconds);
                    const std::string token = flow_csrf(*b);
                    Response r = b->post_form("/myaccount/reset/send",
                                              {{"csrf", token}, {"address", real ? address : "nobody@example.net"}});
                    IT_ASSERT_STATUS(r, 303);
                    (real ? real_send : fake_send).push_back(r.seconds);
                }
            }
        }
        auto check = [](const char* what, double real, double fake) {
            std::cerr << "\n[RS-1 " << what << "] median real user " << real * 1000 << " ms, unknown user "
                      << fake * 1000 << " ms\n";
            // Generous: either side may be up to twice the other plus 5 ms of jitter on tiny requests.
            CPPUNIT_ASSERT_MESSAGE(std::string(what) + ": real-user median " + std::to_string(real * 1000) +
                                       " ms vs unknown-user median " + std::to_string(fake * 1000) + " ms",
                                   real <= 2 * fake + 0.005 && fake <= 2 * real + 0.005);
        };
        check("POST /reset", median(real_start), median(fake_start));
        check("POST /reset/send", median(real_send), median(fake_send));
    }

    // RS-6: 50 sends for one user within a minute (from ten addresses) mail five codes; the
    // sixth send is refused the same way for an unknown user ID (no enumeration by the limit).
    void testFloodSendsOnlyFiveCodes() {
        ensure_registrations();
        const std::string address = "flo.home@example.net";
        const std::size_t known = env().code_count(address);
        std::vector<long> statuses;
        Response limited;
        const std::string attacker = fresh_client_address();  // one network, ten flows
        for (int flow = 0; flow < 10; ++flow) {
            auto b = browser_from(attacker);
            assert_see_other(start_reset(*b, "flo"), "/myaccount/reset/verify", "start " + std::to_string(flow));
            for (int i = 0; i < 5; ++i) {
                Response r = send_code(*b, address);
                statuses.push_back(r.status);
                if (r.status == 429) limited = r;
            }
        }
        const auto ok = std::count(statuses.begin(), statuses.end(), 303L);
        const auto refused = std::count(statuses.begin(), statuses.end(), 429L);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("sends answered 303", 5L, static_cast<long>(ok));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("sends answered 429", 45L, static_cast<long>(refused));
        assert_security_headers(limited, "the 429 page");

        // From networks flo never signed in from, one user ID still gets at most 20 codes an hour:
        // 15 more here.
        long more = 0;
        for (int flow = 0; flow < 6; ++flow) {
            auto b = browser_from("127.20." + std::to_string(flow) + ".1");
            assert_see_other(start_reset(*b, "flo"), "/myaccount/reset/verify", "start elsewhere");
            for (int i = 0; i < 5; ++i) more += send_code(*b, address).status == 303 ? 1 : 0;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("sends from other networks answered 303", 15L, more);
        auto twenty = [&] { return env().code_count(address) >= known + 20; };
        for (int i = 0; i < 200 && !twenty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("codes mailed to " + address, known + 20, env().code_count(address));

        // That budget does not bind flo's own, familiar network (where she signed in): the
        // flood cannot block her reset.
        auto office = browser_from("127.21.0.1");
        assert_signed_in(office->sign_in("flo", pw("flo")), *office, "flo at her office");
        auto own = browser_from("127.21.0.2");
        assert_see_other(start_reset(*own, "flo"), "/myaccount/reset/verify", "start from flo's network");
        IT_ASSERT_STATUS(send_code(*own, address), 303);
        CPPUNIT_ASSERT_MESSAGE("a code for flo from her own network",
                               !env().wait_for_code(address, known + 20, 10).empty());

        // The same limit for a user ID that does not exist.
        const std::string nobody = "nobody_flood_" + std::to_string(::getpid());
        std::vector<long> nobody_statuses;
        Response nobody_limited;
        const std::string prober = fresh_client_address();
        for (int flow = 0; flow < 2; ++flow) {
            auto b = browser_from(prober);
            assert_see_other(start_reset(*b, nobody), "/myaccount/reset/verify", "start for " + nobody);
            for (int i = 0; i < 4; ++i) {
                Response r = send_code(*b, "nobody.flood@example.net");
                nobody_statuses.push_back(r.status);
                if (r.status == 429) nobody_limited = r;
            }
        }
        const std::vector<long> want = {303, 303, 303, 303, 303, 429, 429, 429};
        CPPUNIT_ASSERT_MESSAGE("an unknown user ID is limited differently (enumeration by the limit)",
                               nobody_statuses == want);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("429 pages differ", without_tokens(limited.body),
                                     without_tokens(nobody_limited.body));
    }
};

IT_REGISTER_SUITE(ResetEnumerationTest);

// ================================================================================================
// A reset of someone with 2-step methods (the demo's MyAccountRequireMFA Registered): an inbox
// alone is not enough; the flow also takes the authenticator app's code, a recovery code, or a
// code texted to a registered phone, each in its own step.

namespace {
std::string two_step_password(const std::string& user) { return user + "'s reset password 2026"; }
}  // namespace

class ResetTwoStepTest : public ServerFixture<ResetTwoStepTest> {
    CPPUNIT_TEST_SUITE(ResetTwoStepTest);
    CPPUNIT_TEST(testAnAuthenticatorUserProvesTheAppToo);
    CPPUNIT_TEST(testARecoveryCodeServesOnce);
    CPPUNIT_TEST(testAPhoneUserProvesThePhone);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "resettwostep"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        for (const char* user : {"tess", "rory", "phil"}) env.add_user(user, two_step_password(user));
    }

    // Signs user in, registers address for the reset and returns the browser for more methods.
    std::unique_ptr<Browser> with_email(const std::string& user, const std::string& address) {
        auto b = fresh_browser();
        assert_signed_in(b->sign_in(user, two_step_password(user)), *b, "sign-in of " + user);
        register_email(env(), *b, address, two_step_password(user));
        return b;
    }

    // Start, the e-mail code: proven, but the flow asks for one step more (and no password yet).
    void prove_the_inbox(Browser& b, const std::string& user, const std::string& address) {
        assert_see_other(start_reset(b, user), "/myaccount/reset/verify", "start a reset for " + user);
        assert_see_other(enter_code(b, request_code(env(), b, address)), "/myaccount/reset/verify",
                         "the inbox alone for " + user);
        Response verify = b.get("/myaccount/reset/verify");
        CPPUNIT_ASSERT_MESSAGE(verify.describe(6000), contains(verify.body, "Step 3 of 4"));
        assert_see_other(b.get("/myaccount/reset/password"), "/myaccount/reset/verify", "no password page yet");
    }

    void finish(Browser& b, const std::string& user) {
        const std::string next = "a lighthouse keeper's new phrase";
        Response done = choose_password(b, next, next);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.describe(3000), 303L, done.status);
        auto in = fresh_browser();
        assert_signed_in(in->sign_in(user, next), *in, user + " with the new password");
    }

    void testAnAuthenticatorUserProvesTheAppToo() {
        const std::string address = "tess@example.net";
        Enrolled enrolled = enrol_authenticator(*with_email("tess", address), false);
        auto b = fresh_browser();
        prove_the_inbox(*b, "tess", address);
        wait_for_next_step();  // the set-up's code is spent
        const std::string right = oathtool_code(enrolled.secret);
        Response wrong = b->post_form("/myaccount/reset/app-code",
                                      {{"csrf", flow_csrf(*b)}, {"app_code", right == "000000" ? "111111" : "000000"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(wrong.describe(3000), 400L, wrong.status);
        CPPUNIT_ASSERT_MESSAGE(wrong.describe(4000), contains(wrong.body, "That code is not right"));
        assert_see_other(b->post_form("/myaccount/reset/app-code", {{"csrf", flow_csrf(*b)}, {"app_code", right}}),
                         "/myaccount/reset/password", "the app's code");
        finish(*b, "tess");
    }

    void testARecoveryCodeServesOnce() {
        const std::string address = "rory@example.net";
        Enrolled enrolled = enrol_authenticator(*with_email("rory", address), true);
        auto b = fresh_browser();
        prove_the_inbox(*b, "rory", address);
        const std::string code = enrolled.recovery_codes.at(0);
        assert_see_other(
            b->post_form("/myaccount/reset/recovery-code", {{"csrf", flow_csrf(*b)}, {"recovery_code", code}}),
            "/myaccount/reset/password", "a recovery code");
        CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                             env().sql("select count(*) from recovery_codes where used_at > 0 and account_id="
                                       "(select id from accounts where username='rory')"));
        // The same code in another reset: used up.
        auto again = fresh_browser();
        prove_the_inbox(*again, "rory", address);
        Response used =
            again->post_form("/myaccount/reset/recovery-code", {{"csrf", flow_csrf(*again)}, {"recovery_code", code}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(used.describe(3000), 400L, used.status);
        finish(*b, "rory");
    }

    void testAPhoneUserProvesThePhone() {
        const std::string address = "phil@example.net";
        const std::string number = "+819077778888";
        register_phone(env(), *with_email("phil", address), "090-7777-8888", number);
        auto b = fresh_browser();
        prove_the_inbox(*b, "phil", address);

        Response bad = b->post_form("/myaccount/reset/send", {{"csrf", flow_csrf(*b)}, {"phone", "12"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(bad.describe(3000), 400L, bad.status);
        CPPUNIT_ASSERT_MESSAGE(bad.describe(4000), contains(bad.body, "Enter a valid phone number.") &&
                                                       contains(bad.body, "value=\"12\""));
        // A number that is not his: the same answer, and nothing is sent to it.
        const std::string stranger = "+819011110000";
        assert_see_other(b->post_form("/myaccount/reset/send", {{"csrf", flow_csrf(*b)}, {"phone", "090-1111-0000"}}),
                         "/myaccount/reset/verify", "an unregistered number");
        CPPUNIT_ASSERT(!env().wait_for_notification(stranger, 0, 1).has_value());

        const std::size_t known = env().code_count(number);
        assert_see_other(b->post_form("/myaccount/reset/send", {{"csrf", flow_csrf(*b)}, {"phone", "090 7777 8888"}}),
                         "/myaccount/reset/verify", "his number");
        const std::string code = env().wait_for_code(number, known);
        CPPUNIT_ASSERT_MESSAGE("no text message to " + number, !code.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), env().notifications_for(number).back().channel);
        assert_see_other(enter_code(*b, code), "/myaccount/reset/password", "the texted code");
        finish(*b, "phil");
    }
};

IT_REGISTER_SUITE(ResetTwoStepTest);

// ================================================================================================
// AC-3: with MyAccountPasswordReset Off, no route of the feature answers, under any spelling.
class ResetOffTest : public ServerFixture<ResetOffTest> {
    CPPUNIT_TEST_SUITE(ResetOffTest);
    CPPUNIT_TEST(testEveryResetRouteIsGone);
    CPPUNIT_TEST(testLoginPageHasNoForgotLink);
    CPPUNIT_TEST(testSignInIsNotInterrupted);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "resetoff"; }
    static std::string extra_directives(const Environment&) { return "MyAccountPasswordReset Off"; }

    void assert_gone(const Response& r, bool signed_in_browser) {
        const bool login = r.status == 401 && has_named_field(r.body, "httpd_username");
        CPPUNIT_ASSERT_MESSAGE(
            "want 404" + std::string(signed_in_browser ? "" : " or the login page") + "\n" + r.describe(3000),
            r.status == 404 || (!signed_in_browser && login));
        CPPUNIT_ASSERT_MESSAGE("the reset form is served\n" + r.describe(3000),
                               !contains(r.body, "action=\"/myaccount/reset") && !has_named_field(r.body, "address"));
        CPPUNIT_ASSERT_MESSAGE("a flow cookie was set\n" + r.describe(), !find_set_cookie(r, kResetCookie));
    }

    void testEveryResetRouteIsGone() {
        const std::vector<std::string> paths = {"/myaccount/reset",
                                                "/myaccount/reset/",
                                                "/myaccount/RESET",
                                                "/myaccount/Reset",
                                                "/myaccount/reset;x",
                                                "/myaccount/reset%2fverify",
                                                "/myaccount/reset/verify",
                                                "/myaccount/reset/send",
                                                "/myaccount/reset/code",
                                                "/myaccount/reset/password",
                                                "/myaccount//reset",
                                                "//myaccount/reset",
                                                "/myaccount/./reset",
                                                "/myaccount/reset/verify/",
                                                "/myaccount/reset?x=1",
                                                "/myaccount/reset.html",
                                                "/myaccount/%72eset",
                                                "/myaccount/security/postpone"};
        auto anon = browser();
        auto alice = signed_in("alice", kAlicePassword);
        anon->set_path_as_is(true);
        alice->set_path_as_is(true);
        const std::string token = csrf_from_html(anon->get("/myaccount/login").body);
        for (const auto& path : paths) {
            const bool security = path.rfind("/myaccount/security", 0) == 0;
            if (!security) {
                assert_gone(anon->get(path), false);
                assert_gone(
                    anon->post_form(path, {{"csrf", token}, {"username", "alice"}, {"address", "a@example.net"}}),
                    false);
            }
            assert_gone(alice->get(path), true);
            assert_gone(alice->post_form(path, {{"csrf", "x"}, {"username", "alice"}, {"next", "/myaccount/"}}), true);
        }
        // The request to register serves 2-step methods too (an organization may ask for one):
        // with nothing to register it sends the browser on, and never asks for reset methods.
        Response register_page = alice->get("/myaccount/security/register?next=/myaccount/");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(register_page.describe(), 303L, register_page.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/myaccount/"), location_path(register_page));
    }

    void testLoginPageHasNoForgotLink() {
        Response login = browser()->get("/myaccount/login");
        CPPUNIT_ASSERT_MESSAGE(login.describe(4000), !contains(login.body, "/myaccount/reset"));
        CPPUNIT_ASSERT_MESSAGE(login.describe(4000), !contains_ci(login.body, "Forgot"));
    }

    // The after-sign-in request to register exists only for the reset.
    void testSignInIsNotInterrupted() {
        auto b = browser();
        Response r = b->sign_in("alice", kAlicePassword, "/app/index.html");
        assert_signed_in(r, *b, "alice");
        CPPUNIT_ASSERT_MESSAGE(r.describe(), ends_with(r.header("Location"), "/app/index.html"));
        CPPUNIT_ASSERT_MESSAGE(r.describe(), !contains(r.header("Location"), "/security/register"));
    }
};

IT_REGISTER_SUITE(ResetOffTest);
