// Crash safety: httpd children are killed (SIGKILL) again and again while password changes and
// sign-ins run in parallel. Afterwards the SQLite file passes its integrity check and every change
// the server acknowledged is there: no acknowledged write is lost.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "suite.hpp"

using namespace it;

namespace {

constexpr int kChangers = 4;
constexpr int kSigners = 4;

std::string changer(int i) { return "changer" + std::to_string(i); }
std::string signer(int i) { return "signer" + std::to_string(i); }
// Nothing of the user ID in it (the password rules refuse that), different for every user.
std::string password_of(const std::string& user, int generation) {
    return std::string("sturdy lantern ") + user.front() + user.back() + " no " + std::to_string(generation);
}

// What one changer thread knows at the end: the last password the server acknowledged, and the one
// it was changing to when its answer was lost (the change may or may not have been made).
struct ChangerOutcome {
    int acknowledged = 0;         // generation
    std::optional<int> in_doubt;  // generation of an unanswered change
    int acknowledged_changes = 0;
    std::string unexpected;       // an answer that was neither success nor a lost connection
};

// The answer, or nullopt when the connection died with its child (no answer at all).
template <typename Request>
std::optional<Response> answer_of(Request request) {
    try {
        Response r = request();
        if (r.status == 0) return std::nullopt;
        return r;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

class CrashSafetyTest : public ServerFixture<CrashSafetyTest> {
    CPPUNIT_TEST_SUITE(CrashSafetyTest);
    CPPUNIT_TEST(testKilledChildrenLoseNoAcknowledgedWrite);
    CPPUNIT_TEST_SUITE_END();

public:
    static const char* label() { return "crash"; }
    static void prepare(Environment& env) {
        env.create_standard_directory();
        for (int i = 0; i < kChangers; ++i) env.add_user(changer(i), password_of(changer(i), 0));
        for (int i = 0; i < kSigners; ++i) env.add_user(signer(i), password_of(signer(i), 0));
    }
    // Short argon2 passes keep many changes in the run; the lockout never gets in the way.
    static std::string extra_directives(const Environment&) {
        return "MyAccountArgon2Iterations 1\nMyAccountLockoutThreshold 0\nMyAccountLockoutAccountThreshold 0\n";
    }

    void testKilledChildrenLoseNoAcknowledgedWrite() {
        allow_failed_sign_in_lines();
        allow_log("exit signal Killed");
        allow_log("AH00052|AH00051|AH00169|AH00050");
        std::atomic<bool> stop{false};
        std::vector<ChangerOutcome> changes(kChangers);
        std::vector<int> sign_ins(kSigners, 0);
        std::vector<std::thread> workers;
        for (int i = 0; i < kChangers; ++i)
            workers.emplace_back([&, i] { changes[i] = keep_changing(changer(i), stop); });
        for (int i = 0; i < kSigners; ++i)
            workers.emplace_back([&, i] { sign_ins[i] = keep_signing_in(signer(i), stop); });
        const int kills = kill_children_for(std::chrono::seconds(12));
        stop = true;
        for (std::thread& t : workers) t.join();
        CPPUNIT_ASSERT_MESSAGE("children were killed", kills >= 10);

        CPPUNIT_ASSERT_EQUAL(std::string("ok\n"), env().sql("PRAGMA integrity_check"));
        int total_changes = 0;
        for (int i = 0; i < kChangers; ++i) {
            const ChangerOutcome& outcome = changes[i];
            total_changes += outcome.acknowledged_changes;
            const std::string user = changer(i);
            // The password is the last acknowledged one, or the one in doubt: never an older one.
            bool current = signs_in(user, password_of(user, outcome.acknowledged));
            if (!current && outcome.in_doubt) current = signs_in(user, password_of(user, *outcome.in_doubt));
            CPPUNIT_ASSERT_MESSAGE(user + ": " + outcome.unexpected, outcome.unexpected.empty());
            CPPUNIT_ASSERT_MESSAGE(user + ": its last acknowledged password is lost", current);
            const int recorded = std::stoi(env().sql(
                "select count(*) from audit_events e join accounts a on a.id = e.account_id"
                " where a.username = '" + user + "' and e.kind = 'password_changed'"));
            CPPUNIT_ASSERT_MESSAGE(user + ": " + std::to_string(recorded) + " changes recorded, " +
                                       std::to_string(outcome.acknowledged_changes) + " acknowledged",
                                   recorded >= outcome.acknowledged_changes);
        }
        CPPUNIT_ASSERT_MESSAGE("password changes were acknowledged during the kills", total_changes > 0);
        for (int i = 0; i < kSigners; ++i) {
            const int recorded = std::stoi(env().sql(
                "select count(*) from sign_in_attempts where username = '" + signer(i) + "' and result = 'success'"));
            CPPUNIT_ASSERT_MESSAGE(signer(i) + ": acknowledged sign-ins missing",
                                   recorded >= sign_ins[i] && sign_ins[i] > 0);
        }
    }

private:
    // Changes the user's password through the JSON API until told to stop or an answer is lost.
    ChangerOutcome keep_changing(const std::string& user, const std::atomic<bool>& stop) {
        ChangerOutcome outcome;
        auto b = fresh_browser();
        while (!stop) {
            std::optional<Response> me = answer_of([&] { return b->get("/myaccount/api/v1/me"); });
            if (!me) continue;
            if (me->status != 200) {  // not signed in (yet, or the session went with a change)
                answer_of([&] { return b->sign_in(user, password_of(user, outcome.acknowledged)); });
                continue;
            }
            const std::string token = nlohmann::json::parse(me->body).value("csrf_token", "");
            const int next = outcome.acknowledged + 1;
            nlohmann::json body = {{"current_password", password_of(user, outcome.acknowledged)},
                                   {"new_password", password_of(user, next)}};
            std::optional<Response> changed = answer_of([&] {
                return b->post_json("/myaccount/api/v1/me/password", body.dump(), {{"X-CSRF-Token", token}});
            });
            if (changed && changed->status == 200) {
                outcome.acknowledged = next;
                ++outcome.acknowledged_changes;
            } else if (!changed || changed->status >= 500) {
                outcome.in_doubt = next;  // the answer was lost: what happened is checked at the end
                return outcome;
            } else {
                outcome.unexpected = "unexpected answer to a password change\n" + changed->describe();
                return outcome;
            }
        }
        return outcome;
    }

    // Signs the user in again and again; how many sign-ins the server acknowledged (a redirect
    // with a session).
    int keep_signing_in(const std::string& user, const std::atomic<bool>& stop) {
        int acknowledged = 0;
        while (!stop) {
            auto b = fresh_browser();
            std::optional<Response> r = answer_of([&] { return b->sign_in(user, password_of(user, 0)); });
            if (r && r->status / 100 == 3 && !b->cookie(kSessionCookie).empty()) ++acknowledged;
        }
        return acknowledged;
    }

    bool signs_in(const std::string& user, const std::string& password) {
        auto b = fresh_browser();
        return b->sign_in(user, password).status / 100 == 3;
    }

    // SIGKILLs a random child of httpd every 250 ms for `how_long`; how many it killed.
    int kill_children_for(std::chrono::seconds how_long) {
        std::ifstream pid_file(env().rundir() + "/httpd.pid");
        pid_t parent = 0;
        pid_file >> parent;
        CPPUNIT_ASSERT_MESSAGE("httpd's pid file", parent > 0);
        std::mt19937 random(12345);
        int kills = 0;
        const auto end = std::chrono::steady_clock::now() + how_long;
        while (std::chrono::steady_clock::now() < end) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            std::istringstream children(run_process({"pgrep", "-P", std::to_string(parent)}).out);
            std::vector<pid_t> pids;
            for (pid_t pid; children >> pid;) pids.push_back(pid);
            if (pids.empty()) continue;
            if (::kill(pids[random() % pids.size()], SIGKILL) == 0) ++kills;
        }
        return kills;
    }
};

IT_REGISTER_SUITE(CrashSafetyTest);
