// Re-sealing authenticator secrets: the new key first (already done), then the old one.
#include "core/second_factor/rekey.hpp"

#include <optional>
#include <stdexcept>
#include <string>

#include "core/methods/totp.hpp"

namespace myaccount {

namespace {

std::optional<std::string> opened(const SecretKey& key, const VerificationMethod& method) {
    try {
        return open_totp_secret(key, method.account_id, method.secret_box);
    } catch (const std::runtime_error&) {
        return std::nullopt;
    }
}

}  // namespace

RekeyReport rekey_secrets(Store& store, const SecretKey& old_key, const SecretKey& new_key) {
    RekeyReport report;
    for (const VerificationMethod& method : store.all_authenticators()) {
        if (opened(new_key, method)) {
            ++report.already_new;
        } else if (std::optional<std::string> secret = opened(old_key, method)) {
            store.replace_method_secret(method.id, seal_totp_secret(new_key, method.account_id, *secret));
            ++report.resealed;
        } else {
            report.unreadable.push_back(method.id);
        }
    }
    return report;
}

}  // namespace myaccount
