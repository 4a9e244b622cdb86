// The second step a session owes, from the site's policy, the account's methods and the session.
#include "core/second_factor/second_step.hpp"

#include "core/second_factor/requirement.hpp"
#include "core/text.hpp"

namespace myaccount {

UnixTime password_proven_at(const Session& session) {
    return session.signed_in_at != 0 ? session.signed_in_at : session.created_at;
}

SecondStepDue second_step_due(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods,
                              const Session& session) {
    if (policy.requirement == MfaRequirement::off || session.second_factor_at > 0) return SecondStepDue::none;
    if (must_register_second_factor(policy, methods)) return SecondStepDue::register_method;
    return has_two_step_method(methods) ? SecondStepDue::verify : SecondStepDue::none;
}

SecondStepDue second_step_due(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods) {
    if (must_register_second_factor(policy, methods)) return SecondStepDue::register_method;
    return must_use_second_factor(policy, methods) ? SecondStepDue::verify : SecondStepDue::none;
}

bool recent_enough(const SecondFactorPolicy& policy, const std::vector<VerificationMethod>& methods,
                   const Session& session, UnixTime now) {
    const bool has_methods = has_two_step_method(methods);
    if (!has_methods && policy.requirement == MfaRequirement::off) return true;
    Session proven = session;
    proven.signed_in_at = password_proven_at(session);
    return recently_verified(policy, proven, has_methods, now);
}

namespace {

// A quoted-string of RFC 9110 §5.6.4: '"' and '\' escaped; nothing else of a URL needs it.
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

}  // namespace

SecondStepDirections second_step_directions(const std::string& portal, SecondStepDue due, const std::string& back,
                                            bool recent) {
    const std::string encoded = percent_encoded(back, "/");
    if (due == SecondStepDue::register_method)
        return {portal + "/security/register?next=" + encoded, "second_factor_registration_required", "register_url"};
    return {portal + "/verify?return=" + encoded + (recent ? "&recent=1" : ""), "second_factor_required", "verify_url"};
}

nlohmann::json SecondStepDirections::json_body() const {
    return {{"error", error}, {url_name, url}};
}

std::string SecondStepDirections::challenge() const {
    return std::string("MyAccount error=") + quoted(error) + ", " + url_name + "=" + quoted(url);
}

}  // namespace myaccount
