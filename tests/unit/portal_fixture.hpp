// A portal to call web::handle on, as the httpd adapter does: real store, templates, key, cache.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

#include <strings.h>

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/crypto.hpp"
#include "core/password_change.hpp"
#include "core/password_hasher.hpp"
#include "store_contract/store_fixture.hpp"
#include "web/page_cache.hpp"
#include "web/portal.hpp"
#include "web/render.hpp"

namespace myaccount::testing {

inline constexpr UnixTime portal_now = 1'700'000'000;
inline const std::string portal_binding = "binding-of-this-session";

// contains(text, part) comes with the store fixture.

inline std::optional<std::string> header(const web::Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers)
        if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
    return std::nullopt;
}

// A request as the adapter builds it for https://portal.example/myaccount<route>.
inline web::Request request(const std::string& method, const std::string& route) {
    web::Request r;
    r.method = method;
    r.base_path = "/myaccount";
    r.route = route;
    r.https = true;
    r.own_origin = "https://portal.example";
    r.client_ip = "192.0.2.10";
    r.user_agent = "UnitTest/3.0";
    return r;
}

inline web::Principal principal(const std::string& username, std::optional<Account> account = std::nullopt) {
    web::Principal p;
    p.username = username;
    p.account = std::move(account);
    p.csrf_binding = portal_binding;
    // A live session of the module's front that passed the second step a minute ago (fresh
    // enough for security info); tests of the verify step make their own.
    Session session;
    session.id = 1;
    session.created_at = session.signed_in_at = session.second_factor_at = portal_now - 60;
    p.session = session;
    return p;
}

// Keeps what the portal would have sent, for tests to read codes and notices from.
class RecordingNotifier : public Notifier {
public:
    bool available() const override { return true; }
    void post(Notification notification) override { sent.push_back(std::move(notification)); }
    bool send_now(const Notification& notification) override {
        sent.push_back(notification);
        return delivers;
    }
    std::vector<Notification> sent;
    bool delivers = true;
};

// A page's markup without the optional line breaks (<wbr>) that addresses and user IDs carry, so
// that a test can look for an address as a reader sees it (or make sure it is absent).
inline std::string without_wbr(std::string html) {
    for (auto at = html.find("<wbr>"); at != std::string::npos; at = html.find("<wbr>", at)) html.erase(at, 5);
    return html;
}

class PortalFixture : public StoreFixture {
public:
    void setUp() override {
        StoreFixture::setUp();
        renderer_ = web::Renderer::load(MYACCOUNT_SOURCE_DIR "/templates");
        key_ = std::make_unique<SecretKey>(SecretKey::from_bytes(std::string(32, '\x5a')));
        settings_.issuer = "Contoso";
    }

    void tearDown() override {
        key_.reset();
        renderer_.reset();
        StoreFixture::tearDown();
    }

protected:
    web::Response run(const web::Request& r) {
        web::Context context{store(), *renderer_,      *key_,  settings_, now_, pages_,
                             hasher_, password_rules_, reset_, notifier_, second_factor_, sessions_};
        std::string error_detail;
        web::Response response = web::handle(r, context, error_detail);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("unexpected server error: " + error_detail, std::string(), error_detail);
        return response;
    }

    web::Request signed_in(const std::string& method, const std::string& route, const std::string& user = "alice") {
        web::Request r = request(method, route);
        r.principal = principal(user);
        return r;
    }

    // An account of the organization, created a little before the tests' clock.
    AccountId add_person(const std::string& username, const std::string& display_name, const std::string& email,
                         const std::string& password_hash = {}) {
        NewAccount person;
        person.username = username;
        person.profile.display_name = display_name;
        person.profile.emails = std::vector<std::string>{email};
        person.password_hash = password_hash;
        return store().create_account(person, portal_now - 100);
    }

    // The token a browser would get: the one GET /api/v1/me hands out for this session.
    std::string valid_token() {
        web::Response me = run(signed_in("GET", "/api/v1/me"));
        CPPUNIT_ASSERT_EQUAL(200, me.status);
        return nlohmann::json::parse(me.body)["csrf_token"].get<std::string>();
    }

    std::shared_ptr<const web::Renderer> renderer_;
    std::unique_ptr<SecretKey> key_;
    web::PortalSettings settings_;
    UnixTime now_ = portal_now;  // the clock every request of a test reads
    web::PageCache pages_{64};  // shared by every request of a test, as in one httpd child
    PasswordHasher hasher_{Argon2Params{8192, 1}};
    PasswordChangeRules password_rules_;
    ResetPolicy reset_;
    RecordingNotifier notifier_;
    SecondFactorPolicy second_factor_;
    SessionSettings sessions_;
};

}  // namespace myaccount::testing
