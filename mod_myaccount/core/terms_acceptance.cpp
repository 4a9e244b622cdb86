// Terms of use for a person: the text to read, acceptance, and the directions to the terms page.
#include "core/terms_acceptance.hpp"

#include <algorithm>

#include "core/audit.hpp"

namespace myaccount {

const TermsText* text_to_read(const TermsVersion& version, const std::string& language) {
    for (const char* wanted : {language.c_str(), "en"}) {
        auto found = std::find_if(version.texts.begin(), version.texts.end(),
                                  [&](const TermsText& text) { return text.language == wanted; });
        if (found != version.texts.end()) return &*found;
    }
    return version.texts.empty() ? nullptr : &version.texts.front();
}

std::string terms_event_detail(const TermsVersion& version) {
    return version.organization_name + " " + version.version;
}

TermsAccepted accept_terms(Store& store, const Account& account, std::int64_t version_id, const std::string& language,
                           const ClientInfo& client, UnixTime now) {
    const std::vector<TermsDue> due = store.terms_due(account.id);
    auto item = std::find_if(due.begin(), due.end(), [&](const TermsDue& d) { return d.current.id == version_id; });
    // Not current for any of the person's organizations: replaced (a version they could have read)
    // or never theirs; the store tells which.
    const std::string detail = item != due.end() ? terms_event_detail(item->current) : std::string();
    try {
        return store.accept_terms(
                   account.id, version_id, language,
                   audit_event(account.id, "terms_accepted", client, now, detail + " (" + language + ")"))
                   ? TermsAccepted::accepted
                   : TermsAccepted::accepted_before;
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::conflict) return TermsAccepted::outdated;
        if (e.kind() == StoreError::Kind::not_found || e.kind() == StoreError::Kind::invalid)
            return TermsAccepted::unknown;
        throw;
    }
}

Directions terms_directions(const std::string& portal, const std::string& back) {
    return {url_returning_to(portal, "/terms", "return", back), "terms_not_accepted", "terms_url"};
}

}  // namespace myaccount
