// The bundled Wuyi sample: golden figures, exact reconciliation of every table, and an
// independent planar recomputation with OGR's own geometry operations.
#include "pipeline/job.hpp"
#include "run/run.hpp"
#include "support.hpp"
#include "xlsx_reader.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <map>
#include <memory>
#include <ogrsf_frmts.h>
#include <set>
#include <sstream>

using namespace landquota;
using namespace landquota::test;

namespace {

// Sum of a column over rows whose `keys` columns equal `values`.
std::int64_t sum(const std::vector<std::map<std::string, std::string>>& rows,
                 const std::string& col, const std::vector<std::string>& keys,
                 const std::vector<std::string>& values) {
    std::int64_t s = 0;
    for (const auto& r : rows) {
        bool match = true;
        for (std::size_t i = 0; i < keys.size(); ++i)
            match = match && r.at(keys[i]) == values[i];
        if (match)
            s += hundredths(r.at(col));
    }
    return s;
}

struct SampleRun {
    TempDir dir;
    RunReport report;
    SampleRun() {
        const Job job = load_job(source_dir() / "sample_maps" / "wuyi" / "job.toml");
        RunOptions o;
        o.out = dir / "out";
        o.ledger =
            dir / "ledger.sqlite"; // a fresh ledger: the sample's own would remember earlier runs
        report = run_job(job, o);
    }
};
SampleRun& sample() {
    static SampleRun run; // one run shared by the checks below
    return run;
}

GDALDatasetUniquePtr open_sample() {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(
        (source_dir() / "sample_maps" / "wuyi" / "wuyi.gpkg").string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    return ds;
}

double area_of(const OGRGeometry& g) {
    return OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g)));
}

// The pieces tile the whole: their areas add up to it, and so does the area of their union (a
// real overlay), so there is neither a gap nor an overlap.
void check_tiles(const std::vector<std::unique_ptr<OGRGeometry>>& pieces,
                 const OGRGeometry& whole) {
    OGRMultiPolygon all;
    double sum = 0;
    for (const auto& p : pieces) {
        sum += area_of(*p);
        all.addGeometry(p.get());
    }
    const std::unique_ptr<OGRGeometry> united(all.UnionCascaded());
    REQUIRE(united);
    const double a = area_of(whole);
    CHECK(std::abs(sum - a) <= 1e-9 * a + 1e-6);
    CHECK(std::abs(area_of(*united) - a) <= 1e-9 * a + 1e-6);
}
} // namespace

TEST_CASE("Wuyi sample: the south frees about the seed case's 800 mu", "[sample][quota]") {
    const RunReport& r = sample().report;
    REQUIRE(r.committed);
    CHECK(r.findings.errors() == 0);
    const auto ds = open_sample();
    CHECK(r.counts.parcels ==
          static_cast<std::size_t>(ds->GetLayerByName("parcels")->GetFeatureCount()));
    const auto& regions = r.quota.regions;
    REQUIRE(regions.size() == 2);
    const UnitQuota& north = regions[0].id == "北部" ? regions[0] : regions[1];
    const UnitQuota& south = regions[0].id == "南部" ? regions[0] : regions[1];
    CHECK(north.freed() == 0); // nothing relocates in the north
    CHECK(south.freed() == south.reclaim - south.resettle);
    // Resettlement is the ellipsoidal area of the resettlement layer (every site houses a
    // relocating village): within 0.3 m²/ha below its planar area.
    double planar = 0;
    for (auto& f : ds->GetLayerByName("resettlement"))
        planar += area_of(*f->GetGeometryRef());
    const double resettle = hundredths_to_m2(south.resettle);
    CHECK(resettle <= planar);
    CHECK(planar - resettle <= 0.3 * planar / 10000.0);
    // The sample is sized after the Wuyi seed case: about 800 mu freed in the south.
    const double mu = hundredths_to_m2(south.freed()) * 15.0 / 10000.0;
    INFO("south frees " << mu << " mu");
    CHECK(mu > 750);
    CHECK(mu < 850);
    CHECK(r.quota.zones.size() == 5); // four alliances and the north
}

