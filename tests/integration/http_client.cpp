// libcurl "browser": one easy handle and one in-memory cookie engine per instance.
#include "http_client.hpp"

#include "checks.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <sstream>
#include <stdexcept>

#include <curl/curl.h>
#include <strings.h>

namespace it {

namespace {

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};

void ensure_global() { static CurlGlobal global; }

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* resp = static_cast<Response*>(user);
    std::string line(data, size * n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (line.rfind("HTTP/", 0) == 0) {  // a new response (e.g. after 100 Continue)
        resp->headers.clear();
        resp->raw_header_lines.clear();
    }
    if (line.empty()) return size * n;
    resp->raw_header_lines.push_back(line);
    auto colon = line.find(':');
    if (colon != std::string::npos && line.rfind("HTTP/", 0) != 0) {
        std::string name = line.substr(0, colon);
        std::string value = line.substr(colon + 1);
        auto first = value.find_first_not_of(" \t");
        value = first == std::string::npos ? std::string() : value.substr(first);
        resp->headers.emplace(name, value);
    }
    return size * n;
}

void check(CURLcode code, const char* what) {
    if (code != CURLE_OK) throw std::runtime_error(std::string(what) + ": " + curl_easy_strerror(code));
}

}  // namespace

bool CaseLess::operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
    });
}

std::string Response::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> Response::all(const std::string& name) const {
    std::vector<std::string> out;
    auto range = headers.equal_range(name);
    for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
    return out;
}

std::string Response::describe(std::size_t body_chars) const {
    std::ostringstream s;
    s << method << " " << path << " -> " << status << "\n";
    for (const auto& line : raw_header_lines) s << "  " << line << "\n";
    s << "  body (" << body.size() << " bytes): "
      << (body.size() > body_chars ? body.substr(0, body_chars) + "..." : body) << "\n";
    return s.str();
}

Browser::Browser(std::string base_url, std::string accept_language)
    : base_url_(std::move(base_url)), accept_language_(std::move(accept_language)) {
    ensure_global();
    CURL* h = curl_easy_init();
    if (h == nullptr) throw std::runtime_error("curl_easy_init failed");
    curl_ = h;
    check(curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""), "COOKIEFILE");  // in-memory cookie engine
    check(curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L), "FOLLOWLOCATION");
    check(curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L), "TIMEOUT");
    check(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L), "CONNECTTIMEOUT");
    check(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
    // The https suites' servers use a certificate made for the run on loopback: nothing to verify.
    check(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L), "SSL_VERIFYPEER");
    check(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L), "SSL_VERIFYHOST");
    check(curl_easy_setopt(h, CURLOPT_USERAGENT, "myaccount-integration-tests/1"), "USERAGENT");
}

Browser::~Browser() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

std::string Browser::urlencode(const Fields& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        char* n = curl_easy_escape(nullptr, name.data(), static_cast<int>(name.size()));
        char* v = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
        if (!out.empty()) out += '&';
        out += n;
        out += '=';
        out += v;
        curl_free(n);
        curl_free(v);
    }
    return out;
}

Response Browser::perform(const std::string& method, const std::string& path, const std::string* body,
                          const Headers& headers, const std::pair<std::string, std::string>* basic) {
    CURL* h = static_cast<CURL*>(curl_);
    Response resp;
    resp.method = method;
    resp.path = path;
    const std::string url = base_url_ + path;

    curl_slist* list = nullptr;
    bool has_language = false;
    for (const auto& [name, value] : headers) {
        if (strcasecmp(name.c_str(), "Accept-Language") == 0) has_language = true;
        // An empty value means "do not send this header" (curl's "Name:" drops even its own default).
        std::string line = value.empty() ? name + ":" : name + ": " + value;
        list = curl_slist_append(list, line.c_str());
    }
    if (!has_language && !accept_language_.empty())
        list = curl_slist_append(list, ("Accept-Language: " + accept_language_).c_str());
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trips

    check(curl_easy_setopt(h, CURLOPT_URL, url.c_str()), "URL");
    check(curl_easy_setopt(h, CURLOPT_HTTPHEADER, list), "HTTPHEADER");
    check(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body), "WRITEFUNCTION");
    check(curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp.body), "WRITEDATA");
    check(curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header), "HEADERFUNCTION");
    check(curl_easy_setopt(h, CURLOPT_HEADERDATA, &resp), "HEADERDATA");

    // Reset the method state left by the previous request.
    check(curl_easy_setopt(h, CURLOPT_HTTPGET, 1L), "HTTPGET");
    check(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr), "CUSTOMREQUEST");
    check(curl_easy_setopt(h, CURLOPT_NOBODY, 0L), "NOBODY");
    if (body != nullptr) {
        check(curl_easy_setopt(h, CURLOPT_POST, 1L), "POST");
        check(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size())),
              "POSTFIELDSIZE");
        check(curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data()), "POSTFIELDS");
    }
    if (method == "HEAD") {
        check(curl_easy_setopt(h, CURLOPT_NOBODY, 1L), "NOBODY");
    } else if (method != "GET" && !(method == "POST" && body != nullptr)) {
        check(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str()), "CUSTOMREQUEST");
    }
    if (basic != nullptr) {
        check(curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC)), "HTTPAUTH");
        check(curl_easy_setopt(h, CURLOPT_USERNAME, basic->first.c_str()), "USERNAME");
        check(curl_easy_setopt(h, CURLOPT_PASSWORD, basic->second.c_str()), "PASSWORD");
    }

    auto t0 = std::chrono::steady_clock::now();
    CURLcode rc = curl_easy_perform(h);
    resp.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(list);
    if (basic != nullptr) {
        curl_easy_setopt(h, CURLOPT_USERNAME, nullptr);
        curl_easy_setopt(h, CURLOPT_PASSWORD, nullptr);
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_NONE));
    }
    if (body != nullptr) curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);
    if (rc != CURLE_OK)
        throw std::runtime_error(method + " " + url + " failed: " + curl_easy_strerror(rc));
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp.status);
    return resp;
}

