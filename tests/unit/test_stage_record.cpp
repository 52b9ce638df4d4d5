// The record stage alone (src/pipeline/record.hpp) with the ledger-state reader
// (src/pipeline/ledger_state.hpp), on a real ledger in a TempDir. The allocations are made by
// hand; only record_in_ledger writes and only read_ledger_state reads the run's books.
//
// Areas are hundredths of m² (100000 = 1000.00 m²). The two runs:
//
//   run 1: lots L1 (V1) 100000, L2 (V2) 50000, L3 (V3, "reclaimed") 70000
//          T0001 L1→S1 100000 (all of L1: L1 becomes "allocated"), T0002 L2→S1 20000
//          -> spent L1 100000, L2 20000; received S1 120000
//   run 2: the same lots, L3 now "accepted" (a state change, not a new lot record)
//          T0001 L2→S2 30000 (20000 + 30000 = all 50000 of L2: "allocated"), T0002 L3→S2 10000
//          -> spent L1 100000, L2 50000, L3 10000; received S1 120000, S2 40000
#include "geo/crs.hpp"
#include "geo/geos.hpp"
#include "io/sha256.hpp"
#include "landquota/error.hpp"
#include "pipeline/ledger_state.hpp"
#include "pipeline/record.hpp"
#include "run/run.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace landquota;
using namespace landquota::test;
using landquota::ledger::Ledger;

namespace {

constexpr double X = 500000, Y = 3200000;

GeomPtr geos(const std::string& wkt) {
    OGRGeometry* g = nullptr;
    REQUIRE(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) == OGRERR_NONE);
    std::unique_ptr<OGRGeometry> owned(g);
    return to_geos(*owned);
}

QuotaLot lot(const std::string& id, const std::string& village, AreaCm2x100 area,
             const std::string& state) {
    QuotaLot l;
    l.lot_id = id;
    l.village_id = village;
    l.village_name = village + "村";
    l.township_id = "T1";
    l.zone_id = "Z1";
    l.region_id = "R1";
    l.area = area;
    l.state = state;
    l.reclaim_to = "arable";
    l.accepted = "2024-06-30";
    l.parcels = {{id + "-P1", "张三", "0702", area}};
    return l;
}

Site site(const std::string& id, AreaCm2x100 demand) {
    Site s;
    s.site_id = id;
    s.name = id + "工业园";
    s.demand = demand;
    return s;
}

// The job and inputs a run records: a job file and one input file to hash, villages with
// outlines in EPSG:4549 for the ledger's maps.
struct Recorded {
    TempDir dir;
    Job job;
    Inputs in;
    fs::path ledger_file;
    GeomPtr square;   // V1's reclaimed pieces: one 100 m square (clockwise, as GEOS may give it)
    LotPieces pieces; // borrowing it, as from the parcel pass

    Recorded() {
        init_gdal();
        job.file = dir / "job.toml";
        write_file(job.file, "[job]\nname = \"mini\"\n");
        job.name = "mini";
        write_file(dir / "county.gpkg", "not really a GeoPackage");
        in.input_files = {(dir / "county.gpkg").string()};
        in.working_crs = make_srs("EPSG:4549");
        in.working_crs_label = "EPSG:4549";
        for (int i = 0; i < 3; ++i)
            in.reference.villages.push_back(
                VillageRef{"V" + std::to_string(i + 1), "村", "T1", true,
                           geos(rect(X + 400 * i, Y, X + 400 * (i + 1), Y + 400))});
        ledger_file = dir / "mini.ledger.sqlite";
        square = geos("POLYGON ((500010 3200010, 500010 3200110, 500110 3200110, "
                      "500110 3200010, 500010 3200010))");
        pieces["V1"].push_back(square.get());
    }

    AllocationRun run1() const {
        AllocationRun a;
        a.strategy = "greedy";
        a.lots = {lot("L1", "V1", 100000, "accepted"), lot("L2", "V2", 50000, "accepted"),
                  lot("L3", "V3", 70000, "reclaimed")};
        a.sites = {site("S1", 150000), site("S2", 40000)};
        a.transfers = {Transfer{"R1-T0001", "L1", "S1", 100000},
                       Transfer{"R1-T0002", "L2", "S1", 20000}};
        a.payments = {Payment{"R1-P00001", "fixed_price", "village", "V1", "R1-T0001", "L1", 0,
                              4500000, "1000.00 m² × 30000 yuan/mu"}};
        a.plugins = {PluginRecord{"allocation", "greedy", "1.0.0", "libgreedy.so",
                                  OptionValues({{"max_km", 30.0}})}};
        return a;
    }

