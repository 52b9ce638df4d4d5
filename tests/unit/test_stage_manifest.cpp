// The manifest stage alone (src/pipeline/manifest.hpp): make_manifest from hand-made stage
// results, and Manifest::to_json's fixed key order.
//
// Areas are hundredths of m² (100 = 1.00 m²), money is fen (100 = 1.00 yuan), and
// 1 mu = 10000/15 m², so hundredths of m² × 15 / 10000 = hundredths of a mu.
//
// make_manifest hashes the job file (and the input files) with std::ifstream, not through GDAL,
// so those must be real files: the only files these tests write, in a TempDir.
#include "core/finding_log.hpp"
#include "io/sha256.hpp"
#include "landquota/version.hpp"
#include "pipeline/manifest.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <regex>

using namespace landquota;
using namespace landquota::test;
using nlohmann::ordered_json;

namespace {

const std::string kJobText = "[job]\nname = \"县2024\"\n";

std::vector<std::string> keys_of(const ordered_json& j) {
    std::vector<std::string> out;
    for (const auto& item : j.items())
        out.push_back(item.key());
    return out;
}

UnitQuota unit(const std::string& id, const std::string& parent, std::int64_t villages,
               AreaCm2x100 reclaim, AreaCm2x100 resettle, std::int64_t freed_mu_hundredths) {
    UnitQuota u;
    u.id = id;
    u.name = id + " name";
    u.parent_id = parent;
    u.villages = villages;
    u.reclaim = reclaim;
    u.resettle = resettle;
    u.freed_mu_hundredths = freed_mu_hundredths;
    return u;
}

// What the earlier stages of a run hand the manifest stage, made by hand.
//   V1: reclaim 15000.00 m², resettle 2000.00 m² -> freed 13000.00 m² = 13000 × 15 / 10000
//       = 19.5 mu (1950 hundredths)
//   V2: reclaim  4000.00 m², resettle 0          -> freed  4000.00 m² = 6 mu (600)
//   one township, one zone, one region, the county: reclaim 19000.00, resettle 2000.00,
//   freed 17000.00 m² = 25.5 mu (2550)
struct StageResults {
    TempDir dir;
    Job job;
    Inputs in;
    ParcelCounts counts;
    AreaCheck area_check;
    QuotaTables quota;
    FindingLog findings;

    StageResults() {
        job.file = dir / "job.toml";
        write_file(job.file, kJobText);
        job.name = "县2024";
        job.densify_m = 5.0;
        in.working_crs_label = "EPSG:4549";
        counts = ParcelCounts{7, 3, 1, 2, 1}; // 3 + 1 + 2 + 1 = 7 parcels
        area_check = AreaCheck{5, 0.0123, "P2"};

        VillageQuota v1;
        v1.village_id = "V1";
        v1.reclaim = 1500000;
        v1.resettle = 200000;
        v1.freed_mu_hundredths = 1950;
        VillageQuota v2;
        v2.village_id = "V2";
        v2.reclaim = 400000;
        v2.freed_mu_hundredths = 600;
        quota.villages = {v1, v2};
        quota.townships = {unit("T1", "Z1", 2, 1900000, 200000, 2550)};
        quota.zones = {unit("Z1", "R1", 2, 1900000, 200000, 2550)};
        quota.regions = {unit("R1", "", 2, 1900000, 200000, 2550)};
        quota.county = unit("county", "", 2, 1900000, 200000, 2550);

        findings.add(Finding{Finding::Severity::Error, "bad", "f", "l", "", "", "e"});
        findings.add(Finding{Finding::Severity::Warning, "odd", "f", "l", "", "", "w1"});
        findings.add(Finding{Finding::Severity::Warning, "odd", "f", "l", "", "", "w2"});
    }

