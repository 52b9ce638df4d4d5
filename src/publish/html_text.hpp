#pragma once

// Text from the data made safe in HTML text and attributes: shared by report.html and
// compare.html.
#include <string>
#include <string_view>

namespace landquota {

inline std::string html(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// report.html's style sheet (fonts, tables, totals, the plan banner, A4 printing), for pages that
// should look like the report.
const char* report_css();

} // namespace landquota
