// Where a request says it came from, as the browser tells it (Sec-Fetch-Site, then Origin): the
// one same-site rule every state change and every sign-in form is judged by.
#pragma once

#include <string>

namespace myaccount::web {

enum class Provenance {
    same_origin,  // the browser vouches that one of this server's pages sent it
    cross_site,   // another origin sent it (or the headers contradict each other)
    unknown,      // no header says either way (scripts, curl, very old browsers)
};

// Sec-Fetch-Site is the browser's own word and decides alone when present ("same-origin" only; a
// sibling host's "same-site" is another origin; Origin is then not looked at). Without it, Origin decides: ours is same-origin,
// none is unknown, anything else (including "null", which a page or sandbox with an opaque
// origin sends) is cross-site. `own_origin` is scheme://Host as the browser addressed us.
Provenance provenance_of(const std::string& sec_fetch_site, const std::string& origin, const std::string& own_origin);

}  // namespace myaccount::web
