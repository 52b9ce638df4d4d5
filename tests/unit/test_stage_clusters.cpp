// Declared clusters (片区) with a lead township: nesting in one region and exactly one lead,
// or an input error naming the townships.
#include "landquota/error.hpp"
#include "pipeline/clusters.hpp"

#include <catch2/catch.hpp>

using namespace landquota;

namespace {

TownshipRef township(std::string id, std::string zone, std::string region, bool lead) {
    TownshipRef t;
    t.id = std::move(id);
    t.name = "镇" + t.id;
    t.zone_id = std::move(zone);
    t.region_id = std::move(region);
    t.lead = lead;
    return t;
}

TownshipInput declared() {
    TownshipInput in;
    in.path = "townships.gpkg";
    in.zone = "PQ";
    in.lead = "QTZ";
    return in;
}

} // namespace

TEST_CASE("clusters: nested clusters with one lead each", "[stage][clusters]") {
    std::vector<TownshipRef> ts;
    ts.push_back(township("01", "梅城片区", "东部", true));
    ts.push_back(township("02", "梅城片区", "东部", false));
    ts.push_back(township("03", "寿昌片区", "西部", true));
    const TownshipInput in = declared();
    const auto cs = declared_clusters(&in, ts);
    REQUIRE(cs.size() == 2);
    CHECK(cs[1].zone_id == "梅城片区");
    CHECK(cs[1].lead_id == "01");
    CHECK(cs[1].townships == std::vector<std::string>{"01", "02"});
    // Without a lead field, zones are not checked as clusters.
    CHECK(declared_clusters(nullptr, ts).empty());
}

TEST_CASE("clusters: a cluster crossing regions is an error naming the townships",
          "[stage][clusters]") {
    std::vector<TownshipRef> ts;
    ts.push_back(township("01", "梅城片区", "东部", true));
    ts.push_back(township("02", "梅城片区", "西部", false));
    const TownshipInput in = declared();
    try {
        declared_clusters(&in, ts);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::Input);
        CHECK_THAT(e.what(), Catch::Contains("梅城片区") && Catch::Contains("crosses regions") &&
                                 Catch::Contains("01 镇01") && Catch::Contains("02 镇02"));
    }
}

TEST_CASE("clusters: none or two leads is an error", "[stage][clusters]") {
    const TownshipInput in = declared();
    std::vector<TownshipRef> none;
    none.push_back(township("01", "A", "R", false));
    none.push_back(township("02", "A", "R", false));
    CHECK_THROWS_WITH(declared_clusters(&in, none),
                      Catch::Contains("exactly one lead") && Catch::Contains("it has 0"));
    std::vector<TownshipRef> two;
    two.push_back(township("01", "A", "R", true));
    two.push_back(township("02", "A", "R", true));
    CHECK_THROWS_WITH(declared_clusters(&in, two), Catch::Contains("it has 2"));
}
