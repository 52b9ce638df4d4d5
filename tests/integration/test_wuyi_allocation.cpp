// Allocation and compensation on the Wuyi sample: every strategy and every model through the
// whole pipeline, switching one line of the job file, with the conservation rules asserted.
#include "landquota/money.hpp"
#include "pipeline/job.hpp"
#include "run/run.hpp"
#include "support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <gdal_priv.h>
#include <map>
#include <ogrsf_frmts.h>
#include <regex>
#include <set>

using namespace landquota;
using namespace landquota::test;

namespace {
// The sample job with its [allocation] and [compensation] tables replaced.
fs::path sample_job(const TempDir& dir, const std::string& allocation,
                    const std::string& compensation) {
    std::string text = read_file(source_dir() / "sample_maps" / "wuyi" / "job.toml");
    text = text.substr(0, text.find("# Allocation of the pooled quota"));
    text = std::regex_replace(
        text, std::regex("path = \"wuyi.gpkg\""),
        "path = \"" + (source_dir() / "sample_maps" / "wuyi" / "wuyi.gpkg").string() + "\"");
    write_file(dir / "job.toml", text + allocation + "\n" + compensation);
    return dir / "job.toml";
}

RunReport run(const TempDir& dir, const std::string& allocation, const std::string& compensation) {
    RunOptions o;
    o.out = dir / "out";
    return run_job(load_job(sample_job(dir, allocation, compensation)), o);
}

// The conservation rules of issue #3, whatever the strategy.
void check_conservation(const RunReport& r) {
    std::map<std::string, AreaCm2x100> lot_used, site_got, lot_area;
    std::map<std::string, AreaCm2x100> demand;
    std::set<std::string> accepted;
    AreaCm2x100 freed = 0, allocated = 0;
    for (const auto& l : r.allocation->lots) {
        lot_area[l.lot_id] = l.area;
        freed += l.area;
        if (l.state == "accepted")
            accepted.insert(l.lot_id);
    }
    for (const auto& t : r.allocation->transfers) {
        CHECK(t.area > 0);
        lot_used[t.lot_id] += t.area;
        site_got[t.site_id] += t.area;
        allocated += t.area;
        CHECK(accepted.count(t.lot_id)); // only accepted quota moves
    }
    CHECK(allocated <= freed);
    for (const auto& [lot, used] : lot_used)
        CHECK(used <= lot_area.at(lot));
    const auto sites = r.manifest.allocation->sites;
    CHECK(site_got.size() <= sites);
    CHECK(r.manifest.allocation->allocated == allocated);
}
} // namespace

