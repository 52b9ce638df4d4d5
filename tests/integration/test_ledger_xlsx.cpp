// `audit export --xlsx` read back with an independent reader (openpyxl, Debian's
// python3-openpyxl): every view is a sheet with the treatment of tables.xlsx — figures are numbers
// with number formats equal to the CSV's exact text, ids and codes are text to the character,
// Chinese and English header rows, frozen, filtered, and a SUM total where rows add up.
#include "support.hpp"
#include "xlsx_reader.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace landquota;
using namespace landquota::test;
using nlohmann::json;

namespace landquota::test {
// tests/unit/test_ledger.cpp
std::pair<std::string, std::string> build_sample_ledger(const fs::path& file);
} // namespace landquota::test

namespace {

std::size_t column(const std::vector<std::string>& header, const std::string& key) {
    const auto it = std::find(header.begin(), header.end(), key);
    REQUIRE(it != header.end());
    return static_cast<std::size_t>(it - header.begin());
}

} // namespace

TEST_CASE("audit export --xlsx: figures are numbers, ids are text, totals are the sums",
          "[ledger][cli][xlsx]") {
    TempDir dir;
    const fs::path db = dir / "ledger.sqlite";
    build_sample_ledger(db);
    const auto r =
        run_cli("audit export " + db.string() + " --out " + (dir / "x").string() + " --xlsx");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json book = read_workbook(dir / "x" / "ledger.xlsx", dir.path());

    const std::set<std::string> additive = {"area",       "area_m2", "area_mu",    "reclaim",
                                            "reclaim_m2", "parcels", "amount_fen", "amount_yuan"};
    for (const std::string name : {"runs", "lots", "lot_parcels", "lot_states", "transfers",
                                   "payments", "reversals", "entries"}) {
        INFO("sheet " << name);
        REQUIRE(book.contains(name));
        const json& sheet = book[name];
        CHECK(sheet["frozen"] == "A3");
        CHECK(sheet["filter"].is_string());
        const auto csv = read_csv_rows(dir / "x" / (name + ".csv"));
        const json& rows = sheet["rows"];
        REQUIRE(rows.size() >= csv.size() + 1);
        for (std::size_t c = 0; c < csv[0].size(); ++c) {
            CHECK(rows[1][c] == csv[0][c]);                    // English: the CSV's header
            CHECK(rows[0][c].is_string());                     // Chinese above it
            CHECK(rows[0][c].get<std::string>() != csv[0][c]); // every column has a Chinese name
        }
        std::vector<double> sums(csv[0].size(), 0.0);
        for (std::size_t i = 1; i < csv.size(); ++i)
            for (std::size_t c = 0; c < csv[i].size(); ++c) {
                const std::string& want = csv[i][c];
                const json& got = rows[i + 1][c];
                if (got.is_object()) {
                    REQUIRE(got.contains("n"));
                    CHECK(got["n"].get<double>() == Approx(std::stod(want)).margin(1e-9));
                    sums[c] += got["n"].get<double>();
                } else if (want.empty()) {
                    CHECK(got.is_null());
                } else {
                    CHECK(got == want);
                }
            }
        // Figures that add up are numbers, with the formats of tables.xlsx.
        for (std::size_t c = 0; c < csv[0].size(); ++c)
            if (additive.count(csv[0][c]) && csv.size() > 1) {
                INFO("column " << csv[0][c]);
                const json& cell = rows[2][c];
                REQUIRE(cell.is_object());
                const std::string key = csv[0][c];
                const bool decimal = key.size() > 3 && (key.substr(key.size() - 3) == "_m2" ||
                                                        key.substr(key.size() - 3) == "_mu" ||
                                                        key.substr(key.size() - 4) == "yuan");
                CHECK(cell["format"] == (decimal ? "#,##0.00" : "0"));
            }
        if (name == "transfers" || name == "payments" || name == "lot_parcels") {
            REQUIRE(rows.size() == csv.size() + 2);
            const json& total = rows.back();
            CHECK(total[0] == "合计 Total");
            for (std::size_t c = 0; c < csv[0].size(); ++c)
                if (additive.count(csv[0][c])) {
                    REQUIRE(total[c].contains("f"));
                    CHECK(total[c]["f"].get<std::string>().rfind("=SUM(", 0) == 0);
                } else if (c > 0) {
                    CHECK(total[c].is_null()); // no total of ids, years or demands
                }
        }
        if (name == "transfers") {
            const auto h = csv[0];
            CHECK(sums[column(h, "area_m2")] == Approx(1200.0)); // 600 + 200 + 400 m²
            CHECK(sums[column(h, "area")] == Approx(120000.0));
            CHECK(rows[2][column(h, "transfer_id")] == "R1-T1");
        }
        if (name == "lot_parcels") // a land-use code keeps its leading zero
            CHECK(rows[2][column(csv[0], "landuse")] == "0702");
    }
}
