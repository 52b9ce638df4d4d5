// report.md of the demo, read back as a reader of the file would: every total row is the sum of
// the rows above it, the headline figures are the manifest's, each figure states its rule, its
// job setting and a section of docs/methods.md that exists; the file is the same from one run to
// the next but for the run's date. Also: the report's language and escaping of names.
#include "pipeline/job.hpp"
#include "publish/report_language.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

using namespace landquota;
using namespace landquota::test;
using nlohmann::json;

namespace {

struct MdTable {
    std::string heading;
    std::vector<std::string> header;
    std::vector<bool> numeric;
    std::vector<std::vector<std::string>> rows;
};

// The cells of a Markdown table row, "\|" unescaped.
std::vector<std::string> cells_of(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
            cell += line[++i];
        } else if (line[i] == '|') {
            const auto a = cell.find_first_not_of(' '), b = cell.find_last_not_of(' ');
            out.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
            cell.clear();
        } else
            cell += line[i];
    }
    return out;
}

// Every table of the file, with the nearest heading above it.
std::vector<MdTable> tables_of(const std::string& text) {
    std::vector<MdTable> out;
    std::istringstream in(text);
    std::string line, heading;
    MdTable* t = nullptr;
    while (std::getline(in, line)) {
        if (line.rfind("#", 0) == 0) {
            heading = line.substr(line.find(' ') + 1);
            t = nullptr;
        } else if (line.rfind("|", 0) == 0) {
            auto cells = cells_of(line);
            if (!t) {
                out.push_back({heading, cells, {}, {}});
                t = &out.back();
            } else if (t->numeric.empty()) {
                for (const auto& c : cells)
                    t->numeric.push_back(c == "---:");
            } else
                t->rows.push_back(cells);
        } else
            t = nullptr;
    }
    return out;
}

// "1234.56" as the integer 123456 with its number of decimals.
std::pair<std::int64_t, std::size_t> exact(const std::string& s) {
    const auto dot = s.find('.');
    const std::size_t decimals = dot == std::string::npos ? 0 : s.size() - dot - 1;
    std::string digits = s;
    if (dot != std::string::npos)
        digits.erase(dot, 1);
    return {std::stoll(digits), decimals};
}

const MdTable& find(const std::vector<MdTable>& all, const std::string& heading) {
    for (const auto& t : all)
        if (t.heading == heading)
            return t;
    FAIL("no table under heading '" << heading << "'");
    return all.front();
}

std::string cell(const MdTable& t, const std::vector<std::string>& row, const std::string& col) {
    for (std::size_t i = 0; i < t.header.size(); ++i)
        if (t.header[i] == col)
            return row.at(i);
    FAIL("no column '" << col << "' in " << t.heading);
    return "";
}

struct DemoRun {
    TempDir dir;
    CliResult result;
    std::string md;
    json manifest;
    explicit DemoRun(const std::string& extra = "--lang en") {
        result =
            run_cli("run " + (source_dir() / "sample_maps" / "wuyi" / "job.toml").string() +
                    " --out " + (dir / "out").string() + " --ledger " +
                    (dir / "ledger.sqlite").string() + " --operator report-test --quiet " + extra);
        if (result.exit_code == 0) {
            md = read_file(dir / "out" / "report.md");
            manifest = json::parse(read_file(dir / "out" / "manifest.json"));
        }
    }
};

} // namespace

