// Stand-ins for the two parts of httpd the directive setters reach, so the unit tests can run the
// setters, create and merge without httpd: the module record (for its index) and
// ap_server_root_relative.
#include <apr_strings.h>

#include "httpd/module.hpp"

extern "C" {

// module_index is set by the tests that look configs up (httpd sets it when it loads the module).
module AP_MODULE_DECLARE_DATA myaccount_module = {
    STANDARD20_MODULE_STUFF, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, AP_MODULE_FLAG_NONE,
};

// The source tree stands in for ServerRoot.
char* ap_server_root_relative(apr_pool_t* pool, const char* name) {
    if (name[0] == '/') return apr_pstrdup(pool, name);
    return apr_pstrcat(pool, MYACCOUNT_SOURCE_DIR "/", name, nullptr);
}

}
