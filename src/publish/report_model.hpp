#pragma once

// The run's report as data, built once from RunResults in one language: headline figures, each
// with the rule and the job setting that produced it and the section of docs/methods.md that
// explains it; the tables of publish/tables.hpp with their total rows; the chart series; the
// findings, the inputs' SHA-256 and the ledger's state. report.md and report.html are two
// renderings of it, as the CSV and XLSX files are of the tables: they cannot disagree.
#include "publish/report_language.hpp"
#include "publish/tables.hpp"
#include "publish/writer.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace landquota {

// One exact value in a unit of publish/tables.hpp (hundredths of m², of mu, fen, a count).
struct Amount {
    Unit unit = Unit::Count;
    std::int64_t value = 0;
};

// A section of docs/methods.md: "7", "Quota", and its anchor as GitHub makes it, "7-quota".
struct MethodsSection {
    std::string number, title, anchor;
};

// A headline figure and where it comes from.
struct Figure {
    std::string key;             // stable: "freed", "allocated"
    std::string label;           // "节余指标" / "Freed quota"
    std::vector<Amount> amounts; // the same figure in m², mu and ha, or a count, or yuan
    std::string rule;            // "freed = reclaim − resettlement"
    std::string setting;         // the job-file settings it depends on, as written there
    MethodsSection method;
    std::string text; // a value that is not an exact amount (objective, shadow price)
};

// A chart: one or two series of values over labels, in one unit.
struct ChartSeries {
    std::string label;
    std::vector<Amount> values; // one per chart label
};
struct Chart {
    std::string key;   // "freed_by_township": the canvas id
    std::string title; // in the report's language
    std::vector<std::string> labels;
    std::vector<ChartSeries> series;
};

// A short named list: the villages one corridor touches in one county.
struct NamedList {
    std::string label;              // "诗画风光带 · 衢江区"
    std::vector<std::string> items; // village names (the id where a village has no name)
};

struct LedgerStatus {
    std::string path;
    std::int64_t run = 0, entries = 0;
    std::string head_hash;
    bool verified = false;
    std::string problem;
};

struct ReportModel {
    Lang lang = Lang::Zh;
    std::string title;
    std::string banner; // a plan's kPlanBanner with what it means; "" for a committed run
    std::vector<std::pair<std::string, std::string>> run; // label, value: job, date, engine…
    std::vector<Figure> figures;
    std::vector<std::string> outcome; // nothing allocated and why; the sites that got nothing
    std::vector<std::string> notes;   // the strategy's notes ("site S06 short of …")
    std::vector<Chart> charts;
    std::vector<Table> tables; // regions, zones, townships, villages, sites, transfers, payments
    std::vector<NamedList> corridor_villages; // per corridor and county, after its table
    Table findings;                           // warnings of the run
    Table inputs;                             // the job file and every input file with its SHA-256
    std::optional<LedgerStatus> ledger;
    std::vector<MethodsSection> methods; // every section of docs/methods.md, for the links

    // The words of the report in its language: t("合计", "Total").
    const char* t(const char* zh, const char* en) const { return lang == Lang::Zh ? zh : en; }
    // A column's header: its Chinese name, or its key (the CSV's header) in English.
    const std::string& header(const Column& c) const { return lang == Lang::Zh ? c.zh : c.key; }
    // A table's title in the report's language.
    std::string title_of(const Table& table) const;
    // The unit's name after a value: "m²", "亩"/"mu", "公顷"/"ha", "元"/"yuan"; "" for counts.
    std::string unit_name(Unit unit) const;
    // "诗画风光带 · 衢江区（3 个村）：上村、中村、下村": a NamedList as one line.
    std::string list_text(const NamedList& l) const;
    // "535850.91 m²"
    std::string amount_text(const Amount& a) const;
};

ReportModel build_report(const RunResults& r, Lang lang);

// The objective and the shadow price as the summary and the reports show them: the number, then
// its unit, which is the benefit attribute's (the sample's tax_per_mu is in 万元 a year per mu).
// "" when the strategy did not report it.
std::string objective_text(const AllocationSummary& a, Lang lang);
std::string shadow_price_text(const AllocationSummary& a, Lang lang);
// "S04 白洋文旅装备项目 (120.00 mu wanted)", or "(met by earlier runs)".
std::string unsupplied_text(const UnsuppliedSite& s, Lang lang);

// The total row of a table: the label in the first column, the sum of every additive column
// (exact integers), nothing elsewhere. The rows shown sum to it by construction.
std::vector<Cell> total_row(const Table& table, const ReportModel& model);

// The sections of docs/methods.md (embedded at build time), with GitHub's anchors.
std::vector<MethodsSection> methods_sections();

} // namespace landquota
