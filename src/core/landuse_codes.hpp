#pragma once

#include <string>
#include <vector>

namespace landquota {

// The second-level land-use classification of GB/T 21010-2017 (third national land survey).
// Returns the Chinese name of a code ("0702" -> "农村宅基地"), or nullptr for an unknown code.
const char* landuse_name(const std::string& code);

// Every code, in order (for suggestions and for checking the job's code patterns).
std::vector<std::string> landuse_codes();

// The third national survey's village-attribute codes (城镇村属性码, CZCSXM): 201 city, 202 town,
// 203 village, 204 salt works and mining, 205 special land, and the A variants.
bool is_village_class(const std::string& code);
std::vector<std::string> village_classes();

} // namespace landquota
