// Accept-Language negotiation (web/i18n) against the shipped catalogs: any header yields one of
// them or the fallback.
#include <algorithm>

#include "fuzz_support.hpp"
#include "web/i18n.hpp"

using namespace myaccount;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const web::Catalogs catalogs = web::Catalogs::load(MYACCOUNT_SOURCE_DIR "/templates/i18n");
    static const std::vector<std::string> languages = catalogs.languages();
    const std::string header(fuzz::text_of(data, size));
    for (const char* fallback : {"en", "ja"}) {
        const std::string chosen = catalogs.negotiate(header, fallback);
        fuzz::require(chosen == fallback || std::count(languages.begin(), languages.end(), chosen) == 1,
                      "the negotiated language is a catalog's or the fallback");
    }
    return 0;
}
