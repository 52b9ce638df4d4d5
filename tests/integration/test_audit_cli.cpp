// `landquota audit ...` against a ledger tampered with by the real sqlite3 tool, as an attacker
// would.
#include "ledger/ledger.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

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
    const auto gj = nlohmann::json::parse(read_file(dir / "s1.geojson"));
    CHECK(gj["type"] == "FeatureCollection");
    REQUIRE(gj["features"].size() == 2);
    CHECK(gj["features"][0]["geometry"]["type"] == "Polygon");
    CHECK(gj["features"][1]["geometry"].is_null());
    CHECK(gj["features"][0]["properties"]["transferred_m2"] == "600.00");

    r = run_cli("audit trace " + L + " --village V1");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out,
               Catch::Contains("R1-T1") && Catch::Contains("R2-T1") && !Catch::Contains("R1-T2"));
    CHECK(run_cli("audit trace " + L).exit_code == 1);

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
