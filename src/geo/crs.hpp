#pragma once

#include "geo/ellipsoidal_area.hpp"

#include <memory>
#include <ogr_spatialref.h>
#include <string>

namespace landquota {

// Central meridian (degrees) of the 3° Gauss–Krüger zone containing a longitude: 3°·round(L/3).
int gk3_central_meridian(double lon_deg);

// The working CRS for data centred at a longitude: CGCS2000 / 3-degree Gauss-Kruger CM nnnE
// (EPSG:4534–4554, no zone prefix in the false easting) inside China's zones 75°E–135°E; outside,
// the same projection on the CGCS2000 ellipsoid as a PROJ string, so data anywhere works.
std::string gk3_zone_definition(double lon_deg);

// A spatial reference from any definition GDAL accepts (EPSG:nnnn, WKT, PROJ string), with the
// traditional GIS axis order (x = easting/longitude) so EPSG's northing-first order of the
// Chinese GK CRSs never swaps coordinates.
std::unique_ptr<OGRSpatialReference> make_srs(const std::string& definition);

// The ellipsoid of a CRS's datum.
Ellipsoid ellipsoid_of(const OGRSpatialReference& srs);

// The geographic CRS of a CRS's own datum, longitude first: where its coordinates go to be
// measured on the ellipsoid.
std::unique_ptr<OGRSpatialReference> geographic_of(const OGRSpatialReference& srs);

// A short label for messages and the manifest: "EPSG:4549" or the PROJ string.
std::string srs_label(const OGRSpatialReference& srs);

} // namespace landquota
