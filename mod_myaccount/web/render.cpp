// Mustache page rendering: templates validated at load; each thread keeps its own parsed copies.
#include "web/render.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/text.hpp"

namespace myaccount::web {
namespace {

namespace fs = std::filesystem;
namespace mstch = kainjow::mustache;

constexpr std::uintmax_t kMaxTemplateBytes = 1024 * 1024;
constexpr std::uintmax_t kMaxStaticBytes = 8 * 1024 * 1024;
constexpr const char* kTemplateSuffix = ".mustache";
constexpr const char* kRequiredTemplates[] = {"layout",   "profile",  "login",   "error",
                                               "password", "reset",    "security", "register",
                                               "avatar.svg"};

std::string read_file(const fs::path& path, std::uintmax_t max_bytes) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw std::runtime_error(path.string() + ": cannot read: " + ec.message());
    if (size > max_bytes) {
        throw std::runtime_error(path.string() + ": larger than " + std::to_string(max_bytes) +
                                 " bytes");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path.string() + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw std::runtime_error(path.string() + ": read error");
    return ss.str();
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The unescaped outputs templates may have: the page in the layout, and a terms document, which
// the CLI sanitized to a small safe subset of HTML when it was published (core/terms/).
bool may_be_unescaped(const std::string& name, const std::string& tag) {
    return (name == "layout" && tag == "body") || (name == "terms" && tag == "safe_terms_html");
}

// Constructs that would let data become markup or template text are refused at load:
// partials ({{>x}} renders a *data string* as a template in kainjow), delimiter changes (they
// would hide tags from this check) and unescaped output, except as may_be_unescaped says.
void check_template_constructs(const std::string& name, const std::string& text,
                               const fs::path& path) {
    std::size_t pos = 0;
    while ((pos = text.find("{{", pos)) != std::string::npos) {
        std::size_t p = pos + 2;
        const bool triple = p < text.size() && text[p] == '{';
        if (triple) ++p;
        while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p]))) ++p;
        const char kind = p < text.size() ? text[p] : '\0';
        std::string problem;
        if (triple) {
            const auto end = text.find("}}}", p);
            std::string tag = end == std::string::npos ? std::string() : text.substr(p, end - p);
            tag.erase(std::remove_if(tag.begin(), tag.end(),
                                     [](unsigned char c) { return std::isspace(c) != 0; }),
                      tag.end());
            if (!may_be_unescaped(name, tag))
                problem = "unescaped output {{{...}}} is allowed only as {{{body}}} in layout and "
                          "{{{safe_terms_html}}} in terms";
        } else if (kind == '&') {
            problem = "unescaped output {{&...}} is not allowed";
        } else if (kind == '>' || kind == '<') {
            problem = "partials {{>...}} are not allowed";
        } else if (kind == '=') {
            problem = "delimiter changes {{=...=}} are not allowed";
        }
        if (!problem.empty()) {
            const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n');
            throw std::runtime_error(path.string() + ": line " + std::to_string(line) + ": " + problem);
        }
        pos = p;
    }
}

std::string content_type_for(const fs::path& path) {
    std::string ext = path.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    return {};
}

// Numbers become their JSON text, null becomes false, and "" becomes false too so that
// {{#job_title}}...{{/job_title}} hides an empty field (as in mustache.js); {{x}} of false renders
// nothing, so plain output is unchanged.
mstch::data to_data(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            mstch::data obj{mstch::data::type::object};
            for (const auto& [key, item] : value.items()) obj.set(key, to_data(item));
            return obj;
        }
        case nlohmann::json::value_t::array: {
            mstch::list items;
            items.reserve(value.size());
            for (const auto& item : value) items.push_back(to_data(item));
            return mstch::data{items};
        }
        case nlohmann::json::value_t::string: {
            const auto& s = value.get_ref<const std::string&>();
            if (s.empty()) return mstch::data{false};
            return mstch::data{s};
        }
        case nlohmann::json::value_t::boolean:
            return mstch::data{value.get<bool>()};
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            return mstch::data{value.dump()};
        default:
            return mstch::data{false};
    }
}

// kainjow's mustache::render() is not const, so parsed templates cannot be shared between
// threads. Parsing is ~95% of the cost of a page (about 400 us of 420 us for the profile page,
// measured), so each thread keeps the parsed templates of the current Renderer and renders them
// again; a Renderer with another generation (a reload, or tests) replaces the thread's set.
struct ThreadTemplates {
    std::uint64_t generation = 0;
    std::map<std::string, std::unique_ptr<mstch::mustache>> parsed;
};

ThreadTemplates& thread_templates() {
    thread_local ThreadTemplates templates;
    return templates;
}

// Constant-initialised: no constructor runs when the module is loaded.
std::atomic<std::uint64_t> next_generation{1};

}  // namespace

Renderer::Renderer() : generation_(next_generation.fetch_add(1)) {}
Renderer::~Renderer() = default;

