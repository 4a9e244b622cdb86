// Message catalogs and Accept-Language negotiation.
#include "web/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

namespace myaccount::web {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxCatalogBytes = 1024 * 1024;
// Longer headers are cut: no browser sends more, and the work per request stays bounded.
constexpr std::size_t kMaxAcceptLanguageBytes = 4096;
constexpr std::size_t kMaxLanguageRanges = 64;

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// language-range from RFC 4647: "*" or 1*8ALPHA *("-" 1*8alphanum).
bool is_language_range(const std::string& s) {
    if (s == "*") return true;
    std::size_t start = 0;
    bool first = true;
    while (true) {
        const auto dash = s.find('-', start);
        const auto end = dash == std::string::npos ? s.size() : dash;
        const auto len = end - start;
        if (len < 1 || len > 8) return false;
        for (auto i = start; i < end; ++i) {
            if (first ? !is_alpha(s[i]) : !is_alnum(s[i])) return false;
        }
        if (dash == std::string::npos) return true;
        first = false;
        start = dash + 1;
    }
}

// A catalog file name must be a plain language tag: 2-3 letters, optional subtags.
bool is_catalog_tag(const std::string& s) {
    if (s.size() < 2 || !is_language_range(s) || s == "*") return false;
    const auto primary = s.substr(0, s.find('-'));
    return primary.size() >= 2 && primary.size() <= 3;
}

bool is_message_key(const std::string& key) {
    if (key.empty()) return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths.
std::optional<int> parse_qvalue(const std::string& v) {
    if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return std::nullopt;
    if (v.size() > 1 && v[1] != '.') return std::nullopt;
    int thousandths = 0;
    int scale = 100;
    for (std::size_t i = 2; i < v.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(v[i]))) return std::nullopt;
        thousandths += (v[i] - '0') * scale;
        scale /= 10;
    }
    if (v[0] == '1') {
        if (thousandths != 0) return std::nullopt;
        return 1000;
    }
    return thousandths;
}

struct LanguageRange {
    std::string range;  // lower case
    int q;              // thousandths
};

std::vector<LanguageRange> parse_accept_language(const std::string& header) {
    std::vector<LanguageRange> ranges;
    std::istringstream in(header.substr(0, kMaxAcceptLanguageBytes));
    std::string element;
    while (ranges.size() < kMaxLanguageRanges && std::getline(in, element, ',')) {
        std::istringstream parts(element);
        std::string part;
        std::getline(parts, part, ';');
        LanguageRange lr{lower(trim(part)), 1000};
        if (!is_language_range(lr.range)) continue;
        bool valid = true;
        while (std::getline(parts, part, ';')) {
            part = trim(part);
            const auto eq = part.find('=');
            if (eq == std::string::npos) continue;
            if (lower(trim(part.substr(0, eq))) != "q") continue;
            const auto q = parse_qvalue(trim(part.substr(eq + 1)));
            if (!q) {
                valid = false;
                break;
            }
            lr.q = *q;
        }
        if (valid) ranges.push_back(std::move(lr));
    }
    std::stable_sort(ranges.begin(), ranges.end(),
                     [](const LanguageRange& a, const LanguageRange& b) { return a.q > b.q; });
    return ranges;
}

// True when the range equals the tag or is a prefix of it at a subtag boundary.
bool range_covers(const std::string& range, const std::string& tag) {
    return tag == range || (tag.size() > range.size() && tag.compare(0, range.size(), range) == 0 &&
                            tag[range.size()] == '-');
}

std::string read_catalog_file(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw std::runtime_error(path.string() + ": cannot read: " + ec.message());
    if (size > kMaxCatalogBytes) {
        throw std::runtime_error(path.string() + ": larger than " +
                                 std::to_string(kMaxCatalogBytes) + " bytes");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path.string() + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) throw std::runtime_error(path.string() + ": read error");
    return ss.str();
}

nlohmann::json parse_catalog(const fs::path& path) {
    nlohmann::json catalog;
    try {
        catalog = nlohmann::json::parse(read_catalog_file(path));
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(path.string() + ": invalid JSON: " + e.what());
    }
    if (!catalog.is_object()) {
        throw std::runtime_error(path.string() + ": must be a JSON object of key -> string");
    }
    for (const auto& [key, value] : catalog.items()) {
        if (!is_message_key(key)) {
            throw std::runtime_error(path.string() + ": key \"" + key +
                                     "\" may use only a-z, 0-9 and _");
        }
        if (!value.is_string()) {
            throw std::runtime_error(path.string() + ": value of \"" + key + "\" is not a string");
        }
    }
    return catalog;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += ", ";
        out += item;
    }
    return out;
}

}  // namespace

