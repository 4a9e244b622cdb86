// Message catalogs (one flat JSON object per language) and Accept-Language negotiation.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace myaccount::web {

class Catalogs {
public:
    // Loads every <lang>.json in dir. Each must be a flat object of key -> string; "en" and "ja"
    // are required and every catalog must have exactly the keys of en.json. Throws
    // std::runtime_error naming the file and the problem.
    static Catalogs load(const std::string& dir);

    // The best available language for an Accept-Language header (RFC 9110 section 12.5.4):
    // highest q first, q=0 excluded, "ja-JP" falls back to "ja", "*" means the fallback.
    // Returns fallback when nothing matches.
    std::string negotiate(const std::string& accept_language, const std::string& fallback) const;

    // All messages of a language; unknown languages get English.
    const nlohmann::json& messages(const std::string& lang) const;
    // One message; a missing key yields the key itself, so a gap is visible but harmless.
    std::string text(const std::string& lang, const std::string& key) const;
    // Available language tags, sorted.
    std::vector<std::string> languages() const;

private:
    std::map<std::string, nlohmann::json> catalogs_;  // lower-case tag -> flat object
    nlohmann::json empty_ = nlohmann::json::object();  // messages() of a catalog-less instance
};

}  // namespace myaccount::web
