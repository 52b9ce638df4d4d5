// The publish stage alone (src/publish/writer.hpp): the registered writers, fed hand-made parcels
// and a hand-made RunResults, write into a TempDir; result.gpkg is read back with GDAL, the CSV
// tables are parsed, manifest.json is compared with Manifest::to_json.
//
// Areas are hundredths of m² (100 = 1.00 m²), money is fen; 1 mu = 10000/15 m², so
// m² × 15 / 10000 = mu. The county, in the working CRS EPSG:4549 (metres):
//
//   V1 [X, X+400] × [Y, Y+400]      T1 (given) [X, X+800] × [Y, Y+400]  = 320000 m²
//   V2 [X+400, X+800] × [Y, Y+400]  T2 (not given): the union of V3     = 160000 m²
//   V3 [X, X+400] × [Y+400, Y+800]  Z1 = T1, Z2 = T2, R1 = T1 ∪ T2      = 480000 m²
//
//   village  reclaim    resettle  freed      freed mu
//   V1       15000.00   2000.00   13000.00   13000 × 15 / 10000 = 19.50
//   V2        4000.00      0.00    4000.00    6.00
//   V3        3000.00      0.00    3000.00    4.50
//   T1 = V1 + V2: 19000.00, 2000.00, 17000.00, 25.50;  T2 = V3
//   R1 = county: 22000.00, 2000.00, 20000.00, 30.00
//
// The allocation: lots L1 (V1) 13000.00, L2 (V2) 4000.00, L3 (V3, planned) 3000.00 m²;
// sites S1 demand 10000.00 m² (15 mu), S2 5000.00 m² (7.5 mu);
// transfers T0001 L1→S1 9000.00, T0002 L2→S1 1000.00, T0003 L2→S2 3000.00 m²:
//   S1 gets 10000.00 (fulfilment 1), S2 3000.00 = 4.5 mu (fulfilment 3000/5000 = 0.6);
//   L1 gives 9000.00 (4000.00 remain), L2 4000.00 (0 remain), L3 nothing.
// payments at 2000 yuan/mu: T0001 13.5 mu = 27000.00 yuan = 2700000 fen, T0002 1.5 mu = 300000
//   fen, T0003 4.5 mu = 900000 fen, and a dividend of 5000 fen not tied to a transfer: 3905000 fen
//   in all.
#include "geo/crs.hpp"
#include "geo/geos.hpp"
#include "publish/field_names.hpp"
#include "publish/map_style.hpp"
#include "publish/qml.hpp"
#include "publish/sld.hpp"
#include "publish/writer.hpp"
#include "run/run.hpp"
#include "support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cpl_minixml.h>
#include <cpl_vsi.h>
#include <functional>
#include <gdal_priv.h>
#include <map>
#include <ogrsf_frmts.h>
#include <set>

using namespace landquota;
using namespace landquota::test;

namespace {

constexpr double X = 500000, Y = 3200000;

std::unique_ptr<OGRGeometry> ogr(const std::string& wkt) {
    OGRGeometry* g = nullptr;
    REQUIRE(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) == OGRERR_NONE);
    return std::unique_ptr<OGRGeometry>(g);
}

GeomPtr geos(const std::string& wkt) {
    return to_geos(*ogr(wkt));
}

// A RFC 4180 table as written by CsvWriter: UTF-8 BOM, CRLF, quotes only where needed. Rows are
// maps from the header's names.
struct Csv {
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
};

Csv read_csv(const fs::path& file) {
    REQUIRE(fs::exists(file));
    std::string text = read_file(file);
    REQUIRE(text.rfind("\xEF\xBB\xBF", 0) == 0);
    text.erase(0, 3);
    std::vector<std::vector<std::string>> lines(1);
    std::string cell, malformed;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size() && malformed.empty(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            lines.back().push_back(std::move(cell));
            cell.clear();
        } else if (c == '\r') {
            if (i + 1 >= text.size() || text[i + 1] != '\n')
                malformed = "a CR without LF at byte " + std::to_string(i);
            ++i;
            lines.back().push_back(std::move(cell));
            cell.clear();
            lines.emplace_back();
        } else if (c == '\n') {
            malformed = "a bare LF at byte " + std::to_string(i);
        } else {
            cell += c;
        }
    }
    INFO(file.string());
    REQUIRE(malformed.empty());
    REQUIRE_FALSE(quoted);
    REQUIRE(cell.empty()); // the last line ended with CRLF
    REQUIRE(lines.back().empty());
    lines.pop_back();
    REQUIRE_FALSE(lines.empty());
    Csv out;
    out.header = lines[0];
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (lines[i].size() != out.header.size())
            FAIL("line " << i + 1 << " has " << lines[i].size() << " cells");
        std::map<std::string, std::string> row;
        for (std::size_t k = 0; k < out.header.size(); ++k)
            row[out.header[k]] = lines[i][k];
        out.rows.push_back(std::move(row));
    }
    return out;
}

// A fixed-point figure as an integer of its last decimal: "13000.25" with 2 decimals → 1300025,
// "2.000000" with 6 → 2000000 (the tables format integers, never doubles).
std::int64_t scaled(const std::string& text, std::size_t decimals) {
    const auto dot = text.find('.');
    if (text.empty() || dot == std::string::npos || text.size() - dot != decimals + 1)
        throw std::invalid_argument("not a number with " + std::to_string(decimals) +
                                    " decimals: '" + text + "'");
    const bool neg = text[0] == '-';
    std::int64_t whole = std::stoll(text.substr(neg ? 1 : 0, dot - (neg ? 1 : 0)));
    for (std::size_t i = 0; i < decimals; ++i)
        whole *= 10;
    return (neg ? -1 : 1) * (whole + std::stoll(text.substr(dot + 1)));
}

std::int64_t hundredths(const std::string& text) {
    return scaled(text, 2);
}

