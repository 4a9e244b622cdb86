// The portal's own second-step rule (the gate's twin for the portal's pages): who must pass the
// second step before a signed-in route opens, and which routes need a recent proof.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/second_factor/second_step.hpp"
#include "web/respond.hpp"

namespace myaccount::web {

// How recent a proof a signed-in route needs: a session that passed the second step where it is
// required (every signed-in route), or in addition a proof within MyAccountRecentVerification
// (changing security info).
enum class Proof { session, recent };

// The answer that sends the user to the verify step (or to register a method first) before this
// route; none when the route may run now. `exempt` routes (the verify step itself, sign-out, the
// photo in the top bar) ask for nothing more than the password. `form_page` is where a refused
// POST comes back to after the verify step (the page that shows its form).
//   browser GET or HEAD   303 to <base>/verify?return=<this page> (…&recent=1 for a stale proof),
//                         or to <base>/security/register?next=<this page> to register a method first
//   browser POST          303 to the same, returning to form_page
//   API or Accept: JSON   401 {"error":"second_factor_required","verify_url":…}
//   no session of ours    403: the portal needs its own sign-in (HTTP Basic cannot pass the step)
std::optional<Response> second_step_first(Exchange& exchange, Proof proof, bool exempt, const char* form_page);

// The routes open to someone who must register a 2-step method first (MyAccountRequireMFA All and
// none yet): the request to register, adding an authenticator app, and adding a phone.
bool registers_a_method(const std::string& route);

// The 2-step policy for the signed-in account (the site's, or more where its organization asks).
SecondFactorPolicy second_factor_policy(const Exchange& exchange);

// The second step this request's session owes (none without a session of ours: see above).
SecondStepDue second_step_due_now(const Exchange& exchange, const std::vector<VerificationMethod>& methods);

// 403: the portal's own sign-in is needed to pass the second step (HTTP Basic or another front
// signed this request in, and no session of ours can be marked verified).
Response portal_sign_in_needed(const Exchange& exchange);

// <base>/verify?return=RETURN[&recent=1], RETURN percent-encoded.
std::string verify_url(const Exchange& exchange, const std::string& return_to, bool recent);
// <base>/security/register?next=NEXT.
std::string register_url(const Exchange& exchange, const std::string& next);
// This request's page as a local URL: base, route and the query as sent (re-encoded).
std::string this_page(const Exchange& exchange);
// "Too many wrong codes. Try again after N minutes." for a 2-step lockout until `until`.
std::string second_step_locked_text(const Exchange& exchange, UnixTime until);
// The request asks for JSON: an API route, or Accept: application/json.
bool wants_json(const Exchange& exchange);
// An Accept header of a script rather than a browser page: it names application/json and not text/html.
bool accepts_json(const std::string& accept);

}  // namespace myaccount::web
