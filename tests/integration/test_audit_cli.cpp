// `landquota audit ...` against a ledger tampered with by the real sqlite3 tool, as an attacker
// would.
#include "ledger/ledger.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <tuple>
#include <vector>

using namespace landquota;
using namespace landquota::test;

namespace landquota::test {
// tests/unit/test_ledger.cpp
std::pair<std::string, std::string> build_sample_ledger(const fs::path& file);
} // namespace landquota::test

namespace {

// Runs SQL through the sqlite3 command-line tool; returns its exit status and output.
std::pair<int, std::string> sqlite3_cli(const fs::path& db, const std::string& sql) {
    TempDir t;
    write_file(t / "in.sql", sql);
    const std::string cmd = "sqlite3 -bail " + db.string() + " <" + (t / "in.sql").string() + " >" +
                            (t / "out").string() + " 2>&1";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(t / "out")};
}

std::string one(const fs::path& db, const std::string& sql) {
    auto [rc, out] = sqlite3_cli(db, sql);
    REQUIRE(rc == 0);
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

int seq_of(const fs::path& db, const std::string& kind, const std::string& ref) {
    return std::stoi(
        one(db, "SELECT seq FROM entries WHERE kind='" + kind + "' AND ref='" + ref + "';"));
}

const std::string kDropTriggers =
    "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;\n";

std::string verify(const fs::path& db, int expect_exit, const std::string& extra = "") {
    const auto r = run_cli("audit verify " + db.string() + extra);
    INFO(r.out << r.err);
    CHECK(r.exit_code == expect_exit);
    return r.out;
}

} // namespace

TEST_CASE("audit verify passes on an intact ledger and triggers refuse updates", "[ledger][cli]") {
    TempDir dir;
    const fs::path db = dir / "ledger.sqlite";
    const auto [h1, h2] = build_sample_ledger(db);
    CHECK_THAT(verify(db, 0), Catch::Contains("chain intact") && Catch::Contains(h2));
    CHECK_THAT(verify(db, 0, " --head " + h1), Catch::Contains("the given head hash is entry seq"));
    const std::string before = read_file(db);
    auto [rc, out] = sqlite3_cli(
        db, "UPDATE entries SET content = replace(content, '60000', '6000') WHERE seq = 5;");
    CHECK(rc != 0);
    CHECK_THAT(out, Catch::Contains("append-only"));
    CHECK(sqlite3_cli(db, "DELETE FROM entries WHERE seq = 12;").first != 0);
    CHECK(read_file(db) == before);
}

TEST_CASE("audit verify names the entry whose amount, area or hash was changed with sqlite3",
          "[ledger][cli]") {
    TempDir dir;
    const fs::path db = dir / "ledger.sqlite";
    build_sample_ledger(db);
    const int pay = seq_of(db, "payment", "R1-P1"), tr = seq_of(db, "transfer", "R1-T2"),
              lot = seq_of(db, "lot", "L2");
    SECTION("a payment's amount") {
        const std::string amount =
            one(db, "SELECT json_extract(content, '$.amount_fen') FROM entries WHERE seq = " +
                        std::to_string(pay) + ";");
        sqlite3_cli(db, kDropTriggers +
                            "UPDATE entries SET content = json_set(content, '$.amount_fen', " +
                            amount + " + 100) WHERE seq = " + std::to_string(pay) + ";");
        CHECK_THAT(verify(db, 1), Catch::Contains("entry seq " + std::to_string(pay) +
                                                  " (kind payment, ref R1-P1)"));
    }
    SECTION("a transfer's area") {
        sqlite3_cli(
            db, kDropTriggers +
                    "UPDATE entries SET content = json_set(content, '$.area', 10000) WHERE seq = " +
                    std::to_string(tr) + ";");
        CHECK_THAT(verify(db, 1),
                   Catch::Contains("entry seq " + std::to_string(tr) + " (kind transfer"));
    }
    SECTION("a parcel's area in a lot") {
        sqlite3_cli(db, kDropTriggers +
                            "UPDATE entries SET content = json_set(content, "
                            "'$.parcels[0].reclaim', 1) WHERE seq = " +
                            std::to_string(lot) + ";");
        CHECK_THAT(verify(db, 1),
                   Catch::Contains("entry seq " + std::to_string(lot) + " (kind lot, ref L2)"));
    }
    SECTION("a hash") {
        sqlite3_cli(db, kDropTriggers + "UPDATE entries SET hash = '" + std::string(64, 'f') +
                            "' WHERE seq = 3;");
        CHECK_THAT(verify(db, 1), Catch::Contains("entry seq 3 "));
    }
    SECTION("a deleted entry") {
        sqlite3_cli(db, kDropTriggers + "DELETE FROM entries WHERE seq = 4;");
        CHECK_THAT(verify(db, 1), Catch::Contains("entry seq 5 "));
    }
}