std::int64_t column_sum(const Csv& t, const std::string& column, std::size_t decimals = 2) {
    std::int64_t s = 0;
    for (const auto& r : t.rows)
        s += scaled(r.at(column), decimals);
    return s;
}

// True when `expected` are the first columns of `header`, in order (more may follow).
bool starts_with(const std::vector<std::string>& header, const std::vector<std::string>& expected) {
    return header.size() >= expected.size() &&
           std::equal(expected.begin(), expected.end(), header.begin());
}

std::int64_t integer_sum(const Csv& t, const std::string& column) {
    std::int64_t s = 0;
    for (const auto& r : t.rows)
        s += std::stoll(r.at(column));
    return s;
}

const std::map<std::string, std::string>& row_where(const Csv& t, const std::string& column,
                                                    const std::string& value) {
    for (const auto& r : t.rows)
        if (r.at(column) == value)
            return r;
    FAIL("no row with " << column << " = " << value);
    throw std::logic_error("unreachable");
}

UnitQuota unit(const std::string& id, const std::string& parent, const std::string& region,
               std::int64_t villages, AreaCm2x100 reclaim, AreaCm2x100 resettle,
               std::int64_t mu_hundredths) {
    UnitQuota u;
    u.id = id;
    u.name = id + "名";
    u.parent_id = parent;
    u.region_id = region;
    u.villages = villages;
    u.reclaim = reclaim;
    u.resettle = resettle;
    u.freed_mu_hundredths = mu_hundredths;
    return u;
}

VillageQuota village(const std::string& id, const std::string& township, const std::string& zone,
                     bool relocating, std::int64_t parcels, std::int64_t reclaimable,
                     AreaCm2x100 reclaim, AreaCm2x100 resettle, std::int64_t mu_hundredths) {
    VillageQuota v;
    v.village_id = id;
    v.name = id + "村";
    v.township_id = township;
    v.zone_id = zone;
    v.region_id = "R1";
    v.relocating = relocating;
    v.parcels = parcels;
    v.reclaimable_parcels = reclaimable;
    v.reclaim = reclaim;
    v.resettle = resettle;
    v.freed_mu_hundredths = mu_hundredths;
    return v;
}

QuotaLot lot(const std::string& id, const std::string& village_id, const std::string& township,
             AreaCm2x100 area, const std::string& state, double x, double y,
             std::vector<LotParcel> parcels) {
    QuotaLot l;
    l.lot_id = id;
    l.village_id = village_id;
    l.village_name = village_id + "村";
    l.township_id = township;
    l.zone_id = township == "T1" ? "Z1" : "Z2";
    l.region_id = "R1";
    l.area = area;
    l.state = state;
    l.reclaim_to = "arable";
    l.accepted = "2024-06-30";
    l.x = x;
    l.y = y;
    l.parcels = std::move(parcels);
    return l;
}

Site site(const std::string& id, AreaCm2x100 demand, double x, double y) {
    Site s;
    s.site_id = id;
    s.name = id + "工业园";
    s.township_id = "T1";
    s.zone_id = "Z1";
    s.region_id = "R1";
    s.demand = demand;
    s.x = x;
    s.y = y;
    return s;
}

Payment payment(const std::string& id, const std::string& transfer, const std::string& lot_id,
                Fen amount, int year, const std::string& basis) {
    return Payment{id, "fixed_price", "village", "V1", transfer, lot_id, year, amount, basis};
}

// Everything a run computed, made by hand (see the figures at the top of the file).
struct World {
    Job job;
    Inputs in;
    QuotaTables quota;
    AllocationRun allocation;
    FindingLog findings;
    Manifest manifest;
    std::vector<std::unique_ptr<OGRGeometry>> shapes; // the parcels' geometries
    std::vector<PassedParcel> parcels;

