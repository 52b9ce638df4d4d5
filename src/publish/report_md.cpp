// report.md: the report model (publish/report_model.hpp) as Markdown — the figures with their
// rules and settings, the tables with their totals, the chart data, findings, inputs and ledger.
// Nothing in it depends on how long the run took, so two runs can be compared with diff.
#include "io/write_checks.hpp"
#include "landquota/error.hpp"
#include "publish/report_model.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>

namespace landquota {

namespace {

// Text from the data, made safe in a table cell: no line breaks, no cell separators, no HTML,
// no emphasis; otherwise as written, so the file reads well in a diff.
std::string md(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '\\':
        case '|':
        case '*':
        case '`':
            out += '\\';
            out += c;
            break;
        case '<': // the only character that starts inline HTML
            out += "&lt;";
            break;
        case '\n':
        case '\r':
            out += ' ';
            break;
        default:
            out += c;
        }
    }
    return out;
}

void row(std::ostream& o, const std::vector<std::string>& cells) {
    o << "|";
    for (const auto& c : cells)
        o << " " << c << " |";
    o << "\n";
}

void header(std::ostream& o, const std::vector<std::string>& names,
            const std::vector<bool>& numeric) {
    row(o, names);
    o << "|";
    for (std::size_t i = 0; i < names.size(); ++i)
        o << (numeric[i] ? " ---: |" : " --- |");
    o << "\n";
}

void table(std::ostream& o, const Table& t, const ReportModel& m) {
    o << "\n## " << md(m.title_of(t)) << "\n\n";
    if (t.rows.empty()) {
        o << m.t("（无）", "(none)") << "\n";
        return;
    }
    std::vector<std::string> names;
    std::vector<bool> numeric;
    for (const auto& c : t.columns) {
        names.push_back(md(m.header(c)));
        numeric.push_back(c.unit != Unit::Text);
    }
    header(o, names, numeric);
    auto cells = [&](const std::vector<Cell>& r) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < r.size(); ++i)
            out.push_back(md(cell_text(r[i], t.columns[i].unit)));
        return out;
    };
    for (const auto& r : t.rows)
        row(o, cells(r));
    if (t.totals)
        row(o, cells(total_row(t, m)));
}

std::string method_text(const MethodsSection& s) {
    return "methods.md §" + s.number + " " + s.title + " (#" + s.anchor + ")";
}

void write(std::ostream& o, const ReportModel& m) {
    o << "# " << md(m.title) << "\n\n";
    if (!m.banner.empty())
        o << "> **" << md(m.banner) << "**\n\n";
    header(o, {m.t("项目", "Item"), m.t("内容", "Value")}, {false, false});
    for (const auto& [k, v] : m.run)
        row(o, {md(k), md(v)});

    o << "\n## " << m.t("主要数字", "Figures") << "\n\n";
    header(o,
           {m.t("项目", "Figure"), m.t("数值", "Value"), m.t("规则", "Rule"),
            m.t("任务设置", "Job setting"), m.t("方法", "Method")},
           {false, true, false, false, false});
    for (const auto& f : m.figures) {
        std::string value = f.text;
        for (const auto& a : f.amounts)
            value += (value.empty() ? "" : " · ") + m.amount_text(a);
        row(o, {md(f.label), md(value), md(f.rule), md(f.setting), md(method_text(f.method))});
    }
    if (!m.outcome.empty()) {
        o << "\n";
        for (const auto& n : m.outcome)
            o << "**" << md(n) << "**\n\n";
    }
    if (!m.notes.empty()) {
        o << "\n";
        for (const auto& n : m.notes)
            o << "- " << md(n) << "\n";
    }

    for (const auto& t : m.tables) {
        table(o, t, m);
        if (t.name == "corridors" && !m.corridor_villages.empty()) {
            o << "\n### " << m.t("廊道涉及村庄", "Villages each corridor touches") << "\n\n";
            for (const auto& l : m.corridor_villages)
                o << "- " << md(m.list_text(l)) << "\n";
        }
    }

    o << "\n## " << m.t("图表数据", "Chart data") << "\n";
    for (const auto& c : m.charts) {
        o << "\n### " << md(c.title) << "\n\n";
        std::vector<std::string> names{""};
        std::vector<bool> numeric{false};
        for (const auto& s : c.series) {
            names.push_back(md(s.label));
            numeric.push_back(true);
        }
        header(o, names, numeric);
        for (std::size_t i = 0; i < c.labels.size(); ++i) {
            std::vector<std::string> cells{md(c.labels[i])};
            for (const auto& s : c.series)
                cells.push_back(md(cell_text(Cell{s.values[i].value}, s.values[i].unit)));
            row(o, cells);
        }
    }

    table(o, m.findings, m);
    table(o, m.inputs, m);

    if (const auto& l = m.ledger) {
        o << "\n## " << m.t("审计台账", "Audit ledger") << "\n\n";
        header(o, {m.t("项目", "Item"), m.t("内容", "Value")}, {false, false});
        row(o, {m.t("台账", "Ledger"), md(l->path)});
        row(o, {m.t("运行", "Run"), std::to_string(l->run)});
        row(o, {m.t("头哈希", "Head hash"), l->head_hash});
        row(o, {m.t("校验", "Verification"),
                l->verified ? fmt::format("{} ({} {})", m.t("通过", "passed"), l->entries,
                                          m.t("条记录", "entries"))
                            : md(std::string(m.t("未通过：", "failed: ")) + l->problem)});
        if (!m.banner.empty())
            o << "\n"
              << m.t("计划：以上为提交后将记录的运行号与头哈希；台账未改动。",
                     "Plan: the run and head hash above are what a commit would record; "
                     "the ledger is unchanged.")
              << "\n";
        o << "\n"
          << m.t("提交后可复核：", "Check it after the commit with: ") << "`landquota audit verify "
          << md(l->path) << " --head " << l->head_hash << "`\n";
    }
}

class ReportMdWriter final : public Writer {
  public:
    explicit ReportMdWriter(const WriterContext& c)
        : file_(c.folder / "report.md"), lang_(c.lang) {}

    void finish(const RunResults& r) override {
        std::ofstream o(file_, std::ios::binary);
        write(o, build_report(r, lang_));
        o.close();
        if (!o)
            throw Error(Stage::Publish, write_failure(file_, std::strerror(errno)));
    }

  private:
    std::filesystem::path file_;
    Lang lang_;
};

} // namespace

std::unique_ptr<Writer> make_report_md_writer(const WriterContext& c) {
    return std::make_unique<ReportMdWriter>(c);
}

} // namespace landquota