TEST_CASE("recomputing the altered entry's hash is caught at the next entry; rewriting the chain "
          "by --head",
          "[ledger][cli]") {
    TempDir dir;
    const fs::path db = dir / "ledger.sqlite";
    const auto [h1, h2] = build_sample_ledger(db);
    const int tr = seq_of(db, "transfer", "R1-T1");
    const std::string s = std::to_string(tr);
    sqlite3_cli(
        db, kDropTriggers +
                "UPDATE entries SET content = json_set(content, '$.area', 30000) WHERE seq = " + s +
                ";");
    // The attacker recomputes that entry's hash exactly as the ledger does.
    auto hash_of = [&](int seq) {
        const std::string q = " FROM entries WHERE seq = " + std::to_string(seq) + ";";
        return ledger::entry_hash(one(db, "SELECT prev_hash" + q), one(db, "SELECT kind" + q),
                                  one(db, "SELECT ref" + q), one(db, "SELECT content" + q));
    };
    sqlite3_cli(db, "UPDATE entries SET hash = '" + hash_of(tr) + "' WHERE seq = " + s + ";");
    CHECK_THAT(verify(db, 1), Catch::Contains("entry seq " + std::to_string(tr + 1) + " ") &&
                                  Catch::Contains("prev_hash"));

    // ...then rewrites every later entry too: the chain is consistent again, the books balance,
    // but the head quoted in the manifest is gone.
    const int last = std::stoi(one(db, "SELECT max(seq) FROM entries;"));
    for (int q = tr + 1; q <= last; ++q) {
        sqlite3_cli(db, "UPDATE entries SET prev_hash = (SELECT hash FROM entries WHERE seq = " +
                            std::to_string(q - 1) + ") WHERE seq = " + std::to_string(q) + ";");
        sqlite3_cli(db, "UPDATE entries SET hash = '" + hash_of(q) +
                            "' WHERE seq = " + std::to_string(q) + ";");
    }
    verify(db, 0);
    CHECK_THAT(verify(db, 1, " --head " + h2), Catch::Contains("is not in this ledger"));
    CHECK_THAT(verify(db, 1, " --head " + h1), Catch::Contains("is not in this ledger"));
}

