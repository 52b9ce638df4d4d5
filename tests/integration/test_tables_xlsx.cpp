// tables.xlsx read back with an independent reader (openpyxl, Debian's python3-openpyxl): every
// table is a sheet; ids and codes are text that equals the CSV's to the character (18-digit parcel
// ids, leading zeros); figures are numbers equal to the CSV's; each total row sums its column and
// agrees with the run's own totals.
#include "pipeline/job.hpp"
#include "run/run.hpp"
#include "support.hpp"
#include "xlsx_reader.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace landquota;
using namespace landquota::test;
using nlohmann::json;

TEST_CASE("tables.xlsx: text stays text, figures are numbers, totals are the sums",
          "[publish][xlsx]") {
    TempDir dir;
    const Job job = load_job(source_dir() / "sample_maps" / "wuyi" / "job.toml");
    RunOptions o;
    o.out = dir / "out";
    o.ledger = dir / "ledger.sqlite";
    const RunReport r = run_job(job, o);
    REQUIRE(r.committed);
    const json book = read_workbook(dir / "out" / "tables.xlsx", dir.path());

    int sheets = 0;
    for (const auto& entry : fs::directory_iterator(dir / "out" / "tables")) {
        const std::string name = entry.path().stem().string();
        INFO("table " << name);
        REQUIRE(book.contains(name));
        ++sheets;
        const json& sheet = book[name];
        CHECK(sheet["frozen"] == "A3");
        CHECK(sheet["filter"].is_string()); // an autofilter on the English header row
        const auto csv = read_csv_rows(entry.path());
        const json& rows = sheet["rows"];
        REQUIRE(rows.size() >= csv.size() + 1); // the Chinese header row above the CSV's
        for (std::size_t c = 0; c < csv[0].size(); ++c)
            CHECK(rows[1][c] == csv[0][c]); // English header = CSV header
        std::vector<double> sums(csv[0].size(), 0.0);
        for (std::size_t i = 1; i < csv.size(); ++i) {
            const json& x = rows[i + 1];
            for (std::size_t c = 0; c < csv[i].size(); ++c) {
                const std::string& want = csv[i][c];
                const json& got = x[c];
                if (got.is_object()) { // a number: equal to the CSV's decimal text
                    REQUIRE(got.contains("n"));
                    const double v = got["n"].get<double>();
                    if (csv[0][c] == "fulfilment")
                        CHECK(v == Approx(std::stod(want)).margin(5e-5));
                    else
                        CHECK(v == Approx(std::stod(want)).margin(1e-9));
                    sums[c] += v;
                } else if (want.empty()) {
                    CHECK(got.is_null());
                } else {
                    CHECK(got == want); // text, to the character
                }
            }
        }
        // The total row, when there is one: SUM formulas over the rows above.
        if (rows.size() == csv.size() + 2) {
            const json& total = rows.back();
            CHECK(total[0] == "合计 Total");
            for (std::size_t c = 1; c < csv[0].size(); ++c)
                if (total[c].is_object()) {
                    REQUIRE(total[c].contains("f"));
                    CHECK(total[c]["f"].get<std::string>().rfind("=SUM(", 0) == 0);
                }
        }
        if (name == "villages") { // numbers, so SUM works, and they add to the county's total
            const auto it = std::find(csv[0].begin(), csv[0].end(), "freed_m2");
            const auto col = static_cast<std::size_t>(it - csv[0].begin());
            CHECK(sums[col] == Approx(hundredths_to_m2(r.quota.county.freed())).margin(1e-6));
        }
        if (name == "transfers") {
            const auto it = std::find(csv[0].begin(), csv[0].end(), "area_m2");
            const auto col = static_cast<std::size_t>(it - csv[0].begin());
            CHECK(sums[col] ==
                  Approx(hundredths_to_m2(r.manifest.allocation->allocated)).margin(1e-6));
        }
        if (name == "lot_parcels") { // 18-digit parcel ids survive as text
            REQUIRE(csv.size() > 1);
            CHECK(rows[2][1].is_string());
            CHECK(rows[2][1].get<std::string>().size() == 18);
        }
    }
    CHECK(sheets == static_cast<int>(book.size()));
    CHECK(sheets == 11); // level_balance: the quota and money per level
}
