// Table-driven parsing of long options and positional arguments.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace myaccount::cli {

struct OptionSpec {
    const char* name;        // without the leading "--"
    const char* value_name;  // e.g. "ADDR"; nullptr for a flag that takes no value
    bool repeatable;         // may be given more than once (values accumulate in order)
    const char* help;
};

class ParsedArgs {
public:
    std::vector<std::string> positionals;

    bool has(const std::string& name) const { return options_.count(name) != 0; }
    // The value of a single-valued option, if given.
    std::optional<std::string> value(const std::string& name) const;
    // Every value of a repeatable option, in command-line order.
    std::vector<std::string> values(const std::string& name) const;

    void add(const std::string& name, std::string value) { options_[name].push_back(std::move(value)); }

private:
    std::map<std::string, std::vector<std::string>> options_;
};

// Parses `args` against `options`: "--name value", "--name=value", flags, "-h" for --help, and "--"
// to end options. Throws UsageError (pointing at `command` for --help) on anything unknown.
ParsedArgs parse_arguments(const std::vector<std::string>& args, const std::vector<OptionSpec>& options,
                           const std::string& command);

// A non-negative decimal integer option value; throws UsageError naming the option otherwise.
std::uint64_t parse_unsigned(const std::string& option, const std::string& text, const std::string& command);

// "  --email ADDR       help text" lines for a help screen.
std::string format_options(const std::vector<OptionSpec>& options);

}  // namespace myaccount::cli