    World() {
        init_gdal();
        job.name = "mini";
        in.working_crs = make_srs("EPSG:4549");
        in.working_crs_label = "EPSG:4549";
        auto& ref = in.reference;
        ref.villages.push_back(
            VillageRef{"V1", "V1村", "T1", true, geos(rect(X, Y, X + 400, Y + 400))});
        ref.villages.push_back(
            VillageRef{"V2", "V2村", "T1", true, geos(rect(X + 400, Y, X + 800, Y + 400))});
        ref.villages.push_back(
            VillageRef{"V3", "V3村", "T2", true, geos(rect(X, Y + 400, X + 400, Y + 800))});
        ref.townships.push_back(
            TownshipRef{"T1", "T1名", "Z1", "R1", geos(rect(X, Y, X + 800, Y + 400)), {}});
        SiteRef s1, s2;
        s1.site = site("S1", 1000000, X + 1050, Y + 50);
        s1.geometry = geos(rect(X + 1000, Y, X + 1100, Y + 100)); // 10000 m²
        s2.site = site("S2", 500000, X + 1025, Y + 250);
        s2.geometry = geos(rect(X + 1000, Y + 200, X + 1050, Y + 300)); // 5000 m²
        ref.sites.push_back(std::move(s1));
        ref.sites.push_back(std::move(s2));

        quota.villages = {village("V1", "T1", "Z1", true, 4, 2, 1500000, 200000, 1950),
                          village("V2", "T1", "Z1", true, 1, 1, 400000, 0, 600),
                          village("V3", "T2", "Z2", true, 1, 1, 300000, 0, 450)};
        quota.townships = {unit("T1", "Z1", "R1", 2, 1900000, 200000, 2550),
                           unit("T2", "Z2", "R1", 1, 300000, 0, 450)};
        quota.zones = {unit("Z1", "R1", "", 2, 1900000, 200000, 2550),
                       unit("Z2", "R1", "", 1, 300000, 0, 450)};
        quota.regions = {unit("R1", "", "", 3, 2200000, 200000, 3000)};
        quota.county = unit("county", "", "", 3, 2200000, 200000, 3000);

        allocation.strategy = "greedy";
        allocation.lots = {lot("L1", "V1", "T1", 1300000, "accepted", X + 200, Y + 200,
                               {{"P1", "张三", "0702", 1000000}, {"P2", "", "0702", 500000}}),
                           lot("L2", "V2", "T1", 400000, "accepted", X + 600, Y + 200,
                               {{"P6", "李四", "0702", 400000}}),
                           lot("L3", "V3", "T2", 300000, "planned", X + 200, Y + 600,
                               {{"P8", "", "0601", 300000}})};
        allocation.sites = {ref.sites[0].site, ref.sites[1].site};
        allocation.supply = {allocation.lots[0], allocation.lots[1]};
        allocation.demand = allocation.sites;
        allocation.transfers = {Transfer{"R1-T0001", "L1", "S1", 900000},
                                Transfer{"R1-T0002", "L2", "S1", 100000},
                                Transfer{"R1-T0003", "L2", "S2", 300000}};
        allocation.payments = {
            payment("R1-P00001", "R1-T0001", "L1", 2700000, 0, "13.50 mu × 2000.00 yuan/mu"),
            payment("R1-P00002", "R1-T0002", "L2", 300000, 0,
                    "1.50 mu × 2000.00 yuan/mu, \"at allocation\""),
            payment("R1-P00003", "R1-T0003", "L2", 900000, 0, "4.50 mu × 2000.00 yuan/mu"),
            payment("R1-P00004", "", "L1", 5000, 2025, "dividend")};
        allocation.compensated = true;
        allocation.ledger = LedgerRef{"mini.ledger.sqlite", 1, std::string(64, 'b')};

        findings.add(Finding{Finding::Severity::Warning, "village_mismatch", "county.gpkg",
                             "parcels", "BSM=P1 (FID 1)", "ZLDWDM",
                             "the field says 'V2', the parcel lies in 'V1'"});
        for (int i = 0; i < 201; ++i) // one more than FindingLog keeps of a check
            findings.add(Finding{Finding::Severity::Warning, "sliver", "county.gpkg", "parcels",
                                 "FID " + std::to_string(i), "", "a sliver"});

        manifest.job_name = "mini";
        manifest.working_crs = "EPSG:4549";
        manifest.villages = 3;
        manifest.totals = quota.county;
        manifest.regions = quota.regions;
        manifest.zone_rows = quota.zones;
        manifest.warnings = findings.warnings();
        manifest.timings = {{"ingest_s", 0.25}};

        add_parcel("P1", "V1", 1, rect(X, Y, X + 100, Y + 100), ParcelStatus::Reclaimable, 1000012,
                   1000000, 1000000, rect(X, Y, X + 100, Y + 100), "", "");
        add_parcel("P2", "V1", 2, rect(X + 100, Y, X + 200, Y + 100), ParcelStatus::Reclaimable,
                   1000012, 1000000, 500000, rect(X + 100, Y, X + 150, Y + 100), "生态保护红线",
                   "");
        add_parcel("P3", "V1", 3, rect(X, Y + 100, X + 100, Y + 200), ParcelStatus::NotEligible,
                   1000012, 1000000, 0, "", "", "land use 0101 is not reclaimed");
        add_parcel("P4", "V1", 4, rect(X + 200, Y, X + 300, Y + 100), ParcelStatus::Excluded,
                   1000012, 1000000, 0, "", "生态保护红线", "");
    }

    void add_parcel(const std::string& id, const std::string& village_id, GIntBig fid,
                    const std::string& wkt, ParcelStatus status, AreaCm2x100 area,
                    AreaCm2x100 planar, AreaCm2x100 reclaim, const std::string& pieces,
                    const std::string& excluded_by, const std::string& reason) {
        shapes.push_back(ogr(wkt));
        PassedParcel p;
        p.row = ParcelRow{id,     "0702",  village_id, "T1",        "Z1",  area,
                          planar, reclaim, status,     excluded_by, reason};
        p.source_fid = fid;
        p.geometry = shapes.back().get();
        if (!pieces.empty())
            p.pieces = ogr(pieces);
        parcels.push_back(std::move(p));
    }

    RunResults results(bool allocating) const {
        return RunResults{job, in, quota, allocating ? &allocation : nullptr, findings, manifest};
    }

    // Every writer, every parcel, then finish: what the orchestrator does.
    void publish(const fs::path& folder, bool allocating) const {
        auto writers = make_writers(WriterContext{folder, *in.working_crs});
        for (const auto& p : parcels)
            for (auto& w : writers)
                w->parcel(p);
        const RunResults r = results(allocating);
        for (auto& w : writers)
            w->finish(r);
    }
};

GDALDatasetUniquePtr open_gpkg(const fs::path& file) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    return ds;
}

// The map layers (layer_styles, a table without geometry, is checked on its own).
std::vector<std::string> layer_names(GDALDataset& ds) {
    std::vector<std::string> out;
    for (int i = 0; i < ds.GetLayerCount(); ++i)
        if (ds.GetLayer(i)->GetGeomType() != wkbNone)
            out.emplace_back(ds.GetLayer(i)->GetName());
    return out;
}

// The features of a layer by the value of their key field.
std::map<std::string, OGRFeatureUniquePtr> features_by(OGRLayer& layer, const char* key) {
    std::map<std::string, OGRFeatureUniquePtr> out;
    layer.ResetReading();
    while (OGRFeatureUniquePtr f{layer.GetNextFeature()}) {
        const std::string k = f->GetFieldAsString(key);
        out.emplace(k, std::move(f));
    }
    return out;
}

