// Plan, then commit. Real runs of the Wuyi sample: a plan leaves the ledger byte-identical and
// says "plan" in every output; a committed run shows per lot and site what earlier runs gave; a
// run that allocates nothing says why.
#include "io/sha256.hpp"
#include "ledger/ledger.hpp"
#include "pipeline/manifest.hpp"
#include "run/run.hpp"
#include "support.hpp"
#include "xlsx_reader.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>
#include <set>

using namespace landquota;
using namespace landquota::test;

namespace {

const fs::path kSample = source_dir() / "sample_maps" / "wuyi";
const fs::path kJob = kSample / "job.toml";
const std::string kBanner = kPlanBanner;

using Rows = std::vector<std::map<std::string, std::string>>;

Rows csv(const fs::path& file) {
    const auto rows = read_csv_rows(file);
    REQUIRE(!rows.empty());
    Rows out;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        std::map<std::string, std::string> r;
        for (std::size_t j = 0; j < rows[0].size(); ++j)
            r[rows[0][j]] = j < rows[i].size() ? rows[i][j] : "";
        out.push_back(std::move(r));
    }
    return out;
}

// "1234.56" or "-0.50" -> hundredths, exactly.
std::int64_t hundredths(const std::string& s) {
    const auto dot = s.find('.');
    REQUIRE(dot != std::string::npos);
    REQUIRE(s.size() - dot == 3);
    const bool neg = s[0] == '-';
    const std::int64_t v = std::stoll(s.substr(neg ? 1 : 0, dot - (neg ? 1 : 0))) * 100 +
                           std::stoll(s.substr(dot + 1));
    return neg ? -v : v;
}

std::int64_t column_sum(const Rows& rows, const std::string& col) {
    std::int64_t s = 0;
    for (const auto& r : rows)
        s += hundredths(r.at(col));
    return s;
}

const std::map<std::string, std::string>& row_of(const Rows& rows, const std::string& key,
                                                 const std::string& value) {
    for (const auto& r : rows)
        if (r.at(key) == value)
            return r;
    FAIL("no row with " << key << " = " << value);
    throw;
}

nlohmann::json json_of(const fs::path& file) {
    return nlohmann::json::parse(read_file(file));
}

// Every layer of a GeoPackage: its fields begin with `plan`, and every feature holds the banner.
void check_layers_marked(const fs::path& gpkg) {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    REQUIRE(ds->GetLayerCount() > 0);
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
        OGRLayer* l = ds->GetLayer(i);
        if (std::string(l->GetName()) == "layer_styles")
            continue;
        INFO(l->GetName());
        REQUIRE(l->GetLayerDefn()->GetFieldCount() > 0);
        CHECK(std::string(l->GetLayerDefn()->GetFieldDefn(0)->GetNameRef()) == "plan");
        l->ResetReading();
        int seen = 0;
        for (auto& f : *l) {
            CHECK(std::string(f->GetFieldAsString("plan")) == kBanner);
            if (++seen == 50)
                break;
        }
    }
}

bool exists_any(const fs::path& base, const std::vector<std::string>& suffixes) {
    for (const auto& s : suffixes)
        if (fs::exists(base.string() + s))
            return true;
    return false;
}

} // namespace

