// A minimal "browser" over libcurl: its own cookie jar, no redirect following, raw responses.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace it {

struct CaseLess {
    bool operator()(const std::string& a, const std::string& b) const;
};

// Request headers, in order; an empty value suppresses the header (e.g. curl's default Content-Type).
using Headers = std::vector<std::pair<std::string, std::string>>;
using Fields = std::vector<std::pair<std::string, std::string>>;   // form fields, in order

struct Response {
    long status = 0;
    std::multimap<std::string, std::string, CaseLess> headers;
    std::vector<std::string> raw_header_lines;  // as received, without CRLF
    std::string body;
    double seconds = 0;  // wall time of the exchange
    std::string method;
    std::string path;

    bool has(const std::string& name) const { return headers.count(name) > 0; }
    std::string header(const std::string& name) const;  // first value, or ""
    std::vector<std::string> all(const std::string& name) const;
    // "GET /x -> 401" plus headers and the start of the body, for assertion messages.
    std::string describe(std::size_t body_chars = 600) const;
};

class Browser {
public:
    explicit Browser(std::string base_url, std::string accept_language = "en");
    ~Browser();
    Browser(const Browser&) = delete;
    Browser& operator=(const Browser&) = delete;

    Response get(const std::string& path, const Headers& headers = {});
    Response post_form(const std::string& path, const Fields& fields, const Headers& headers = {});
    Response post_json(const std::string& path, const std::string& json, const Headers& headers = {});
    // Any method; a body is sent when non-empty (give its Content-Type in headers).
    Response request(const std::string& method, const std::string& path, const std::string& body = {},
                     const Headers& headers = {});
    // GET with HTTP Basic credentials (sent pre-emptively), bypassing the cookie jar's session.
    Response get_basic(const std::string& path, const std::string& user, const std::string& password);

    // POST /login.do as mod_auth_form's login form does.
    Response sign_in(const std::string& user, const std::string& password,
                     const std::string& location = "/myaccount/");

    // Cookie value from this browser's jar ("" when absent).
    std::string cookie(const std::string& name) const;
    // Plants a cookie in the jar for 127.0.0.1 path / (as a fixation attacker would).
    void set_cookie(const std::string& name, const std::string& value);
    void clear_cookies();
    void set_path_as_is(bool on);
    // Connects from this loopback address (any of 127.0.0.0/8): a client of its own for the
    // server's per-address limits. "" = the system's choice (127.0.0.1).
    void set_source_address(const std::string& ip);

    static std::string urlencode(const Fields& fields);

private:
    Response perform(const std::string& method, const std::string& path, const std::string* body,
                     const Headers& headers, const std::pair<std::string, std::string>* basic);

    std::string base_url_;
    std::string accept_language_;
    void* curl_ = nullptr;  // CURL*
};

}  // namespace it
