// The portal's own second-step rule (the gate's twin for the portal's pages): who must pass the
// second step before a signed-in route opens, and which routes need a recent proof.
#pragma once

#include <optional>

#include "web/respond.hpp"

namespace myaccount::web {

// How recent a proof a signed-in route needs: a session that passed the second step where it is
// required (every signed-in route), or in addition a proof within MyAccountRecentVerification
// (changing security info).
enum class Proof { session, recent };

// The answer that sends the user to the verify step (or to register a method first) before this
// route; none when the route may run now. `exempt` routes (the verify step itself, sign-out,
// registering a first method) only ever need the password.
std::optional<Response> second_step_first(Exchange& exchange, Proof proof, bool exempt);

}  // namespace myaccount::web
