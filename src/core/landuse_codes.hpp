#pragma once

#include <string>

namespace landquota {

// The second-level land-use classification of GB/T 21010-2017 (third national land survey).
// Returns the Chinese name of a code ("0702" -> "农村宅基地"), or nullptr for an unknown code.
const char* landuse_name(const std::string& code);

} // namespace landquota