TEST_CASE("report.md: totals are the sums of the rows, figures are the manifest's, each with its "
          "rule, setting and method",
          "[publish][report]") {
    DemoRun run;
    INFO(run.result.err);
    REQUIRE(run.result.exit_code == 0);
    const auto tables = tables_of(run.md);

    // Every total row sums the rows shown, column by column, exactly.
    int totals = 0;
    for (const auto& t : tables) {
        if (t.rows.empty() || t.rows.back().at(0) != "Total")
            continue;
        ++totals;
        INFO("table " << t.heading);
        const auto& total = t.rows.back();
        for (std::size_t c = 1; c < t.header.size(); ++c) {
            if (!t.numeric[c] || total[c].empty())
                continue;
            INFO("column " << t.header[c]);
            std::int64_t sum = 0;
            for (std::size_t r = 0; r + 1 < t.rows.size(); ++r) {
                const auto [v, d] = exact(t.rows[r][c]);
                CHECK(d == exact(total[c]).second);
                sum += v;
            }
            CHECK(sum == exact(total[c]).first);
        }
    }
    CHECK(totals == 7); // regions, zones, townships, villages, sites, transfers, payments

    // The headline figures are the manifest's, in every unit shown.
    const auto& figures = find(tables, "Figures");
    std::map<std::string, std::string> value;
    for (const auto& row : figures.rows)
        value[row.at(0)] = cell(figures, row, "Value");
    const json& m = run.manifest;
    const json& a = m["allocation"];
    auto expect = [&](const std::string& figure, const std::vector<std::string>& parts) {
        INFO("figure " << figure << ": " << value[figure]);
        REQUIRE(value.count(figure));
        for (const auto& p : parts)
            CHECK(value[figure].find(p) != std::string::npos);
    };
    expect("Reclaimed", {m["totals"]["reclaim_m2"].get<std::string>() + " m²"});
    expect("Resettlement", {m["totals"]["resettle_m2"].get<std::string>() + " m²"});
    expect("Freed quota", {m["totals"]["freed_m2"].get<std::string>() + " m²",
                           m["totals"]["freed_mu"].get<std::string>() + " mu",
                           m["totals"]["freed_ha"].get<std::string>() + " ha"});
    expect("Supply", {a["supply_m2"].get<std::string>() + " m²"});
    expect("Demand", {a["demand_m2"].get<std::string>() + " m²"});
    expect("Allocated", {a["allocated_m2"].get<std::string>() + " m²",
                         a["allocated_mu"].get<std::string>() + " mu",
                         a["allocated_ha"].get<std::string>() + " ha"});
    expect("Paid", {m["compensation"]["total_yuan"].get<std::string>() + " yuan"});
    expect("Parcels", {std::to_string(m["counts"]["parcels"].get<std::int64_t>())});

    // The tables' totals are the same figures: freed mu by township, allocated mu by site.
    const auto& townships = find(tables, "Townships");
    CHECK(cell(townships, townships.rows.back(), "freed_mu") == m["totals"]["freed_mu"]);
    const auto& sites = find(tables, "Sites");
    CHECK(cell(sites, sites.rows.back(), "allocated_mu") == a["allocated_mu"]);

    // Each figure: a rule with its formula, the job setting, and a section of methods.md.
    const std::string methods = read_file(source_dir() / "docs" / "methods.md");
    const Job job = load_job(source_dir() / "sample_maps" / "wuyi" / "job.toml");
    for (const auto& row : figures.rows) {
        INFO("figure " << row.at(0));
        CHECK(cell(figures, row, "Rule").size() > 10);
        CHECK_FALSE(cell(figures, row, "Job setting").empty());
        const std::string method = cell(figures, row, "Method");
        const std::string prefix = "methods.md §";
        REQUIRE(method.rfind(prefix, 0) == 0);
        const std::string title =
            method.substr(prefix.size(), method.find(" (#") - prefix.size()); // "7 Quota"
        const std::string number = title.substr(0, title.find(' '));
        CHECK(methods.find("\n## " + number + ". " + title.substr(number.size() + 1) + "\n") !=
              std::string::npos);
    }
    for (const auto& row : figures.rows)
        if (row.at(0) == "Freed quota") {
            CHECK(cell(figures, row, "Rule").find("freed = reclaim − resettlement") !=
                  std::string::npos);
            CHECK(cell(figures, row, "Job setting")
                      .find(fmt::format("min_piece_m2 = {}", job.reclaim.min_piece_m2)) !=
                  std::string::npos);
            CHECK(cell(figures, row, "Method").find("(#7-quota)") != std::string::npos);
        }

    // Inputs with their SHA-256, as the manifest has them; the ledger's head and verification.
    const auto& inputs = find(tables, "Input files");
    REQUIRE(inputs.rows.size() == m["inputs"].size() + 1);
    CHECK(inputs.rows[0].at(1) == m["job"]["sha256"]);
    for (std::size_t i = 0; i < m["inputs"].size(); ++i)
        CHECK(inputs.rows[i + 1].at(1) == m["inputs"][i]["sha256"]);
    const auto& ledger = find(tables, "Audit ledger");
    CHECK(ledger.rows.at(2).at(1) == a["ledger"]["head_hash"]);
    CHECK(ledger.rows.at(3).at(1).rfind("passed", 0) == 0);
}

