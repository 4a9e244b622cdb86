// The same-site rule: Sec-Fetch-Site first, Origin when the browser sends no fetch metadata.
#include "web/request_origin.hpp"

namespace myaccount::web {

Provenance provenance_of(const std::string& sec_fetch_site, const std::string& origin, const std::string& own_origin) {
    if (!sec_fetch_site.empty()) return sec_fetch_site == "same-origin" ? Provenance::same_origin : Provenance::cross_site;
    if (origin.empty()) return Provenance::unknown;
    return origin == own_origin ? Provenance::same_origin : Provenance::cross_site;
}

}  // namespace myaccount::web
