// The module record, declared for every glue file (logging needs its index).
#pragma once

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>

extern "C" {
extern module AP_MODULE_DECLARE_DATA __attribute__((visibility("default"))) myaccount_module;
}

// Handler name of the portal (SetHandler myaccount) and name of the authn provider.
inline constexpr const char* myaccount_handler_name = "myaccount";
inline constexpr const char* myaccount_provider_name = "myaccount";
