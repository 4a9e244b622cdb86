// Which kinds of security alerts are sent (MyAccountSecurityAlerts): each notice belongs to one
// kind; a site turns kinds on or off. A sign-in from a new device has its own switch
// (MyAccountAlertNewDevice) and is not one of these kinds.
#pragma once

#include <optional>
#include <string_view>

namespace myaccount {

enum class SecurityNotice;

enum class AlertKind { password, methods, sessions, devices, organizations, account, not_me };
inline constexpr AlertKind all_alert_kinds[] = {AlertKind::password, AlertKind::methods,       AlertKind::sessions,
                                                AlertKind::devices,  AlertKind::organizations, AlertKind::account,
                                                AlertKind::not_me};

const char* to_string(AlertKind kind);  // the directive's word: "password", "not_me", ...
std::optional<AlertKind> alert_kind_from(std::string_view word);

class AlertPolicy {
public:
    // Every kind on, as with no directive.
    AlertPolicy() = default;
    static AlertPolicy none() { return AlertPolicy(0); }

    void turn_on(AlertKind kind) { enabled_ |= bit(kind); }
    bool is_on(AlertKind kind) const { return (enabled_ & bit(kind)) != 0; }
    // Whether a notice is sent: its kind is on (new-device notices always pass here).
    bool tells(SecurityNotice notice) const;

private:
    explicit AlertPolicy(unsigned enabled) : enabled_(enabled) {}
    static unsigned bit(AlertKind kind) { return 1u << static_cast<unsigned>(kind); }

    unsigned enabled_ = ~0u;
};

}  // namespace myaccount