    Manifest make(const AllocationRun* allocation) const {
        return make_manifest(job, in, counts, area_check, quota, findings, allocation,
                             RunStamp{"2026-11-24T08:00:00Z", "王科员"});
    }
};

QuotaLot lot(const std::string& id, AreaCm2x100 area, const std::string& state = "accepted") {
    QuotaLot l;
    l.lot_id = id;
    l.village_id = "V" + id.substr(1);
    l.area = area;
    l.state = state;
    return l;
}

Site site(const std::string& id, AreaCm2x100 demand) {
    Site s;
    s.site_id = id;
    s.name = id + " park";
    s.demand = demand;
    return s;
}

Payment payment(const std::string& id, const std::string& model, const std::string& transfer,
                Fen amount) {
    Payment p;
    p.payment_id = id;
    p.model = model;
    p.payee_kind = "village";
    p.payee_id = "V1";
    p.transfer_id = transfer;
    p.amount = amount;
    return p;
}

// An allocation as the allocation and compensation stages give it.
//   lots: L1 1000.00 m², L2 500.00 m² (both accepted), L3 700.00 m² (planned: not allocable)
//   supply (after an earlier run spent 300.00 m² of L1): L1 700.00 + L2 500.00 = 1200.00 m²
//   demand: S1 800.00 + S2 600.00 = 1400.00 m²
//   transfers: 700.00 + 100.00 + 250.00 = 1050.00 m² = 1050 × 15 / 10000 = 1.575 mu, which is
//   157.5 hundredths of a mu, rounded half away from zero to 158: "1.58"
//   payments: fixed_price 3000.00 + 1500.15 = 4500.15 yuan, dividend 0.99 yuan; total 4501.14
AllocationRun allocation_run(bool compensated) {
    AllocationRun a;
    a.strategy = "greedy";
    a.lots = {lot("L1", 100000), lot("L2", 50000), lot("L3", 70000, "planned")};
    a.supply = {lot("L1", 70000), lot("L2", 50000)};
    a.sites = {site("S1", 80000), site("S2", 60000)};
    a.demand = a.sites;
    a.transfers = {Transfer{"R3-T0001", "L1", "S1", 70000}, Transfer{"R3-T0002", "L2", "S1", 10000},
                   Transfer{"R3-T0003", "L2", "S2", 25000}};
    a.payments = {payment("R3-P00001", "fixed_price", "R3-T0001", 300000),
                  payment("R3-P00002", "fixed_price", "R3-T0002", 150015),
                  payment("R3-P00003", "dividend", "", 99)};
    a.figures = {{"objective", 1.0}, {"shadow_price_yuan_per_mu", 2.5}, {"objective", 3.0}};
    a.notes = {"S2 is short of 350.00 m²"};
    a.plugins = {PluginRecord{
        "allocation", "greedy", "1.2.0", "liblandquota_plugin_greedy.so",
        OptionValues({{"max_km", 30.0}, {"order", std::vector<std::string>{"a", "b"}}})}};
    if (compensated)
        a.plugins.push_back(PluginRecord{"compensation", "fixed_price", "1.0.0",
                                         "liblandquota_plugin_fixed_price.so",
                                         OptionValues({{"yuan_per_mu", std::string("30000")}})});
    a.compensated = compensated;
    a.ledger = LedgerRef{"/data/县.ledger.sqlite", 3, std::string(64, 'a')};
    return a;
}

template <typename Row, typename Area> AreaCm2x100 total(const std::vector<Row>& rows, Area area) {
    return std::accumulate(rows.begin(), rows.end(), AreaCm2x100{0},
                           [&](AreaCm2x100 s, const Row& r) { return s + area(r); });
}

} // namespace

TEST_CASE("manifest stage: make_manifest copies a run's provenance and figures",
          "[stage][manifest]") {
    const StageResults r;
    const Manifest m = r.make(nullptr);
    CHECK(m.job_name == "县2024");
    CHECK(m.job_file == "job.toml");
    CHECK(m.job_sha256 == sha256_bytes(kJobText));
    CHECK(m.working_crs == "EPSG:4549");
    CHECK(m.parcels.parcels == 7);
    CHECK(m.parcels.reclaimable == 3);
    CHECK(m.parcels.excluded == 1);
    CHECK(m.parcels.not_eligible == 2);
    CHECK(m.parcels.outside == 1);
    CHECK(m.villages == 2);
    CHECK(m.townships == 1);
    CHECK(m.zones == 1);
    CHECK(m.errors == 1);
    CHECK(m.warnings == 2);
    CHECK(m.densify_m == 5.0);
    CHECK(m.area_check.parcels_checked == 5);
    CHECK(m.area_check.max_abs_gap_m2 == 0.0123);
    CHECK(m.area_check.max_gap_parcel == "P2");
    CHECK(m.totals.id == "county");
    CHECK(m.totals.freed() == 1700000);
    REQUIRE(m.regions.size() == 1);
    CHECK(m.regions[0].id == "R1");
    REQUIRE(m.zone_rows.size() == 1);
    CHECK(m.zone_rows[0].id == "Z1");
    CHECK(m.inputs.empty());
    CHECK(m.plugins.empty());
    CHECK_FALSE(m.allocation);
    CHECK_FALSE(m.compensation);
    CHECK(m.timings.empty()); // the orchestrator adds them
}