TEST_CASE("report.md is the same from one run to the next but for the run's date",
          "[publish][report]") {
    DemoRun first, second;
    REQUIRE(first.result.exit_code == 0);
    REQUIRE(second.result.exit_code == 0);
    auto stable = [](std::string md, const fs::path& dir) {
        std::istringstream in(md);
        std::string line, out;
        while (std::getline(in, line)) {
            if (line.rfind("| Run (UTC) |", 0) == 0)
                continue;
            for (std::size_t at; (at = line.find(dir.string())) != std::string::npos;)
                line.replace(at, dir.string().size(), "<tmp>");
            out += line + "\n";
        }
        return out;
    };
    CHECK(stable(first.md, first.dir.path()) == stable(second.md, second.dir.path()));
}

TEST_CASE("report language: --lang, then the locale, then the data's names", "[publish][report]") {
    CHECK(choose_language("en", "zh_CN.UTF-8", {"一村"}) == Lang::En);
    CHECK(choose_language("zh", "en_US.UTF-8", {}) == Lang::Zh);
    CHECK(choose_language("", "zh_CN.UTF-8", {"Springfield"}) == Lang::Zh);
    CHECK(choose_language("", "en_GB.UTF-8", {"一村"}) == Lang::En);
    CHECK(choose_language("", "de_DE", {"一村"}) == Lang::En);
    CHECK(choose_language("", "C.UTF-8", {"一村"}) == Lang::Zh);
    CHECK(choose_language("", "POSIX", {"Springfield"}) == Lang::En);
    CHECK(choose_language("", "", {"Springfield", "二村"}) == Lang::Zh);
    CHECK(choose_language("", "", {"Springfield"}) == Lang::En);
    // The messages locale by POSIX precedence (the environment is put back afterwards).
    std::map<std::string, std::optional<std::string>> saved;
    for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"})
        saved[var] = std::getenv(var) ? std::optional<std::string>(std::getenv(var)) : std::nullopt;
    setenv("LANG", "de_DE.UTF-8", 1);
    setenv("LC_MESSAGES", "en_GB.UTF-8", 1);
    setenv("LC_ALL", "zh_TW.UTF-8", 1);
    CHECK(messages_locale() == "zh_TW.UTF-8");
    unsetenv("LC_ALL");
    CHECK(messages_locale() == "en_GB.UTF-8");
    unsetenv("LC_MESSAGES");
    CHECK(messages_locale() == "de_DE.UTF-8");
    unsetenv("LANG");
    CHECK(messages_locale().empty());
    for (const auto& [var, value] : saved)
        if (value)
            setenv(var.c_str(), value->c_str(), 1);
    CHECK_FALSE(has_cjk("Café ümlaut"));
    CHECK(has_cjk("𠀀")); // Extension B, four bytes in UTF-8

    // Through the command line: the Chinese report has the tables' Chinese headers.
    DemoRun zh("--lang zh");
    REQUIRE(zh.result.exit_code == 0);
    CHECK(zh.md.find("## 主要数字") != std::string::npos);
    CHECK(zh.md.find("节余指标（亩）") != std::string::npos);
    DemoRun bad("--lang fr");
    CHECK(bad.result.exit_code == 1);
    CHECK(bad.result.err.find("--lang") != std::string::npos);
}
