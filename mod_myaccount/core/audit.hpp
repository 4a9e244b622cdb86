// Building the audit trail's events from what the core knows about a request.
#pragma once

#include <string>

#include "core/client_info.hpp"
#include "core/model.hpp"

namespace myaccount {

inline AuditEvent audit_event(AccountId account, const char* kind, const ClientInfo& client, UnixTime now,
                              std::string detail = {}) {
    AuditEvent event;
    event.account_id = account;
    event.at = now;
    event.kind = kind;
    event.client_ip = client.ip;
    event.user_agent = client.user_agent;
    event.detail = std::move(detail);
    return event;
}

}  // namespace myaccount
