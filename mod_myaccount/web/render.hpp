// Mustache page rendering with the layout, message catalogs and static files loaded once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "web/i18n.hpp"

namespace kainjow::mustache {
template <typename string_type>
class basic_data;
}

namespace myaccount::web {

// Immutable after load(), so one instance serves every thread of an httpd child. Each thread
// keeps its own parsed copies of the templates (kainjow's render() is not const); render only
// in request threads, not in the httpd parent.
class Renderer {
public:
    struct StaticFile {
        std::string content_type;
        std::string bytes;
    };

    // Loads every *.mustache in templates_dir (name = file name without ".mustache", e.g.
    // "profile", "avatar.svg"), the catalogs in templates_dir/i18n and every file under
    // templates_dir/static. Throws std::runtime_error naming the file and the problem when the
    // directory or a required template (layout, profile, login, error, avatar.svg) is missing, a
    // template does not parse, or a template uses a construct that could let data become
    // markup or template text (partials, delimiter changes, unescaped output other than
    // {{{body}}} in the layout and {{{safe_terms_html}}}, a sanitized document, in terms).
    static std::shared_ptr<const Renderer> load(const std::string& templates_dir);

    // Renders template `page` with view + {"t": messages(lang)}, then "layout" with the same
    // view, "t" and "body" = the page HTML. Every other value is HTML-escaped. view must be a
    // JSON object; throws std::invalid_argument for an unknown page or a non-object view and
    // std::runtime_error if rendering fails.
    std::string render_page(const std::string& page, const std::string& lang,
                            const nlohmann::json& view) const;
    // One template without the layout (e.g. "avatar.svg"), with "t" available.
    std::string render(const std::string& name, const std::string& lang,
                       const nlohmann::json& view) const;

    // A file from templates_dir/static by its path below that directory ("myaccount.css"),
    // or null.
    const StaticFile* static_file(const std::string& name) const;
    const Catalogs& catalogs() const;

    ~Renderer();
    Renderer(const Renderer&) = delete;
    Renderer& operator=(const Renderer&) = delete;

private:
    using Data = kainjow::mustache::basic_data<std::string>;
    Renderer();
    std::string render_one(const std::string& name, const std::string& lang,
                           const Data& view, const std::string* body) const;

    std::map<std::string, std::string> templates_;  // name -> source text, validated at load
    std::map<std::string, StaticFile> static_files_;
    Catalogs catalogs_;
    std::uint64_t generation_;  // identifies this instance in the per-thread parsed templates
    // lower-case language -> {"t": messages}, converted once and shared read-only by all threads.
    std::map<std::string, std::unique_ptr<const Data>> messages_;
};

}  // namespace myaccount::web