double area_of(const OGRFeature& f) {
    const OGRGeometry* g = f.GetGeometryRef();
    REQUIRE(g);
    REQUIRE(wkbFlatten(g->getGeometryType()) == wkbMultiPolygon);
    return g->toMultiPolygon()->get_Area();
}

// The writer names of writers.def, in their order (the registry itself, compiled in).
std::vector<std::string> registered_writers() {
    return {
#define LANDQUOTA_WRITER(name) #name,
#include "publish/writers.def"
#undef LANDQUOTA_WRITER
    };
}

bool has_layer(const fs::path& gpkg, const std::string& layer) {
    if (!fs::exists(gpkg))
        return false;
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.string().c_str(), GDAL_OF_VECTOR));
    return ds && ds->GetLayerByName(layer.c_str()) != nullptr;
}

} // namespace

TEST_CASE("writers stage: make_writers gives the writers of writers.def, in its order",
          "[stage][publish]") {
    const World w;
    TempDir dir;
    const std::vector<std::string> names = registered_writers();
    // The three outputs every run has, in this order (others may come between them).
    std::vector<std::string> core;
    for (const auto& n : names)
        if (n == "result_gpkg" || n == "tables_csv" || n == "manifest_json")
            core.push_back(n);
    REQUIRE(core == std::vector<std::string>{"result_gpkg", "tables_csv", "manifest_json"});

    auto writers = make_writers(WriterContext{dir.path(), *w.in.working_crs});
    REQUIRE(writers.size() == names.size());
    for (const auto& p : w.parcels)
        for (auto& writer : writers)
            writer->parcel(p);
    // Each writer is known by what it leaves when it alone finishes, in turn: nothing of the
    // three outputs is there before its own writer finishes.
    const RunResults r = w.results(false);
    const std::map<std::string, std::function<bool()>> product{
        {"result_gpkg", [&] { return has_layer(dir / "result.gpkg", "villages"); }},
        {"tables_csv", [&] { return fs::exists(dir / "tables" / "villages.csv"); }},
        {"manifest_json", [&] { return fs::exists(dir / "manifest.json"); }}};
    for (std::size_t i = 0; i < writers.size(); ++i) {
        INFO("writer " << i << ": " << names[i]);
        const auto it = product.find(names[i]);
        if (it != product.end() && names[i] != "result_gpkg") // result.gpkg is open until then
            CHECK_FALSE(it->second());
        writers[i]->finish(r);
        if (it != product.end())
            CHECK(it->second());
    }
    CHECK(nlohmann::ordered_json::parse(read_file(dir / "manifest.json")) == w.manifest.to_json());
}

