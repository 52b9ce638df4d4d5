// Plan, then commit; compare policies. Real runs of the Wuyi sample: a plan leaves the ledger
// byte-identical and says "plan" in every output; a committed run shows per lot and site what
// earlier runs gave; a run that allocates nothing says why; `compare` of priority and optimal
// agrees, row by row, with the two plans' own outputs.
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
    return read_csv_records(file);
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

// The sample's job with another [allocation] and name, its paths made absolute so it runs from
// anywhere.
fs::path variant(const fs::path& dir, const std::string& name, const std::string& allocation) {
    std::string text = read_file(kJob);
    auto replace_all = [&](const std::string& from, const std::string& to) {
        for (auto at = text.find(from); at != std::string::npos;
             at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    };
    replace_all("path = \"wuyi.gpkg\"", "path = \"" + (kSample / "wuyi.gpkg").string() + "\"");
    replace_all("name = \"wuyi\"", "name = \"" + name + "\"");
    // the table itself, not a mention of it in a comment
    const auto from = text.find("\n[allocation]\n");
    REQUIRE(from != std::string::npos);
    const auto to = text.find("\n[", from + 1);
    text.replace(from + 1, to - from - 1, "[allocation]\n" + allocation + "\n");
    const fs::path file = dir / (name + ".toml");
    write_file(file, text);
    return file;
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

TEST_CASE("compare plans priority and optimal against one ledger state, side by side, and agrees "
          "with each plan's own outputs",
          "[plan][compare][cli]") {
    TempDir dir;
    const fs::path ledger = dir / "book.sqlite";
    const fs::path optimal =
        variant(dir.path(), "wuyi-optimal", "strategy = \"optimal\"\nflows = [\"南部->北部\"]");
    const fs::path out = dir / "cmp";
    const auto r = run_cli("compare " + kJob.string() + " " + optimal.string() + " --out " +
                           out.string() + " --ledger " + ledger.string() + " --quiet --lang en");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(!fs::exists(ledger)); // plans only: no ledger is made
    CHECK_THAT(r.out, Catch::StartsWith(kBanner));

    // Each plan's own outputs are there, marked as plans.
    const auto mp = json_of(out / "wuyi" / "manifest.json");
    const auto mo = json_of(out / "wuyi-optimal" / "manifest.json");
    CHECK(mp["run"]["mode"] == "plan");
    CHECK(mo["run"]["mode"] == "plan");
    CHECK(mp["allocation"]["strategy"] == "priority");
    CHECK(mo["allocation"]["strategy"] == "optimal");
    const Rows ps = csv(out / "wuyi" / "tables" / "sites.csv");
    const Rows os = csv(out / "wuyi-optimal" / "tables" / "sites.csv");

    // Sites: each plan's column is that plan's allocated_mu, the change is their difference, and
    // only rows that differ are flagged.
    const Rows cs = csv(out / "compare_sites.csv");
    REQUIRE(cs.size() == ps.size());
    std::set<std::string> differing_sites;
    for (const auto& c : cs) {
        const auto& p = row_of(ps, "site_id", c.at("site_id"));
        const auto& o = row_of(os, "site_id", c.at("site_id"));
        CHECK(c.at("wuyi_mu") == p.at("allocated_mu"));
        CHECK(c.at("wuyi-optimal_mu") == o.at("allocated_mu"));
        const std::int64_t change =
            hundredths(o.at("allocated_mu")) - hundredths(p.at("allocated_mu"));
        CHECK(hundredths(c.at("wuyi-optimal_vs_wuyi_mu")) == change);
        CHECK(c.at("differs") == (change != 0 ? "≠" : ""));
        if (change != 0)
            differing_sites.insert(c.at("site_id"));
    }
    CHECK(column_sum(cs, "wuyi_mu") == hundredths(mp["allocation"]["allocated_mu"]));
    CHECK(column_sum(cs, "wuyi-optimal_mu") == hundredths(mo["allocation"]["allocated_mu"]));

    // Townships (receiving): Σ of their sites, adding up to the same totals.
    const Rows ct = csv(out / "compare_townships.csv");
    for (const auto& t : ct) {
        std::int64_t p = 0, o = 0;
        for (const auto& s : ps)
            if (s.at("township_id") == t.at("township_id"))
                p += hundredths(s.at("allocated_mu"));
        for (const auto& s : os)
            if (s.at("township_id") == t.at("township_id"))
                o += hundredths(s.at("allocated_mu"));
        CHECK(hundredths(t.at("wuyi_mu")) == p);
        CHECK(hundredths(t.at("wuyi-optimal_mu")) == o);
        CHECK(t.at("differs") == (p != o ? "≠" : ""));
    }
    CHECK(column_sum(ct, "wuyi_mu") == column_sum(cs, "wuyi_mu"));

    // Payees: Σ of each plan's payments, in yuan; totals are the plans' paid totals.
    const Rows cp = csv(out / "compare_payees.csv");
    for (const auto& [folder, col] : std::vector<std::pair<std::string, std::string>>{
             {"wuyi", "wuyi_yuan"}, {"wuyi-optimal", "wuyi-optimal_yuan"}}) {
        std::map<std::string, std::int64_t> paid;
        for (const auto& p : csv(out / folder / "tables" / "payments.csv"))
            paid[p.at("payee_kind") + "/" + p.at("payee_id")] += hundredths(p.at("amount_yuan"));
        for (const auto& c : cp)
            CHECK(hundredths(c.at(col)) == paid[c.at("payee_kind") + "/" + c.at("payee_id")]);
        CHECK(column_sum(cp, col) ==
              hundredths(json_of(out / folder / "manifest.json")["compensation"]["total_yuan"]));
    }

    // The figures: objectives and shadow price as each plan reported them. Optimal is never
    // worse than priority on the objective (methods.md §8), and only optimal has a shadow price.
    const Rows cf = csv(out / "compare_figures.csv");
    const double po = mp["allocation"]["figures"]["objective"];
    const double oo = mo["allocation"]["figures"]["objective"];
    CHECK(row_of(cf, "figure", "objective").at("wuyi") == fmt::format("{:.2f}", po));
    CHECK(row_of(cf, "figure", "objective").at("wuyi-optimal") == fmt::format("{:.2f}", oo));
    CHECK(oo >= po - 1e-6);
    CHECK(row_of(cf, "figure", "shadow_price_per_mu").at("wuyi") == "-");
    CHECK(row_of(cf, "figure", "shadow_price_per_mu").at("wuyi-optimal") ==
          fmt::format("{:.2f}", mo["allocation"]["figures"]["shadow_price_per_mu"].get<double>()));
    CHECK(row_of(cf, "figure", "strategy").at("differs") == "≠");

    // The documented difference (user-guide.md, "Comparing policies"): the two policies move the
    // same total but not to the same sites.
    CHECK(mp["allocation"]["allocated_m2"] == mo["allocation"]["allocated_m2"]);
    CHECK(!differing_sites.empty());

    // compare.md lists exactly the differing sites; compare.html flags the same rows.
    const std::string md = read_file(out / "compare.md");
    CHECK_THAT(md, Catch::Contains("> **" + kBanner) && Catch::Contains("## What differs"));
    for (const auto& c : cs)
        CHECK((md.find("Quota received per site (mu) — " + c.at("site_id") + " ") !=
               std::string::npos) == (differing_sites.count(c.at("site_id")) > 0));
    const std::string page = read_file(out / "compare.html");
    CHECK_THAT(page, Catch::Contains("id=\"plan-banner\"") && !Catch::Contains("http://") &&
                         !Catch::Contains("https://"));
    const auto start = page.find("id=\"table-compare_sites\"");
    const auto end = page.find("</table>", start);
    std::size_t flagged = 0;
    for (auto at = page.find("<tr class=\"differs\">", start); at < end;
         at = page.find("<tr class=\"differs\">", at + 1))
        ++flagged;
    CHECK(flagged == differing_sites.size());

    // The optimal plan's report names its shadow price with the unit the job declares
    // (benefit_unit = "万元/亩"), and the objective in 万元; priority's has no shadow price.
    const std::string optimal_md = read_file(out / "wuyi-optimal" / "report.md");
    CHECK_THAT(optimal_md,
               Catch::Contains("| Shadow price | ") && Catch::Contains(" 万元/亩 (tax_per_mu: "));
    const auto objective = optimal_md.find("| Objective | ");
    REQUIRE(objective != std::string::npos);
    CHECK_THAT(optimal_md.substr(objective, optimal_md.find('\n', objective) - objective),
               Catch::Contains(" 万元 (Σ tax_per_mu × mu)"));
    CHECK_THAT(read_file(out / "wuyi" / "report.md"),
               !Catch::Contains("Shadow price") && Catch::Contains("| Objective | "));
}
