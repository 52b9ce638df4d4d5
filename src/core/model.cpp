#include "landquota/model.hpp"

#include <fmt/format.h>

namespace landquota {

const char* to_string(ParcelStatus s) {
    switch (s) {
    case ParcelStatus::Reclaimable:
        return "reclaimable";
    case ParcelStatus::Excluded:
        return "excluded";
    case ParcelStatus::NotEligible:
        return "not_eligible";
    case ParcelStatus::Outside:
        return "outside";
    }
    return "?";
}

std::string Finding::to_string() const {
    std::string where = file;
    if (!layer.empty())
        where += fmt::format(", layer '{}'", layer);
    if (!feature.empty())
        where += fmt::format(", feature {}", feature);
    if (!field.empty())
        where += fmt::format(", field '{}'", field);
    return fmt::format("{} [{}] {}: {}", is_error() ? "error" : "warning", check, where, message);
}

} // namespace landquota
