// Terms of use for a person: which text of a version they read, accepting it, and where a browser
// that has not goes first.
#pragma once

#include <string>

#include "core/client_info.hpp"
#include "core/directions.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace myaccount {

// The text in `language`, else English, else the first one published; null when there is none.
const TermsText* text_to_read(const TermsVersion& version, const std::string& language);

enum class TermsAccepted { accepted, accepted_before, outdated, unknown };
// The person accepts a version they read in `language` (one of its texts), recorded as
// "terms_accepted". outdated: a newer version replaced it meanwhile; unknown: not a version of
// their organizations, or no such text.
TermsAccepted accept_terms(Store& store, const Account& account, std::int64_t version_id, const std::string& language,
                           const ClientInfo& client, UnixTime now);
// The audit trail's words for a version: "<organization> <version>".
std::string terms_event_detail(const TermsVersion& version);

// <portal>/terms?return=BACK; scripts are told error terms_not_accepted and terms_url.
Directions terms_directions(const std::string& portal, const std::string& back);

}  // namespace myaccount
