// Which link targets a terms document may keep: absolute http, https and mailto URLs only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace myaccount {

// The href as it is written out when it is an absolute http://, https:// or mailto: URL (scheme in
// any case, surrounding spaces and controls trimmed, tabs and line breaks removed the way browsers
// remove them); nullopt for every other target: scripts, data, relative and protocol-relative.
std::optional<std::string> safe_link_target(std::string_view href);

// How a link that safe_link_target refuses is reported: "javascript: link", "vbscript: link",
// "data: link", otherwise "unsafe link".
std::string refused_link_description(std::string_view href);

}  // namespace myaccount