Response Browser::get(const std::string& path, const Headers& headers) {
    return perform("GET", path, nullptr, headers, nullptr);
}

Response Browser::post_form(const std::string& path, const Fields& fields, const Headers& headers) {
    Headers h = headers;
    bool has_type = std::any_of(h.begin(), h.end(), [](const auto& kv) {
        return strcasecmp(kv.first.c_str(), "Content-Type") == 0;
    });
    if (!has_type) h.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    std::string body = urlencode(fields);
    return perform("POST", path, &body, h, nullptr);
}

Response Browser::post_json(const std::string& path, const std::string& json, const Headers& headers) {
    Headers h = headers;
    h.emplace_back("Content-Type", "application/json");
    return perform("POST", path, &json, h, nullptr);
}

Response Browser::request(const std::string& method, const std::string& path, const std::string& body,
                          const Headers& headers) {
    return perform(method, path, body.empty() ? nullptr : &body, headers, nullptr);
}

Response Browser::get_basic(const std::string& path, const std::string& user, const std::string& password) {
    std::pair<std::string, std::string> creds{user, password};
    return perform("GET", path, nullptr, {}, &creds);
}

Response Browser::sign_in(const std::string& user, const std::string& password, const std::string& location) {
    // As a browser does: open the sign-in page (it issues the form token and its cookie), then post.
    Response page = get("/myaccount/login");
    return post_form("/login.do", {{"httpd_username", user},
                                   {"httpd_password", password},
                                   {"httpd_location", location},
                                   {"login_csrf", input_value(page.body, "login_csrf")}});
}

std::string Browser::cookie(const std::string& name) const {
    CURL* h = static_cast<CURL*>(curl_);
    curl_slist* cookies = nullptr;
    curl_easy_getinfo(h, CURLINFO_COOKIELIST, &cookies);
    std::string value;
    for (curl_slist* c = cookies; c != nullptr; c = c->next) {
        // Netscape format: domain, tailmatch, path, secure, expires, name, value (tab separated).
        std::vector<std::string> parts;
        std::string line = c->data;
        std::size_t start = 0;
        for (;;) {
            auto tab = line.find('\t', start);
            parts.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
            if (tab == std::string::npos) break;
            start = tab + 1;
        }
        if (parts.size() >= 7 && parts[5] == name) value = parts[6];
    }
    curl_slist_free_all(cookies);
    return value;
}

void Browser::set_cookie(const std::string& name, const std::string& value) {
    std::string line = "127.0.0.1\tFALSE\t/\tFALSE\t0\t" + name + "\t" + value;
    check(curl_easy_setopt(static_cast<CURL*>(curl_), CURLOPT_COOKIELIST, line.c_str()), "COOKIELIST");
}

void Browser::clear_cookies() {
    check(curl_easy_setopt(static_cast<CURL*>(curl_), CURLOPT_COOKIELIST, "ALL"), "COOKIELIST");
}

void Browser::set_path_as_is(bool on) {
    check(curl_easy_setopt(static_cast<CURL*>(curl_), CURLOPT_PATH_AS_IS, on ? 1L : 0L), "PATH_AS_IS");
}

void Browser::set_source_address(const std::string& ip) {
    const std::string iface = "host!" + ip;
    check(curl_easy_setopt(static_cast<CURL*>(curl_), CURLOPT_INTERFACE, ip.empty() ? nullptr : iface.c_str()),
          "INTERFACE");
}

}  // namespace it