TEST_CASE("writers stage: result.gpkg holds every layer, in order, with the run's figures",
          "[stage][publish]") {
    const World w;
    TempDir dir;
    w.publish(dir.path(), true);
    const auto ds = open_gpkg(dir / "result.gpkg");
    REQUIRE(layer_names(*ds) == std::vector<std::string>{"parcels", "reclaimed", "sites", "flows",
                                                         "villages", "townships", "zones",
                                                         "regions", "exclusions", "resettlement"});
    for (const auto& name : layer_names(*ds)) {
        const OGRSpatialReference* srs = ds->GetLayerByName(name.c_str())->GetSpatialRef();
        REQUIRE(srs);
        CHECK(std::string(srs->GetAuthorityCode(nullptr)) == "4549");
    }

    SECTION("parcels and their reclaimed pieces, as they streamed") {
        OGRLayer& pl = *ds->GetLayerByName("parcels");
        CHECK(pl.GetFeatureCount() == 4);
        const auto p = features_by(pl, "parcel_id");
        REQUIRE(p.size() == 4);
        const OGRFeature& p1 = *p.at("P1");
        CHECK(std::string(p1.GetFieldAsString("village_id")) == "V1");
        CHECK(std::string(p1.GetFieldAsString("township_id")) == "T1");
        CHECK(std::string(p1.GetFieldAsString("zone_id")) == "Z1");
        CHECK(std::string(p1.GetFieldAsString("landuse")) == "0702");
        CHECK(p1.GetFieldAsDouble("area_m2") == Approx(10000.12).margin(1e-9));
        CHECK(p1.GetFieldAsDouble("planar_m2") == Approx(10000.0).margin(1e-9));
        CHECK(p1.GetFieldAsDouble("reclaim_m2") == Approx(10000.0).margin(1e-9));
        CHECK(std::string(p1.GetFieldAsString("status")) == "reclaimable");
        CHECK(area_of(p1) == Approx(10000.0)); // 100 m × 100 m
        CHECK(p.at("P2")->GetFieldAsDouble("reclaim_m2") == Approx(5000.0).margin(1e-9));
        CHECK(std::string(p.at("P3")->GetFieldAsString("status")) == "not_eligible");
        CHECK(std::string(p.at("P3")->GetFieldAsString("reason")) ==
              "land use 0101 is not reclaimed");
        CHECK(std::string(p.at("P4")->GetFieldAsString("status")) == "excluded");
        CHECK(std::string(p.at("P4")->GetFieldAsString("excluded_by")) == "生态保护红线");

        OGRLayer& rl = *ds->GetLayerByName("reclaimed");
        const auto r = features_by(rl, "parcel_id");
        REQUIRE(r.size() == 2); // only P1 and P2 have pieces
        CHECK(r.at("P1")->GetFieldAsInteger64("source_fid") == 1);
        CHECK(r.at("P2")->GetFieldAsInteger64("source_fid") == 2);
        CHECK(r.at("P2")->GetFieldAsDouble("reclaim_m2") == Approx(5000.0).margin(1e-9));
        CHECK(std::string(r.at("P2")->GetFieldAsString("excluded_by")) == "生态保护红线");
        CHECK(area_of(*r.at("P2")) == Approx(5000.0)); // 50 m × 100 m
    }

    SECTION("sites: demand, allocation and fulfilment") {
        const auto s = features_by(*ds->GetLayerByName("sites"), "site_id");
        REQUIRE(s.size() == 2);
        const OGRFeature& s1 = *s.at("S1");
        CHECK(std::string(s1.GetFieldAsString("name")) == "S1工业园");
        CHECK(s1.GetFieldAsDouble("demand_m2") == Approx(10000.0).margin(1e-9));
        CHECK(s1.GetFieldAsDouble("demand_mu") == Approx(15.0).margin(1e-9));
        CHECK(s1.GetFieldAsDouble("allocated_m2") == Approx(10000.0).margin(1e-9)); // 9000 + 1000
        CHECK(s1.GetFieldAsDouble("fulfilment") == Approx(1.0).margin(1e-12));
        CHECK(area_of(s1) == Approx(10000.0));
        const OGRFeature& s2 = *s.at("S2");
        CHECK(s2.GetFieldAsDouble("demand_mu") == Approx(7.5).margin(1e-9));
        CHECK(s2.GetFieldAsDouble("allocated_m2") == Approx(3000.0).margin(1e-9));
        CHECK(s2.GetFieldAsDouble("allocated_mu") == Approx(4.5).margin(1e-9));
        CHECK(s2.GetFieldAsDouble("fulfilment") == Approx(0.6).margin(1e-12));
        CHECK(area_of(s2) == Approx(5000.0));
    }

    SECTION("flows: a line from the lot to the site, with what was paid for it") {
        const auto f = features_by(*ds->GetLayerByName("flows"), "transfer_id");
        REQUIRE(f.size() == 3);
        const OGRFeature& t1 = *f.at("R1-T0001");
        CHECK(std::string(t1.GetFieldAsString("lot_id")) == "L1");
        CHECK(std::string(t1.GetFieldAsString("village_id")) == "V1");
        CHECK(std::string(t1.GetFieldAsString("site_id")) == "S1");
        CHECK(t1.GetFieldAsDouble("allocated_m2") == Approx(9000.0).margin(1e-9));
        CHECK(t1.GetFieldAsDouble("allocated_mu") == Approx(13.5).margin(1e-9));
        CHECK(t1.GetFieldAsInteger64("amount_fen") == 2700000);
        const OGRGeometry* g = t1.GetGeometryRef();
        REQUIRE(g);
        REQUIRE(wkbFlatten(g->getGeometryType()) == wkbLineString);
        const OGRLineString* line = g->toLineString();
        REQUIRE(line->getNumPoints() == 2);
        CHECK(line->getX(0) == Approx(X + 200)); // L1's point
        CHECK(line->getY(0) == Approx(Y + 200));
        CHECK(line->getX(1) == Approx(X + 1050)); // S1's point
        CHECK(line->getY(1) == Approx(Y + 50));
        CHECK(f.at("R1-T0003")->GetFieldAsInteger64("amount_fen") == 900000);
        std::int64_t paid = 0;
        for (const auto& [id, feature] : f)
            paid += feature->GetFieldAsInteger64("amount_fen");
        CHECK(paid == 2700000 + 300000 + 900000); // the dividend pays for no transfer
    }

    SECTION("villages, townships, zones and regions: figures and shapes") {
        const auto v = features_by(*ds->GetLayerByName("villages"), "village_id");
        REQUIRE(v.size() == 3);
        CHECK(v.at("V1")->GetFieldAsInteger("relocating") == 1);
        CHECK(v.at("V1")->GetFieldAsInteger64("parcels") == 4);
        CHECK(v.at("V1")->GetFieldAsInteger64("reclaimable_parcels") == 2);
        CHECK(v.at("V1")->GetFieldAsDouble("freed_m2") == Approx(13000.0).margin(1e-9));
        CHECK(v.at("V1")->GetFieldAsDouble("freed_mu") == Approx(19.5).margin(1e-9));
        CHECK(area_of(*v.at("V1")) == Approx(160000.0)); // 400 m × 400 m

        const auto t = features_by(*ds->GetLayerByName("townships"), "township_id");
        REQUIRE(t.size() == 2);
        CHECK(std::string(t.at("T1")->GetFieldAsString("zone_id")) == "Z1");
        CHECK(std::string(t.at("T1")->GetFieldAsString("region_id")) == "R1");
        CHECK(t.at("T1")->GetFieldAsInteger64("villages") == 2);
        CHECK(t.at("T1")->GetFieldAsDouble("freed_m2") == Approx(17000.0).margin(1e-9));
        CHECK(t.at("T1")->GetFieldAsDouble("freed_mu") == Approx(25.5).margin(1e-9));
        CHECK(area_of(*t.at("T1")) == Approx(320000.0)); // as given: 800 m × 400 m
        CHECK(area_of(*t.at("T2")) == Approx(160000.0)); // not given: its only village, V3

        const auto z = features_by(*ds->GetLayerByName("zones"), "zone_id");
        REQUIRE(z.size() == 2);
        CHECK(std::string(z.at("Z2")->GetFieldAsString("region_id")) == "R1");
        CHECK(area_of(*z.at("Z1")) == Approx(320000.0));
        CHECK(area_of(*z.at("Z2")) == Approx(160000.0));

        const auto r = features_by(*ds->GetLayerByName("regions"), "region_id");
        REQUIRE(r.size() == 1);
        CHECK(r.at("R1")->GetFieldAsInteger64("villages") == 3);
        CHECK(r.at("R1")->GetFieldAsDouble("freed_m2") == Approx(20000.0).margin(1e-9));
        CHECK(r.at("R1")->GetFieldAsDouble("freed_mu") == Approx(30.0).margin(1e-9));
        CHECK(area_of(*r.at("R1")) == Approx(480000.0)); // T1 ∪ T2
        // Each level's figures add up to the level above.
        double village_freed = 0;
        for (const auto& [id, f] : v)
            village_freed += f->GetFieldAsDouble("freed_m2");
        CHECK(village_freed == Approx(r.at("R1")->GetFieldAsDouble("freed_m2")));
    }
}

