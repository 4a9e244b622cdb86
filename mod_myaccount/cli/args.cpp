// Table-driven parsing of long options and positional arguments.
#include "cli/args.hpp"

#include <algorithm>
#include <cstdlib>

#include "cli/errors.hpp"

namespace myaccount::cli {

namespace {

const OptionSpec* find_option(const std::vector<OptionSpec>& options, const std::string& name) {
    const auto it =
        std::find_if(options.begin(), options.end(), [&](const OptionSpec& o) { return name == o.name; });
    return it == options.end() ? nullptr : &*it;
}

}  // namespace

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
    const auto it = options_.find(name);
    if (it == options_.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedArgs::values(const std::string& name) const {
    const auto it = options_.find(name);
    return it == options_.end() ? std::vector<std::string>{} : it->second;
}

ParsedArgs parse_arguments(const std::vector<std::string>& args, const std::vector<OptionSpec>& options,
                           const std::string& command) {
    ParsedArgs parsed;
    bool options_ended = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (options_ended || arg == "-" || arg.empty() || arg[0] != '-') {
            parsed.positionals.push_back(arg);
            continue;
        }
        if (arg == "--") {
            options_ended = true;
            continue;
        }
        if (arg == "-h") {
            parsed.add("help", "");
            continue;
        }
        if (arg.compare(0, 2, "--") != 0) throw UsageError("unknown option '" + arg + "'", command);

        const std::size_t eq = arg.find('=');
        const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        const OptionSpec* spec = find_option(options, name);
        if (spec == nullptr) throw UsageError("unknown option '--" + name + "'", command);
        if (!spec->repeatable && parsed.has(name)) {
            throw UsageError("option '--" + name + "' given more than once", command);
        }
        if (spec->value_name == nullptr) {
            if (eq != std::string::npos) throw UsageError("option '--" + name + "' takes no value", command);
            parsed.add(name, "");
        } else if (eq != std::string::npos) {
            parsed.add(name, arg.substr(eq + 1));
        } else if (i + 1 < args.size()) {
            parsed.add(name, args[++i]);
        } else {
            throw UsageError("option '--" + name + "' needs a value (" + spec->value_name + ")", command);
        }
    }
    return parsed;
}

std::uint64_t parse_unsigned(const std::string& option, const std::string& text, const std::string& command) {
    const bool digits_only =
        !text.empty() && text.size() <= 19 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits_only) {
        throw UsageError("option '--" + option + "' needs a whole number, not '" + text + "'", command);
    }
    return std::strtoull(text.c_str(), nullptr, 10);
}

std::string format_options(const std::vector<OptionSpec>& options) {
    std::vector<std::string> heads;
    std::size_t width = 0;
    for (const OptionSpec& o : options) {
        std::string head = std::string("  --") + o.name;
        if (o.value_name != nullptr) head += std::string(" ") + o.value_name;
        width = std::max(width, head.size());
        heads.push_back(std::move(head));
    }
    std::string out;
    for (std::size_t i = 0; i < options.size(); ++i) {
        out += heads[i] + std::string(width - heads[i].size() + 3, ' ') + options[i].help;
        if (options[i].repeatable) out += " (repeatable)";
        out += '\n';
    }
    return out;
}

}  // namespace myaccount::cli
