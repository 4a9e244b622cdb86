// The interface through which the portal sends messages to people: one-time codes and notices.
#pragma once

#include <cstdint>
#include <string>

namespace myaccount {

// Messages to people through the site's own channel (MyAccountNotifyCommand): codes and notices.
struct Notification {
    std::string channel = "email";  // "email", or "sms" / "voice" (a phone number, E.164)
    std::string recipient;          // a validated address or number
    std::string subject;
    std::string body;               // plain text; may carry a one-time code: never log it
    std::int64_t challenge_id = 0;  // when set, the outcome is recorded on that challenge (Store::set_delivery)
};

class Notifier {
public:
    virtual ~Notifier() = default;
    virtual bool available() const = 0;                // false: no command configured, nothing can be sent
    virtual void post(Notification notification) = 0;  // queued; sent after the response by a background thread
    virtual bool send_now(const Notification& notification) = 0;  // runs the command now; true = exit 0
};

}  // namespace myaccount
