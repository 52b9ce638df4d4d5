#pragma once

// Small in-memory inputs for the per-stage tests (tests/unit/test_stage_*.cpp), in the manner of
// PDAL's per-stage tests: each stage is called alone on values built in the test. Nothing goes to
// disk: a layer a reader must open is written to GDAL's /vsimem/ filesystem.
//
// Coordinates are in EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E, false easting 500000,
// scale factor 1 on the central meridian). Within a kilometre of x = 500000 the scale factor
// differs from 1 by less than (1000 m)² / (2 · 6.38e6 m)² ≈ 1.2e-8, so a 100 m × 100 m square has
// the same planar and ellipsoidal area to about 2.5e-4 m², far inside the 0.005 m² that rounding
// to hundredths of m² allows: its accounting area is exactly 1 000 000 hundredths.
#include "geo/area_calculator.hpp"
#include "geo/crs.hpp"
#include "geo/geos.hpp"
#include "io/layer_reader.hpp"
#include "run/run.hpp"
#include "support.hpp"

#include <cpl_vsi.h>
#include <memory>
#include <ogr_geometry.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace landquota::test {

// The origin of the stage tests' coordinates: on the central meridian of EPSG:4549, near 28.9°N.
inline constexpr double kX = 500000, kY = 3200000;

// 1 ha = 10 000 m² = 1 000 000 hundredths of m² = 15 mu.
inline constexpr AreaCm2x100 kHa = 1000000;

inline const OGRSpatialReference& working_crs() {
    static const std::unique_ptr<OGRSpatialReference> srs = [] {
        init_gdal();
        return make_srs("EPSG:4549");
    }();
    return *srs;
}

// An OGR geometry from WKT (coordinates in the working CRS).
inline std::unique_ptr<OGRGeometry> ogr_from_wkt(const std::string& wkt) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) != OGRERR_NONE || !g)
        throw std::runtime_error("bad WKT in a test: " + wkt);
    return std::unique_ptr<OGRGeometry>(g);
}

// A GEOS geometry from WKT (through the engine's own OGR -> GEOS helper).
inline GeomPtr geos_from_wkt(const std::string& wkt) {
    return to_geos(*ogr_from_wkt(wkt));
}

// A rectangle relative to the origin (kX, kY), in metres.
inline std::string at(double x0, double y0, double x1, double y1) {
    return rect(kX + x0, kY + y0, kX + x1, kY + y1);
}

// Planar area of a GEOS geometry, for checking clipped pieces.
inline double area_of(const GEOSGeometry* g) {
    return g ? planar_area(g) : 0.0;
}

// A source feature as a LayerReader would deliver it.
inline SourceFeature feature(GIntBig fid, std::vector<std::string> values, const std::string& wkt) {
    SourceFeature f;
    f.fid = fid;
    f.values = std::move(values);
    if (!wkt.empty())
        f.geometry = ogr_from_wkt(wkt);
    return f;
}

// A folder in GDAL's in-memory filesystem, removed with all it holds at the end of the test.
class MemDir {
  public:
    explicit MemDir(const std::string& name) : path_("/vsimem/" + name) {
        init_gdal();
        VSIRmdirRecursive(path_.c_str());
        VSIMkdir(path_.c_str(), 0755);
    }
    ~MemDir() { VSIRmdirRecursive(path_.c_str()); }
    MemDir(const MemDir&) = delete;
    MemDir& operator=(const MemDir&) = delete;
    std::string operator/(const std::string& file) const { return path_ + "/" + file; }

  private:
    std::string path_;
};

// Writes one layer (string fields, EPSG:4549) to a /vsimem/ GeoPackage with GDAL and opens it
// with the engine's LayerReader, delivering features in the working CRS.
inline std::unique_ptr<LayerReader> memory_layer(const std::string& file, const std::string& layer,
                                                 const std::vector<std::string>& fields,
                                                 const std::vector<Row>& rows, FieldRequest request,
                                                 const std::string& table) {
    write_layer(file, "GPKG", layer, "EPSG:4549", fields, rows);
    auto reader =
        std::make_unique<LayerReader>(LayerSource{file, layer, "", table}, std::move(request));
    reader->set_working_crs(working_crs());
    return reader;
}

} // namespace landquota::test
