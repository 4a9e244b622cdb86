// Placeholder until the verify step lands: nothing is asked.
#include "web/second_step.hpp"

namespace myaccount::web {

std::optional<Response> second_step_first(Exchange&, Proof, bool) { return std::nullopt; }

}  // namespace myaccount::web
