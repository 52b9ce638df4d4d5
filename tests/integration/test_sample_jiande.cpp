// The Jiande sample end to end (sample_maps/jiande): 15 towns in 4 declared clusters with lead
// towns, nested in two regions; the proposed regionalisation keeps to the regions and meets its
// minimum. Checked from the CSV tables and the manifest, not against copied figures.
#include "support.hpp"
#include "xlsx_reader.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

using namespace landquota::test;

namespace {

std::vector<std::map<std::string, std::string>> table(const fs::path& csv) {
    return read_csv_records(csv);
}

} // namespace

TEST_CASE("jiande sample: declared clusters with leads, and a regionalisation within regions",
          "[sample][jiande]") {
    TempDir tmp;
    const fs::path job = source_dir() / "sample_maps" / "jiande" / "job.toml";
    const auto r = run_cli("run " + job.string() + " --out " + (tmp / "out").string());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path t = tmp / "out" / "tables";

    // The four declared clusters, their leads as the job marks them, 15 towns in all.
    const auto clusters = table(t / "clusters.csv");
    REQUIRE(clusters.size() == 4);
    std::map<std::string, std::string> lead, region_of_town;
    int towns = 0;
    for (const auto& c : clusters) {
        lead[c.at("zone_id")] = c.at("lead_name");
        towns += std::stoi(c.at("townships"));
        std::string members = c.at("members");
        for (std::size_t p = 0, q; p < members.size(); p = q + 1) {
            q = members.find(' ', p);
            if (q == std::string::npos)
                q = members.size();
            region_of_town[members.substr(p, q - p)] = c.at("region_id");
        }
    }
    CHECK(towns == 15);
    CHECK(lead.at("三江口片区") == "梅城镇");
    CHECK(lead.at("航空小镇片区") == "寿昌镇");
    CHECK(lead.at("稻香小镇片区") == "大同镇");

    // Proposed clusters: each within one region, at least 120 000 people, one lead.
    std::map<std::string, std::set<std::string>> regions;
    std::map<std::string, double> size;
    std::map<std::string, int> leads;
    for (const auto& u : table(t / "regionalize.csv")) {
        regions[u.at("cluster_id")].insert(region_of_town.at(u.at("unit_id")));
        size[u.at("cluster_id")] += std::stod(u.at("size"));
        leads[u.at("cluster_id")] += u.at("lead") == "lead";
    }
    REQUIRE(!regions.empty());
    for (const auto& [c, rs] : regions) {
        INFO(c);
        CHECK(rs.size() == 1);
        CHECK(size[c] >= 120000);
        CHECK(leads[c] == 1);
    }

    // The manifest records the analyses with their plugins and options.
    const auto m = nlohmann::json::parse(read_file(tmp / "out" / "manifest.json"));
    REQUIRE(m.at("analyses").size() == 2);
    CHECK(m["analyses"][0]["plugin"]["name"] == "index");
    CHECK(m["analyses"][1]["plugin"]["options"]["within_region"] == true);
}
