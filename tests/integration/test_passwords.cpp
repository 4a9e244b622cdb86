// Passwords end to end: storage format, HTTP Basic, long/Unicode passwords, no truncation, import.
#include "suite.hpp"

using namespace it;

namespace {

const char* const kArgon2idOwasp = "$argon2id$v=19$m=19456,t=2,p=1$";

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// n characters of a readable, non-repeating-looking phrase.
std::string phrase(std::size_t n, char salt) {
    const std::string words = "Tr0ub4dor&3 horse-battery staple; paper clip ";
    std::string out;
    for (std::size_t i = 0; out.size() < n; ++i) out += words[(i * 7 + static_cast<std::size_t>(salt)) % words.size()];
    return out;
}

}  // namespace

class PasswordsTest : public ServerFixture<PasswordsTest> {
    CPPUNIT_TEST_SUITE(PasswordsTest);
    CPPUNIT_TEST(testHashesAreArgon2idWithOwaspParameters);
    CPPUNIT_TEST(testBasicAuthChecksTheSameAccounts);
    CPPUNIT_TEST(testLongPasswordsWorkByFormAndBasic);
    CPPUNIT_TEST(testPasswordsAreNotTruncated);
    CPPUNIT_TEST(testOverlongPasswordsAreRefusedCleanly);
    CPPUNIT_TEST(testNoTruncationAtTheMaximum);
    CPPUNIT_TEST(testPasswordWithNulIsRefusedOrKeptWhole);
    CPPUNIT_TEST(testNulInSubmittedPasswordIsNotCutOff);
    CPPUNIT_TEST(testUnicodePasswordsWorkByFormAndBasic);
    CPPUNIT_TEST(testImportedBcryptHashIsUpgradedAtSignIn);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "passwords"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        env.add_user("erin", kAlicePassword, "Erin Samepass");
        env.add_user("longpw", "initial long password", "Long Password");
        env.add_user("trunc", "initial trunc password", "Trunc Test");
        env.add_user("uni", "initial unicode password", "Uni Code");
        env.add_user("overlong", "overlong's own password", "Over Long");
        env.add_user("trunc2", "initial trunc2 password", "Trunc Two");
        env.add_user("nul1", "initial nul1 password", "Nul One");
        env.add_user("nul2", "initial nul2 password", "Nul Two");
    }

    std::string hash_of(const std::string& user) {
        return first_line(env().sql("select password_hash from accounts where username='" + user + "'"));
    }

    void assert_form_sign_in(const std::string& user, const std::string& password, bool want_ok) {
        auto b = browser();
        Response r = b->sign_in(user, password);
        if (want_ok) {
            assert_signed_in(r, *b, "form sign-in of " + user + " with a " + std::to_string(password.size()) + "-byte password");
            IT_ASSERT_STATUS(b->get("/myaccount/"), 200);
        } else {
            CPPUNIT_ASSERT_EQUAL_MESSAGE("form sign-in of " + user + " with '" + password + "' should fail\n" + r.describe(),
                                         401L, r.status);
        }
    }

    void assert_basic(const std::string& user, const std::string& password, long want) {
        auto b = browser();
        Response r = b->get_basic("/basic/index.html", user, password);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("Basic " + user + " / '" + password + "'\n" + r.describe(), want, r.status);
    }

    void testHashesAreArgon2idWithOwaspParameters() {
        const std::string alice = hash_of("alice");
        CPPUNIT_ASSERT_MESSAGE("alice's hash: " + alice, alice.rfind(kArgon2idOwasp, 0) == 0);
        const std::string erin = hash_of("erin");
        CPPUNIT_ASSERT_MESSAGE("erin's hash: " + erin, erin.rfind(kArgon2idOwasp, 0) == 0);
        CPPUNIT_ASSERT_MESSAGE("same password, same hash: no per-account salt", alice != erin);
    }

    void testBasicAuthChecksTheSameAccounts() {
        allow_failed_sign_in_lines();
        assert_basic("alice", kAlicePassword, 200);
        auto b = browser();
        Response ok = b->get_basic("/basic/index.html", "alice", kAlicePassword);
        CPPUNIT_ASSERT_MESSAGE(ok.describe(), contains(ok.body, "basic area"));
        assert_basic("alice", "not alice's password", 401);
        assert_basic("nobody-here", kAlicePassword, 401);
        IT_ASSERT_STATUS(browser()->get("/basic/index.html"), 401);
    }

    void testLongPasswordsWorkByFormAndBasic() {
        for (std::size_t n : {64u, 128u}) {
            const std::string pw = phrase(n, static_cast<char>(n));
            CPPUNIT_ASSERT_EQUAL(n, pw.size());
            env().set_password("longpw", pw);
            assert_form_sign_in("longpw", pw, true);
            assert_basic("longpw", pw, 200);
        }
    }

    void testPasswordsAreNotTruncated() {
        allow_failed_sign_in_lines();
        const std::string a72 = phrase(72, 't');  // bcrypt's limit; not 72 'A's, which are too easy to guess
        env().set_password("trunc", a72 + "x");
        assert_form_sign_in("trunc", a72 + "y", false);
        assert_basic("trunc", a72 + "y", 401);
        assert_form_sign_in("trunc", a72, false);
        assert_form_sign_in("trunc", a72 + "x", true);
        assert_basic("trunc", a72 + "x", 200);
    }

    // PW-2: above the maximum (128 code points) the CLI refuses and sign-ins fail cleanly (no 5xx).
    void testOverlongPasswordsAreRefusedCleanly() {
        allow_failed_sign_in_lines();
        const std::string too_long = phrase(129, 'o');
        ProcessResult set = env().ctl({"user", "set-password", "overlong", "--password-stdin"}, too_long + "\n");
        CPPUNIT_ASSERT_MESSAGE("set-password accepted 129 characters\n" + set.combined(), set.exit_code != 0);
        CPPUNIT_ASSERT_MESSAGE("no reason given for the refusal", !set.combined().empty());
        assert_form_sign_in("overlong", "overlong's own password", true);
        for (const std::string& pw : {too_long, phrase(4000, 'p')}) {
            assert_form_sign_in("overlong", pw, false);
            assert_basic("overlong", pw, 401);
        }
    }

    // PW-3 at the 128 boundary.
    void testNoTruncationAtTheMaximum() {
        allow_failed_sign_in_lines();
        const std::string b127 = phrase(127, 'u');
        env().set_password("trunc2", b127 + "x");
        assert_form_sign_in("trunc2", b127 + "y", false);
        assert_basic("trunc2", b127 + "y", 401);
        assert_form_sign_in("trunc2", b127 + "x", true);
    }

    // PW-3 (SECURITY.md): a password set with an embedded NUL is refused, or else its prefix does
    // not sign in.
    void testPasswordWithNulIsRefusedOrKeptWhole() {
        allow_failed_sign_in_lines();
        env().set_password("nul1", "nul-test secret");
        const std::string with_nul("nul-test secret\0tail", 20);
        ProcessResult set = env().ctl({"user", "set-password", "nul1", "--password-stdin"}, with_nul + "\n");
        if (set.exit_code != 0) {
            assert_form_sign_in("nul1", "nul-test secret", true);  // refused: the old one still works
        } else {
            assert_form_sign_in("nul1", "nul-test secret", false);
            assert_basic("nul1", "nul-test secret", 401);
        }
    }

    // PW-3 ("no truncation anywhere ... form parser"): what follows a NUL in the submitted password
    // is not silently cut off.
    void testNulInSubmittedPasswordIsNotCutOff() {
        allow_failed_sign_in_lines();
        env().set_password("nul2", "nul-test secret");
        assert_form_sign_in("nul2", std::string("nul-test secret\0tail", 20), false);
        assert_form_sign_in("nul2", "nul-test secret", true);
    }

    void testUnicodePasswordsWorkByFormAndBasic() {
        const std::string pw = "  a b \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80 ";  // "  a b ü 漢 😀 "
        env().set_password("uni", pw);
        assert_form_sign_in("uni", pw, true);
        assert_basic("uni", pw, 200);
    }

    void testImportedBcryptHashIsUpgradedAtSignIn() {
        const std::string password = "old password 123";
        ProcessResult h = run_process({"htpasswd", "-nbB", "bob", password});
        CPPUNIT_ASSERT_EQUAL_MESSAGE("htpasswd: " + h.combined(), 0, h.exit_code);
        const std::string file = env().root() + "/import.htpasswd";
        write_file(file, first_line(h.out) + "\n", 0600);
        env().ctl_ok({"import-htpasswd", file});

        const std::string before = hash_of("bob");
        CPPUNIT_ASSERT_MESSAGE("imported hash should still be the bcrypt one until bob signs in: " + before,
                               !before.empty() && before.rfind("$argon2id$", 0) != 0);
        assert_form_sign_in("bob", password, true);
        const std::string after = hash_of("bob");
        CPPUNIT_ASSERT_MESSAGE("hash after sign-in: " + after, after.rfind(kArgon2idOwasp, 0) == 0);
        assert_form_sign_in("bob", password, true);
        assert_basic("bob", password, 200);
    }
};

IT_REGISTER_SUITE(PasswordsTest);
