// Pooling alone (src/pipeline/pools.hpp) with the real `priority` strategy, and the balance per
// level (src/pipeline/level_balance.hpp) on a hand-made run: two counties A and B, each with a
// lot and a site, so every figure below is worked out by hand from the rule in methods.md §8.1.
#include "pipeline/level_balance.hpp"
#include "pipeline/pools.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace landquota;

namespace {

QuotaLot lot(const std::string& id, const std::string& region, const std::string& zone,
             AreaCm2x100 area) {
    QuotaLot l;
    l.lot_id = id;
    l.village_id = id.substr(1);
    l.region_id = region;
    l.zone_id = zone;
    l.township_id = zone + "-t";
    l.area = area;
    l.state = "accepted";
    return l;
}

Site site(const std::string& id, const std::string& region, const std::string& zone,
          AreaCm2x100 demand) {
    Site s;
    s.site_id = id;
    s.region_id = region;
    s.zone_id = zone;
    s.township_id = zone + "-t";
    s.demand = demand;
    return s;
}

ResolvedPlugin priority(std::map<std::string, OptionValue> options = {}) {
    Job job;
    job.allocation = PluginChoice{"priority", "allocation", std::move(options), {}};
    return *resolve_plugins(job, PluginManager::instance()).allocation;
}

// (lot, site) -> m², so a test reads like the rule.
std::map<std::pair<std::string, std::string>, AreaCm2x100> moved(const AllocationResult& r) {
    std::map<std::pair<std::string, std::string>, AreaCm2x100> out;
    for (const auto& t : r.transfers)
        out[{t.lot_id, t.site_id}] += t.area;
    return out;
}

using Moves = std::map<std::pair<std::string, std::string>, AreaCm2x100>;

// Supply 900 for demand 1200: A's lot is short of A's site, B has quota to spare. Sites are
// served in id order (no attributes), lots in id order.
const std::vector<QuotaLot> kLots{lot("LA1", "A", "A1", 300), lot("LB1", "B", "B1", 600)};
const std::vector<Site> kSites{site("SA", "A", "A1", 800), site("SB", "B", "B1", 400)};

} // namespace

TEST_CASE("pools: one pool for the job is the strategy as it is", "[stage][pools]") {
    const AllocationResult r = allocate_in_pools(priority(), {PoolLevel::Job}, kLots, kSites);
    // SA comes first and takes both lots' quota; SB gets what is left.
    CHECK(moved(r) == Moves{{{"LA1", "SA"}, 300}, {{"LB1", "SA"}, 500}, {{"LB1", "SB"}, 100}});
}

TEST_CASE("pools: county pools first then the city's pool", "[stage][pools]") {
    const AllocationResult r =
        allocate_in_pools(priority(), {PoolLevel::Region, PoolLevel::Job}, kLots, kSites);
    // B's quota serves B's site first; only what is left crosses to A.
    CHECK(moved(r) == Moves{{{"LA1", "SA"}, 300}, {{"LB1", "SB"}, 400}, {{"LB1", "SA"}, 200}});
    REQUIRE(r.transfers.size() == 3);
    CHECK(r.transfers.front().transfer_id == "T0001");
    CHECK(r.transfers.back().transfer_id == "T0003");
}

TEST_CASE("pools: county pools alone never cross a county", "[stage][pools]") {
    const AllocationResult r = allocate_in_pools(priority(), {PoolLevel::Region}, kLots, kSites);
    CHECK(moved(r) == Moves{{{"LA1", "SA"}, 300}, {{"LB1", "SB"}, 400}});
}

TEST_CASE("pools: flows govern what crosses counties and are lifted inside one", "[stage][pools]") {
    // Only A -> B may cross: inside each county the rule says nothing, in the city's pool B's
    // spare quota may not go to A.
    const ResolvedPlugin p = priority(
        {{"flows", std::vector<std::string>{"A->B"}}, {"flow_level", std::string("region")}});
    const AllocationResult r =
        allocate_in_pools(p, {PoolLevel::Region, PoolLevel::Job}, kLots, kSites);
    CHECK(moved(r) == Moves{{{"LA1", "SA"}, 300}, {{"LB1", "SB"}, 400}});
    // The same flows in one pool: B's lot cannot serve its own county's site either.
    const AllocationResult one = allocate_in_pools(p, {PoolLevel::Job}, kLots, kSites);
    CHECK(moved(one) == Moves{{{"LA1", "SB"}, 300}});
}

