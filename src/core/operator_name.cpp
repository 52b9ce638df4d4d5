#include "core/operator_name.hpp"

#include <cstdlib>

namespace landquota {

std::string operator_from(const std::string& given) {
    if (!given.empty())
        return given;
    for (const char* var : {"LANDQUOTA_OPERATOR", "USER", "LOGNAME"})
        if (const char* v = std::getenv(var); v && *v)
            return v;
    return {};
}

} // namespace landquota
