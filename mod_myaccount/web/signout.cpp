// POST /signout and POST /api/v1/signout: end this browser's session on the server.
#include "web/pages.hpp"

namespace myaccount::web {

Response sign_out(Exchange& exchange) {
    Response response;
    if (exchange.is_api()) {
        response = json_response(200, {{"signed_out", true}});
    } else {
        response.status = 303;
        response.set_header("Location", exchange.request.base_path + "/login?signed_out=1");
    }
    response.set_header("Clear-Site-Data", "\"cache\"");
    response.end_session = true;
    return response;
}

}  // namespace myaccount::web
