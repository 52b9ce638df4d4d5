// A comparison's files: compare_*.csv (exact figures, as the run's tables), compare.md (for
// diffing and pasting into a memo), compare.html (one offline page styled like report.html) and
// a manifest.json naming the plans and the ledger state they were computed against.
#include "io/csv_writer.hpp"
#include "landquota/error.hpp"
#include "landquota/version.hpp"
#include "publish/compare.hpp"
#include "publish/html_text.hpp"
#include "publish/report_model.hpp"

#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace landquota {

namespace {

// The words of the comparison in both languages, in one place.
struct Words {
    Lang lang;
    const char* t(const char* zh, const char* en) const { return lang == Lang::Zh ? zh : en; }
    std::string header(const Column& c) const { return lang == Lang::Zh ? c.zh : c.key; }
    std::string title(const Table& table) const {
        static const std::map<std::string, const char*> en = {
            {"compare_figures", "Headline figures"},
            {"compare_sites", "Quota received per site (mu)"},
            {"compare_townships", "Quota received per township (mu)"},
            {"compare_payees", "Compensation per payee (yuan)"}};
        return lang == Lang::Zh ? table.zh : en.at(table.name);
    }
    std::string figure(const std::string& key) const {
        static const std::map<std::string, std::pair<const char*, const char*>> names = {
            {"strategy", {"分配策略", "Strategy"}},
            {"models", {"补偿模型", "Compensation models"}},
            {"allocated_mu", {"本次分配（亩）", "Allocated (mu)"}},
            {"allocated_m2", {"本次分配（平方米）", "Allocated (m²)"}},
            {"sites_supplied", {"获指标项目数", "Sites supplied"}},
            {"transfers", {"交易笔数", "Transfers"}},
            {"paid_yuan", {"补偿合计（元）", "Paid (yuan)"}},
            {"objective", {"目标值（Σ 效益 × 亩）", "Objective (Σ benefit × mu)"}},
            {"shadow_price_per_mu",
             {"影子价格（效益/亩）", "Shadow price (benefit per mu of quota)"}},
            {"benefit", {"效益属性", "Benefit attribute"}},
            {"sites_without_quota", {"未获指标的项目", "Sites that got nothing"}}};
        const auto it = names.find(key);
        return it == names.end() ? key : t(it->second.first, it->second.second);
    }
};

std::string cell(const Table& t, const std::vector<Cell>& row, std::size_t i) {
    return cell_text(row[i], t.columns[i].unit);
}

// The row's label for the list of differences: its keys, joined.
std::string row_label(const Table& t, const std::vector<Cell>& row) {
    std::string out;
    for (std::size_t i = 0; i < t.columns.size() && t.columns[i].unit == Unit::Text; ++i)
        if (const auto& s = std::get<std::string>(row[i]); !s.empty())
            out += (out.empty() ? "" : " ") + s;
    return out;
}

bool flagged(const std::vector<Cell>& row) {
    return std::get<std::string>(row.back()) == kDiffers;
}

// The rows that differ, as "S04 白洋文旅装备项目: priority 0.00, optimal 120.00".
std::vector<std::string> differences(const Comparison& c, const Words& w) {
    std::vector<std::string> out;
    for (const auto& t : c.tables) {
        const std::size_t first =
            t.name == "compare_figures" ? 1 : t.columns.size() - 2 * c.labels.size();
        for (const auto& row : t.rows) {
            if (!flagged(row))
                continue;
            std::string values;
            for (std::size_t k = 0; k < c.labels.size(); ++k)
                values +=
                    fmt::format("{}{} {}", k ? ", " : "", c.labels[k], cell(t, row, first + k));
            const std::string what = t.name == "compare_figures"
                                         ? w.figure(std::get<std::string>(row[0]))
                                         : row_label(t, row);
            out.push_back(fmt::format("{} — {}: {}", w.title(t), what, values));
        }
    }
    return out;
}

std::vector<Cell> totals(const Table& t, const Words& w) {
    ReportModel m;
    m.lang = w.lang;
    return total_row(t, m);
}

std::string md_text(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|' || c == '\\' || c == '*' || c == '`')
            out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

void md_table(std::ostream& o, const Table& t, const Words& w) {
    o << "\n## " << w.title(t) << "\n\n|";
    for (const auto& c : t.columns)
        o << " " << md_text(w.header(c)) << " |";
    o << "\n|";
    for (const auto& c : t.columns)
        o << (c.unit == Unit::Text ? " --- |" : " ---: |");
    o << "\n";
    auto line = [&](const std::vector<Cell>& row, bool figure_names) {
        o << "|";
        for (std::size_t i = 0; i < row.size(); ++i) {
            std::string s = cell(t, row, i);
            if (figure_names && i == 0)
                s = w.figure(s);
            o << " " << md_text(s) << " |";
        }
        o << "\n";
    };
    for (const auto& row : t.rows)
        line(row, t.name == "compare_figures");
    if (t.totals)
        line(totals(t, w), false);
}

std::string markdown(const Comparison& c, const Words& w) {
    std::ostringstream o;
    o << "# " << w.t("landquota 方案对比", "landquota comparison") << " — ";
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        o << (i ? " / " : "") << md_text(c.labels[i]);
    o << "\n\n> **" << kPlanBanner << "** — "
      << w.t("每个方案都是按同一台账状态计算的计划",
             "every column is a plan computed against the same ledger state")
      << (c.ledger.empty() ? "" : ": " + md_text(c.ledger) + " @ " + c.ledger_head) << "\n\n";
    o << "| " << w.t("方案", "Plan") << " | " << w.t("输出", "Outputs") << " |\n| --- | --- |\n";
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        o << "| " << md_text(c.labels[i]) << " | " << md_text(c.folders[i]) << "/report.md |\n";
    o << "\n## " << w.t("不同之处", "What differs") << "\n\n";
    const auto diffs = differences(c, w);
    if (diffs.empty())
        o << w.t("（各方案结果相同）", "(the plans agree on everything)") << "\n";
    for (const auto& d : diffs)
        o << "- " << md_text(d) << "\n";
    for (const auto& t : c.tables)
        md_table(o, t, w);
    return o.str();
}

void html_table(std::ostream& o, const Table& t, const Words& w) {
    o << "<h2 id=\"" << html(t.name) << "\">" << html(w.title(t)) << "</h2>\n<table id=\"table-"
      << html(t.name) << "\">\n<thead><tr>";
    for (const auto& c : t.columns)
        o << "<th" << (c.unit == Unit::Text ? "" : " class=\"n\"") << ">" << html(w.header(c))
          << "</th>";
    o << "</tr></thead>\n<tbody>\n";
    auto line = [&](const std::vector<Cell>& row, bool figure_names) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            std::string s = cell(t, row, i);
            if (figure_names && i == 0)
                s = w.figure(s);
            o << "<td" << (t.columns[i].unit == Unit::Text ? "" : " class=\"n\"") << ">" << html(s)
              << "</td>";
        }
        o << "</tr>\n";
    };
    for (const auto& row : t.rows) {
        o << (flagged(row) ? "<tr class=\"differs\">" : "<tr>");
        line(row, t.name == "compare_figures");
    }
    o << "</tbody>\n";
    if (t.totals) {
        o << "<tfoot><tr>";
        line(totals(t, w), false);
        o << "</tfoot>\n";
    }
    o << "</table>\n";
}

std::string page(const Comparison& c, const Words& w) {
    std::ostringstream o;
    std::string labels;
    for (const auto& l : c.labels)
        labels += (labels.empty() ? "" : " / ") + l;
    const std::string title =
        std::string(w.t("landquota 方案对比", "landquota comparison")) + " — " + labels;
    o << "<!DOCTYPE html>\n<html lang=\"" << (w.lang == Lang::Zh ? "zh-CN" : "en")
      << "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << html(title) << "</title>\n<style>"
      << report_css() << "\ntr.differs td { background: #fff3cd; font-weight: 600; }\n</style>\n"
      << "</head>\n<body>\n<div class=\"plan-banner\" id=\"plan-banner\">" << html(kPlanBanner)
      << " — "
      << html(w.t("每个方案都是按同一台账状态计算的计划",
                  "every column is a plan computed against the same ledger state"))
      << "</div>\n<h1>" << html(title) << "</h1>\n";
    if (!c.ledger.empty())
        o << "<p>" << html(w.t("台账", "Ledger")) << ": " << html(c.ledger)
          << " <span class=\"hash\">" << html(c.ledger_head) << "</span></p>\n";
    o << "<table class=\"run\">\n";
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        o << "<tr><th>" << html(c.labels[i]) << "</th><td><a href=\"" << html(c.folders[i])
          << "/report.html\">" << html(c.folders[i]) << "/report.html</a></td></tr>\n";
    o << "</table>\n<h2>" << html(w.t("不同之处", "What differs")) << "</h2>\n<ul class=\"notes\" "
      << "id=\"differences\">\n";
    const auto diffs = differences(c, w);
    if (diffs.empty())
        o << "<li>" << html(w.t("（各方案结果相同）", "(the plans agree on everything)"))
          << "</li>\n";
    for (const auto& d : diffs)
        o << "<li>" << html(d) << "</li>\n";
    o << "</ul>\n";
    for (const auto& t : c.tables)
        html_table(o, t, w);
    o << "<footer>" << html(w.t("由 landquota 生成", "Made by landquota")) << " " << kVersion
      << "</footer>\n</body>\n</html>\n";
    return o.str();
}

void write_text(const std::filesystem::path& file, const std::string& text) {
    std::ofstream o(file, std::ios::binary);
    o << text;
    o.close();
    if (!o)
        throw Error(Stage::Publish, file.string() + ": cannot write");
}

} // namespace

void write_comparison(const Comparison& c, const std::filesystem::path& folder, Lang lang) {
    const Words w{lang};
    for (const auto& t : c.tables) {
        CsvWriter csv(folder / (t.name + ".csv"));
        std::vector<std::string> cells;
        for (const auto& col : t.columns)
            cells.push_back(col.key);
        csv.row(cells);
        for (const auto& row : t.rows) {
            cells.clear();
            for (std::size_t i = 0; i < row.size(); ++i)
                cells.push_back(cell(t, row, i));
            csv.row(cells);
        }
        csv.close();
    }
    write_text(folder / "compare.md", markdown(c, w));
    write_text(folder / "compare.html", page(c, w));
    nlohmann::ordered_json m;
    m["engine"] = {{"name", "landquota"}, {"version", kVersion}};
    m["plan"] = kPlanBanner;
    m["compare"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        m["compare"].push_back({{"label", c.labels[i]}, {"folder", c.folders[i]}});
    m["ledger"] = {{"path", c.ledger}, {"head_hash", c.ledger_head}};
    write_text(folder / "manifest.json", m.dump(2) + "\n");
}

} // namespace landquota
