#pragma once

// An id or code of spaces is no id: " " must not pass where "" is refused.
#include <algorithm>
#include <cctype>
#include <string_view>

namespace landquota {

inline bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

} // namespace landquota