Catalogs Catalogs::load(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        throw std::runtime_error(dir + ": message catalog directory not found");
    }
    Catalogs result;
    fs::directory_iterator it(dir, ec);
    if (ec) throw std::runtime_error(dir + ": cannot list: " + ec.message());
    for (const auto& entry : it) {
        const auto& path = entry.path();
        if (path.extension() != ".json") continue;
        const auto stem = path.stem().string();
        if (!is_catalog_tag(stem)) {
            throw std::runtime_error(path.string() +
                                     ": file name must be a language tag such as en.json or ja.json");
        }
        const auto tag = lower(stem);
        if (result.catalogs_.count(tag) != 0) {
            throw std::runtime_error(path.string() + ": a catalog for \"" + tag + "\" already exists");
        }
        result.catalogs_.emplace(tag, parse_catalog(path));
    }
    for (const char* required : {"en", "ja"}) {
        if (result.catalogs_.count(required) == 0) {
            throw std::runtime_error(dir + "/" + required + ".json: required message catalog is missing");
        }
    }
    const auto& en = result.catalogs_.at("en");
    for (const auto& [tag, catalog] : result.catalogs_) {
        if (tag == "en") continue;
        std::vector<std::string> missing;
        std::vector<std::string> extra;
        for (const auto& [key, value] : en.items()) {
            if (!catalog.contains(key)) missing.push_back(key);
        }
        for (const auto& [key, value] : catalog.items()) {
            if (!en.contains(key)) extra.push_back(key);
        }
        if (!missing.empty() || !extra.empty()) {
            std::string problem = dir + "/" + tag + ".json: keys differ from en.json;";
            if (!missing.empty()) problem += " missing: " + join(missing) + ";";
            if (!extra.empty()) problem += " not in en.json: " + join(extra) + ";";
            problem.pop_back();
            throw std::runtime_error(problem);
        }
    }
    return result;
}

std::string Catalogs::negotiate(const std::string& accept_language,
                                const std::string& fallback) const {
    const auto ranges = parse_accept_language(accept_language);
    // q=0 means "not acceptable": such languages are never chosen, not even for "*".
    const auto excluded = [&ranges](const std::string& tag) {
        return std::any_of(ranges.begin(), ranges.end(), [&tag](const LanguageRange& r) {
            return r.q == 0 && r.range != "*" && range_covers(r.range, tag);
        });
    };
    for (const auto& r : ranges) {
        if (r.q == 0) break;  // sorted: the rest are excluded too
        if (r.range == "*") {
            const auto fb = lower(fallback);
            if (catalogs_.count(fb) == 0 || !excluded(fb)) return fallback;
            for (const auto& [tag, catalog] : catalogs_) {
                if (!excluded(tag)) return tag;
            }
            continue;
        }
        // RFC 4647 lookup: ja-jp -> ja.
        std::string candidate = r.range;
        while (!candidate.empty()) {
            if (catalogs_.count(candidate) != 0 && !excluded(candidate)) return candidate;
            auto dash = candidate.rfind('-');
            if (dash == std::string::npos) break;
            candidate.erase(dash);
            // Drop a single-letter subtag left at the end ("zh-t" is not a language).
            dash = candidate.rfind('-');
            if (dash != std::string::npos && candidate.size() - dash == 2) candidate.erase(dash);
        }
        // Basic filtering: "zh" accepts a "zh-hant" catalog.
        for (const auto& [tag, catalog] : catalogs_) {
            if (range_covers(r.range, tag) && !excluded(tag)) return tag;
        }
    }
    return fallback;
}

const nlohmann::json& Catalogs::messages(const std::string& lang) const {
    const auto it = catalogs_.find(lower(lang));
    if (it != catalogs_.end()) return it->second;
    const auto en = catalogs_.find("en");
    if (en != catalogs_.end()) return en->second;
    return empty_;
}

std::string Catalogs::text(const std::string& lang, const std::string& key) const {
    const auto& catalog = messages(lang);
    const auto it = catalog.find(key);
    if (it == catalog.end() || !it->is_string()) return key;
    return it->get<std::string>();
}

std::vector<std::string> Catalogs::languages() const {
    std::vector<std::string> tags;
    tags.reserve(catalogs_.size());
    for (const auto& [tag, catalog] : catalogs_) tags.push_back(tag);
    return tags;
}

}  // namespace myaccount::web