TEST_CASE("writers stage: without allocation there are no sites, flows or allocation tables",
          "[stage][publish]") {
    const World w;
    TempDir dir;
    w.publish(dir.path(), false);
    const auto ds = open_gpkg(dir / "result.gpkg");
    CHECK(layer_names(*ds) == std::vector<std::string>{"parcels", "reclaimed", "villages",
                                                       "townships", "zones", "regions",
                                                       "exclusions", "resettlement"});
    std::set<std::string> tables;
    for (const auto& e : fs::directory_iterator(dir / "tables"))
        if (e.path().extension() == ".csv")
            tables.insert(e.path().filename().string());
    CHECK(tables == std::set<std::string>{"villages.csv", "townships.csv", "zones.csv",
                                          "regions.csv", "findings.csv"});
}

TEST_CASE("writers stage: each table's totals equal the sum of its rows", "[stage][publish]") {
    const World w;
    TempDir dir;
    w.publish(dir.path(), true);
    const fs::path t = dir / "tables";

    const Csv villages = read_csv(t / "villages.csv");
    const Csv townships = read_csv(t / "townships.csv");
    const Csv zones = read_csv(t / "zones.csv");
    const Csv regions = read_csv(t / "regions.csv");
    CHECK(villages.rows.size() == 3);
    CHECK(starts_with(townships.header, {"township_id", "name", "zone_id", "region_id", "villages",
                                         "reclaim_m2", "resettle_m2", "freed_m2", "freed_mu"}));
    CHECK(row_where(villages, "village_id", "V1").at("freed_m2") == "13000.00");
    CHECK(row_where(villages, "village_id", "V1").at("freed_mu") == "19.50");
    CHECK(row_where(villages, "village_id", "V1").at("relocating") == "1");
    // Every level adds up to the county: 20000.00 m², 30.00 mu, 3 villages.
    for (const Csv* level : {&villages, &townships, &zones, &regions}) {
        CHECK(column_sum(*level, "freed_m2") == w.quota.county.freed());
        CHECK(column_sum(*level, "freed_mu") == w.quota.county.freed_mu_hundredths);
        CHECK(column_sum(*level, "reclaim_m2") == w.quota.county.reclaim);
        CHECK(column_sum(*level, "resettle_m2") == w.quota.county.resettle);
        // Hectares, where a table gives them, are exact too: 1 ha = 10000 m², so a figure with
        // 6 decimals counts hundredths of m² (20000.00 m² = 2.000000 ha).
        const auto& h = level->header;
        if (std::find(h.begin(), h.end(), "freed_ha") != h.end())
            CHECK(column_sum(*level, "freed_ha", 6) == w.quota.county.freed());
    }
    CHECK(integer_sum(townships, "villages") == 3);
    CHECK(integer_sum(regions, "villages") == static_cast<std::int64_t>(villages.rows.size()));
    CHECK(column_sum(regions, "freed_m2") == 2000000);

    const Csv sites = read_csv(t / "sites.csv");
    const Csv transfers = read_csv(t / "transfers.csv");
    const Csv lots = read_csv(t / "lots.csv");
    const Csv lot_parcels = read_csv(t / "lot_parcels.csv");
    const Csv payments = read_csv(t / "payments.csv");
    // Allocated: 9000.00 + 1000.00 + 3000.00 = 13000.00 m², whichever table sums it.
    CHECK(column_sum(transfers, "area_m2") == 1300000);
    CHECK(column_sum(sites, "allocated_m2") == 1300000);
    CHECK(column_sum(lots, "allocated_m2") == 1300000);
    CHECK(row_where(sites, "site_id", "S1").at("fulfilment") == "1.0000");
    CHECK(row_where(sites, "site_id", "S2").at("fulfilment") == "0.6000");
    CHECK(row_where(sites, "site_id", "S2").at("allocated_mu") == "4.50");
    CHECK(row_where(sites, "site_id", "S2").at("demand_mu") == "7.50");
    for (const auto& l : lots.rows)
        CHECK(hundredths(l.at("area_m2")) - hundredths(l.at("allocated_m2")) ==
              hundredths(l.at("remaining_m2")));
    CHECK(row_where(lots, "lot_id", "L1").at("remaining_m2") == "4000.00");
    CHECK(row_where(lots, "lot_id", "L2").at("remaining_m2") == "0.00");
    CHECK(row_where(lots, "lot_id", "L3").at("allocated_m2") == "0.00");
    CHECK(row_where(lots, "lot_id", "L3").at("state") == "planned");
    // A lot's parcels column counts its rows in lot_parcels.csv; L1's parcels reclaimed
    // 10000.00 + 5000.00 = 15000.00 m², V1's reclaim.
    std::map<std::string, std::int64_t> parcels_of;
    std::map<std::string, std::int64_t> reclaim_of;
    for (const auto& p : lot_parcels.rows) {
        parcels_of[p.at("lot_id")] += 1;
        reclaim_of[p.at("lot_id")] += hundredths(p.at("reclaim_m2"));
    }
    for (const auto& l : lots.rows)
        CHECK(std::stoll(l.at("parcels")) == parcels_of[l.at("lot_id")]);
    CHECK(reclaim_of["L1"] == 1500000);
    CHECK(row_where(lot_parcels, "parcel_id", "P1").at("holder") == "张三");
    // Paid: 2700000 + 300000 + 900000 fen for the transfers, and a 5000 fen dividend.
    CHECK(integer_sum(transfers, "amount_fen") == 3900000);
    CHECK(integer_sum(payments, "amount_fen") == 3905000);
    Fen untied = 0;
    for (const auto& p : payments.rows)
        if (p.at("transfer_id").empty())
            untied += std::stoll(p.at("amount_fen"));
    CHECK(integer_sum(payments, "amount_fen") == integer_sum(transfers, "amount_fen") + untied);
    CHECK(row_where(transfers, "transfer_id", "R1-T0001").at("amount_yuan") == "27000.00");
    CHECK(row_where(transfers, "transfer_id", "R1-T0001").at("site_name") == "S1工业园");
    CHECK(row_where(payments, "payment_id", "R1-P00004").at("year") == "2025");
    CHECK(row_where(payments, "payment_id", "R1-P00001").at("year").empty()); // 0: at allocation
    // A cell with a comma and quotes comes back whole.
    CHECK(row_where(payments, "payment_id", "R1-P00002").at("basis") ==
          "1.50 mu × 2000.00 yuan/mu, \"at allocation\"");

    const Csv findings = read_csv(t / "findings.csv");
    // 1 village_mismatch + the 200 'sliver' findings kept + 1 note for the one left out.
    REQUIRE(findings.rows.size() == 1 + 200 + 1);
    CHECK(findings.rows[0].at("severity") == "warning");
    CHECK(findings.rows[0].at("check") == "village_mismatch");
    CHECK(findings.rows[0].at("feature") == "BSM=P1 (FID 1)");
    CHECK(findings.rows[0].at("field") == "ZLDWDM");
    CHECK(findings.rows.back().at("severity") == "note");
    CHECK(findings.rows.back().at("message") ==
          "1 more 'sliver' findings are not listed (201 in all)");
}