TEST_CASE("a plan computes against the ledger as it stands, writes outputs marked as a plan and "
          "leaves the ledger byte-identical",
          "[plan][cli]") {
    TempDir dir;
    const fs::path ledger = dir / "book.sqlite";
    const std::string L = " --ledger " + ledger.string() + " --quiet --lang en --operator tester";

    // A plan against a ledger that does not exist yet: the full quota, and no file is made.
    auto first = run_cli("plan " + kJob.string() + " --out " + (dir / "plan0").string() + L);
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(!fs::exists(ledger));
    CHECK(!exists_any(ledger, {"-journal", "-wal", "-shm"}));
    CHECK_THAT(first.out, Catch::StartsWith(kBanner + "\n") && Catch::Contains("unchanged"));

    // The committed run then does what the plan said, transfer for transfer.
    auto run = run_cli("run " + kJob.string() + " --out " + (dir / "run1").string() + L);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, !Catch::Contains(kBanner));
    const Rows planned = csv(dir / "plan0" / "tables" / "transfers.csv");
    const Rows done = csv(dir / "run1" / "tables" / "transfers.csv");
    REQUIRE(planned.size() == done.size());
    for (std::size_t i = 0; i < done.size(); ++i) {
        CHECK(planned[i].at("plan") == kBanner);
        CHECK(done[i].count("plan") == 0);
        for (const auto& [key, value] : done[i])
            CHECK(planned[i].at(key) == value);
    }

    // The summary counts the sites that received quota, names those that got none, and prints
    // the objective.
    const Rows sites1 = csv(dir / "run1" / "tables" / "sites.csv");
    std::size_t supplied = 0;
    for (const auto& s : sites1) {
        if (hundredths(s.at("allocated_m2")) > 0)
            ++supplied;
        else
            CHECK_THAT(run.out, Catch::Contains("nothing to " + s.at("site_id") + " "));
    }
    CHECK_THAT(run.out, Catch::Contains(fmt::format("to {} of {} sites by 'priority'", supplied,
                                                    sites1.size())));
    const auto m1 = json_of(dir / "run1" / "manifest.json");
    CHECK_THAT(run.out, Catch::Contains(
                            fmt::format("objective  {:.2f} (Σ tax_per_mu × mu)",
                                        m1["allocation"]["figures"]["objective"].get<double>())));
    CHECK(m1["run"]["mode"] == "commit");
    // The report says the same: the objective, and the sites that got nothing.
    const std::string md1 = read_file(dir / "run1" / "report.md");
    CHECK_THAT(md1, Catch::Contains("| Objective | ") && !Catch::Contains(kBanner));
    for (const auto& s : sites1)
        if (hundredths(s.at("allocated_m2")) == 0)
            CHECK_THAT(md1, Catch::Contains("Sites that got nothing: ") &&
                                Catch::Contains(s.at("site_id") + " " + s.at("name") + " ("));
    CHECK(m1["allocation"]["sites_supplied"] == supplied);

    // Now a plan after the commit: the ledger is only read.
    const std::string before = sha256_file(ledger);
    const auto size_before = fs::file_size(ledger);
    const auto plan = run_cli("plan " + kJob.string() + " --out " + (dir / "plan").string() + L);
    INFO(plan.err);
    REQUIRE(plan.exit_code == 0);
    CHECK(sha256_file(ledger) == before);
    CHECK(fs::file_size(ledger) == size_before);
    CHECK(!exists_any(ledger, {"-journal", "-wal", "-shm"}));

    // It allocates nothing, and says why: which ledger, which run spent the quota.
    CHECK_THAT(plan.out,
               Catch::Contains("allocated  nothing by 'priority': the accepted quota") &&
                   Catch::Contains("was all spent by earlier runs recorded in " + ledger.string() +
                                   ": run 1 (") &&
                   Catch::Contains("ledger     " + ledger.string() + " unchanged at head " +
                                   m1["allocation"]["ledger"]["head_hash"].get<std::string>() +
                                   " (a commit would record run 2, head "));
    const auto mp = json_of(dir / "plan" / "manifest.json");
    CHECK(mp["run"]["mode"] == "plan");
    CHECK(mp["plan"] == kBanner);
    CHECK(mp["allocation"]["ledger"]["start_hash"] == m1["allocation"]["ledger"]["head_hash"]);
    CHECK_THAT(
        mp["allocation"]["nothing_allocated"].get<std::string>(),
        Catch::Contains("run 1 (" +
                        ledger::Ledger::open(ledger, false).history().runs.at(0).recorded_at +
                        ", tester: "));
    const std::string md = read_file(dir / "plan" / "report.md");
    CHECK_THAT(md, Catch::Contains("> **" + kBanner) && Catch::Contains("Nothing was allocated: "));
    const std::string page = read_file(dir / "plan" / "report.html");
    CHECK_THAT(page, Catch::Contains("<div class=\"plan-banner\" id=\"plan-banner\">" + kBanner));

    // Every table says "plan" in every row, in the CSV files and in the workbook.
    std::size_t tables = 0;
    for (const auto& f : fs::directory_iterator(dir / "plan" / "tables")) {
        const auto rows = read_csv_rows(f.path());
        INFO(f.path());
        REQUIRE(!rows.empty());
        CHECK(rows[0][0] == "plan");
        for (std::size_t i = 1; i < rows.size(); ++i)
            CHECK(rows[i][0] == kBanner);
        ++tables;
    }
    CHECK(tables >= 9);
    const auto book = read_workbook(dir / "plan" / "tables.xlsx", dir.path());
    for (const auto& [sheet, content] : book.items()) {
        INFO(sheet);
        CHECK(content["rows"][1][0] == "plan"); // the English header row
        if (content["rows"].size() > 2)
            CHECK(content["rows"][2][0] == kBanner);
    }
    check_layers_marked(dir / "plan" / "result.gpkg");
    const auto gj = json_of(dir / "plan" / "geojson" / "sites.geojson");
    CHECK(gj["features"][0]["properties"]["plan"] == kBanner);

    // Per site and lot: what earlier runs gave, what this run gives, what remains.
    const Rows sites = csv(dir / "plan" / "tables" / "sites.csv");
    REQUIRE(sites.size() == sites1.size());
    for (const auto& s : sites) {
        const auto& was = row_of(sites1, "site_id", s.at("site_id"));
        CHECK(s.at("earlier_m2") == was.at("allocated_m2"));
        CHECK(hundredths(s.at("allocated_m2")) == 0);
        CHECK(s.at("remaining_m2") == was.at("remaining_m2"));
        CHECK(hundredths(s.at("demand_m2")) == hundredths(s.at("earlier_m2")) +
                                                   hundredths(s.at("allocated_m2")) +
                                                   hundredths(s.at("remaining_m2")));
        CHECK(s.at("fulfilment") == was.at("fulfilment"));
    }
    const Rows lots = csv(dir / "plan" / "tables" / "lots.csv");
    const Rows lots1 = csv(dir / "run1" / "tables" / "lots.csv");
    for (const auto& l : lots) {
        CHECK(l.at("earlier_m2") == row_of(lots1, "lot_id", l.at("lot_id")).at("allocated_m2"));
        CHECK(hundredths(l.at("area_m2")) ==
              hundredths(l.at("earlier_m2")) + hundredths(l.at("remaining_m2")));
    }
    CHECK(column_sum(lots, "earlier_m2") == column_sum(lots1, "allocated_m2"));

    // `run --dry-run` is the same plan.
    const auto dry =
        run_cli("run " + kJob.string() + " --dry-run --out " + (dir / "dry").string() + L);
    CHECK(dry.exit_code == 0);
    CHECK(sha256_file(ledger) == before);
    CHECK(json_of(dir / "dry" / "manifest.json")["run"]["mode"] == "plan");
}