TEST_CASE("audit trace, history, reverse and export", "[ledger][cli]") {
    TempDir dir;
    const fs::path db = dir / "ledger.sqlite";
    build_sample_ledger(db);
    const std::string L = db.string();

    auto r = run_cli("audit trace " + L + " --site S1 --geojson " + (dir / "s1.geojson").string());
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("transfer R1-T1") &&
                          Catch::Contains("parcel L1-P1  holder 张三") &&
                          Catch::Contains("payment R1-P1") &&
                          Catch::Contains("800.00 m² (1.20 mu) in force"));
    // One feature per lot and per site, in order of first appearance; figures are numbers.
    const auto gj = nlohmann::json::parse(read_file(dir / "s1.geojson"));
    CHECK(gj["type"] == "FeatureCollection");
    CHECK_FALSE(gj.contains("crs"));
    REQUIRE(gj["features"].size() == 3);
    const auto& l1 = gj["features"][0];
    CHECK(l1["id"] == "L1");
    CHECK(l1["properties"]["kind"] == "lot");
    CHECK(l1["geometry"]["type"] == "Polygon");
    CHECK(l1["properties"]["transferred_m2"] == 600.0);
    CHECK(l1["properties"]["transferred_mu"] == 0.9);
    CHECK(l1["properties"]["lot_area_m2"] == 1000.0);
    CHECK(l1["properties"]["transfers"][0]["transfer_id"] == "R1-T1");
    const auto& s1 = gj["features"][1];
    CHECK(s1["id"] == "S1");
    CHECK(s1["properties"]["kind"] == "site");
    CHECK(s1["geometry"].is_null()); // the sample recorded no site outline
    CHECK(s1["properties"]["transferred_m2"] == 800.0);
    CHECK(s1["properties"]["transferred_mu"] == 1.2);
    CHECK(gj["features"][2]["id"] == "L2");
    CHECK(gj["features"][2]["geometry"].is_null());
    CHECK(gj["features"][2]["properties"]["drawn"] == "not drawn: no geometry recorded");

    r = run_cli("audit trace " + L + " --village V1");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out,
               Catch::Contains("R1-T1") && Catch::Contains("R2-T1") && !Catch::Contains("R1-T2"));
    CHECK(run_cli("audit trace " + L).exit_code == 1);

    // An id the ledger has never seen is a mistake, not "0 transfers": exit 1, with the nearest
    // known id.
    r = run_cli("audit trace " + L + " --site S11");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("no transfer to site 'S11'") &&
                          Catch::Contains("did you mean 'S1'?"));
    CHECK(r.out.empty());
    r = run_cli("audit trace " + L + " --village 1V");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err,
               Catch::Contains("no lot of village '1V'") && Catch::Contains("did you mean 'V1'?"));

    r = run_cli("audit reverse " + L +
                " --transfer R1-T1 --reason 'site withdrew' --operator auditor1");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    r = run_cli("audit reverse " + L + " --transfer R1-T1 --reason again");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("already reversed"));
    CHECK(run_cli("audit reverse " + L + " --transfer NOPE --reason x").exit_code == 1);
    verify(db, 0);

    r = run_cli("audit history " + L);
    CHECK(r.exit_code == 0);
    CHECK_THAT(
        r.out,
        Catch::Contains("run 1") && Catch::Contains("operator alice") &&
            Catch::Contains(std::string(64, 'a')) &&
            Catch::Contains(
                "transfer R1-T1  by auditor1  reason: site withdrew  payments reversed: R1-P1"));

    r = run_cli("audit trace " + L + " --site S1");
    CHECK_THAT(r.out, Catch::Contains("R1-T1 [REVERSED]") &&
                          Catch::Contains("200.00 m² (0.30 mu) in force"));

    r = run_cli("audit export " + L + " --out " + (dir / "x").string() + " --xlsx");
    CHECK(r.exit_code == 0);
    CHECK(fs::exists(dir / "x" / "payments.csv"));
    CHECK(fs::exists(dir / "x" / "ledger.xlsx"));
    CHECK_THAT(read_file(dir / "x" / "payments.csv"),
               Catch::Contains("R1-P1") && Catch::Contains(",1,")); // reversed

    CHECK(run_cli("audit verify " + (dir / "none.sqlite").string()).exit_code == 1);
}

