// POST /signout and POST /api/v1/signout: end this browser's session on the server; and the same
// answer for every other change that ends this browser's session.
#include "web/pages.hpp"

namespace myaccount::web {

Response signed_out(Exchange& exchange, const char* login_flag, nlohmann::json api_body, const char* reason) {
    Response response;
    if (exchange.is_api()) {
        response = json_response(200, api_body);
    } else {
        response.status = 303;
        response.set_header("Location", exchange.request.base_path + "/login?" + login_flag + "=1");
    }
    response.set_header("Clear-Site-Data", "\"cache\"");
    response.end_session = true;
    response.end_reason = reason;
    return response;
}

Response sign_out(Exchange& exchange) {
    return signed_out(exchange, "signed_out", {{"signed_out", true}}, "signed_out");
}

}  // namespace myaccount::web
