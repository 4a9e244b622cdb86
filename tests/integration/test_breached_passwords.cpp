// The offline breached-password check (issue 11 point 9, PW-6): a generated Pwned Passwords style
// file (SHA-1 HASH:COUNT lines, sorted) named by MyAccountPasswordBreachedHashes refuses its
// passwords on a change and on a reset, in the user's language; a missing or wrong file stops
// start-up.
#include <algorithm>
#include <cctype>
#include <random>

#include <stdio.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;

namespace {

// Strong-looking, so only the breached list can refuse it; and one no list holds.
const std::string kBreached = "Tr0ub4dor&3-horse-staple";
const std::string kFresh = "Quartz-Meadow-Lantern-77";

// SHA-1 as the Pwned Passwords file spells it (upper-case hex), from coreutils: never our own code.
std::string sha1_upper(const std::string& text) {
    ProcessResult r = run_process({"sha1sum"}, text);
    if (r.exit_code != 0 || r.out.size() < 40) throw std::runtime_error("sha1sum failed: " + r.combined());
    std::string hash = r.out.substr(0, 40);
    std::transform(hash.begin(), hash.end(), hash.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return hash;
}

// The breached passwords among `noise` random hashes, sorted, "\r\n" endings as in the download.
void write_hash_file(const std::string& path, const std::vector<std::string>& breached, std::size_t noise) {
    std::vector<std::string> lines;
    for (const std::string& password : breached) lines.push_back(sha1_upper(password) + ":3");
    std::mt19937_64 random(20240611);
    static constexpr char digits[] = "0123456789ABCDEF";
    for (std::size_t i = 0; i < noise; ++i) {
        std::string hash;
        for (int k = 0; k < 40; ++k) hash.push_back(digits[random() % 16]);
        lines.push_back(hash + ":" + std::to_string(1 + random() % 1000));
    }
    std::sort(lines.begin(), lines.end());
    std::string text;
    for (const std::string& line : lines) text += line + "\r\n";
    write_file(path, text, 0644);
}

std::string hash_file(const Environment& env) {
    return env.root() + "/pwned/pwned-passwords-sha1.txt";
}

}  // namespace

class BreachedPasswordsTest : public ServerFixture<BreachedPasswordsTest> {
    CPPUNIT_TEST_SUITE(BreachedPasswordsTest);
    CPPUNIT_TEST(testBreachedPasswordIsRefusedInEnglish);
    CPPUNIT_TEST(testBreachedPasswordIsRefusedInJapanese);
    CPPUNIT_TEST(testApiNamesTheRule);
    CPPUNIT_TEST(testResetRefusesBreachedPassword);
    CPPUNIT_TEST(testMissingOrWrongFileStopsStartUp);
    CPPUNIT_TEST(testNewerFileRenamedOverIsUsedAfterGracefulRestart);  // last: it replaces the file
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "breached"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        ::mkdir((env.root() + "/pwned").c_str(), 0755);
        write_hash_file(hash_file(env), {kBreached}, 5000);
        env.add_user("kai", "kai's first password 1", "Kai Keller");
        env.add_user("mio", "mio's first password 2", "Mio Mori");
        env.add_user("noa", "noa's first password 3", "Noa Nagel");
        env.add_user("rei", "rei's first password 4", "Rei Reset");
        env.add_user("uma", "uma's first password 5", "Uma Update");
    }
    static std::string extra_directives(const Environment& env) {
        return "MyAccountPasswordBreachedHashes " + hash_file(env) + "\nMyAccountRequireMFA Off";
    }

    Response change(Browser& b, const std::string& current, const std::string& next) {
        Response page = b.get("/myaccount/password");
        IT_ASSERT_STATUS(page, 200);
        return b.post_form("/myaccount/password", {{"csrf", input_value(page.body, "csrf")},
                                                   {"current_password", current},
                                                   {"new_password", next},
                                                   {"confirm_password", next}});
    }

    std::string hash_of(const std::string& user) {
        return env().sql("select password_hash from accounts where username='" + user + "'");
    }

    std::unique_ptr<Browser> signed_in_as(const std::string& user, const std::string& password,
                                          const std::string& language) {
        auto b = browser_from(fresh_client_address(), language);
        assert_signed_in(b->sign_in(user, password), *b, "sign-in of " + user);
        return b;
    }

    // The change to the breached password is refused, saying why in the browser's language and
    // for that reason only; then a password the file does not hold is accepted.
    void assert_refused_then_fresh_accepted(const std::string& user, const std::string& password,
                                            const std::string& language, const std::string& says,
                                            const std::string& not_says) {
        auto b = signed_in_as(user, password, language);
        const std::string before = hash_of(user);
        Response refused = change(*b, password, kBreached);
        IT_ASSERT_STATUS(refused, 400);
        CPPUNIT_ASSERT_MESSAGE(refused.describe(3000), contains(refused.body, says));
        CPPUNIT_ASSERT_MESSAGE(refused.describe(3000), !contains(refused.body, not_says));
        CPPUNIT_ASSERT_EQUAL(before, hash_of(user));
        IT_ASSERT_STATUS(change(*b, password, kFresh), 303);
        CPPUNIT_ASSERT(hash_of(user) != before);
        signed_in(user, kFresh);
    }

    void testBreachedPasswordIsRefusedInEnglish() {
        assert_refused_then_fresh_accepted("kai", "kai's first password 1", "en",
                                           "This password has appeared in a data breach", "too common");
    }

