#pragma once

// The map of report.html as GeoJSON in WGS 84 longitude/latitude (what Leaflet draws): villages
// with their freed quota, townships as outlines, exclusion zones, corridor belts and
// routes, sites and the flows of quota.
#include "publish/writer.hpp"

#include <nlohmann/json.hpp>

namespace landquota {

// {"villages": FeatureCollection, "townships": …, "exclusions": …, "corridor_belts": …,
// "corridor_routes": …, "sites": …, "flows": …}; the corridors' only with [[corridor]], sites
// and flows only when the run allocates. Figures are the tables' (publish/tables.hpp).
nlohmann::json report_map(const RunResults& r, const OGRSpatialReference& crs);

} // namespace landquota
