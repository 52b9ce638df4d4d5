#include "landquota/error.hpp"
#include "ledger/ledger.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace landquota;
using namespace landquota::test;
using landquota::ledger::Ledger;
using nlohmann::json;

namespace landquota::test {

QuotaLot sample_lot(const std::string& id, const std::string& village, AreaCm2x100 area) {
    QuotaLot l;
    l.lot_id = id;
    l.village_id = village;
    l.village_name = village == "V1" ? "东村" : "西村";
    l.township_id = "T1";
    l.zone_id = "Z1";
    l.region_id = "C1";
    l.area = area;
    l.state = "accepted";
    l.reclaim_to = "arable";
    l.accepted = "2024-06-30";
    l.parcels = {{id + "-P1", "张三", "0702", area / 2 + 1000},
                 {id + "-P2", "", "0702", area - area / 2}};
    return l;
}

Payment sample_payment(const std::string& id, const Transfer& t, const std::string& village) {
    // 30 000 yuan per mu
    return Payment{id,
                   "fixed_price",
                   "village",
                   village,
                   t.transfer_id,
                   t.lot_id,
                   0,
                   value_of_area(t.area, 3000000),
                   "area × 30000.00 yuan/mu"};
}

// Two runs: run 1 records two lots, two transfers to S1 and their payments; run 2 records L1
// again and spends the rest of it on S2. Returns the two head hashes.
std::pair<std::string, std::string> build_sample_ledger(const fs::path& file) {
    auto l = Ledger::open(file, true);
    std::string h1, h2;
    {
        auto s = l.begin("alice");
        CHECK(s.run_number_prefix() == "R1");
        CHECK(s.spent().empty());
        s.add_run({{"job_sha256", std::string(64, 'a')},
                   {"inputs",
                    json::array({{{"path", "parcels.gpkg"}, {"sha256", std::string(64, 'b')}}})},
                   {"engine", {{"name", "landquota"}, {"version", "0.1.0"}}},
                   {"plugins", json::array({{{"name", "greedy"},
                                             {"version", "1.0"},
                                             {"options", {{"max_km", 30}}}}})}});
        const json geom = {
            {"type", "Polygon"},
            {"coordinates", json::array({json::array(
                                {json::array({119.5, 30.25}), json::array({119.6, 30.25}),
                                 json::array({119.6, 30.3}), json::array({119.5, 30.25})})})}};
        s.add_lot(sample_lot("L1", "V1", 100000), geom);
        s.add_lot(sample_lot("L2", "V2", 50000));
        s.add_lot_state("L1", "accepted", "allocated");
        const Transfer t1{"R1-T1", "L1", "S1", 60000}, t2{"R1-T2", "L2", "S1", 20000};
        s.add_transfer(t1, "工业园一期", 80000);
        s.add_transfer(t2, "工业园一期", 80000);
        s.add_payment(sample_payment("R1-P1", t1, "V1"));
        s.add_payment(sample_payment("R1-P2", t2, "V2"));
        h1 = s.commit();
    }
    {
        auto s = l.begin("bob");
        CHECK(s.run_number_prefix() == "R2");
        const auto spent = s.spent();
        CHECK(spent.at("L1") == 60000);
        CHECK(spent.at("L2") == 20000);
        s.add_run({{"job_sha256", std::string(64, 'c')}});
        s.add_lot(sample_lot("L1", "V1", 100000));
        const Transfer t{"R2-T1", "L1", "S2", 40000};
        s.add_transfer(t, "物流园");
        s.add_payment(sample_payment("R2-P1", t, "V1"));
        h2 = s.commit();
    }
    return {h1, h2};
}

std::vector<std::string> hashes(const fs::path& file) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT hash FROM entries ORDER BY seq", -1, &st, nullptr);
    std::vector<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW)
        out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

} // namespace landquota::test