    AllocationRun run2() const {
        AllocationRun a = run1();
        a.lots[2].state = "accepted";
        a.transfers = {Transfer{"R2-T0001", "L2", "S2", 30000},
                       Transfer{"R2-T0002", "L3", "S2", 10000}};
        a.payments.clear();
        return a;
    }

    // One run: a session, the state it reads, the record, the commit (or not).
    std::string record(const AllocationRun& a, bool commit) const {
        auto book = Ledger::open(ledger_file, true);
        auto session = book.begin("tester");
        const LedgerState state = read_ledger_state(session, book.path());
        const std::string head = record_in_ledger(session, job, in, a, state, pieces);
        CHECK(head == session.head_hash());
        if (commit)
            CHECK(session.commit() == head);
        return head;
    }
};

// What a new session sees, read the way a run reads it.
struct Seen {
    LedgerState state;
    std::map<std::string, std::string> lot_states;
    std::map<std::string, AreaCm2x100> recorded_areas;
};

Seen seen(const fs::path& file) {
    auto book = Ledger::open(file, true);
    auto session = book.begin("reader");
    Seen s{read_ledger_state(session, book.path()), session.lot_states(), session.recorded_areas()};
    return s; // rolled back: reading leaves no trace
}

using Areas = std::map<std::string, AreaCm2x100>;

} // namespace

TEST_CASE("record stage: a second session sees what the first committed as spent and received",
          "[stage][record]") {
    const Recorded r;
    {
        const Seen before = seen(r.ledger_file);
        CHECK(before.state.path == r.ledger_file);
        CHECK(before.state.run == 1);
        CHECK(before.state.prefix == "R1-");
        CHECK(before.state.spent.empty());
        CHECK(before.state.received.empty());
    }
    const std::string h1 = r.record(r.run1(), true);
    CHECK(h1 != ledger::kGenesisHash);

    const Seen after1 = seen(r.ledger_file);
    CHECK(after1.state.run == 2);
    CHECK(after1.state.prefix == "R2-");
    CHECK(after1.state.spent == Areas{{"L1", 100000}, {"L2", 20000}});
    CHECK(after1.state.received == Areas{{"S1", 120000}}); // 100000 + 20000
    CHECK(after1.recorded_areas == Areas{{"L1", 100000}, {"L2", 50000}, {"L3", 70000}});

    auto book = Ledger::open(r.ledger_file, false);
    CHECK(book.head_hash() == h1);
    const auto v1 = book.verify();
    CHECK(v1.ok);
    CHECK(v1.runs == 1);
    CHECK(v1.lots == 3);
    CHECK(v1.transfers == 2);
    CHECK(v1.payments == 1);

    // The run's provenance: the job file's and the input's hashes, the plugin as the ledger keeps
    // it (options as text).
    const auto history = book.history();
    REQUIRE(history.runs.size() == 1);
    CHECK(history.runs[0].job_sha256 == sha256_bytes("[job]\nname = \"mini\"\n"));

    // A lot is recorded with its reclaimed pieces (not its village) in WGS84, RFC 7946: x = 500000
    // on EPSG:4549 is its central meridian, 120°E; y = 3200000 m north of the equator is about
    // 28.9°N; the exterior ring is turned counter-clockwise; 7 decimals.
    const auto trace = book.trace_village("V1");
    REQUIRE(trace.rows.size() == 1);
    CHECK(trace.rows[0].transfer.transfer_id == "R1-T0001");
    CHECK_FALSE(trace.rows[0].outline_only);
    const auto g = nlohmann::json::parse(trace.rows[0].pieces);
    CHECK(g["type"] == "MultiPolygon");
    REQUIRE(g["coordinates"].size() == 1);
    const auto& ring = g["coordinates"][0][0];
    REQUIRE(ring.size() == 5);
    const double lon = ring[0][0], lat = ring[0][1];
    CHECK(lon == Approx(120.0001).margin(0.0002));
    CHECK(lat == Approx(28.9).margin(0.1));
    double twice_area = 0; // shoelace: positive for counter-clockwise
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        twice_area += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
                      ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    CHECK(twice_area > 0);
    for (const auto& c : ring)
        for (const auto& x : c) {
            const double scaled = x.get<double>() * 1e7;
            CHECK(std::abs(scaled - std::round(scaled)) < 1e-3);
        }
    // L2's village has no pieces: nothing drawn, and no village outline in its place.
    CHECK(book.trace_village("V2").rows.at(0).pieces.empty());

    const std::string h2 = r.record(r.run2(), true);
    CHECK(h2 != h1);
    const Seen after2 = seen(r.ledger_file);
    CHECK(after2.state.run == 3);
    CHECK(after2.state.spent == Areas{{"L1", 100000}, {"L2", 50000}, {"L3", 10000}});
    CHECK(after2.state.received == Areas{{"S1", 120000}, {"S2", 40000}});
    const auto v2 = book.verify();
    CHECK(v2.ok);
    CHECK(v2.runs == 2);
    CHECK(v2.lots == 3); // the lots' areas did not change: they are not recorded again
    CHECK(v2.transfers == 4);
    CHECK(v2.head_hash == h2);
}

