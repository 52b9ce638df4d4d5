#pragma once

// A LayerStyle as OGC SLD 1.1 (Symbology Encoding), for clients other than QGIS (GeoServer,
// ArcGIS Pro, web viewers). SLD cannot say what QGIS expressions say (widths and colours that
// follow a field, centroid markers, labels built from several fields): those parts are left out
// and the SLD keeps the classes, colours, outlines and plain field labels.
#include "publish/map_style.hpp"

#include <string>

namespace landquota {

std::string to_sld(const LayerStyle& style);

} // namespace landquota