TEST_CASE("canonical content: sorted keys, no whitespace, no floating point", "[ledger]") {
    CHECK(ledger::canonical(json{{"b", 1}, {"a", "东"}, {"c", json::array({2, "x"})}}) ==
          "{\"a\":\"东\",\"b\":1,\"c\":[2,\"x\"]}");
    CHECK_THROWS_AS(ledger::canonical(json{{"area", 1.5}}), Error);
    CHECK_THROWS_AS(ledger::canonical(json{{"x", json::array({json{{"y", 0.1}}})}}), Error);
    CHECK(ledger::entry_hash(ledger::kGenesisHash, "run", "R1", "{}") ==
          ledger::sha256_hex(std::string(64, '0') + "\nrun\nR1\n{}"));
    CHECK(ledger::sha256_hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("a ledger of two runs verifies, and the head hashes are the chain's", "[ledger]") {
    TempDir dir;
    const auto [h1, h2] = build_sample_ledger(dir / "ledger.sqlite");
    auto l = Ledger::open(dir / "ledger.sqlite", false);
    const auto r = l.verify();
    INFO(r.what);
    CHECK(r.ok);
    CHECK(r.entries == 12);
    CHECK(r.transfers == 3);
    CHECK(r.payments == 3);
    CHECK(r.head_hash == h2);
    CHECK(r.warnings.empty());
    const auto h = l.history();
    REQUIRE(h.runs.size() == 2);
    CHECK(h.runs[0].head_hash == h1);
    CHECK(h.runs[0].operator_name == "alice");
    CHECK(h.runs[0].job_sha256 == std::string(64, 'a'));
    CHECK(h.runs[0].counts.at("transfer") == 2);
    CHECK(h.runs[1].head_hash == h2);
}

TEST_CASE("the same content on a fresh ledger gives identical hashes", "[ledger]") {
    TempDir dir;
    const auto a = build_sample_ledger(dir / "a.sqlite");
    const auto b = build_sample_ledger(dir / "b.sqlite");
    CHECK(a == b);
    CHECK(hashes(dir / "a.sqlite") == hashes(dir / "b.sqlite"));
    CHECK(hashes(dir / "a.sqlite").size() == 12);
}

TEST_CASE("spent quota is not available again; a reversal frees it", "[ledger]") {
    TempDir dir;
    build_sample_ledger(dir / "l.sqlite");
    auto l = Ledger::open(dir / "l.sqlite", false);
    {
        auto s = l.begin("carol");
        CHECK(s.spent().at("L1") == 100000);
        CHECK(s.recorded_areas().at("L1") == 100000);
        CHECK_THROWS_WITH(s.add_transfer(Transfer{"R3-T1", "L1", "S3", 1}, "x"),
                          Catch::Contains("overspend lot L1"));
        CHECK_THROWS_WITH(s.add_transfer(Transfer{"R3-T2", "L9", "S3", 1}, "x"),
                          Catch::Contains("never recorded"));
    }
    CHECK_THROWS_WITH(l.reverse("R9-T9", "typo", "dave"), Catch::Contains("no transfer R9-T9"));
    l.reverse("R1-T1", "site S1 withdrew", "dave");
    CHECK_THROWS_WITH(l.reverse("R1-T1", "again", "dave"), Catch::Contains("already reversed"));
    {
        auto s = l.begin("carol");
        CHECK(s.run_number_prefix() == "R4"); // the reversal was write 3
        CHECK(s.spent().at("L1") == 40000);
        CHECK_THROWS_WITH(
            s.add_payment(sample_payment("R4-P0", Transfer{"R1-T1", "L1", "S1", 60000}, "V1")),
            Catch::Contains("reversed transfer"));
        s.add_transfer(Transfer{"R4-T1", "L1", "S3", 60000}, "新园");
        s.commit();
    }
    const auto r = l.verify();
    INFO(r.what);
    CHECK(r.ok);
    CHECK(r.reversals == 1);
    const auto h = l.history();
    REQUIRE(h.reversals.size() == 1);
    CHECK(h.reversals[0].payment_ids == std::vector<std::string>{"R1-P1"});
    CHECK(h.reversals[0].operator_name == "dave");
}

TEST_CASE("a session destroyed without commit leaves the file byte-identical", "[ledger]") {
    TempDir dir;
    build_sample_ledger(dir / "l.sqlite");
    const std::string before = read_file(dir / "l.sqlite");
    {
        auto l = Ledger::open(dir / "l.sqlite", false);
        auto s = l.begin("eve");
        s.add_run({{"job_sha256", "d"}});
        s.add_lot(sample_lot("L3", "V3", 1000));
        s.add_transfer(Transfer{"R3-T1", "L3", "S1", 1000}, "x");
        // no commit
    }
    CHECK(read_file(dir / "l.sqlite") == before);
    CHECK_FALSE(fs::exists(dir / "l.sqlite-journal"));
    CHECK(Ledger::open(dir / "l.sqlite", false).verify().ok);
}

TEST_CASE("two sessions never both hold the write lock: the second waits or is refused",
          "[ledger]") {
    TempDir dir;
    build_sample_ledger(dir / "l.sqlite");
    auto l = Ledger::open(dir / "l.sqlite", false);
    SECTION("refused after the timeout, in another thread") {
        auto s = l.begin("first");
        std::string err;
        std::thread t([&] {
            try {
                auto l2 = Ledger::open(dir / "l.sqlite", false);
                auto s2 = l2.begin("second", std::chrono::milliseconds(200));
            } catch (const Error& e) {
                err = e.what();
            }
        });
        t.join();
        CHECK_THAT(err, Catch::Contains("is in use by another run"));
        s.commit();
    }
    SECTION("refused in another process") {
        auto s = l.begin("first");
        const pid_t pid = fork();
        if (pid == 0) {
            int code = 3;
            try {
                auto l2 = Ledger::open(dir / "l.sqlite", false);
                auto s2 = l2.begin("second", std::chrono::milliseconds(200));
                code = 4;
            } catch (const Error& e) {
                code = std::string(e.what()).find("in use by another run") != std::string::npos ? 0
                                                                                                : 5;
            }
            _exit(code);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    SECTION("waits, then continues the chain") {
        std::string second_prefix;
        auto s = l.begin("first");
        std::thread t([&] {
            auto l2 = Ledger::open(dir / "l.sqlite", false);
            auto s2 = l2.begin("second", std::chrono::seconds(20));
            second_prefix = s2.run_number_prefix();
            s2.add_run({{"job_sha256", "second"}});
            s2.commit();
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        CHECK(s.run_number_prefix() == "R3");
        s.add_run({{"job_sha256", "first"}});
        s.commit();
        t.join();
        CHECK(second_prefix == "R4");
        const auto r = l.verify();
        CHECK(r.ok);
        CHECK(r.runs == 4);
    }
}

TEST_CASE("verify catches a forged entry appended with a valid hash that overspends a lot",
          "[ledger]") {
    TempDir dir;
    const auto [h1, h2] = build_sample_ledger(dir / "l.sqlite");
    // INSERT is not blocked by the triggers; an attacker can chain a new entry correctly.
    const std::string content =
        R"({"area":50000,"lot_id":"L2","site_id":"S9","site_name":"x","transfer_id":"X-T1"})";
    const std::string hash = ledger::entry_hash(h2, "transfer", "X-T1", content);
    sqlite3* db = nullptr;
    sqlite3_open((dir / "l.sqlite").c_str(), &db);
    const std::string sql = "INSERT INTO entries VALUES (13, 3, 'transfer', 'X-T1', '" + content +
                            "', '" + h2 + "', '" + hash + "', '2024-01-01T00:00:00Z', 'mallory')";
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    const auto r = Ledger::open(dir / "l.sqlite", false).verify();
    CHECK_FALSE(r.ok);
    CHECK(r.bad_seq == 13);
    CHECK_THAT(r.what, Catch::Contains("lot L2 overspent"));
}

TEST_CASE("opening refuses what is not a ledger", "[ledger]") {
    TempDir dir;
    CHECK_THROWS_WITH(Ledger::open(dir / "missing.sqlite", false),
                      Catch::Contains("no such ledger"));
    write_file(dir / "junk.sqlite",
               "not sqlite at all, just text that is long enough to look like a header.....");
    CHECK_THROWS_AS(Ledger::open(dir / "junk.sqlite", false), Error);
}

TEST_CASE("export writes a CSV per view with a BOM", "[ledger]") {
    TempDir dir;
    build_sample_ledger(dir / "l.sqlite");
    const auto files = Ledger::open(dir / "l.sqlite", false).export_tables(dir / "out");
    for (const auto& v : Ledger::view_names())
        CHECK(fs::exists(dir / "out" / (v + ".csv")));
    const std::string transfers = read_file(dir / "out" / "transfers.csv");
    CHECK(transfers.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK_THAT(transfers, Catch::Contains("R1-T1,L1,S1,工业园一期,60000,600.00,0.90,80000,0"));
    const std::string parcels = read_file(dir / "out" / "lot_parcels.csv");
    CHECK_THAT(parcels, Catch::Contains("L1-P1,张三,0702,51000,510.00"));
}
