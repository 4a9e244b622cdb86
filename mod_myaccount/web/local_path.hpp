// Redirect targets a request may name: only paths on this server (no open redirect).
#pragma once

#include <cstddef>
#include <string>

namespace myaccount::web {

// Longer return addresses are not from our own pages; refusing them keeps URLs and pages small.
inline constexpr std::size_t max_return_path = 2048;

// True when `location` is a path on this server: starts with one "/", no scheme, no host, no
// backslash and no control characters. Anything else must not be used as a redirect target.
bool is_local_path(const std::string& location);
// A return/next address a form or query carries: a local path of at most max_return_path bytes.
bool is_return_path(const std::string& location);

}  // namespace myaccount::web
