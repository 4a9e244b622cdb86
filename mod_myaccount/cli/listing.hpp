// How every list command answers: JSON for scripts, a sentence when there is nothing, else a table.
#pragma once

#include <string>

#include "cli/command.hpp"
#include "cli/errors.hpp"
#include "cli/output.hpp"

namespace myaccount::cli {

// With --json the items as `to_json` makes them, else `empty_message` when there are none, else
// `print_table`'s table.
template <typename Items, typename ToJson, typename PrintTable>
int print_listing(Context& ctx, const ParsedArgs& args, const Items& items, ToJson to_json,
                  const std::string& empty_message, PrintTable print_table) {
    if (args.has("json"))
        print_json(ctx.out(), to_json(items));
    else if (items.empty())
        ctx.out() << empty_message << '\n';
    else
        print_table(ctx.out(), items);
    return exit_ok;
}

}  // namespace myaccount::cli