TEST_CASE("a ledger recorded with village outlines (before pieces) still verifies, and trace does "
          "not draw the village as the lot",
          "[ledger][cli]") {
    // The earlier format by hand, chained with the documented hash: the lot's `geometry` is its
    // village's outline with `geometry_crs`, the transfer has no site outline.
    TempDir dir;
    const fs::path db = dir / "old.sqlite";
    ledger::Ledger::open(db, true); // the schema
    const nlohmann::json village = {
        {"type", "Polygon"},
        {"coordinates", {{{119.5, 28.5}, {119.6, 28.5}, {119.6, 28.6}, {119.5, 28.5}}}}};
    const std::vector<std::tuple<std::string, std::string, nlohmann::json>> entries = {
        {"run", "R1", {{"job_sha256", std::string(64, 'a')}}},
        {"lot",
         "L1",
         {{"lot_id", "L1"},
          {"village_id", "V1"},
          {"village_name", "东村"},
          {"township_id", "T1"},
          {"zone_id", "Z1"},
          {"region_id", "C1"},
          {"area", 100000},
          {"state", "accepted"},
          {"reclaim_to", "arable"},
          {"accepted", "2024-06-30"},
          {"parcels",
           {{{"parcel_id", "P1"}, {"holder", ""}, {"landuse", "0702"}, {"reclaim", 100000}}}},
          {"geometry", village.dump()},
          {"geometry_crs", "EPSG:4326"}}},
        {"transfer",
         "R1-T1",
         {{"transfer_id", "R1-T1"},
          {"lot_id", "L1"},
          {"site_id", "S1"},
          {"site_name", "园"},
          {"area", 60000}}}};
    std::string prev = ledger::kGenesisHash, sql;
    int seq = 0;
    for (const auto& [kind, ref, content] : entries) {
        const std::string c = ledger::canonical(content);
        const std::string hash = ledger::entry_hash(prev, kind, ref, c);
        sql += "INSERT INTO entries VALUES (" + std::to_string(++seq) + ", 1, '" + kind + "', '" +
               ref + "', '" + c + "', '" + prev + "', '" + hash +
               "', '2024-07-01T00:00:00Z', 'alice');\n";
        prev = hash;
    }
    REQUIRE(sqlite3_cli(db, sql).first == 0);

    CHECK_THAT(verify(db, 0), Catch::Contains("chain intact and books balance: 3 entries"));
    const auto r = run_cli("audit trace " + db.string() + " --site S1 --geojson " +
                           (dir / "t.geojson").string());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto gj = nlohmann::json::parse(read_file(dir / "t.geojson"));
    REQUIRE(gj["features"].size() == 2);
    CHECK(gj["features"][0]["id"] == "L1");
    CHECK(gj["features"][0]["geometry"].is_null());
    CHECK_THAT(gj["features"][0]["properties"]["drawn"].get<std::string>(),
               Catch::Contains("only the village outline"));
}

TEST_CASE("an operator nobody named is recorded as 'unknown' with a warning saying how to name one",
          "[ledger][cli]") {
    TempDir dir;
    const fs::path db = dir / "ledger.sqlite";
    build_sample_ledger(db);
    // The child inherits this process's environment: take every source of a name away.
    std::vector<std::pair<std::string, std::string>> saved;
    for (const char* var : {"LANDQUOTA_OPERATOR", "USER", "LOGNAME"})
        if (const char* v = std::getenv(var)) {
            saved.emplace_back(var, v);
            unsetenv(var);
        }
    const auto r = run_cli("audit reverse " + db.string() + " --transfer R1-T1 --reason test");
    const auto named = run_cli("audit reverse " + db.string() +
                               " --transfer R1-T2 --reason test --operator auditor1");
    for (const auto& [var, value] : saved)
        setenv(var.c_str(), value.c_str(), 1);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("(by unknown)"));
    CHECK_THAT(r.err, Catch::Contains("warning") && Catch::Contains("--operator") &&
                          Catch::Contains("$USER"));
    CHECK(named.exit_code == 0);
    CHECK_THAT(named.out, Catch::Contains("(by auditor1)"));
    CHECK(named.err.empty());
}
