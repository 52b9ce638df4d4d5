// 一镇一策 (Jiande): a price per township type in the `average` model changes the payments of the
// lots of that type, and exactly those; make_lots carries each lot's township type.
#include "stage_fixtures.hpp"
#include "support.hpp"

#include "pipeline/lots.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace landquota;
using landquota::test::make_compensation;
using namespace landquota::test;

namespace {

QuotaLot lot(const std::string& id, const std::string& type) {
    QuotaLot l;
    l.lot_id = id;
    l.village_id = "V" + id;
    l.township_id = "T" + id;
    l.area = kHa;
    l.state = "accepted";
    l.township_type = type;
    return l;
}

std::map<std::string, Fen> paid(const std::map<std::string, OptionValue>& options,
                                const std::vector<QuotaLot>& lots) {
    std::vector<Transfer> transfers;
    for (const auto& l : lots)
        transfers.push_back(Transfer{"X" + l.lot_id, l.lot_id, "S1", kHa});
    const std::vector<Site> sites{Site{"S1", "site", "T9", "", "", 100 * kHa, {}, 0, 0}};
    const std::vector<TownshipFigures> townships;
    std::map<std::string, Fen> out;
    for (const auto& p : make_compensation("average", options)
                             ->compensate(CompensationInput{lots, sites, transfers, townships}))
        out[p.lot_id] += p.amount;
    return out;
}

} // namespace

TEST_CASE("policy by type: the price of one type changes exactly the lots of that type",
          "[policy][compensation]") {
    const std::vector<QuotaLot> lots{lot("1", "文旅"), lot("2", "农业"), lot("3", ""),
                                     lot("4", "文旅")};
    const auto base = paid({}, lots);
    const auto typed = paid({{"price_by_type", std::vector<std::string>{"文旅:400000"}}}, lots);
    // 15 mu at 300 000 yuan = 4 500 000 yuan; at 400 000 = 6 000 000 yuan (in fen).
    CHECK(base.at("1") == 450000000);
    CHECK(typed.at("1") == 600000000);
    CHECK(typed.at("4") == 600000000);
    CHECK(typed.at("2") == base.at("2"));
    CHECK(typed.at("3") == base.at("3"));
    // A type no lot has changes nothing; an empty type never matches.
    CHECK(paid({{"price_by_type", std::vector<std::string>{"副中心:1"}}}, lots) == base);
    CHECK_THROWS_WITH(paid({{"price_by_type", std::vector<std::string>{"文旅"}}}, lots),
                      Catch::Contains("TYPE:YUAN_PER_MU"));
}

TEST_CASE("policy by type: lots carry their township's type", "[policy][stage][lots]") {
    ReferenceLayers ref;
    ref.villages.push_back(VillageRef{"V1", "村1", "T1", true, geos_from_wkt(at(0, 0, 400, 400)),
                                      OGRNullFID, "", "", ""});
    TownshipRef t;
    t.id = "T1";
    t.type = "文旅";
    ref.townships.push_back(std::move(t));
    QuotaTables quota;
    VillageQuota v;
    v.village_id = "V1";
    v.township_id = "T1";
    v.reclaim = kHa;
    quota.villages.push_back(v);
    const auto lots = make_lots(quota, ref, {});
    REQUIRE(lots.size() == 1);
    CHECK(lots[0].township_type == "文旅");
}
