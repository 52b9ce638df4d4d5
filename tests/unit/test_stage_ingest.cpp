// The ingest stage alone (src/pipeline/ingest.hpp) and the named field views of
// src/pipeline/inputs.hpp. The layers are GeoPackages in GDAL's memory file system (/vsimem/):
// no file is written to disk.
//
// The county, in EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E, metres): parcels,
// villages, townships, an exclusion and a resettlement site in county.gpkg, the industrial sites
// in sites.gpkg. With no [job] crs the working CRS is the 3° zone of the parcels' centre: x =
// 500000 is 120°E, the zone whose central meridian is 120°E, EPSG:4534 + (120 − 75) / 3 = 4549.
#include "landquota/error.hpp"
#include "pipeline/ingest.hpp"
#include "run/run.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cpl_vsi.h>
#include <functional>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

using namespace landquota;
using namespace landquota::test;

namespace {

constexpr double X = 500000, Y = 3200000;

// A folder in /vsimem/, removed with everything in it at the end of the test.
class MemDir {
  public:
    MemDir() : path_("/vsimem/landquota-ingest-" + std::to_string(++count_)) {
        init_gdal();
        VSIRmdirRecursive(path_.c_str());
    }
    ~MemDir() { VSIRmdirRecursive(path_.c_str()); }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
    static inline int count_ = 0;
};

// One layer of string fields written with GDAL; appended when the GeoPackage exists. `crs` ""
// writes no CRS.
void write_mem_layer(const std::string& file, const std::string& layer, const std::string& crs,
                     const std::vector<std::string>& fields, const std::vector<Row>& rows) {
    VSIStatBufL st;
    GDALDatasetUniquePtr ds;
    if (VSIStatL(file.c_str(), &st) == 0)
        ds.reset(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    else
        ds.reset(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(file.c_str(), 0, 0, 0,
                                                                         GDT_Unknown, nullptr));
    REQUIRE(ds);
    OGRSpatialReference srs;
    OGRSpatialReference* psrs = nullptr;
    if (!crs.empty()) {
        srs.SetFromUserInput(crs.c_str());
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        psrs = &srs;
    }
    OGRLayer* l = ds->CreateLayer(layer.c_str(), psrs, wkbUnknown, nullptr);
    REQUIRE(l);
    int failed = 0;
    for (const auto& f : fields) {
        OGRFieldDefn d(f.c_str(), OFTString);
        failed += l->CreateField(&d) != OGRERR_NONE;
    }
    for (const auto& r : rows) {
        OGRFeature feat(l->GetLayerDefn());
        for (std::size_t i = 0; i < r.values.size(); ++i)
            if (!r.values[i].empty())
                feat.SetField(static_cast<int>(i), r.values[i].c_str());
        if (!r.wkt.empty()) {
            OGRGeometry* g = nullptr;
            failed += OGRGeometryFactory::createFromWkt(r.wkt.c_str(), psrs, &g) != OGRERR_NONE;
            feat.SetGeometryDirectly(g);
        }
        failed += l->CreateFeature(&feat) != OGRERR_NONE;
    }
    INFO(file << ", layer " << layer);
    REQUIRE(failed == 0);
}

// The county as layers (field order as written; the job maps fields by name) and the job that
// reads it.
struct County {
    MemDir mem;
    std::string parcel_crs = "EPSG:4549";
    // Fields in another order than the views ask for them: values are found by name.
    std::vector<std::string> parcel_fields{"HZ", "PDJB", "CZCSXM", "ZLDWDM", "DLBM", "BSM"};
    std::vector<Row> parcels{
        {{"户主甲", "2", "203", "V1", "0702", "P1"}, rect(X, Y, X + 100, Y + 100)},
        {{"", "5", "", "V2", "0101", "P2"}, rect(X + 400, Y, X + 500, Y + 100)}};
    std::vector<std::string> village_fields{"ZLDWDM", "ZLDWMC", "XZDM", "RELOCATE",
                                            "ZT",     "YSRQ",   "FKLX"};
    std::vector<Row> villages{
        {{"V1", "一村", "T1", "是", "accepted", "2024-06-30", "arable"},
         rect(X, Y, X + 400, Y + 400)},
        {{"V2", "二村", "T1", "0", "planned", "", ""}, rect(X + 400, Y, X + 800, Y + 400)},
        {{"V3", "三村", "T2", "no", "", "", "forest"}, rect(X, Y + 400, X + 400, Y + 800)}};
    std::vector<std::string> township_fields{"XZDM", "XZMC", "LM", "QY", "GDP", "RK"};
    std::vector<Row> townships{
        {{"T1", "一乡", "Z1", "R1", "123.5", "4000"}, rect(X, Y, X + 800, Y + 400)},
        {{"T2", "二乡", "Z1", "R2", "-7", "1e3"}, rect(X, Y + 400, X + 800, Y + 800)}};
    std::vector<Row> redline{{{"红线1"}, rect(X + 150, Y - 100, X + 300, Y + 200)}};
    std::vector<Row> resettlement{{{"AZ1", "V1"}, rect(X + 400, Y + 200, X + 440, Y + 250)}};
    std::vector<std::string> site_fields{"XMBH", "XMMC", "XQMJ", "MJSS", "YXJ"};
    std::vector<Row> sites{
        {{"S1", "一园", "1.5", "300", "2"}, rect(X + 1000, Y, X + 1100, Y + 100)},
        {{"S2", "二园", "600", "12.5", ""}, rect(X + 1000, Y + 200, X + 1050, Y + 300)}};
    Job job;

    County() {
        job.file = mem / "job.toml"; // named in findings, never read by ingest
        job.name = "mini";
        const std::string county = mem / "county.gpkg", site_file = mem / "sites.gpkg";
        auto& P = job.parcels;
        static_cast<LayerSource&>(P) = {county, "parcels", "", "inputs.parcels"};
        P.id = "BSM";
        P.landuse = "DLBM";
        P.village = "ZLDWDM";
        P.village_class = "CZCSXM";
        P.slope = "PDJB";
        P.holder = "HZ";
        auto& V = job.villages;
        static_cast<LayerSource&>(V) = {county, "villages", "", "inputs.villages"};
        V.id = "ZLDWDM";
        V.name = "ZLDWMC";
        V.township = "XZDM";
        V.relocate = "RELOCATE";
        V.state = "ZT";
        V.accepted = "YSRQ";
        V.reclaim_to = "FKLX";
        TownshipInput T;
        static_cast<LayerSource&>(T) = {county, "townships", "", "inputs.townships"};
        T.id = "XZDM";
        T.name = "XZMC";
        T.zone = "LM";
        T.region = "QY";
        T.indicators = {"GDP", "RK"};
        job.townships = T;
        ExclusionInput E;
        static_cast<LayerSource&>(E) = {county, "redline", "", "inputs.exclusions[1]"};
        E.name = "生态保护红线";
        job.exclusions = {E};
        ResettlementInput R;
        static_cast<LayerSource&>(R) = {county, "resettlement", "", "inputs.resettlement"};
        R.id = "AZBH";
        R.village = "ZLDWDM";
        job.resettlement = R;
        SiteInput S;
        static_cast<LayerSource&>(S) = {site_file, "", "", "inputs.sites"}; // its only layer
        S.id = "XMBH";
        S.name = "XMMC";
        S.demand = "XQMJ";
        S.demand_unit = "mu";
        S.attributes = {{"tax_per_mu", "MJSS"}, {"priority", "YXJ"}};
        job.sites = S;
        job.reclaim.relocating_villages = {"V2"};
    }

    Inputs ingest(FindingLog& log) const {
        const std::string county = mem / "county.gpkg";
        write_mem_layer(county, "parcels", parcel_crs, parcel_fields, parcels);
        write_mem_layer(county, "villages", "EPSG:4549", village_fields, villages);
        write_mem_layer(county, "townships", "EPSG:4549", township_fields, townships);
        write_mem_layer(county, "redline", "EPSG:4549", {"NAME"}, redline);
        write_mem_layer(county, "resettlement", "EPSG:4549", {"AZBH", "ZLDWDM"}, resettlement);
        write_mem_layer(mem / "sites.gpkg", "sites", "EPSG:4549", site_fields, sites);
        return landquota::ingest(job, log);
    }
};

std::string all_findings(const FindingLog& log) {
    std::string out;
    for (const auto& f : log.kept())
        out += f.to_string() + "\n";
    return out;
}

} // namespace

TEST_CASE("ingest stage: reads every layer of a good county with the fields the job names",
          "[stage][ingest]") {
    const County c;
    FindingLog log;
    Inputs in = c.ingest(log);
    INFO(all_findings(log));
    CHECK(log.errors() == 0);
    CHECK(log.warnings() == 0);

    REQUIRE(in.working_crs);
    CHECK(in.working_crs_label == "EPSG:4549");
    CHECK(in.working_crs->IsProjected());
    // Every file read, each once: the two GeoPackages.
    CHECK(in.input_files == std::vector<std::string>{c.mem / "county.gpkg", c.mem / "sites.gpkg"});

    SECTION("parcels stay open and stream, each value under its name") {
        REQUIRE(in.parcels);
        CHECK(in.parcels->layer_name() == "parcels");
        CHECK(in.parcels->feature_count() == 2);
        SourceFeature f;
        REQUIRE(in.parcels->next(f));
        const ParcelValues p(f);
        CHECK(f.fid == 1);
        CHECK(p.id == "P1");
        CHECK(p.landuse == "0702");
        CHECK(p.village == "V1");
        CHECK(p.village_class == "203");
        CHECK(p.slope == "2");
        CHECK(p.holder == "户主甲");
        REQUIRE(f.geometry);
        OGREnvelope env;
        f.geometry->getEnvelope(&env);
        CHECK(env.MinX == Approx(X)); // already in the working CRS: unchanged
        CHECK(env.MaxY == Approx(Y + 100));
        REQUIRE(in.parcels->next(f));
        const ParcelValues p2(f);
        CHECK(p2.id == "P2");
        CHECK(p2.holder.empty()); // null reads as ""
        CHECK(p2.village_class.empty());
        CHECK_FALSE(in.parcels->next(f));
    }

    SECTION("villages") {
        const auto& v = in.reference.villages;
        REQUIRE(v.size() == 3);
        CHECK(in.reference.villages_file == c.mem / "county.gpkg");
        CHECK(in.reference.villages_layer == "villages");
        CHECK(v[0].id == "V1");
        CHECK(v[0].name == "一村");
        CHECK(v[0].township_id == "T1");
        CHECK(v[0].relocating); // RELOCATE = 是
        CHECK(v[0].fid == 1);
        CHECK(v[0].state == "accepted");
        CHECK(v[0].accepted == "2024-06-30");
        CHECK(v[0].reclaim_to == "arable");
        REQUIRE(v[0].geometry);
        CHECK(v[1].relocating); // RELOCATE = 0, but listed in reclaim.relocating_villages
        CHECK(v[1].state == "planned");
        CHECK(v[1].accepted.empty());
        CHECK_FALSE(v[2].relocating); // "no"
        CHECK(v[2].township_id == "T2");
        CHECK(v[2].reclaim_to == "forest");
        CHECK(v[2].fid == 3);
    }

    SECTION("townships with their indicators") {
        const auto& t = in.reference.townships;
        REQUIRE(t.size() == 2);
        CHECK(t[0].id == "T1");
        CHECK(t[0].name == "一乡");
        CHECK(t[0].zone_id == "Z1");
        CHECK(t[0].region_id == "R1");
        CHECK(t[0].indicators == std::map<std::string, double>{{"GDP", 123.5}, {"RK", 4000.0}});
        CHECK(t[1].region_id == "R2");
        CHECK(t[1].indicators == std::map<std::string, double>{{"GDP", -7.0}, {"RK", 1000.0}});
    }

    SECTION("exclusions and resettlement sites") {
        REQUIRE(in.reference.exclusions.size() == 1);
        CHECK(in.reference.exclusions[0].zone_name == "生态保护红线");
        CHECK(in.reference.exclusions[0].geometry);
        REQUIRE(in.reference.resettlement.size() == 1);
        CHECK(in.reference.resettlement[0].id == "AZ1");
        CHECK(in.reference.resettlement[0].village_id == "V1");
    }

    SECTION("sites: demand in mu to hundredths of m², declared attributes") {
        const auto& s = in.reference.sites;
        REQUIRE(s.size() == 2);
        CHECK(s[0].site.site_id == "S1");
        CHECK(s[0].site.name == "一园");
        CHECK(s[0].fid == 1);
        // 1.5 mu × 10000/15 m²/mu = 1000 m² = 100000 hundredths.
        CHECK(s[0].site.demand == 100000);
        CHECK(s[0].site.attributes ==
              std::map<std::string, double>{{"priority", 2.0}, {"tax_per_mu", 300.0}});
        // The point of the site lies inside it: [X+1000, X+1100] × [Y, Y+100].
        CHECK(s[0].site.x > X + 1000);
        CHECK(s[0].site.x < X + 1100);
        CHECK(s[0].site.y > Y);
        CHECK(s[0].site.y < Y + 100);
        // 600 mu = 400000 m² = 40000000 hundredths; an empty attribute is absent, not zero.
        CHECK(s[1].site.demand == 40000000);
        CHECK(s[1].site.attributes == std::map<std::string, double>{{"tax_per_mu", 12.5}});
    }
}

TEST_CASE("ingest stage: a site demand in m² is taken as it is", "[stage][ingest]") {
    County c;
    c.job.sites->demand_unit = "m2";
    FindingLog log;
    const Inputs in = c.ingest(log);
    CHECK(log.errors() == 0);
    REQUIRE(in.reference.sites.size() == 2);
    CHECK(in.reference.sites[0].site.demand == 150);   // 1.5 m²
    CHECK(in.reference.sites[1].site.demand == 60000); // 600 m²
}

TEST_CASE("ingest stage: the field views name the values of a feature", "[stage][ingest]") {
    SourceFeature f;
    f.values = {"a", "b", "c", "d", "e", "f", "g"};

    SECTION("parcels") {
        ParcelInput P;
        P.id = "BSM";
        P.landuse = "DLBM";
        P.village = "ZLDWDM";
        P.village_class = "CZCSXM";
        P.slope = "PDJB";
        P.holder = "HZ";
        const FieldRequest r = ParcelValues::request(P);
        CHECK(r.fields ==
              std::vector<std::string>{"BSM", "DLBM", "ZLDWDM", "CZCSXM", "PDJB", "HZ"});
        CHECK(r.keys == std::vector<std::string>{"id", "landuse", "village", "village_class",
                                                 "slope", "holder"});
        const ParcelValues v(f);
        CHECK(std::vector<std::string>{v.id, v.landuse, v.village, v.village_class, v.slope,
                                       v.holder} ==
              std::vector<std::string>{"a", "b", "c", "d", "e", "f"});
    }
    SECTION("villages") {
        VillageInput V;
        V.id = "ZLDWDM";
        V.name = "ZLDWMC";
        V.township = "XZDM";
        V.relocate = "RELOCATE";
        V.state = "ZT";
        V.accepted = ""; // not mapped: read as ""
        V.reclaim_to = "FKLX";
        const FieldRequest r = VillageValues::request(V);
        CHECK(r.fields ==
              std::vector<std::string>{"ZLDWDM", "ZLDWMC", "XZDM", "RELOCATE", "ZT", "", "FKLX"});
        CHECK(r.keys == std::vector<std::string>{"id", "name", "township", "relocate", "state",
                                                 "accepted", "reclaim_to"});
        const VillageValues v(f);
        CHECK(std::vector<std::string>{v.id, v.name, v.township, v.relocate, v.state, v.accepted,
                                       v.reclaim_to} ==
              std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g"});
    }
    SECTION("townships: the fixed fields (lead and type included), then one per indicator") {
        TownshipInput T;
        T.id = "XZDM";
        T.name = "XZMC";
        T.zone = "LM";
        T.region = "QY";
        T.lead = "QTZ";
        T.type = "LX";
        T.indicators = {"GDP"};
        const FieldRequest r = TownshipValues::request(T);
        CHECK(r.fields == std::vector<std::string>{"XZDM", "XZMC", "LM", "QY", "QTZ", "LX", "GDP"});
        CHECK(r.keys == std::vector<std::string>{"id", "name", "zone", "region", "lead", "type",
                                                 "indicators"});
        const TownshipValues v(f);
        CHECK(std::vector<std::string>{v.id, v.name, v.zone, v.region, v.lead, v.type} ==
              std::vector<std::string>{"a", "b", "c", "d", "e", "f"});
        CHECK(v.indicators[0] == "g");
    }
    SECTION("sites: the fixed fields, then one per attribute in the attributes' order") {
        SiteInput S;
        S.id = "XMBH";
        S.name = "XMMC";
        S.demand = "XQMJ";
        S.attributes = {{"tax_per_mu", "MJSS"}, {"investment_yuan", "TZE"}};
        const FieldRequest r = SiteValues::request(S);
        // std::map: investment_yuan before tax_per_mu
        CHECK(r.fields == std::vector<std::string>{"XMBH", "XMMC", "XQMJ", "TZE", "MJSS"});
        CHECK(r.keys == std::vector<std::string>{"id", "name", "demand",
                                                 "attributes.investment_yuan",
                                                 "attributes.tax_per_mu"});
        const SiteValues v(f);
        CHECK(std::vector<std::string>{v.id, v.name, v.demand} ==
              std::vector<std::string>{"a", "b", "c"});
        CHECK(v.attributes[0] == "d");
        CHECK(v.attributes[1] == "e");
    }
    SECTION("resettlement sites") {
        ResettlementInput R;
        R.id = "AZBH";
        R.village = "ZLDWDM";
        const FieldRequest r = ResettlementValues::request(R);
        CHECK(r.fields == std::vector<std::string>{"AZBH", "ZLDWDM"});
        CHECK(r.keys == std::vector<std::string>{"id", "village"});
        const ResettlementValues v(f);
        CHECK(v.id == "a");
        CHECK(v.village == "b");
    }
}

namespace {

// A bad feature in a reference layer and the one finding it must give.
struct BadFeature {
    std::string name;
    std::function<void(County&)> spoil;
    std::string check, file, layer, feature, field, message;
};

} // namespace

TEST_CASE("ingest stage: a bad feature in a reference layer is a finding naming file, layer, "
          "feature and field",
          "[stage][ingest]") {
    const std::vector<BadFeature> cases{
        {"a township indicator that is not a number",
         [](County& c) { c.townships[1].values[4] = "abc"; }, "not_a_number", "county.gpkg",
         "townships", "XZDM=T2 (FID 2)", "GDP", "'abc' is not a number"},
        {"a site demand that is negative", [](County& c) { c.sites[1].values[2] = "-3"; },
         "bad_demand", "sites.gpkg", "sites", "XMBH=S2 (FID 2)", "XQMJ",
         "demand '-3' is not a non-negative number"},
        {"a site demand with trailing text", [](County& c) { c.sites[0].values[2] = "1.5亩"; },
         "bad_demand", "sites.gpkg", "sites", "XMBH=S1 (FID 1)", "XQMJ",
         "demand '1.5亩' is not a non-negative number"},
        {"a site attribute that is not a number", [](County& c) { c.sites[0].values[4] = "high"; },
         "not_a_number", "sites.gpkg", "sites", "XMBH=S1 (FID 1)", "YXJ",
         "'high' is not a number (attribute priority)"},
        {"a village without id", [](County& c) { c.villages[2].values[0] = ""; }, "missing_id",
         "county.gpkg", "villages", "FID 3", "ZLDWDM", "the id is empty"},
        {"a village id used twice", [](County& c) { c.villages[2].values[0] = "V1"; },
         "duplicate_id", "county.gpkg", "villages", "ZLDWDM=V1 (FID 3)", "ZLDWDM",
         "id 'V1' appears more than once"},
        {"a resettlement site for a village that does not exist",
         [](County& c) { c.resettlement[0].values[1] = "V9"; }, "unknown_village", "county.gpkg",
         "resettlement", "AZBH=AZ1 (FID 1)", "ZLDWDM", "serves village 'V9'"},
        {"a resettlement site naming no village",
         [](County& c) { c.resettlement[0].values[1] = ""; }, "missing_value", "county.gpkg",
         "resettlement", "AZBH=AZ1 (FID 1)", "ZLDWDM", "names no village"},
        {"a township without geometry", [](County& c) { c.townships[0].wkt = ""; },
         "empty_geometry", "county.gpkg", "townships", "XZDM=T1 (FID 1)", "",
         "the feature has no geometry"},
        {"a relocating village listed in the job that is not in the layer",
         [](County& c) {
             c.job.reclaim.relocating_villages = {"V2", "V7"};
         },
         "unknown_village", "job.toml", "", "", "reclaim.relocating_villages",
         "village 'V7' is not in the villages layer"},
    };
    for (const auto& bad : cases) {
        DYNAMIC_SECTION(bad.name) {
            County c;
            bad.spoil(c);
            FindingLog log;
            const Inputs in = c.ingest(log);
            INFO(all_findings(log));
            CHECK(log.errors() == 1);
            REQUIRE(log.kept().size() == 1);
            const Finding& f = log.kept()[0];
            CHECK(f.is_error());
            CHECK(f.check == bad.check);
            CHECK(f.file == c.mem / bad.file);
            CHECK(f.layer == bad.layer);
            CHECK(f.feature == bad.feature);
            CHECK(f.field == bad.field);
            CHECK_THAT(f.message, Catch::Contains(bad.message));
        }
    }
}

TEST_CASE("ingest stage: a bad feature is left out, its good neighbours are kept",
          "[stage][ingest]") {
    County c;
    c.townships[1].values[4] = "abc"; // T2's GDP
    c.sites[1].values[2] = "-3";      // S2's demand
    FindingLog log;
    const Inputs in = c.ingest(log);
    CHECK(log.errors() == 2);
    // A township keeps the indicators that are numbers; a site with a bad demand is dropped.
    REQUIRE(in.reference.townships.size() == 2);
    CHECK(in.reference.townships[1].indicators == std::map<std::string, double>{{"RK", 1000.0}});
    REQUIRE(in.reference.sites.size() == 1);
    CHECK(in.reference.sites[0].site.site_id == "S1");
}

TEST_CASE("ingest stage: a parcel layer that cannot be used is an error naming file and layer",
          "[stage][ingest]") {
    County c;
    FindingLog log;
    std::string expected;
    SECTION("no CRS") {
        c.parcel_crs = "";
        expected = c.mem / "county.gpkg" + ", layer 'parcels': has no CRS";
    }
    SECTION("no features") {
        c.parcels.clear();
        expected = c.mem / "county.gpkg" + ", layer 'parcels': the parcel layer is empty";
    }
    SECTION("a mapped field it does not have") {
        c.job.parcels.landuse = "DLBN";
        expected = c.mem / "county.gpkg" +
                   ", layer 'parcels': missing field 'DLBN' (from 'inputs.parcels.landuse') "
                   "(did you mean 'DLBM'?)";
    }
    SECTION("a job CRS that is not projected in metres") {
        c.job.crs = "EPSG:4326";
        expected = "[job] crs 'EPSG:4326' is not a projected CRS in metres";
    }
    try {
        c.ingest(log);
        FAIL("ingest accepted it");
    } catch (const Error& e) {
        CHECK_THAT(e.what(), Catch::Contains(expected));
    }
}
