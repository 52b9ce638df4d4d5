#pragma once

// The files report.html inlines, compiled into the binary at build time (cmake/EmbedAssets.cmake)
// so a report is one self-contained file and the binary needs no package at run time.
#include <string_view>

namespace landquota::assets {

extern const std::string_view leaflet_js;        // Debian's libjs-leaflet, licence header kept
extern const std::string_view leaflet_css;       // its stylesheet, image references removed
extern const std::string_view leaflet_copyright; // /usr/share/doc/libjs-leaflet/copyright
extern const std::string_view chart_js;          // Debian's libjs-chart.js, licence header kept
extern const std::string_view chart_copyright;   // /usr/share/doc/libjs-chart.js/copyright
extern const std::string_view methods_md;        // docs/methods.md, for the report's appendix

} // namespace landquota::assets
