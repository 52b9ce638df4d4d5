#pragma once

// How far a projected CRS stretches lengths at a place: |k − 1| for the larger of its meridian
// and parallel scale factors (PROJ's proj_factors). 1e-4 is 1:10,000, 10 cm in a kilometre.
#include <ogr_spatialref.h>

namespace landquota {

// The scale error of `crs` at geographic longitude/latitude (degrees, on the CRS's own datum).
// Infinity where PROJ cannot project the point at all (e.g. 118° from a transverse Mercator's
// central meridian).
double scale_error(const OGRSpatialReference& crs, double lon_deg, double lat_deg);

} // namespace landquota
