// The Jinhua sample end to end (sample_maps/jinhua): the job ranks 40 townships, pairs the 10
// strongest with the 10 weakest and proposes clusters; the outputs are read back from the CSV
// tables and the GeoPackage and checked against the rules, not against copied figures. Bad
// constraints and a cluster crossing regions stop the run with exit 1 and a clear message.
#include "support.hpp"
#include "xlsx_reader.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <map>
#include <ogrsf_frmts.h>
#include <set>

using namespace landquota::test;

namespace {

using Rows = std::vector<std::vector<std::string>>;

fs::path sample() {
    return source_dir() / "sample_maps" / "jinhua";
}

// Rows as maps from the header.
std::vector<std::map<std::string, std::string>> table(const fs::path& csv) {
    return read_csv_records(csv);
}

// The job with its paths made absolute and texts replaced, written to `dir`.
fs::path variant(const fs::path& dir,
                 const std::vector<std::pair<std::string, std::string>>& changes) {
    std::string text = read_file(sample() / "job.toml");
    const std::string gpkg = "\"" + (sample() / "jinhua.gpkg").string() + "\"";
    for (std::size_t p; (p = text.find("\"jinhua.gpkg\"")) != std::string::npos;)
        text.replace(p, 13, gpkg);
    for (const auto& [from, to] : changes) {
        const auto p = text.find(from);
        REQUIRE(p != std::string::npos);
        text.replace(p, from.size(), to);
    }
    write_file(dir / "job.toml", text);
    return dir / "job.toml";
}

// Townships of the sample and which touch which (GEOS through OGR, independently of the engine).
std::map<std::string, std::set<std::string>> adjacency() {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open((sample() / "jinhua.gpkg").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    OGRLayer* l = ds->GetLayerByName("townships");
    std::vector<std::pair<std::string, std::unique_ptr<OGRGeometry>>> t;
    for (auto& f : *l)
        t.emplace_back(f->GetFieldAsString("XZDM"), f->GetGeometryRef()->clone());
    std::map<std::string, std::set<std::string>> adj;
    for (std::size_t i = 0; i < t.size(); ++i)
        for (std::size_t j = 0; j < t.size(); ++j)
            if (i != j && t[i].second->Intersects(t[j].second.get()))
                adj[t[i].first].insert(t[j].first);
    return adj;
}

} // namespace

TEST_CASE("jinhua sample: ranks, pairs and clusters the townships", "[sample][jinhua]") {
    TempDir tmp;
    const auto r = run_cli("run " + (sample() / "job.toml").string() + " --out " +
                           (tmp / "out").string() + " --lang en");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path t = tmp / "out" / "tables";

    // Index: 40 ranks 1..40, scores not increasing, 10 strong, 10 weak.
    const auto index = table(t / "index.csv");
    REQUIRE(index.size() == 40);
    std::map<std::string, std::string> cls;
    double last = 1e9;
    for (std::size_t i = 0; i < index.size(); ++i) {
        CHECK(std::stoi(index[i].at("rank")) == static_cast<int>(i + 1));
        const double s = std::stod(index[i].at("score"));
        CHECK(s <= last);
        last = s;
        cls[index[i].at("unit_id")] = index[i].at("class");
    }
    CHECK(std::count_if(cls.begin(), cls.end(), [](auto& c) { return c.second == "strong"; }) ==
          10);
    CHECK(std::count_if(cls.begin(), cls.end(), [](auto& c) { return c.second == "weak"; }) == 10);
    // Weights: 12 indicators, overall weights summing to 1 (to the 6 decimals shown).
    double wsum = 0;
    for (const auto& w : table(t / "index_weights.csv"))
        wsum += std::stod(w.at("weight"));
    CHECK(std::abs(wsum - 1.0) < 1e-5);

    // Pairs: strong with weak, each weak once, each strong once, within 120 km, the two pairs
    // the job requires (多湖街道–新宅镇, 横店镇–安文街道), cost = the sum of its terms.
    const auto pairs = table(t / "pairs.csv");
    REQUIRE(pairs.size() == 10);
    std::set<std::string> strong, weak, made;
    for (const auto& p : pairs) {
        CHECK(cls.at(p.at("strong_id")) == "strong");
        CHECK(cls.at(p.at("weak_id")) == "weak");
        CHECK(strong.insert(p.at("strong_id")).second);
        CHECK(weak.insert(p.at("weak_id")).second);
        CHECK(std::stod(p.at("distance_km")) <= 120.0);
        CHECK(std::abs(std::stod(p.at("cost")) - std::stod(p.at("distance_cost")) -
                       std::stod(p.at("profile_cost"))) < 2e-6);
        made.insert(p.at("strong_name") + "-" + p.at("weak_name"));
    }
    CHECK(made.count("多湖街道-新宅镇") == 1);
    CHECK(made.count("横店镇-安文街道") == 1);

    // Clusters: every township in one, each at least 300 000 people and contiguous.
    const auto units = table(t / "regionalize.csv");
    REQUIRE(units.size() == 40);
    std::map<std::string, std::vector<std::string>> members;
    std::map<std::string, double> size;
    for (const auto& u : units) {
        members[u.at("cluster_id")].push_back(u.at("unit_id"));
        size[u.at("cluster_id")] += std::stod(u.at("size"));
    }
    const auto adj = adjacency();
    for (const auto& [c, m] : members) {
        INFO("cluster " << c);
        CHECK(size[c] >= 300000);
        const std::set<std::string> in(m.begin(), m.end());
        std::set<std::string> seen{m[0]};
        std::vector<std::string> todo{m[0]};
        while (!todo.empty()) {
            const std::string u = todo.back();
            todo.pop_back();
            for (const auto& nb : adj.at(u))
                if (in.count(nb) && seen.insert(nb).second)
                    todo.push_back(nb);
        }
        CHECK(seen.size() == m.size());
    }

    // The layers are in result.gpkg with their styles.
    GDALDatasetUniquePtr ds(
        GDALDataset::Open((tmp / "out" / "result.gpkg").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    CHECK(ds->GetLayerByName("index")->GetFeatureCount() == 40);
    CHECK(ds->GetLayerByName("pairs")->GetFeatureCount() == 10);
    CHECK(ds->GetLayerByName("regionalize")->GetFeatureCount() ==
          static_cast<GIntBig>(members.size()));
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    std::set<std::string> styled;
    for (auto& f : *styles)
        styled.insert(f->GetFieldAsString("f_table_name"));
    CHECK(styled.count("index") == 1);
    CHECK(styled.count("pairs") == 1);
    CHECK(styled.count("regionalize") == 1);
    // The workbook has the analyses' sheets.
    const auto wb = read_workbook(tmp / "out" / "tables.xlsx", tmp.path());
    CHECK(wb.contains("pairs"));
}

TEST_CASE("jinhua sample: impossible pairing constraints are exit 1 naming the table",
          "[sample][jinhua]") {
    TempDir tmp;
    const fs::path job = variant(tmp.path(), {{"max_distance_km = 120", "max_distance_km = 5"}});
    const auto r = run_cli("run " + job.string() + " --out " + (tmp / "out").string());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("[analysis[1]]") && Catch::Contains("pairing") &&
                          Catch::Contains("must_pair"));
    CHECK(!fs::exists(tmp / "out"));
}

TEST_CASE("jinhua sample: a cluster crossing regions is exit 1 naming the townships",
          "[sample][jinhua][clusters]") {
    TempDir tmp;
    // Counties as regions and the city as the one cluster: it crosses every county.
    const fs::path job =
        variant(tmp.path(), {{"zone = \"XSQ\"", "zone = \"SHI\""},
                             {"region = \"SHI\"", "region = \"XSQ\"\nlead = \"XZMC\""}});
    const auto r = run_cli("check " + job.string());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("cluster '金华市' crosses regions") &&
                          Catch::Contains("330700020 多湖街道"));
}

TEST_CASE("jinhua sample as a plan: the analysis tables and layers are marked like every other",
          "[sample][jinhua][plan]") {
    TempDir tmp;
    const auto r = run_cli("plan " + (sample() / "job.toml").string() + " --out " +
                           (tmp / "plan").string() + " --ledger " + (tmp / "l.sqlite").string());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    for (const char* name : {"index.csv", "pairs.csv", "regionalize.csv"}) {
        const Rows rows = read_csv_rows(tmp / "plan" / "tables" / name);
        REQUIRE(rows.size() > 1);
        CHECK(rows[0][0] == "plan");
        for (std::size_t i = 1; i < rows.size(); ++i)
            CHECK_THAT(rows[i][0], Catch::Contains("PLAN"));
    }
    GDALAllRegister();
    GDALDatasetUniquePtr ds(
        GDALDataset::Open((tmp / "plan" / "result.gpkg").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    for (const char* name : {"index", "pairs", "regionalize"}) {
        OGRLayer* l = ds->GetLayerByName(name);
        REQUIRE(l);
        REQUIRE(l->GetLayerDefn()->GetFieldIndex("plan") == 0);
        for (auto& f : *l)
            CHECK_THAT(std::string(f->GetFieldAsString("plan")), Catch::Contains("PLAN"));
    }
}
