// GET /photo: the stored photo, or an initials avatar drawn from the display name.
#include "core/crypto.hpp"
#include "web/pages.hpp"
#include "web/profile_view.hpp"

namespace myaccount::web {

namespace {

// Background colours with white text at a contrast ratio of at least 4.5:1.
constexpr const char* avatar_colours[] = {"#0f6cbd", "#8a3707", "#0b6a0b", "#8764b8",
                                          "#a4262c", "#005b70", "#5c2e91", "#6b4b00"};

const char* colour_for(const std::string& username) {
    std::string digest = hash_token(username);
    auto index = static_cast<unsigned char>(digest[0]) % (sizeof avatar_colours / sizeof avatar_colours[0]);
    return avatar_colours[index];
}

}  // namespace

Response show_photo(Exchange& exchange) {
    const Account& account = *exchange.account;
    Response response;
    if (auto photo = exchange.context.store.find_photo(account.id)) {
        response.content_type = photo->content_type;
        response.body = std::move(photo->bytes);
        return response;
    }
    response.content_type = "image/svg+xml";
    response.body = exchange.context.renderer.render(
        "avatar.svg", exchange.lang,
        {{"initials", initials_of(account.display_name)},
         {"background", colour_for(account.username)},
         {"foreground", "#ffffff"}});
    return response;
}

}  // namespace myaccount::web