TEST_CASE("writers stage: manifest.json is Manifest::to_json", "[stage][publish]") {
    const World w;
    TempDir dir;
    w.publish(dir.path(), true);
    const std::string text = read_file(dir / "manifest.json");
    CHECK(text == w.manifest.to_json().dump(2) + "\n");
    const auto parsed = nlohmann::ordered_json::parse(text);
    CHECK(parsed == w.manifest.to_json());
    CHECK(parsed["timings"]["ingest_s"] == 0.25);
    CHECK(parsed["totals"]["freed_m2"] == "20000.00");
}

// GDAL 3.6's GeoPackage driver defers creating a layer's table until its first feature or the
// dataset's close, so an empty layer (nothing reclaimed, no transfers) was once listed after the
// layers written after it; VectorWriter now creates each table as soon as its fields are declared.
TEST_CASE("writers stage: result.gpkg keeps its layer order when a layer is empty",
          "[stage][publish]") {
    World w;
    TempDir dir;
    std::vector<std::string> expected;
    SECTION("no parcel was reclaimed") {
        for (auto& p : w.parcels)
            p.pieces.reset();
        w.publish(dir.path(), false);
        expected = {"parcels", "reclaimed", "villages",   "townships",
                    "zones",   "regions",   "exclusions", "resettlement"};
    }
    SECTION("an allocation without transfers") {
        w.allocation.transfers.clear();
        w.allocation.payments.clear();
        w.publish(dir.path(), true);
        expected = {"parcels",   "reclaimed", "sites",   "flows",      "villages",
                    "townships", "zones",     "regions", "exclusions", "resettlement"};
    }
    const auto ds = open_gpkg(dir / "result.gpkg");
    CHECK(layer_names(*ds) == expected);
}

namespace {

using XmlPtr = std::unique_ptr<CPLXMLNode, decltype(&CPLDestroyXMLNode)>;

XmlPtr parse_xml(const std::string& text) {
    XmlPtr doc(CPLParseXMLString(text.c_str()), &CPLDestroyXMLNode);
    REQUIRE(doc);
    return doc;
}

// The first element named `name` anywhere under `node` (depth first).
const CPLXMLNode* find_element(const CPLXMLNode* node, const std::string& name) {
    for (; node; node = node->psNext) {
        if (node->eType == CXT_Element && name == node->pszValue)
            return node;
        if (const CPLXMLNode* f = find_element(node->psChild, name))
            return f;
    }
    return nullptr;
}

std::vector<const CPLXMLNode*> find_all(const CPLXMLNode* node, const std::string& name) {
    std::vector<const CPLXMLNode*> out;
    std::function<void(const CPLXMLNode*)> walk = [&](const CPLXMLNode* n) {
        for (; n; n = n->psNext) {
            if (n->eType == CXT_Element && name == n->pszValue)
                out.push_back(n);
            walk(n->psChild);
        }
    };
    walk(node);
    return out;
}

const LayerStyle& style_of(const std::vector<LayerStyle>& styles, const std::string& layer) {
    const auto it = std::find_if(styles.begin(), styles.end(),
                                 [&](const LayerStyle& s) { return s.layer == layer; });
    REQUIRE(it != styles.end());
    return *it;
}

} // namespace

