// The RFC 5322 message a notification becomes on the e-mail channel.
#pragma once

#include "core/model.hpp"
#include "core/notifier.hpp"

namespace myaccount {

// Date, To, Subject, MIME-Version, Content-Type (text/plain; charset=UTF-8),
// Content-Transfer-Encoding (8bit), a blank line and the body verbatim, for `sendmail -i -t`
// style programs: lines end in LF, the local convention (the MTA writes CRLF on the wire).
// No From or Message-ID: the MTA adds the site's own. The subject is RFC 2047 encoded unless it
// is short printable ASCII; controls in it become spaces. Throws std::invalid_argument when the
// recipient is not one plain address (controls, line breaks, lists): it would forge headers.
std::string compose_email(const Notification& notification, UnixTime date);

// "Thu, 01 Jan 1970 00:00:00 +0000" (RFC 5322 section 3.3, in UTC, never localised).
std::string rfc5322_date(UnixTime time);

}  // namespace myaccount
