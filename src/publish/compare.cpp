#include "publish/compare.hpp"

#include "landquota/money.hpp"
#include "publish/allocation_index.hpp"
#include "publish/report_model.hpp"

#include <cmath>
#include <fmt/format.h>
#include <map>

namespace landquota {

namespace {

using U = Unit;

// A table keyed by (id, name): one value per plan (0 where a plan has no such row), then the
// changes from the first plan, then the flag.
Table side_by_side(const std::string& name, const std::string& zh, std::vector<Column> keys,
                   const std::map<std::vector<std::string>, std::vector<std::int64_t>>& rows,
                   const std::vector<std::string>& labels, Unit unit, const std::string& what,
                   const std::string& what_zh) {
    Table t{name, zh, std::move(keys), {}, true};
    for (const auto& l : labels)
        t.columns.push_back({l + "_" + what, l + "（" + what_zh + "）", unit});
    for (std::size_t i = 1; i < labels.size(); ++i)
        t.columns.push_back({labels[i] + "_vs_" + labels[0] + "_" + what,
                             labels[i] + " − " + labels[0] + "（" + what_zh + "）", unit});
    t.columns.push_back({"differs", "不同", U::Text});
    for (const auto& [key, values] : rows) {
        std::vector<Cell> row(key.begin(), key.end());
        bool differs = false;
        for (const auto v : values) {
            row.emplace_back(v);
            differs = differs || v != values.front();
        }
        for (std::size_t i = 1; i < values.size(); ++i)
            row.emplace_back(values[i] - values.front());
        row.emplace_back(std::string(differs ? kDiffers : ""));
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::string figure_text(double v) {
    return std::isnan(v) ? std::string("-") : fmt::format("{:.2f}", v);
}

} // namespace

Comparison compare_scenarios(const std::vector<Scenario>& plans) {
    Comparison c;
    const std::size_t n = plans.size();
    for (const auto& p : plans) {
        c.labels.push_back(p.label);
        c.folders.push_back(p.folder);
    }
    std::map<std::vector<std::string>, std::vector<std::int64_t>> sites, townships, payees;
    std::map<std::string, std::string> township_name, village_name;
    for (const auto& p : plans) {
        for (const auto& u : p.quota.townships)
            township_name.emplace(u.id, u.name);
        for (const auto& v : p.quota.villages)
            village_name.emplace(v.village_id, v.name);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const AllocationRun* a = plans[i].allocation;
        if (!a)
            continue;
        if (c.ledger.empty()) {
            c.ledger = a->ledger.path;
            c.ledger_head = a->ledger.start_hash;
        }
        const AllocationIndex index(*a);
        for (const auto& s : a->sites) {
            auto& row = sites[{s.site_id, s.name}];
            row.resize(n);
            row[i] += index.site_mu(s.site_id);
            auto& tw = townships[{s.township_id, township_name[s.township_id]}];
            tw.resize(n);
            tw[i] += index.site_mu(s.site_id);
        }
        for (const auto& p : a->payments) {
            const auto name =
                p.payee_kind == "township" ? township_name[p.payee_id] : village_name[p.payee_id];
            auto& row = payees[{p.payee_kind, p.payee_id, name}];
            row.resize(n);
            row[i] += p.amount;
        }
    }
    c.tables.push_back(
        side_by_side("compare_sites", "各项目分配对比",
                     {{"site_id", "项目代码", U::Text}, {"name", "项目名称", U::Text}}, sites,
                     c.labels, U::AreaMu, "mu", "亩"));
    c.tables.push_back(
        side_by_side("compare_townships", "各乡镇（受让方）分配对比",
                     {{"township_id", "乡镇代码", U::Text}, {"name", "乡镇", U::Text}}, townships,
                     c.labels, U::AreaMu, "mu", "亩"));
    c.tables.push_back(side_by_side("compare_payees", "各收款方补偿对比",
                                    {{"payee_kind", "收款方类型", U::Text},
                                     {"payee_id", "收款方", U::Text},
                                     {"name", "名称", U::Text}},
                                    payees, c.labels, U::Yuan, "yuan", "元"));

    // The headline figures, as text: they mix units, and the objective is not exact.
    Table f{"compare_figures", "主要数字对比", {{"figure", "项目", U::Text}}, {}, false};
    for (const auto& l : c.labels)
        f.columns.push_back({l, l, U::Text});
    f.columns.push_back({"differs", "不同", U::Text});
    auto add = [&](const std::string& key, auto value_of) {
        std::vector<Cell> row{key};
        std::vector<std::string> values;
        for (const auto& p : plans)
            values.push_back(value_of(p.manifest));
        bool differs = false;
        for (const auto& v : values) {
            row.emplace_back(v);
            differs = differs || v != values.front();
        }
        row.emplace_back(std::string(differs ? kDiffers : ""));
        f.rows.push_back(std::move(row));
    };
    auto alloc = [](const Manifest& m) { return m.allocation ? &*m.allocation : nullptr; };
    add("strategy", [&](const Manifest& m) { return alloc(m) ? alloc(m)->strategy : "-"; });
    add("models", [&](const Manifest& m) {
        std::string out;
        for (const auto& p : m.plugins)
            if (p.kind != "allocation")
                out += (out.empty() ? "" : ", ") + p.name;
        return out.empty() ? std::string("-") : out;
    });
    add("allocated_mu", [&](const Manifest& m) {
        return alloc(m) ? format_mu(hundredths_m2_to_mu_hundredths(alloc(m)->allocated))
                        : std::string("-");
    });
    add("allocated_m2",
        [&](const Manifest& m) { return alloc(m) ? format_m2(alloc(m)->allocated) : "-"; });
    add("sites_supplied", [&](const Manifest& m) {
        return alloc(m) ? fmt::format("{} / {}", alloc(m)->sites_supplied, alloc(m)->sites)
                        : std::string("-");
    });
    add("transfers", [&](const Manifest& m) {
        return alloc(m) ? std::to_string(alloc(m)->transfers) : std::string("-");
    });
    add("paid_yuan", [&](const Manifest& m) {
        return m.compensation ? format_yuan(m.compensation->total) : std::string("-");
    });
    add("objective", [&](const Manifest& m) {
        return alloc(m) ? figure_text(alloc(m)->figure("objective")) : std::string("-");
    });
    add("shadow_price_per_mu", [&](const Manifest& m) {
        return alloc(m) ? figure_text(alloc(m)->figure("shadow_price_per_mu")) : std::string("-");
    });
    add("benefit", [&](const Manifest& m) {
        return alloc(m) && !alloc(m)->benefit.empty() ? alloc(m)->benefit : std::string("-");
    });
    add("sites_without_quota", [&](const Manifest& m) {
        std::string out;
        if (alloc(m))
            for (const auto& u : alloc(m)->unsupplied)
                out += (out.empty() ? "" : " ") + u.site_id;
        return out.empty() ? std::string("-") : out;
    });
    c.tables.insert(c.tables.begin(), std::move(f));
    return c;
}

} // namespace landquota