std::shared_ptr<const Renderer> Renderer::load(const std::string& templates_dir) {
    std::error_code ec;
    if (!fs::is_directory(templates_dir, ec)) {
        throw std::runtime_error(templates_dir + ": template directory not found");
    }
    std::shared_ptr<Renderer> r(new Renderer());

    fs::directory_iterator it(templates_dir, ec);
    if (ec) throw std::runtime_error(templates_dir + ": cannot list: " + ec.message());
    for (const auto& entry : it) {
        const auto file = entry.path().filename().string();
        if (!ends_with(file, kTemplateSuffix) || !entry.is_regular_file()) continue;
        const auto name = file.substr(0, file.size() - std::string(kTemplateSuffix).size());
        auto text = read_file(entry.path(), kMaxTemplateBytes);
        check_template_constructs(name, text, entry.path());
        const mstch::mustache parsed{text};
        if (!parsed.is_valid()) {
            throw std::runtime_error(entry.path().string() + ": template does not parse: " +
                                     parsed.error_message());
        }
        r->templates_.emplace(name, std::move(text));
    }
    for (const char* required : kRequiredTemplates) {
        if (r->templates_.count(required) == 0) {
            throw std::runtime_error((fs::path(templates_dir) / (std::string(required) + kTemplateSuffix))
                                         .string() +
                                     ": required template is missing");
        }
    }

    r->catalogs_ = Catalogs::load((fs::path(templates_dir) / "i18n").string());
    for (const auto& lang : r->catalogs_.languages()) {
        auto t = std::make_unique<mstch::data>(mstch::data::type::object);
        t->set("t", to_data(r->catalogs_.messages(lang)));
        r->messages_.emplace(lang, std::move(t));
    }

    const auto static_dir = fs::path(templates_dir) / "static";
    if (fs::is_directory(static_dir, ec)) {
        fs::recursive_directory_iterator sit(static_dir, ec);
        if (ec) throw std::runtime_error(static_dir.string() + ": cannot list: " + ec.message());
        for (const auto& entry : sit) {
            if (!entry.is_regular_file()) continue;
            const auto file = entry.path().filename().string();
            if (file.empty() || file[0] == '.' || file.back() == '~') continue;  // editor leftovers
            auto type = content_type_for(entry.path());
            if (type.empty()) {
                throw std::runtime_error(entry.path().string() +
                                         ": unsupported static file type (use css, svg, png, ico or woff2)");
            }
            const auto name = entry.path().lexically_relative(static_dir).generic_string();
            r->static_files_.emplace(name, StaticFile{std::move(type), read_file(entry.path(), kMaxStaticBytes)});
        }
    }
    return r;
}

std::string Renderer::render_one(const std::string& name, const std::string& lang,
                                 const Data& view, const std::string* body) const {
    const auto tmpl = templates_.find(name);
    if (tmpl == templates_.end()) throw std::invalid_argument("unknown template: " + name);

    // Lookup order, first match wins: the page body, the catalog "t", the view, defaults. The
    // catalog is shared read-only; the view is converted once per page.
    mstch::data defaults{mstch::data::type::object};
    defaults.set("lang", mstch::data{lang});
    auto messages = messages_.find(catalogs_.negotiate(lang, "en"));
    if (messages == messages_.end()) messages = messages_.find("en");
    mstch::data body_data{mstch::data::type::object};
    if (body) body_data.set("body", mstch::data{*body});

    mstch::context<std::string> ctx{&defaults};
    ctx.push(&view);
    ctx.push(messages->second.get());
    if (body) ctx.push(&body_data);

    auto& local = thread_templates();
    if (local.generation != generation_) {
        local.parsed.clear();
        local.generation = generation_;
    }
    auto& parsed = local.parsed[name];
    if (!parsed) {
        parsed = std::make_unique<mstch::mustache>(tmpl->second);
        parsed->set_custom_escape(escaped_for_markup);
    }
    std::string out = parsed->render(ctx);
    if (!parsed->is_valid()) {
        // A failed render leaves kainjow's object unusable; the next call parses afresh.
        const std::string problem = parsed->error_message();
        parsed.reset();
        throw std::runtime_error("template " + name + " failed to render: " + problem);
    }
    return out;
}

std::string Renderer::render_page(const std::string& page, const std::string& lang,
                                  const nlohmann::json& view) const {
    if (!view.is_object()) throw std::invalid_argument("view for " + page + " must be a JSON object");
    const mstch::data data = to_data(view);
    const std::string body = render_one(page, lang, data, nullptr);
    return render_one("layout", lang, data, &body);
}

std::string Renderer::render(const std::string& name, const std::string& lang,
                             const nlohmann::json& view) const {
    if (!view.is_object()) throw std::invalid_argument("view for " + name + " must be a JSON object");
    return render_one(name, lang, to_data(view), nullptr);
}

const Renderer::StaticFile* Renderer::static_file(const std::string& name) const {
    const auto it = static_files_.find(name);
    return it == static_files_.end() ? nullptr : &it->second;
}

const Catalogs& Renderer::catalogs() const { return catalogs_; }

}  // namespace myaccount::web