// What QGIS reads when a layer of result.gpkg is added: its default style in layer_styles, and
// the aliases (gpkg_data_columns) for other clients. (tests/qgis/test_result_map.py opens the
// demo's in real QGIS.)
TEST_CASE("writers stage: every map layer of result.gpkg has its default style and aliases",
          "[stage][publish]") {
    World w;
    w.job.exclusions.resize(1);
    w.job.exclusions[0].name = "生态保护红线";
    TempDir dir;
    w.publish(dir.path(), true);
    const auto ds = open_gpkg(dir / "result.gpkg");
    const std::vector<LayerStyle> styles = result_styles(w.results(true));

    OGRLayer* table = ds->GetLayerByName("layer_styles");
    REQUIRE(table);
    std::set<std::string> styled;
    for (auto& f : *table) {
        const std::string layer = f->GetFieldAsString("f_table_name");
        INFO("layer " << layer);
        CHECK(styled.insert(layer).second); // one style per layer
        CHECK(f->GetFieldAsInteger("useAsDefault") == 1);
        CHECK(std::string(f->GetFieldAsString("f_geometry_column")) ==
              ds->GetLayerByName(layer.c_str())->GetGeometryColumn());
        const LayerStyle& style = style_of(styles, layer);
        const XmlPtr qml = parse_xml(f->GetFieldAsString("styleQML"));
        const CPLXMLNode* renderer = find_element(qml.get(), "renderer-v2");
        REQUIRE(renderer);
        CHECK(std::string(CPLGetXMLValue(renderer, "type", "")) ==
              qgis_renderer_name(style.renderer));
        // Every field has its alias in the style and in gpkg_data_columns.
        OGRFeatureDefn* defn = ds->GetLayerByName(layer.c_str())->GetLayerDefn();
        const auto aliases = find_all(qml.get(), "alias");
        CHECK(aliases.size() == static_cast<std::size_t>(defn->GetFieldCount()));
        for (const CPLXMLNode* a : aliases)
            CHECK(std::string(CPLGetXMLValue(a, "name", "")) ==
                  field_zh(CPLGetXMLValue(a, "field", "")));
        const XmlPtr sld = parse_xml(f->GetFieldAsString("styleSLD"));
        std::size_t rules = 0;
        for (const CPLXMLNode* rule : find_all(sld.get(), "se:Rule"))
            if (!find_element(rule->psChild, "se:TextSymbolizer"))
                ++rules;
        CHECK(rules == (style.renderer == LayerStyle::Renderer::Single ? 1 : style.classes.size()));
    }
    const std::vector<std::string> map_layers = layer_names(*ds);
    CHECK(styled == std::set<std::string>(map_layers.begin(), map_layers.end()));

    OGRLayer* columns = ds->ExecuteSQL(
        "SELECT table_name, column_name, name FROM gpkg_data_columns", nullptr, nullptr);
    REQUIRE(columns);
    int described = 0;
    for (auto& f : *columns) {
        CHECK(std::string(f->GetFieldAsString(2)) == field_zh(f->GetFieldAsString(1)));
        ++described;
    }
    ds->ReleaseResultSet(columns);
    int fields = 0;
    for (const auto& name : layer_names(*ds))
        fields += ds->GetLayerByName(name.c_str())->GetLayerDefn()->GetFieldCount();
    CHECK(described == fields);
}

TEST_CASE("writers stage: project.qgz lists every map layer by a relative path, in its group",
          "[stage][publish]") {
    World w;
    TempDir dir;
    w.publish(dir.path(), true);
    // Braces: GDAL knows a zip by its extension, and .qgz is not one it knows.
    const std::string qgs_path = "/vsizip/{" + (dir / "project.qgz").string() + "}/project.qgs";
    VSIStatBufL stat;
    REQUIRE(VSIStatL(qgs_path.c_str(), &stat) == 0);
    std::string text(static_cast<std::size_t>(stat.st_size), '\0');
    VSILFILE* f = VSIFOpenL(qgs_path.c_str(), "rb");
    REQUIRE(f);
    REQUIRE(VSIFReadL(text.data(), 1, text.size(), f) == text.size());
    VSIFCloseL(f);
    const XmlPtr doc = parse_xml(text);
    const auto ds = open_gpkg(dir / "result.gpkg");
    std::set<std::string> sources;
    for (const CPLXMLNode* m : find_all(doc.get(), "maplayer"))
        sources.insert(CPLGetXMLValue(m, "datasource", ""));
    std::set<std::string> expected;
    for (const auto& name : layer_names(*ds))
        expected.insert("./result.gpkg|layername=" + name);
    CHECK(sources == expected);
    std::vector<std::string> groups;
    for (const CPLXMLNode* g : find_all(doc.get(), "layer-tree-group"))
        if (const char* name = CPLGetXMLValue(g, "name", nullptr))
            groups.emplace_back(name);
    CHECK(groups == std::vector<std::string>{"分配", "约束", "结果"});
}

TEST_CASE("map styles: every village falls in a class, names are escaped, unnamed fields are bugs",
          "[stage][publish]") {
    World w;
    // A village whose resettlement exceeds its reclamation has a negative balance.
    w.quota.villages[2].resettle = 900000;
    w.quota.villages[2].freed_mu_hundredths = -900;
    w.job.exclusions.resize(2);
    w.job.exclusions[0].name = "红线 <A&B>";
    w.job.exclusions[1].name = "基本农田 \"'x'\"";
    const std::vector<LayerStyle> styles = result_styles(w.results(true));

    const LayerStyle& villages = style_of(styles, "villages");
    REQUIRE(villages.renderer == LayerStyle::Renderer::Graduated);
    for (const auto& v : w.quota.villages) {
        const double mu = static_cast<double>(v.freed_mu_hundredths) / 100.0;
        INFO("village " << v.village_id << " " << mu << " mu");
        CHECK(std::any_of(villages.classes.begin(), villages.classes.end(),
                          [&](const StyleClass& c) { return c.lower <= mu && mu <= c.upper; }));
    }

    const LayerStyle& zones = style_of(styles, "exclusions");
    const XmlPtr qml = parse_xml(to_qml(zones, {{"zone", field_zh("zone")}}));
    std::vector<std::string> values;
    for (const CPLXMLNode* c : find_all(qml.get(), "category"))
        values.emplace_back(CPLGetXMLValue(c, "value", ""));
    CHECK(values == std::vector<std::string>{"红线 <A&B>", "基本农田 \"'x'\""});
    const XmlPtr sld = parse_xml(to_sld(zones));
    std::vector<std::string> literals;
    for (const CPLXMLNode* l : find_all(sld.get(), "ogc:Literal"))
        literals.emplace_back(CPLGetXMLValue(l, "", ""));
    CHECK(literals == values);

    CHECK_THROWS_AS(field_zh("no_such_field"), std::logic_error);
}