TEST_CASE("Wuyi sample: each allocation strategy conserves quota", "[allocation][sample]") {
    for (const std::string strategy : {"priority", "proportional", "optimal"}) {
        INFO(strategy);
        TempDir dir;
        const RunReport r = run(dir, "[allocation]\nstrategy = \"" + strategy + "\"\n", "");
        REQUIRE(r.committed);
        check_conservation(r);
        // Site demands from the sites table: no site gets more than it asked for.
        GDALDatasetUniquePtr ds(
            GDALDataset::Open((dir / "out" / "result.gpkg").string().c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        int sites = 0;
        for (auto& s : ds->GetLayerByName("sites")) {
            ++sites;
            CHECK(s->GetFieldAsDouble("allocated_m2") <= s->GetFieldAsDouble("demand_m2"));
            CHECK(s->GetFieldAsDouble("fulfilment") <= 1.0);
        }
        CHECK(sites == 6);
        CHECK(ds->GetLayerByName("flows")->GetFeatureCount() ==
              static_cast<GIntBig>(r.allocation->transfers.size()));
        // Demand (905 mu) exceeds the accepted supply: every strategy hands out all of it.
        AreaCm2x100 supply = 0, given = 0;
        for (const auto& l : r.allocation->lots)
            if (l.state == "accepted")
                supply += l.area;
        for (const auto& t : r.allocation->transfers)
            given += t.area;
        CHECK(supply - given <= static_cast<AreaCm2x100>(
                                    r.allocation->transfers.size())); // optimal floors to 0.01 m²
    }
}

TEST_CASE("Wuyi sample: optimal is never worse than priority on the same objective",
          "[allocation][optimal][sample]") {
    TempDir a, b;
    const RunReport p =
        run(a, "[allocation]\nstrategy = \"priority\"\nflows = [\"南部->北部\"]\n", "");
    const RunReport o =
        run(b, "[allocation]\nstrategy = \"optimal\"\nflows = [\"南部->北部\"]\n", "");
    REQUIRE(p.committed);
    REQUIRE(o.committed);
    const double po = p.manifest.allocation->figure("objective");
    const double oo = o.manifest.allocation->figure("objective");
    CHECK(oo >= po - 1e-6);
    // Supply is short, so one more mu is worth the weight of the best site left unfilled.
    CHECK(o.manifest.allocation->figure("shadow_price_per_mu") > 0);
}

TEST_CASE("Wuyi sample: flows south to north only means no northern lot moves",
          "[allocation][sample]") {
    TempDir dir;
    const RunReport r =
        run(dir, "[allocation]\nstrategy = \"priority\"\nflows = [\"北部->北部\"]\n", "");
    REQUIRE(r.committed);
    CHECK(r.allocation->transfers.empty()); // all freed quota is southern: nothing may flow
}

TEST_CASE("Wuyi sample: every payment reconciles to its transfer", "[compensation][sample]") {
    struct Model {
        std::string table;
        std::function<Fen(const QuotaLot&, AreaCm2x100)> value; // expected value of a transfer
    };
    const std::vector<Model> models{
        {"[compensation]\nmodel = \"average\"\nprice_yuan_per_mu = 300000\n",
         [](const QuotaLot&, AreaCm2x100 a) { return value_of_area(a, yuan_to_fen(300000)); }},
        {"[compensation]\nmodel = \"tiered\"\n",
         [](const QuotaLot& l, AreaCm2x100 a) {
             return value_of_area(a,
                                  yuan_to_fen(l.reclaim_to == "high_standard" ? 400000 : 300000));
         }},
        {"[compensation]\nmodel = \"split\"\nprice_yuan_per_mu = 200000\n",
         [](const QuotaLot&, AreaCm2x100 a) { return value_of_area(a, yuan_to_fen(200000)); }},
    };
    for (const auto& m : models) {
        INFO(m.table);
        TempDir dir;
        const RunReport r = run(dir, "[allocation]\nstrategy = \"priority\"\n", m.table);
        REQUIRE(r.committed);
        REQUIRE_FALSE(r.allocation->payments.empty());
        std::map<std::string, const QuotaLot*> lots;
        for (const auto& l : r.allocation->lots)
            lots[l.lot_id] = &l;
        std::map<std::string, Fen> paid;
        for (const auto& p : r.allocation->payments) {
            CHECK(p.amount > 0);
            paid[p.transfer_id] += p.amount;
        }
        Fen total = 0;
        for (const auto& t : r.allocation->transfers) {
            CHECK(paid[t.transfer_id] == m.value(*lots.at(t.lot_id), t.area));
            total += paid[t.transfer_id];
        }
        // The payments table and the transfers table agree to the fen.
        const std::string payments = read_file(dir / "out" / "tables" / "payments.csv");
        CHECK(r.manifest.compensation->total == total);
        CHECK(std::count(payments.begin(), payments.end(), '\n') ==
              static_cast<long>(r.allocation->payments.size()) + 1);
    }
    // split: 85 % to households by homestead, 15 % to the collective, per transfer.
    TempDir dir;
    const RunReport r = run(dir, "[allocation]\nstrategy = \"priority\"\n",
                            "[compensation]\nmodel = \"split\"\nprice_yuan_per_mu = 200000\n");
    Fen households = 0, collective = 0;
    for (const auto& p : r.allocation->payments)
        (p.payee_kind == "household" ? households : collective) += p.amount;
    CHECK(households > 0);
    const double share =
        static_cast<double>(households) / static_cast<double>(households + collective);
    CHECK(share == Approx(0.85).margin(1e-6));
}

TEST_CASE("Wuyi sample: dividends and awards pay exactly the declared yearly sums",
          "[compensation][sample]") {
    TempDir dir;
    const RunReport r = run(
        dir, "[allocation]\nstrategy = \"priority\"\n",
        "[[compensation]]\nmodel = \"enclave\"\nannual_dividend_yuan = 4242000\nyears = 3\n"
        "[[compensation]]\nmodel = \"award_pool\"\nannual_yuan = 50000000\nregion = \"南部\"\n");
    REQUIRE(r.committed);
    std::map<std::pair<std::string, int>, Fen> by_year;
    std::set<std::string> award_payees;
    for (const auto& p : r.allocation->payments) {
        by_year[{p.model, p.year}] += p.amount;
        if (p.model == "award_pool")
            award_payees.insert(p.payee_id);
    }
    for (int y = 2027; y < 2030; ++y)
        CHECK(by_year[{"enclave", y}] == 424200000);
    CHECK(by_year[{"award_pool", 2027}] == 5000000000);
    CHECK_FALSE(award_payees.empty());
    for (const auto& t : award_payees) // the south as focus: southern townships only
        CHECK(t.substr(6, 1) != "0");
}

TEST_CASE("Wuyi sample: a site traces back to reclaimed parcels", "[allocation][sample][trace]") {
    TempDir dir;
    const RunReport r = run(dir, "[allocation]\nstrategy = \"priority\"\n", "");
    REQUIRE(r.committed);
    // The 博来 project at 桐琴 (S01, 95 mu) is the first major project: fully served.
    AreaCm2x100 s01 = 0;
    std::set<std::string> lots;
    for (const auto& t : r.allocation->transfers)
        if (t.site_id == "S01") {
            s01 += t.area;
            lots.insert(t.lot_id);
        }
    CHECK(format_mu(hundredths_m2_to_mu_hundredths(s01)) == "95.00");
    // Each lot behind it names parcels that the parcels layer marks reclaimable in its village,
    // with reclaimed area at least the lot's freed quota (resettlement was deducted).
    GDALDatasetUniquePtr ds(
        GDALDataset::Open((dir / "out" / "result.gpkg").string().c_str(), GDAL_OF_VECTOR));
    std::map<std::string, std::pair<std::string, std::string>> parcel; // id -> (status, village)
    for (auto& f : ds->GetLayerByName("parcels"))
        parcel[f->GetFieldAsString("parcel_id")] = {f->GetFieldAsString("status"),
                                                    f->GetFieldAsString("village_id")};
    for (const auto& l : r.allocation->lots) {
        if (!lots.count(l.lot_id))
            continue;
        AreaCm2x100 reclaimed = 0;
        REQUIRE_FALSE(l.parcels.empty());
        for (const auto& p : l.parcels) {
            CHECK(parcel.at(p.parcel_id).first == "reclaimable");
            CHECK(parcel.at(p.parcel_id).second == l.village_id);
            reclaimed += p.reclaim;
        }
        CHECK(reclaimed >= l.area);
    }
}

TEST_CASE("a wrong plugin name or option lists what exists", "[plugins][cli]") {
    TempDir dir;
    write_file(dir / "placeholder", "");
    sample_job(dir, "[allocation]\nstrategy = \"priorty\"\n", "");
    CliResult r =
        run_cli("run " + (dir / "job.toml").string() + " --out " + (dir / "out").string() + " -q");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("no allocation plugin 'priorty' (did you mean 'priority'?)"));
    CHECK_THAT(r.err, Catch::Contains("available: "));
    CHECK_THAT(r.err, Catch::Contains("optimal"));
    sample_job(dir, "[allocation]\nstrategy = \"priority\"\nsite_ordr = [\"priority:asc\"]\n", "");
    r = run_cli("run " + (dir / "job.toml").string() + " --out " + (dir / "out").string() + " -q");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains(
                          "'priority' has no option 'site_ordr' (did you mean 'site_order'?)"));
    sample_job(dir, "[allocation]\nstrategy = \"priority\"\n",
               "[compensation]\nmodel = \"average\"\nprice_yuan_per_mu = \"high\"\n");
    r = run_cli("run " + (dir / "job.toml").string() + " --out " + (dir / "out").string() + " -q");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("option 'price_yuan_per_mu' of 'average' must be a number"));
    CHECK_FALSE(fs::exists(dir / "out"));
    const CliResult list = run_cli("plugins");
    CHECK(list.exit_code == 0);
    for (const char* name : {"priority", "proportional", "optimal", "average", "tiered", "split",
                             "enclave", "award_pool"})
        CHECK_THAT(list.out, Catch::Contains(std::string("  ") + name + " 1.0.0"));
}