TEST_CASE("Wuyi sample: townships tile the county, villages their township, parcels their village",
          "[sample][topology]") {
    const auto ds = open_sample();
    std::map<std::string, std::unique_ptr<OGRGeometry>> townships;
    std::map<std::string, std::string> region;
    std::set<std::string> alliances;
    std::vector<std::unique_ptr<OGRGeometry>> all_townships;
    for (auto& t : ds->GetLayerByName("townships")) {
        townships[t->GetFieldAsString("XZDM")].reset(t->GetGeometryRef()->clone());
        all_townships.emplace_back(t->GetGeometryRef()->clone());
        region[t->GetFieldAsString("XZDM")] = t->GetFieldAsString("QY");
        alliances.insert(t->GetFieldAsString("LM"));
        CHECK(t->GetGeometryRef()->IsValid());
    }
    REQUIRE(townships.size() == 18);
    CHECK(std::count_if(region.begin(), region.end(),
                        [](const auto& r) { return r.second == "北部"; }) == 7);
    CHECK(alliances ==
          std::set<std::string>{"北部", "熟溪联盟", "柳城联盟", "王宅联盟", "桃溪联盟"});
    // The county: the union of the townships.
    OGRMultiPolygon county_parts;
    for (const auto& t : all_townships)
        county_parts.addGeometry(t.get());
    const std::unique_ptr<OGRGeometry> county(county_parts.UnionCascaded());
    REQUIRE(county);
    CHECK(wkbFlatten(county->getGeometryType()) == wkbPolygon); // one piece, no holes
    CHECK(county->toPolygon()->getNumInteriorRings() == 0);
    check_tiles(all_townships, *county);

    std::map<std::string, std::vector<std::unique_ptr<OGRGeometry>>> villages_of;
    std::map<std::string, std::unique_ptr<OGRGeometry>> villages;
    int relocating = 0;
    for (auto& v : ds->GetLayerByName("villages")) {
        const std::string township = v->GetFieldAsString("XZDM");
        REQUIRE(townships.count(township));
        villages_of[township].emplace_back(v->GetGeometryRef()->clone());
        villages[v->GetFieldAsString("ZLDWDM")].reset(v->GetGeometryRef()->clone());
        if (v->GetFieldAsInteger("RELOCATE") == 1) {
            ++relocating;
            CHECK(region.at(township) == "南部");
        }
    }
    CHECK(relocating == 16);
    CHECK(villages.size() > 80);
    CHECK(villages.size() < 95);
    for (const auto& [code, pieces] : villages_of) {
        INFO("township " << code);
        CHECK(pieces.size() >= 3);
        check_tiles(pieces, *townships.at(code));
    }

    std::map<std::string, std::vector<std::unique_ptr<OGRGeometry>>> parcels_of;
    std::size_t outside = 0;
    for (auto& p : ds->GetLayerByName("parcels")) {
        const std::string village = p->GetFieldAsString("ZLDWDM");
        REQUIRE(villages.count(village));
        if (!p->GetGeometryRef()->Within(villages.at(village).get()))
            ++outside;
        parcels_of[village].emplace_back(p->GetGeometryRef()->clone());
    }
    CHECK(outside == 0);
    for (const auto& [code, pieces] : parcels_of) {
        INFO("village " << code);
        check_tiles(pieces, *villages.at(code));
    }
    CHECK(parcels_of.size() == villages.size()); // parcels fill every village
}