    void testBreachedPasswordIsRefusedInJapanese() {
        assert_refused_then_fresh_accepted("mio", "mio's first password 2", "ja",
                                           "このパスワードは過去のデータ漏えいで流出したことがあり", "data breach");
    }

    void testApiNamesTheRule() {
        auto b = signed_in_as("noa", "noa's first password 3", "en");
        const nlohmann::json me = nlohmann::json::parse(b->get("/myaccount/api/v1/me").body);
        const Headers csrf = {{"X-CSRF-Token", me["csrf_token"].get<std::string>()}};
        const nlohmann::json body = {{"current_password", "noa's first password 3"}, {"new_password", kBreached}};
        Response r = b->post_json("/myaccount/api/v1/me/password", body.dump(), csrf);
        IT_ASSERT_STATUS(r, 400);
        const nlohmann::json j = nlohmann::json::parse(r.body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("password_policy"), j["error"]["code"].get<std::string>());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, nlohmann::json::array({"breached"}), j["error"]["violations"]);
    }

    // The reset path applies the same check (it must not be a way around it).
    void testResetRefusesBreachedPassword() {
        const std::string address = "rei@example.net";
        {
            auto owner = signed_in_as("rei", "rei's first password 4", "en");
            register_email(env(), *owner, address, "rei's first password 4");
        }
        const std::string before = hash_of("rei");
        auto b = fresh_browser();
        prove(env(), *b, "rei", address);
        Response refused = choose_password(*b, kBreached, kBreached);
        IT_ASSERT_STATUS(refused, 400);
        CPPUNIT_ASSERT_MESSAGE(refused.describe(3000),
                               contains(refused.body, "This password has appeared in a data breach"));
        CPPUNIT_ASSERT_EQUAL(before, hash_of("rei"));
        assert_see_other(choose_password(*b, kFresh, kFresh), "/myaccount/login?password_reset=1",
                         "a password not in the file");
    }

    // `apache2 -t` (and so a start) fails naming the directive and the file; the file as generated passes.
    void testMissingOrWrongFileStopsStartUp() {
        const std::string missing = env().root() + "/pwned/missing.txt";
        ProcessResult absent =
            env().config_test(env().demo_plus("breached-missing", "MyAccountPasswordBreachedHashes " + missing));
        const std::string said = "exit " + std::to_string(absent.exit_code) + ", output:\n" + absent.combined();
        CPPUNIT_ASSERT_MESSAGE(said, absent.exit_code != 0);
        CPPUNIT_ASSERT_MESSAGE(said, contains(absent.combined(), "MyAccountPasswordBreachedHashes"));
        CPPUNIT_ASSERT_MESSAGE(said, contains(absent.combined(), missing));
        CPPUNIT_ASSERT_MESSAGE(said, contains(absent.combined(), "No such file"));

        const std::string empty = env().root() + "/pwned/empty.txt";
        write_file(empty, "", 0644);
        ProcessResult blank =
            env().config_test(env().demo_plus("breached-empty", "MyAccountPasswordBreachedHashes " + empty));
        CPPUNIT_ASSERT_MESSAGE(blank.combined(), blank.exit_code != 0 && contains(blank.combined(), "is empty"));

        // The NTLM download (32 hex digits) is not the SHA-1 list.
        const std::string ntlm = env().root() + "/pwned/ntlm.txt";
        write_file(ntlm, "00000000DD7F2A1C68A35673713783CA:19\r\n", 0644);
        ProcessResult wrong =
            env().config_test(env().demo_plus("breached-ntlm", "MyAccountPasswordBreachedHashes " + ntlm));
        CPPUNIT_ASSERT_MESSAGE(wrong.combined(), wrong.exit_code != 0 && contains(wrong.combined(), "HASH:COUNT"));

        ProcessResult good =
            env().config_test(env().demo_plus("breached-good", "MyAccountPasswordBreachedHashes " + hash_file(env())));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(good.combined(), 0, good.exit_code);
    }

    // README's update: the new download renamed over the configured name. The running children
    // keep answering from the file they mapped; `apachectl graceful` brings in the new one.
    void testNewerFileRenamedOverIsUsedAfterGracefulRestart() {
        const std::string newly_breached = "Velvet-Compass-Harbor-58";
        write_hash_file(hash_file(env()) + ".new", {newly_breached}, 5000);
        CPPUNIT_ASSERT_EQUAL(0, ::rename((hash_file(env()) + ".new").c_str(), hash_file(env()).c_str()));
        {
            auto before = signed_in_as("uma", "uma's first password 5", "en");
            Response still_old = change(*before, "uma's first password 5", kBreached);
            IT_ASSERT_STATUS(still_old, 400);
            CPPUNIT_ASSERT_MESSAGE(still_old.describe(3000), contains(still_old.body, "data breach"));
        }
        env().graceful_restart();
        auto after = signed_in_as("uma", "uma's first password 5", "en");
        Response now_refused = change(*after, "uma's first password 5", newly_breached);
        IT_ASSERT_STATUS(now_refused, 400);
        CPPUNIT_ASSERT_MESSAGE(now_refused.describe(3000), contains(now_refused.body, "data breach"));
        IT_ASSERT_STATUS(change(*after, "uma's first password 5", kBreached), 303);  // not in the new file
    }
};

IT_REGISTER_SUITE(BreachedPasswordsTest);