TEST_CASE("record stage: a lot fully used moves to allocated, a partly used one keeps its state",
          "[stage][record]") {
    const Recorded r;
    r.record(r.run1(), true);
    const Seen after1 = seen(r.ledger_file);
    CHECK(after1.lot_states ==
          std::map<std::string, std::string>{{"L1", "allocated"}, // 100000 of 100000
                                             {"L2", "accepted"},  // 20000 of 50000
                                             {"L3", "reclaimed"}});

    r.record(r.run2(), true);
    const Seen after2 = seen(r.ledger_file);
    CHECK(after2.lot_states == std::map<std::string, std::string>{
                                   {"L1", "allocated"},  // stays allocated though the run says
                                                         // "accepted"
                                   {"L2", "allocated"},  // 20000 earlier + 30000 now = 50000
                                   {"L3", "accepted"}}); // reclaimed -> accepted, 10000 of 70000
}

TEST_CASE("record stage: a lot whose area changed is recorded again", "[stage][record]") {
    const Recorded r;
    r.record(r.run1(), true);
    AllocationRun a = r.run2();
    a.lots[2].area = 80000; // L3 resurveyed: 70000 -> 80000
    a.lots[2].parcels[0].reclaim = 80000;
    r.record(a, true);
    const Seen after = seen(r.ledger_file);
    CHECK(after.recorded_areas.at("L3") == 80000);
    CHECK(after.lot_states.at("L3") == "accepted"); // the new record's state
    auto book = Ledger::open(r.ledger_file, false);
    const auto v = book.verify();
    CHECK(v.ok);
    CHECK(v.lots == 4); // 3 in run 1, L3 again in run 2
}

TEST_CASE(
    "record stage: nothing is visible before the commit, and an uncommitted session rolls back",
    "[stage][record]") {
    const Recorded r;
    auto book = Ledger::open(r.ledger_file, true);
    {
        auto session = book.begin("tester");
        const LedgerState state = read_ledger_state(session, book.path());
        const std::string head = record_in_ledger(session, r.job, r.in, r.run1(), state, r.pieces);
        CHECK(head != ledger::kGenesisHash);
        // Others read the ledger as it was, and cannot start a run of their own meanwhile.
        CHECK(book.head_hash() == ledger::kGenesisHash);
        CHECK(book.verify().entries == 0);
        CHECK_THROWS_AS(book.begin("other", std::chrono::milliseconds(50)), Error);
    } // destroyed without commit
    CHECK(book.head_hash() == ledger::kGenesisHash);
    CHECK(book.verify().entries == 0);
    const Seen after = seen(r.ledger_file);
    CHECK(after.state.run == 1); // the run number is not used up
    CHECK(after.state.spent.empty());
    CHECK(after.state.received.empty());
    CHECK(after.lot_states.empty());

    // After a committed run, an abandoned one leaves the books as the committed run left them.
    const std::string h1 = r.record(r.run1(), true);
    r.record(r.run2(), false);
    CHECK(book.head_hash() == h1);
    const Seen later = seen(r.ledger_file);
    CHECK(later.state.run == 2);
    CHECK(later.state.spent == Areas{{"L1", 100000}, {"L2", 20000}});
    CHECK(later.lot_states.at("L2") == "accepted");
}
