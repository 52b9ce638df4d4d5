#include "mini_county.hpp"

namespace landquota::test {

namespace {
constexpr double X = 500000, Y = 3200000;
}

MiniCounty::MiniCounty() {
    villages = {{{"330723001001", "一村", "330723001", "1"}, rect(X, Y, X + 400, Y + 400)},
                {{"330723001002", "二村", "330723001", "0"}, rect(X + 400, Y, X + 800, Y + 400)}};
    townships = {{{"330723001", "大田乡", "熟溪联盟", "南部"}, rect(X, Y, X + 800, Y + 400)}};
    parcels = {
        {{"P1", "0702", "330723001001", "203"}, rect(X, Y, X + 100, Y + 100)}, // reclaimed
        {{"P2", "0702", "330723001001", "203"},
         rect(X + 100, Y, X + 200, Y + 100)}, // half in red line
        {{"P3", "0101", "330723001001", ""}, rect(X, Y + 100, X + 100, Y + 200)}, // paddy: no
        {{"P4", "0702", "330723001001", "203"},
         rect(X + 200, Y, X + 300, Y + 100)}, // all in red line
        {{"P5", "0702", "330723001001", "203"},
         rect(X + 300, Y, X + 400, Y + 100)}, // 30 m² sliver left
        {{"P6", "0702", "330723001002", "203"},
         rect(X + 400, Y, X + 500, Y + 100)},                              // not relocating
        {{"P7", "0702", "", "203"}, rect(X + 1000, Y, X + 1100, Y + 100)}, // in no village
    };
    redline = {{{"红线1"}, rect(X + 150, Y - 100, X + 300, Y + 200)}};
    farmland = {{{"基本农田1"}, rect(X + 300.3, Y - 50, X + 450, Y + 150)}};
    resettlement = {{{"AZ1", "330723001001"}, rect(X + 400, Y + 200, X + 440, Y + 250)}};
}

fs::path MiniCounty::write(const fs::path& dir) const {
    const fs::path gpkg = dir / "county.gpkg";
    fs::remove(gpkg);
    write_layer(gpkg, "GPKG", "villages", "EPSG:4549", {"ZLDWDM", "ZLDWMC", "XZDM", "RELOCATE"},
                villages);
    write_layer(gpkg, "GPKG", "townships", "EPSG:4549", {"XZDM", "XZMC", "LM", "QY"}, townships);
    write_layer(gpkg, "GPKG", "parcels", parcel_crs, {"BSM", "DLBM", "ZLDWDM", "CZCSXM"}, parcels);
    write_layer(gpkg, "GPKG", "redline", "EPSG:4549", {"NAME"}, redline);
    write_layer(gpkg, "GPKG", "farmland", "EPSG:4549", {"NAME"}, farmland);
    write_layer(gpkg, "GPKG", "resettlement", "EPSG:4549", {"AZBH", "ZLDWDM"}, resettlement);
    const fs::path job = dir / "job.toml";
    write_file(job, R"([job]
name = "mini"
)" + job_options + R"(

[inputs.parcels]
path = "county.gpkg"
layer = "parcels"
id = "BSM"
landuse = ")" + parcels_landuse_key +
                        R"("
village = "ZLDWDM"
village_class = "CZCSXM"

[inputs.villages]
path = "county.gpkg"
layer = "villages"
id = "ZLDWDM"
name = "ZLDWMC"
township = "XZDM"
relocate = "RELOCATE"

[inputs.townships]
path = "county.gpkg"
layer = "townships"
id = "XZDM"
name = "XZMC"
zone = "LM"
region = "QY"

[[inputs.exclusions]]
name = "生态保护红线"
path = "county.gpkg"
layer = "redline"

[[inputs.exclusions]]
name = "永久基本农田"
path = "county.gpkg"
layer = "farmland"

[inputs.resettlement]
path = "county.gpkg"
layer = "resettlement"
id = "AZBH"
village = "ZLDWDM"

[reclaim]
min_piece_m2 = 50
)" + job_extra);
    return job;
}

} // namespace landquota::test
