// Small accessors of the request/response value types.
#include "web/http.hpp"

#include <algorithm>
#include <strings.h>

namespace myaccount::web {

namespace {
const std::string* first_value(const Fields& fields, const std::string& name) {
    for (const auto& [key, value] : fields)
        if (key == name) return &value;
    return nullptr;
}
}  // namespace

const std::string* Request::form_value(const std::string& name) const { return first_value(form, name); }

const std::string* Request::query_value(const std::string& name) const { return first_value(query_fields, name); }

bool Request::has_flag(const std::string& name) const {
    const std::string* value = query_value(name);
    return value && *value == "1";
}

std::size_t Request::form_count(const std::string& name) const {
    return static_cast<std::size_t>(std::count_if(form.begin(), form.end(),
                                                  [&](const auto& field) { return field.first == name; }));
}

void Response::set_header(const std::string& name, const std::string& value) {
    for (auto& [key, existing] : headers) {
        if (strcasecmp(key.c_str(), name.c_str()) == 0) {
            existing = value;
            return;
        }
    }
    headers.emplace_back(name, value);
}

}  // namespace myaccount::web