TEST_CASE("a village field that holds no village codes is refused; its findings are counted",
          "[validate][sample]") {
    TempDir dir;
    sample_job(dir, "", "");
    std::string text = read_file(dir / "job.toml");
    // A wrong mapping: the land-use name field taken for the village code.
    text.replace(text.find("village = \"ZLDWDM\""), 18, "village = \"DLMC\"  ");
    write_file(dir / "job.toml", text);
    RunOptions o;
    o.out = dir / "out";
    const RunReport r = run_job(load_job(dir / "job.toml"), o);
    CHECK_FALSE(r.committed);
    // Every parcel of the sample names a land-use name, not a village code.
    GDALDatasetUniquePtr ds(GDALDataset::Open(
        (source_dir() / "sample_maps" / "wuyi" / "wuyi.gpkg").string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    const std::int64_t n = ds->GetLayerByName("parcels")->GetFeatureCount();
    const std::string all = std::to_string(n) + " of " + std::to_string(n) +
                            " values are not village codes of the villages layer";
    CHECK(r.findings.counts().at("unknown_village_code") == n);
    CHECK(r.findings.counts().at("wrong_village_field") == 1);
    // The CLI prints the first 200 of a kind in full and counts the rest.
    const CliResult cli = run_cli("check " + (dir / "job.toml").string());
    CHECK(cli.exit_code == 1); // check reports what run would
    CHECK_THAT(cli.out, Catch::Contains(all));
    const CliResult run =
        run_cli("run " + (dir / "job.toml").string() + " --out " + (dir / "out").string() + " -q");
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(all));
    CHECK_THAT(run.err, Catch::Contains("... and " + std::to_string(n - 200) +
                                        " more 'unknown_village_code' findings"));
}