TEST_CASE("pools: flows between zones still apply inside a county's pool", "[stage][pools]") {
    // County A has zones A1 and A2; only A2 -> A1 may flow between zones.
    const std::vector<QuotaLot> lots{lot("LA1", "A", "A1", 500)};
    const std::vector<Site> sites{site("SA2", "A", "A2", 200)};
    const ResolvedPlugin p = priority(
        {{"flows", std::vector<std::string>{"A2->A1"}}, {"flow_level", std::string("zone")}});
    CHECK(allocate_in_pools(p, {PoolLevel::Region, PoolLevel::Job}, lots, sites).transfers.empty());
    // In a zone's pool the lot and the site never meet.
    CHECK(allocate_in_pools(p, {PoolLevel::Zone}, lots, sites).transfers.empty());
    // Without the rule the county's pool moves it.
    CHECK(moved(allocate_in_pools(priority(), {PoolLevel::Region}, lots, sites)) ==
          Moves{{{"LA1", "SA2"}, 200}});
}

TEST_CASE("pools: the notes of each stage are headed by its pool", "[stage][pools]") {
    const AllocationResult r =
        allocate_in_pools(priority(), {PoolLevel::Region, PoolLevel::Job}, kLots, kSites);
    std::vector<std::string> texts;
    for (const auto& m : r.notes)
        texts.push_back(m.args.empty() ? m.id : m.id + " " + m.args.front());
    // A's pool leaves SA short of 500 hundredths of m²; the city's pool of 300.
    CHECK(texts ==
          std::vector<std::string>{"in the pool of {}: A", "site {} short of {} m² SA",
                                   "in the pool of the whole job:", "site {} short of {} m² SA"});
    CHECK(r.notes[1].args.at(1) == "5.00");
    CHECK(r.notes[3].args.at(1) == "3.00");
}

TEST_CASE("level balance: every level adds up to the job, money included", "[stage][pools]") {
    QuotaTables q;
    q.regions = {UnitQuota{"A", "A", "", "A"}, UnitQuota{"B", "B", "", "B"}};
    q.zones = {UnitQuota{"A1", "A1", "A", "A"}, UnitQuota{"B1", "B1", "B", "B"}};
    q.townships = {UnitQuota{"A1-t", "镇A", "A1", "A"}, UnitQuota{"B1-t", "镇B", "B1", "B"}};
    AllocationRun a;
    a.lots = a.supply = kLots;
    a.sites = a.demand = kSites;
    a.transfers = {Transfer{"T1", "LA1", "SA", 300}, Transfer{"T2", "LB1", "SB", 400},
                   Transfer{"T3", "LB1", "SA", 200}};
    a.payments = {Payment{"P1", "average", "village", "A1", "T1", "LA1", 0, 9000, ""},
                  Payment{"P2", "average", "village", "B1", "T2", "LB1", 0, 12000, ""},
                  Payment{"P3", "average", "village", "B1", "T3", "LB1", 0, 6000, ""},
                  Payment{"P4", "award_pool", "township", "B1-t", "", "", 2027, 55},
                  Payment{"P5", "award_pool", "township", "nowhere", "", "", 2027, 7}};
    const auto rows = level_balance(q, a);
    std::map<std::string, LevelBalance> at;
    for (const auto& r : rows)
        at[r.level + ":" + r.id] = r;
    REQUIRE(rows.front().level == "job");
    const LevelBalance& job = at.at("job:");
    CHECK(job.supply == 900);
    CHECK(job.sent == 900);
    CHECK(job.within == 900);
    CHECK(job.exported() == 0);
    CHECK(job.paid == 27062);

    const LevelBalance &A = at.at("region:A"), &B = at.at("region:B");
    CHECK(A.sent == 300);
    CHECK(A.received == 500);
    CHECK(A.within == 300);
    CHECK(A.imported() == 200);
    CHECK(B.sent == 600);
    CHECK(B.received == 400);
    CHECK(B.exported() == 200);
    CHECK(B.unallocated() == 0);
    CHECK(A.paid == 9000);
    CHECK(B.paid == 18055); // its lot's two payments and its township's award
    // What no unit holds (an award to an unknown township) is a row of its own.
    CHECK(at.at("region:").paid == 7);

    // Each level's rows add up to the job's row, column by column.
    for (const char* level : {"region", "zone", "township"}) {
        INFO(level);
        LevelBalance sum;
        for (const auto& r : rows)
            if (r.level == level) {
                sum.supply += r.supply;
                sum.demand += r.demand;
                sum.sent += r.sent;
                sum.received += r.received;
                sum.paid += r.paid;
            }
        CHECK(sum.supply == job.supply);
        CHECK(sum.demand == job.demand);
        CHECK(sum.sent == job.sent);
        CHECK(sum.received == job.received);
        CHECK(sum.paid == job.paid);
    }
}
