// GET /static/<file>: the stylesheet and images that come with the templates.
#include "web/pages.hpp"

namespace myaccount::web {

Response serve_static(Exchange& exchange) {
    std::string name = exchange.request.route.substr(std::string("/static/").size());
    const Renderer::StaticFile* file = exchange.context.renderer.static_file(name);
    if (!file) return failure(exchange, Failure::not_found);
    Response response;
    response.content_type = file->content_type;
    response.body = file->bytes;
    return response;
}

}  // namespace myaccount::web