TEST_CASE("manifest stage: inputs are hashed by their path relative to the job file",
          "[stage][manifest]") {
    StageResults r;
    fs::create_directories(r.dir / "data");
    write_file(r.dir / "data" / "parcels.gpkg", "parcel bytes");
    write_file(r.dir / "villages.shp", "village bytes");
    r.in.input_files = {(r.dir / "data" / "parcels.gpkg").string(),
                        (r.dir / "villages.shp").string(),
                        "/vsimem/not-a-file.gpkg", // not on disk: cannot be hashed, left out
                        (r.dir / "gone.gpkg").string()};
    const Manifest m = r.make(nullptr);
    REQUIRE(m.inputs.size() == 2);
    CHECK(m.inputs[0].path == "data/parcels.gpkg");
    CHECK(m.inputs[0].sha256 == sha256_bytes("parcel bytes"));
    CHECK(m.inputs[1].path == "villages.shp");
    CHECK(m.inputs[1].sha256 == sha256_bytes("village bytes"));
    const ordered_json j = m.to_json();
    REQUIRE(j["inputs"].size() == 2);
    CHECK(keys_of(j["inputs"][0]) == std::vector<std::string>{"path", "sha256"});
    CHECK(j["inputs"][0]["path"] == "data/parcels.gpkg");
    CHECK(j["inputs"][1]["sha256"] == sha256_bytes("village bytes"));
}

TEST_CASE("manifest stage: to_json without allocation has the fixed keys, in order",
          "[stage][manifest]") {
    const StageResults r;
    Manifest m = r.make(nullptr);
    m.timings = {{"ingest_s", 0.5}, {"parcels_s", 1.25}, {"quota_s", 0.125}};
    const ordered_json j = m.to_json();
    CHECK(keys_of(j) == std::vector<std::string>{"engine", "job", "run", "inputs", "working_crs",
                                                 "counts", "area_check", "totals", "regions",
                                                 "zones", "timings"});
    const LibraryVersions lib = library_versions();
    CHECK(j["engine"] == ordered_json{{"name", "landquota"},
                                      {"version", kVersion},
                                      {"gdal", lib.gdal},
                                      {"proj", lib.proj},
                                      {"geos", lib.geos}});
    CHECK(j["run"] == ordered_json{{"date", "2026-11-24T08:00:00Z"},
                                   {"operator", "王科员"},
                                   {"mode", "commit"}});
    CHECK_FALSE(j.contains("plan"));
    CHECK(keys_of(j["job"]) == std::vector<std::string>{"name", "file", "sha256"});
    CHECK(j["job"]["name"] == "县2024");
    CHECK(j["job"]["sha256"] == sha256_bytes(kJobText));
    CHECK(j["inputs"].is_array());
    CHECK(j["inputs"].empty());
    CHECK(j["working_crs"] == "EPSG:4549");
    CHECK(keys_of(j["counts"]) ==
          std::vector<std::string>{"parcels", "reclaimable", "excluded", "not_eligible", "outside",
                                   "villages", "townships", "zones", "errors", "warnings"});
    CHECK(j["counts"]["parcels"] == 7);
    CHECK(j["counts"]["not_eligible"] == 2);
    CHECK(j["counts"]["villages"] == 2);
    CHECK(j["counts"]["errors"] == 1);
    CHECK(j["counts"]["warnings"] == 2);
    CHECK(keys_of(j["area_check"]) == std::vector<std::string>{"method", "densify_m",
                                                               "parcels_checked", "max_abs_gap_m2",
                                                               "max_gap_parcel"});
    CHECK(j["area_check"]["densify_m"] == 5.0);
    CHECK(j["area_check"]["max_gap_parcel"] == "P2");
    // The county: 19000.00 − 2000.00 = 17000.00 m² = 25.50 mu.
    CHECK(j["totals"] == ordered_json{{"id", "county"},
                                      {"reclaim_m2", "19000.00"},
                                      {"resettle_m2", "2000.00"},
                                      {"freed_m2", "17000.00"},
                                      {"freed_mu", "25.50"},
                                      {"freed_ha", "1.700000"}});
    REQUIRE(j["regions"].size() == 1);
    CHECK(j["regions"][0]["id"] == "R1");
    CHECK(j["regions"][0]["freed_m2"] == "17000.00");
    REQUIRE(j["zones"].size() == 1);
    CHECK(j["zones"][0]["id"] == "Z1");
    CHECK(keys_of(j["timings"]) == std::vector<std::string>{"ingest_s", "parcels_s", "quota_s"});
    CHECK(j["timings"]["parcels_s"] == 1.25);
    // The JSON form holds the typed fields: parsing its text gives it back.
    CHECK(ordered_json::parse(j.dump(2)) == j);
}

