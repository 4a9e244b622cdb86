// The "terms" commands: an organization's terms of use, published per version and language from
// a Markdown or HTML file (sanitized to a small safe subset of HTML first), listed, withdrawn; and
// what a user accepted.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "cli/bounded_file.hpp"
#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "cli/validation.hpp"
#include "core/terms/terms_document.hpp"
#include "core/text.hpp"

namespace myaccount::cli {

namespace {

constexpr std::size_t max_terms_bytes = std::size_t{512} * 1024;
constexpr std::size_t max_version_length = 32;

// A version label: 1-32 of [A-Za-z0-9._-], starting with a letter or digit ("2026-12", "v2", "3.1").
std::string checked_version(Context& ctx, const std::optional<std::string>& version) {
    if (!version) throw UsageError("--version V is required", ctx.command());
    const std::string& v = *version;
    bool ok = !v.empty() && v.size() <= max_version_length && std::isalnum(static_cast<unsigned char>(v[0]));
    for (char c : v) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
    if (!ok)
        throw UsageError(
            "--version must be 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit, not '" +
                printable(v) + "'",
            ctx.command());
    return v;
}

std::string checked_language(Context& ctx, const std::optional<std::string>& language) {
    if (!language) throw UsageError("--lang ja|en is required", ctx.command());
    if (*language != "ja" && *language != "en")
        throw UsageError("--lang must be ja or en, not '" + printable(*language) + "'", ctx.command());
    return *language;
}

const char* format_name(TermsFormat format) {
    return format == TermsFormat::markdown ? "markdown" : "html";
}

int terms_publish(Context& ctx, const ParsedArgs& args) {
    const std::string& path = args.positionals[1];
    const std::string version = checked_version(ctx, args.value("version"));
    const std::string language = checked_language(ctx, args.value("lang"));
    const std::optional<TermsFormat> format = terms_format_of(path);
    if (!format) throw CommandError(path + ": the file name must end in .md, .markdown, .html or .htm");
    Store& store = ctx.store();
    const Organization org = require_organization(store, args.positionals[0]);
    const std::string source = read_bounded_file(path, max_terms_bytes, "terms file");
    SafeTermsHtml safe;
    try {
        safe = safe_terms_html(source, *format);
    } catch (const std::invalid_argument& e) {
        throw CommandError(path + ": " + e.what());
    }
    const TermsText text{language, format_name(*format), safe.html, ctx.now()};
    try {
        store.publish_terms(org.id, version, text, source);
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::conflict) throw CommandError(org.name + ": " + e.what());
        throw;
    }
    ctx.out() << "published version " << version << " of the terms of use of " << org.name << " in " << language << " ("
              << text.source_format << ")\n";
    if (!safe.removed.empty())
        ctx.out() << "removed from the document, as the terms page shows no code: " << joined(safe.removed, ", ")
                  << '\n';
    return exit_ok;
}

int terms_withdraw(Context& ctx, const ParsedArgs& args) {
    const std::string version = checked_version(ctx, args.value("version"));
    Store& store = ctx.store();
    const Organization org = require_organization(store, args.positionals[0]);
    try {
        store.withdraw_terms(org.id, version, ctx.now());
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::not_found)
            throw CommandError(org.name + " has no version " + printable(version) + " of its terms in force");
        throw;
    }
    ctx.out() << "withdrew version " << version << " of the terms of use of " << org.name << "; ";
    for (const TermsVersion& v : store.terms_versions())
        if (v.organization_id == org.id && v.withdrawn_at == 0) {
            ctx.out() << "version " << v.version << " is current again\n";
            return exit_ok;
        }
    ctx.out() << org.name << " has no terms in force now\n";
    return exit_ok;
}

int terms_list(Context& ctx, const ParsedArgs& args) {
    std::vector<TermsVersion> versions = ctx.store().terms_versions();
    if (!args.positionals.empty()) {
        const Organization org = require_organization(ctx.store(), args.positionals[0]);
        versions.erase(std::remove_if(versions.begin(), versions.end(),
                                      [&](const TermsVersion& v) { return v.organization_id != org.id; }),
                       versions.end());
    }
    return print_listing(ctx, args, versions, terms_versions_json, "no terms of use published", print_terms_table);
}

int terms_accepted(Context& ctx, const ParsedArgs& args) {
    const Account account = require_account(ctx.store(), args.positionals[0]);
    return print_listing(ctx, args, ctx.store().terms_accepted_by(account.id), terms_acceptances_json,
                         account.username + " has not accepted any terms of use", print_acceptance_table);
}

const OptionSpec version_option{"version", "V", false, "the version's label, e.g. 2026-12 or 2 (required)"};

}  // namespace

// clang-format off
std::vector<Command> terms_commands() {
    return {
        {"terms", "publish", "ORG FILE", 2, 2,
         {version_option, {"lang", "ja|en", false, "the language FILE is written in (required)"}},
         "publish a version of an organization's terms of use in one language",
         "FILE is Markdown (.md, .markdown) or HTML (.html, .htm), at most 512 KiB of UTF-8. It is kept as\n"
         "given and shown as a small safe subset of HTML: headings, paragraphs, lists, tables, emphasis\n"
         "and http(s)/mailto links; scripts, styles, images, forms, event handlers and other links are\n"
         "removed (the command says what it removed). A new version becomes the current one at once:\n"
         "where MyAccountTermsRequired is On, members must accept it at their next request. Publish the\n"
         "same version again with the other --lang to add its translation; a published text never\n"
         "changes (publish a new version instead).",
         terms_publish},
        {"terms", "list", "[ORG]", 0, 1, {{"json", nullptr, false, "print JSON instead of text"}},
         "list published terms of use (of every organization, or of ORG)",
         "JSON: an array of {organization, version, languages, published_at, withdrawn_at, current,\n"
         "acceptances} (Unix seconds; withdrawn_at 0 while in force).",
         terms_list},
        {"terms", "withdraw", "ORG", 1, 1, {version_option},
         "withdraw a version of an organization's terms of use",
         "Members no longer need to accept it; the organization's previous version in force, if any, is\n"
         "current again (members who accepted it need not accept again). Acceptances stay on record.",
         terms_withdraw},
        {"terms", "accepted", "USER", 1, 1, {{"json", nullptr, false, "print JSON instead of text"}},
         "list the terms of use a user accepted, and when",
         "JSON: an array of {organization, version, language, accepted_at, address}, newest first.",
         terms_accepted},
    };
}
// clang-format on

}  // namespace myaccount::cli