TEST_CASE("Wuyi sample: the river and the main road are parcels of their own land use",
          "[sample][topology]") {
    const auto ds = open_sample();
    // Where the road crosses the river the parcel is one or the other: take both together.
    OGRMultiPolygon surface;
    for (auto& p : ds->GetLayerByName("parcels"))
        if (std::string(p->GetFieldAsString("DLBM")) == "1101" ||
            std::string(p->GetFieldAsString("DLBM")) == "1003")
            surface.addGeometry(p->GetGeometryRef());
    const std::unique_ptr<OGRGeometry> water_and_road(surface.UnionCascaded());
    REQUIRE(water_and_road);
    for (const char* lines : {"rivers", "roads"}) {
        INFO(lines);
        double length = 0, covered = 0;
        int features = 0;
        for (auto& f : ds->GetLayerByName(lines)) {
            ++features;
            const OGRGeometry* line = f->GetGeometryRef();
            length += line->toLineString()->get_Length();
            const std::unique_ptr<OGRGeometry> inside(line->Intersection(water_and_road.get()));
            REQUIRE(inside);
            covered += OGR_G_Length(OGRGeometry::ToHandle(inside.get()));
        }
        CHECK(features > 0);
        CHECK(length > 30'000);           // it crosses the county
        CHECK(covered >= 0.999 * length); // its whole course lies on river / road parcels
    }
}

TEST_CASE("Wuyi sample: every table reconciles exactly with the rows below it", "[sample][quota]") {
    const SampleRun& s = sample();
    REQUIRE(s.report.committed);
    const fs::path t = s.dir / "out" / "tables";
    const auto villages = read_csv_records(t / "villages.csv");
    const auto townships = read_csv_records(t / "townships.csv");
    const auto zones = read_csv_records(t / "zones.csv");
    const auto regions = read_csv_records(t / "regions.csv");
    REQUIRE(villages.size() ==
            static_cast<std::size_t>(open_sample()->GetLayerByName("villages")->GetFeatureCount()));
    REQUIRE(townships.size() == 18);
    for (const std::string col : {"reclaim_m2", "resettle_m2", "freed_m2", "freed_mu"}) {
        INFO(col);
        for (const auto& tw : townships)
            CHECK(hundredths(tw.at(col)) ==
                  sum(villages, col, {"township_id"}, {tw.at("township_id")}));
        for (const auto& z : zones) // a zone is identified by its region and its id
            CHECK(hundredths(z.at(col)) == sum(townships, col, {"region_id", "zone_id"},
                                               {z.at("region_id"), z.at("zone_id")}));
        for (const auto& reg : regions)
            CHECK(hundredths(reg.at(col)) == sum(zones, col, {"region_id"}, {reg.at("region_id")}));
    }
    // freed = reclaim - resettle on every row; apportioned mu within one hundredth of its exact
    // value (largest remainder may round a row up instead of down).
    // Hectares are exact (6 decimals): the digits of freed_ha are those of freed_m2, so every
    // hectare total reconciles as the m² do.
    for (const auto* table : {&villages, &townships, &zones, &regions})
        for (const auto& row : *table) {
            std::string ha = row.at("freed_ha");
            REQUIRE(ha.size() > 7);
            REQUIRE(ha[ha.size() - 7] == '.');
            ha.erase(ha.size() - 7, 1);
            CHECK(std::stoll(ha) == hundredths(row.at("freed_m2")));
        }
    for (const auto& v : villages) {
        const std::int64_t freed = hundredths(v.at("freed_m2"));
        CHECK(freed == hundredths(v.at("reclaim_m2")) - hundredths(v.at("resettle_m2")));
        CHECK(std::abs(hundredths(v.at("freed_mu")) * 10000 - freed * 15) <= 10000);
    }
}

TEST_CASE("Wuyi sample: allocated m² and mu of every site are the sums of its transfers",
          "[sample][allocation]") {
    const SampleRun& s = sample();
    REQUIRE(s.report.committed);
    const fs::path t = s.dir / "out" / "tables";
    const auto sites = read_csv_records(t / "sites.csv");
    const auto transfers = read_csv_records(t / "transfers.csv");
    REQUIRE(sites.size() == 6);
    REQUIRE(transfers.size() == s.report.allocation->transfers.size());
    std::int64_t all_m2 = 0, all_mu = 0;
    for (const auto& site : sites) {
        INFO("site " << site.at("site_id"));
        CHECK(hundredths(site.at("allocated_m2")) ==
              sum(transfers, "area_m2", {"site_id"}, {site.at("site_id")}));
        CHECK(hundredths(site.at("allocated_mu")) ==
              sum(transfers, "area_mu", {"site_id"}, {site.at("site_id")}));
        all_m2 += hundredths(site.at("allocated_m2"));
        all_mu += hundredths(site.at("allocated_mu"));
    }
    // The total shown in the manifest is the sum of the sites shown, and each transfer's mu is
    // within one hundredth of its exact value (m² × 0.0015).
    CHECK(all_m2 == s.report.manifest.allocation->allocated);
    CHECK(all_mu == hundredths_m2_to_mu_hundredths(s.report.manifest.allocation->allocated));
    for (const auto& tr : transfers)
        CHECK(std::abs(hundredths(tr.at("area_mu")) * 10000 - hundredths(tr.at("area_m2")) * 15) <
              10000);
}

TEST_CASE("Wuyi sample: the reclaim agrees with an independent planar recomputation",
          "[sample][reclaim]") {
    const SampleRun& s = sample();
    REQUIRE(s.report.committed);
    // Recompute with OGR alone: eligible parcels of relocating villages, minus red line and
    // basic farmland, pieces under 50 m² dropped, planar area.
    GDALDatasetUniquePtr ds(GDALDataset::Open(
        (source_dir() / "sample_maps" / "wuyi" / "wuyi.gpkg").string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::set<std::string> relocating;
    for (auto& v : ds->GetLayerByName("villages"))
        if (v->GetFieldAsInteger("RELOCATE") == 1)
            relocating.insert(v->GetFieldAsString("ZLDWDM"));
    std::vector<std::unique_ptr<OGRGeometry>> excl;
    for (const char* layer : {"redline", "farmland"})
        for (auto& f : ds->GetLayerByName(layer))
            excl.emplace_back(f->GetGeometryRef()->clone());
    double planar = 0;
    for (auto& p : ds->GetLayerByName("parcels")) {
        const std::string code = p->GetFieldAsString("DLBM");
        const bool eligible = code == "0702" || code == "0601" || code == "0602" ||
                              code.rfind("08", 0) == 0 || code == "1004";
        if (!eligible || std::string(p->GetFieldAsString("CZCSXM")) != "203" ||
            !relocating.count(p->GetFieldAsString("ZLDWDM")))
            continue;
        std::unique_ptr<OGRGeometry> g(p->GetGeometryRef()->clone());
        for (const auto& e : excl)
            if (g && g->Intersects(e.get()))
                g.reset(g->Difference(e.get()));
        if (!g)
            continue;
        OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
        if (type == wkbPolygon) {
            const double a = g->toPolygon()->get_Area();
            planar += a >= 50 ? a : 0;
        } else if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
            for (const OGRGeometry* part : *g->toGeometryCollection())
                if (wkbFlatten(part->getGeometryType()) == wkbPolygon) {
                    const double a = part->toPolygon()->get_Area();
                    planar += a >= 50 ? a : 0;
                }
        }
    }
    const double engine = hundredths_to_m2(s.report.quota.county.reclaim);
    // The county lies 4–36 km from its central meridian: planar exceeds ellipsoidal by at most
    // ~0.3 m²/ha there, and never falls below it.
    INFO("engine " << engine << " m², planar " << planar << " m²");
    CHECK(planar >= engine);
    CHECK(planar - engine <= 0.3 * planar / 10000.0);
}