TEST_CASE("manifest stage: an allocating run adds plugins and allocation, and compensation only "
          "when compensated",
          "[stage][manifest]") {
    const StageResults r;
    const bool compensated = GENERATE(false, true);
    CAPTURE(compensated);
    const AllocationRun a = allocation_run(compensated);
    const Manifest m = r.make(&a);

    REQUIRE(m.allocation);
    const AllocationSummary& s = *m.allocation;
    CHECK(s.strategy == "greedy");
    CHECK(s.lots == 3);           // every lot, L3 (planned) included
    CHECK(s.allocable_lots == 2); // the supply
    CHECK(s.sites == 2);
    CHECK(s.transfers == 3);
    // Each sum is the sum of its rows: 700.00 + 500.00; 800.00 + 600.00; 700.00 + 100.00 + 250.00.
    CHECK(s.supply == 120000);
    CHECK(s.supply == total(a.supply, [](const QuotaLot& l) { return l.area; }));
    CHECK(s.demand == 140000);
    CHECK(s.demand == total(a.demand, [](const Site& x) { return x.demand; }));
    CHECK(s.allocated == 105000);
    CHECK(s.allocated == total(a.transfers, [](const Transfer& t) { return t.area; }));
    CHECK(s.notes == a.notes);
    CHECK(s.ledger.path == "/data/县.ledger.sqlite");
    CHECK(s.ledger.run == 3);
    CHECK(s.ledger.head_hash == std::string(64, 'a'));
    REQUIRE(m.plugins.size() == a.plugins.size());
    CHECK(m.plugins[0].name == "greedy");

    const ordered_json j = m.to_json();
    std::vector<std::string> keys{"engine", "job",        "run",    "inputs",  "working_crs",
                                  "counts", "area_check", "totals", "plugins", "allocation"};
    if (compensated)
        keys.emplace_back("compensation");
    for (const char* k : {"regions", "zones", "timings"})
        keys.emplace_back(k);
    CHECK(keys_of(j) == keys);

    const ordered_json& ja = j["allocation"];
    CHECK(keys_of(ja) == std::vector<std::string>{
                             "strategy", "pools", "lots", "allocable_lots", "sites",
                             "sites_supplied", "earlier_allocated_m2", "supply_m2", "demand_m2",
                             "allocated_m2", "allocated_mu", "allocated_ha", "transfers", "figures",
                             "notes", "sites_without_quota", "ledger"});
    CHECK(ja["earlier_allocated_m2"] == "0.00");
    CHECK(ja["lots"] == 3);
    CHECK(ja["allocable_lots"] == 2);
    CHECK(ja["sites"] == 2);
    CHECK(ja["supply_m2"] == "1200.00");
    CHECK(ja["demand_m2"] == "1400.00");
    CHECK(ja["allocated_m2"] == "1050.00");
    CHECK(ja["allocated_mu"] == "1.58"); // 1.575 mu, half away from zero
    CHECK(ja["transfers"] == 3);
    // A repeated figure keeps its first place and its last value.
    CHECK(keys_of(ja["figures"]) ==
          std::vector<std::string>{"objective", "shadow_price_yuan_per_mu"});
    CHECK(ja["figures"]["objective"] == 3.0);
    CHECK(ja["figures"]["shadow_price_yuan_per_mu"] == 2.5);
    CHECK(ja["notes"] == ordered_json::array({"S2 is short of 350.00 m²"}));
    CHECK(ja["ledger"] == ordered_json{{"path", "/data/县.ledger.sqlite"},
                                       {"run", 3},
                                       {"start_hash", ""},
                                       {"head_hash", std::string(64, 'a')}});

    REQUIRE(j["plugins"].size() == a.plugins.size());
    for (std::size_t i = 0; i < a.plugins.size(); ++i)
        CHECK(j["plugins"][i] == a.plugins[i].manifest_json());
    CHECK(keys_of(j["plugins"][0]) ==
          std::vector<std::string>{"kind", "name", "version", "file", "options"});
    CHECK(j["plugins"][0]["options"]["max_km"] == 30.0); // typed: a number, not text
    CHECK(j["plugins"][0]["options"]["order"] == ordered_json::array({"a", "b"}));

    if (!compensated) {
        // Payments handed over without compensation models are not a compensation.
        CHECK_FALSE(m.compensation);
        CHECK_FALSE(j.contains("compensation"));
        return;
    }
    REQUIRE(m.compensation);
    CHECK(m.compensation->payments == 3);
    // 300000 + 150015 + 99 fen = 450114 fen; the models' totals add up to it.
    CHECK(m.compensation->total == 450114);
    Fen by_model = 0;
    for (const auto& [model, fen] : m.compensation->by_model)
        by_model += fen;
    CHECK(by_model == m.compensation->total);
    CHECK(m.compensation->by_model.at("fixed_price") == 450015);
    CHECK(m.compensation->by_model.at("dividend") == 99);
    CHECK(j["compensation"] ==
          ordered_json{{"payments", 3},
                       {"total_yuan", "4501.14"},
                       {"by_model_yuan", {{"dividend", "0.99"}, {"fixed_price", "4500.15"}}}});
}

