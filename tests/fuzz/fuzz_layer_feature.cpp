// libFuzzer target: the ingest of features from a GeoJSON document, through the same LayerReader
// a run uses (the bytes are a file in GDAL's /vsimem/), then the parcel pass's per-feature steps:
// the geometry checks and the ellipsoidal measurement. Bad bytes must give an input error or a
// finding; never a crash, a hang or an internal error.
#include "fuzz_support.hpp"
#include "geo/area_calculator.hpp"
#include "io/layer_reader.hpp"
#include "pipeline/validate.hpp"

#include <cpl_vsi.h>
#include <cstddef>
#include <cstdint>
#include <gdal_priv.h>

using namespace landquota;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool ready = [] {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
        return true;
    }();
    (void)ready;
    static OGRSpatialReference working = [] {
        OGRSpatialReference s;
        s.importFromEPSG(4549);
        s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        return s;
    }();
    static AreaCalculator area(working, 10.0);
    const char* path = "/vsimem/fuzz/parcels.geojson";
    VSIFCloseL(VSIFileFromMemBuffer(path, const_cast<GByte*>(data), size, FALSE));
    fuzz::expect_input_errors_only([&] {
        LayerSource source{path, "", "", "inputs.parcels"};
        LayerReader reader(source,
                           {{"BSM", "DLBM"}, {"inputs.parcels.id", "inputs.parcels.landuse"}});
        reader.set_working_crs(working);
        const FeatureRef ref{&reader, "BSM"};
        FindingLog log;
        SourceFeature f;
        for (int n = 0; n < 64 && reader.next(f); ++n)
            if (GeomPtr g = checked_polygon(f, ref, f.values.at(0), true, log))
                (void)area.measure(*to_ogr(g.get()));
    });
    VSIUnlink(path);
    return 0;
}
