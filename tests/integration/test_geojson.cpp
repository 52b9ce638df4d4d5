// geojson/*.geojson against RFC 7946, read with a JSON parser (not GDAL): no "crs" member, WGS 84
// longitude/latitude in range, at most 7 decimals, exterior rings counter-clockwise and holes
// clockwise, ids as strings, numbers as numbers; and the same features as result.gpkg, each
// where GDAL's own transformation of the GeoPackage geometry puts it.
#include "pipeline/job.hpp"
#include "run/run.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

using namespace landquota;
using namespace landquota::test;
using nlohmann::json;

namespace {

// Twice the signed area of a ring in lon/lat (shoelace): positive when counter-clockwise.
double signed_area2(const json& ring) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        s += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
             ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    return s;
}

// The mean of a geometry's vertices (first ring only for polygons), in lon/lat.
std::pair<double, double> mean_vertex(const json& coords, const std::string& type) {
    const json* ring = &coords;
    if (type == "Polygon")
        ring = &coords[0];
    else if (type == "MultiPolygon")
        ring = &coords[0][0];
    double x = 0, y = 0;
    std::size_t n = ring->size() - (type == "LineString" ? 0 : 1); // closed rings repeat one
    for (std::size_t i = 0; i < n; ++i) {
        x += (*ring)[i][0].get<double>();
        y += (*ring)[i][1].get<double>();
    }
    return {x / static_cast<double>(n), y / static_cast<double>(n)};
}

void check_position(const json& p) {
    REQUIRE(p.is_array());
    REQUIRE(p.size() == 2);
    const double lon = p[0].get<double>(), lat = p[1].get<double>();
    CHECK(lon >= -180.0);
    CHECK(lon <= 180.0);
    CHECK(lat >= -90.0);
    CHECK(lat <= 90.0);
    for (double v : {lon, lat}) // at most 7 decimals
        CHECK(std::abs(v * 1e7 - std::round(v * 1e7)) < 1e-3);
}

void check_polygon(const json& rings) {
    for (std::size_t r = 0; r < rings.size(); ++r) {
        const json& ring = rings[r];
        REQUIRE(ring.size() >= 4);
        CHECK(ring.front() == ring.back());
        for (const auto& p : ring)
            check_position(p);
        if (r == 0)
            CHECK(signed_area2(ring) > 0); // exterior: counter-clockwise
        else
            CHECK(signed_area2(ring) < 0); // holes: clockwise
    }
}

} // namespace

TEST_CASE("GeoJSON copies of every result layer follow RFC 7946 and match result.gpkg",
          "[publish][geojson]") {
    TempDir dir;
    const Job job = load_job(source_dir() / "sample_maps" / "wuyi" / "job.toml");
    RunOptions o;
    o.out = dir / "out";
    o.ledger = dir / "ledger.sqlite";
    const RunReport r = run_job(job, o);
    REQUIRE(r.committed);

    GDALDatasetUniquePtr gpkg(GDALDataset::Open((dir / "out" / "result.gpkg").c_str(),
                                                GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(gpkg);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    int layers = 0;
    for (OGRLayer* layer : gpkg->GetLayers()) {
        if (layer->GetGeomType() == wkbNone)
            continue; // layer_styles: the styles, not a map layer
        const std::string name = layer->GetName();
        INFO("layer " << name);
        const fs::path file = dir / "out" / "geojson" / (name + ".geojson");
        REQUIRE(fs::exists(file));
        ++layers;
        const json doc = json::parse(read_file(file));
        CHECK(doc["type"] == "FeatureCollection");
        CHECK_FALSE(doc.contains("crs"));
        const json& features = doc["features"];
        REQUIRE(static_cast<GIntBig>(features.size()) == layer->GetFeatureCount());

        std::unique_ptr<OGRCoordinateTransformation> ct(
            OGRCreateCoordinateTransformation(layer->GetSpatialRef(), &wgs84));
        REQUIRE(ct);
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        layer->ResetReading();
        std::size_t i = 0;
        for (auto& f : *layer) {
            const json& g = features[i++];
            CHECK(g["type"] == "Feature");
            if (g.contains("id"))
                CHECK(g["id"].is_string());
            // Real fields are JSON numbers with the GeoPackage's value.
            for (int k = 0; k < defn->GetFieldCount(); ++k) {
                const OGRFieldDefn* fd = defn->GetFieldDefn(k);
                const auto& props = g["properties"];
                if (!props.contains(fd->GetNameRef()))
                    continue; // the id field, written as the feature's "id"
                const json& v = props[fd->GetNameRef()];
                if (fd->GetType() == OFTReal) {
                    REQUIRE(v.is_number());
                    CHECK(v.get<double>() == Approx(f->GetFieldAsDouble(k)).margin(1e-9));
                } else if (fd->GetType() == OFTString) {
                    CHECK(v.is_string());
                }
            }
            const std::string type = g["geometry"]["type"];
            const json& c = g["geometry"]["coordinates"];
            if (type == "Polygon")
                check_polygon(c);
            else if (type == "MultiPolygon")
                for (const auto& poly : c)
                    check_polygon(poly);
            else if (type == "LineString")
                for (const auto& p : c)
                    check_position(p);
            else
                FAIL("unexpected geometry type " << type);

            // Where GDAL's transformation of the GeoPackage's geometry puts the feature: the mean
            // of the first ring's distinct vertices does not depend on the ring's direction.
            std::unique_ptr<OGRGeometry> src(f->GetGeometryRef()->clone());
            REQUIRE(src->transform(ct.get()) == OGRERR_NONE);
            char* text = src->exportToJson();
            const json expected = json::parse(text);
            CPLFree(text);
            const auto [ex, ey] = mean_vertex(expected["coordinates"], expected["type"]);
            const auto [gx, gy] = mean_vertex(c, type);
            CHECK(gx == Approx(ex).margin(1e-6));
            CHECK(gy == Approx(ey).margin(1e-6));
        }
    }
    // parcels, reclaimed, sites, flows, villages, townships, zones, regions, exclusions,
    // resettlement
    CHECK(layers == 10);
}