TEST_CASE("manifest stage: a compensated run without payments still says so, with zero",
          "[stage][manifest]") {
    const StageResults r;
    AllocationRun a = allocation_run(true);
    a.payments.clear();
    const Manifest m = r.make(&a);
    REQUIRE(m.compensation);
    CHECK(m.compensation->payments == 0);
    CHECK(m.compensation->total == 0);
    const ordered_json j = m.to_json();
    CHECK(j["compensation"]["total_yuan"] == "0.00");
    CHECK(j["compensation"]["by_model_yuan"].is_object());
    CHECK(j["compensation"]["by_model_yuan"].empty());
}

TEST_CASE("manifest stage: figures are absent when the strategy gives none", "[stage][manifest]") {
    const StageResults r;
    AllocationRun a = allocation_run(false);
    a.figures.clear();
    a.notes.clear();
    const Manifest m = r.make(&a);
    REQUIRE(m.allocation);
    CHECK(std::isnan(m.allocation->figure("objective")));
    const ordered_json j = m.to_json();
    CHECK_FALSE(j["allocation"].contains("figures"));
    CHECK(keys_of(j["allocation"]) ==
          std::vector<std::string>{"strategy", "pools", "lots", "allocable_lots", "sites",
                                   "sites_supplied", "earlier_allocated_m2", "supply_m2",
                                   "demand_m2", "allocated_m2", "allocated_mu", "allocated_ha",
                                   "transfers", "notes", "sites_without_quota", "ledger"});
    CHECK(j["allocation"]["notes"].is_array());
    CHECK(j["allocation"]["notes"].empty());
}

TEST_CASE("manifest stage: AllocationSummary::figure gives the last value of a name, else NaN",
          "[stage][manifest]") {
    AllocationSummary s;
    CHECK(std::isnan(s.figure("objective")));
    s.figures = {{"objective", 1.0}, {"shadow", -2.5}, {"objective", 3.0}};
    CHECK(s.figure("objective") == 3.0);
    CHECK(s.figure("shadow") == -2.5);
    CHECK(std::isnan(s.figure("Objective"))); // names are exact
    CHECK(std::isnan(s.figure("")));
}

TEST_CASE("manifest stage: an empty allocation sums to zero", "[stage][manifest]") {
    const StageResults r;
    AllocationRun a;
    a.strategy = "greedy";
    const Manifest m = r.make(&a);
    REQUIRE(m.allocation);
    CHECK(m.allocation->supply == 0);
    CHECK(m.allocation->demand == 0);
    CHECK(m.allocation->allocated == 0);
    const ordered_json j = m.to_json();
    CHECK(j["allocation"]["allocated_m2"] == "0.00");
    CHECK(j["allocation"]["allocated_mu"] == "0.00");
    CHECK(j["plugins"].is_array());
    CHECK(j["plugins"].empty());
    CHECK_FALSE(j.contains("compensation"));
}

TEST_CASE("manifest stage: a run is stamped with its UTC date and operator; --version names the "
          "libraries",
          "[stage][manifest]") {
    const RunStamp s = RunStamp::now("审计员");
    CHECK(s.operator_name == "审计员");
    CHECK(std::regex_match(s.date, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")));
    const LibraryVersions lib = library_versions();
    for (const std::string& v : {lib.gdal, lib.proj, lib.geos}) // "3.6.2": digits and dots
        CHECK(std::regex_match(v, std::regex(R"(\d+\.\d+(\.\d+)?)")));
    const CliResult r = run_cli("--version");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("GDAL " + lib.gdal) && Catch::Contains("PROJ " + lib.proj) &&
                          Catch::Contains("GEOS " + lib.geos));
}
