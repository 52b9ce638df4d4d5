#include "publish/report_model.hpp"

#include "landquota/money.hpp"
#include "landquota/version.hpp"
#include "publish/allocation_index.hpp"
#include "publish/report_assets.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace landquota {

namespace {

std::int64_t mu_of(AreaCm2x100 a) {
    return hundredths_m2_to_mu_hundredths(a);
}

// An area as m², mu and hectares.
std::vector<Amount> area(AreaCm2x100 m2, std::int64_t mu_hundredths) {
    return {{Unit::AreaM2, m2}, {Unit::AreaMu, mu_hundredths}, {Unit::AreaHa, m2}};
}

// GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens; non-ASCII (the
// Chinese in a heading) kept.
std::string anchor_of(const std::string& heading) {
    std::string out;
    for (char ch : heading) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80 || std::isalnum(c) || ch == '-' || ch == '_')
            out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
        else if (ch == ' ')
            out += '-';
    }
    return out;
}

std::string quoted(const std::string& s) {
    return nlohmann::json(s).dump();
}

std::string list_text(const std::vector<std::string>& v) {
    return nlohmann::json(v).dump(-1, ' ', false);
}

std::string number_text(double d) {
    return fmt::format("{}", d);
}

std::string option_text(const OptionValue& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>)
                return quoted(x);
            else if constexpr (std::is_same_v<T, double>)
                return number_text(x);
            else if constexpr (std::is_same_v<T, bool>)
                return x ? "true" : "false";
            else if constexpr (std::is_same_v<T, std::int64_t>)
                return std::to_string(x);
            else
                return list_text(x);
        },
        v);
}

// "[allocation] strategy = "priority"; site_order = […]": a plugin as the job file chose it,
// with every option it ran with (defaults included).
std::string plugin_setting(const PluginRecord& p) {
    const bool strategy = p.kind == "allocation";
    std::string s = fmt::format("[{}] {} = {}", strategy ? "allocation" : "compensation",
                                strategy ? "strategy" : "model", quoted(p.name));
    for (const auto& [k, v] : p.options.all())
        s += fmt::format("; {} = {}", k, option_text(v));
    return s;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : sep) + p;
    return out;
}

const MethodsSection& section(const std::vector<MethodsSection>& all, const std::string& number) {
    for (const auto& s : all)
        if (s.number == number)
            return s;
    static const MethodsSection none{};
    return none;
}

class Builder {
  public:
    Builder(const RunResults& r, Lang lang) : r_(r) {
        m_.lang = lang;
        m_.methods = methods_sections();
    }

    ReportModel build() {
        const Manifest& man = r_.manifest;
        m_.title = fmt::format("{} — {}", m_.t("landquota 运行报告", "landquota run report"),
                               man.job_name);
        if (man.plan)
            m_.banner = fmt::format("{} — {}", kPlanBanner,
                                    t("本报告按台账当前状态计算，未写入台账；正式运行请用 "
                                      "landquota run",
                                      "computed against the ledger as it stands and not recorded "
                                      "in it; landquota run commits it"));
        run_facts();
        figures();
        if (const auto& a = man.allocation) {
            m_.notes = a->notes;
            outcome(*a);
        }
        tables();
        corridor_villages();
        charts();
        inputs();
        if (r_.allocation) {
            const LedgerRef& l = r_.allocation->ledger;
            m_.ledger =
                LedgerStatus{l.path, l.run, l.entries, l.head_hash, l.verified, l.verify_problem};
        }
        return std::move(m_);
    }

  private:
    const char* t(const char* zh, const char* en) const { return m_.t(zh, en); }

    void run_facts() {
        const Manifest& man = r_.manifest;
        const ParcelCounts& c = man.parcels;
        m_.run = {
            {t("任务", "Job"), man.job_name},
            {t("任务文件", "Job file"), man.job_file},
            {t("运行时间（UTC）", "Run (UTC)"), man.stamp.date},
            {t("操作员", "Operator"), man.stamp.operator_name},
            {t("引擎", "Engine"),
             fmt::format("landquota {} (GDAL {}, PROJ {}, GEOS {})", kVersion, man.libraries.gdal,
                         man.libraries.proj, man.libraries.geos)},
            {t("工作坐标系", "Working CRS"), man.working_crs},
            {t("图斑", "Parcels"),
             fmt::format("{} ({} {}, {} {}, {} {}, {} {})", c.parcels, c.reclaimable,
                         t("可复垦", "reclaimable"), c.excluded, t("被排除", "excluded"),
                         c.not_eligible, t("不符合条件", "not eligible"), c.outside,
                         t("不在村内", "outside"))},
            {t("面积校核", "Area cross-check"),
             fmt::format("{} {} {}; {} {:.4f} m²", man.area_check.parcels_checked,
                         t("个图斑对照", "parcels against"), "GeographicLib",
                         t("最大差", "largest gap"), man.area_check.max_abs_gap_m2)},
            {t("问题", "Findings"), fmt::format("{} {}, {} {}", man.errors, t("错误", "errors"),
                                                man.warnings, t("警告", "warnings"))},
        };
    }

    void add(std::string key, const char* zh, const char* en, std::vector<Amount> amounts,
             std::string rule, std::string setting, const std::string& method) {
        m_.figures.push_back({std::move(key),
                              t(zh, en),
                              std::move(amounts),
                              std::move(rule),
                              std::move(setting),
                              section(m_.methods, method),
                              {}});
    }

    void add_text(std::string key, const char* zh, const char* en, std::string text,
                  std::string rule, std::string setting, const std::string& method) {
        add(std::move(key), zh, en, {}, std::move(rule), std::move(setting), method);
        m_.figures.back().text = std::move(text);
    }

    void figures() {
        const Job& job = r_.job;
        const Manifest& man = r_.manifest;
        const UnitQuota& q = man.totals;
        const ReclaimRules& rr = job.reclaim;

        add("parcels", "图斑", "Parcels", {{Unit::Count, man.parcels.parcels}},
            t("读入的每个图斑，按状态：可复垦、被排除、不符合条件、不在村内",
              "every feature of the parcel layer, by status: reclaimable, excluded, not "
              "eligible, outside"),
            fmt::format("[inputs.parcels] layer = {}; id = {}", quoted(job.parcels.layer),
                        quoted(job.parcels.id)),
            "6");
        add("reclaimable_parcels", "可复垦图斑", "Reclaimable parcels",
            {{Unit::Count, man.parcels.reclaimable}},
            t("搬迁村内、地类与城镇村属性符合、坡度不超限，扣除排除区和碎块后仍有面积的图斑",
              "parcels in relocating villages, of a listed land use and village class, not too "
              "steep, with area left after the exclusions and the minimum piece"),
            fmt::format("reclaim.landuse = {}; reclaim.village_class = {}; "
                        "reclaim.max_slope_class = {}",
                        list_text(rr.landuse), list_text(rr.village_class), rr.max_slope_class),
            "6");

        std::vector<std::string> zones;
        for (const auto& x : job.exclusions)
            zones.push_back(x.name);
        const AreaCm2x100 reclaim = q.reclaim, freed = q.freed();
        const std::int64_t reclaim_mu = mu_of(reclaim), freed_mu = q.freed_mu_hundredths;
        add("reclaim", "复垦面积", "Reclaimed", area(reclaim, reclaim_mu),
            t("复垦 = 可复垦图斑扣除排除区、去掉小于最小碎块的部分后的椭球面积之和",
              "reclaim = Σ ellipsoidal area of the eligible pieces left after the exclusion "
              "zones, pieces below the minimum dropped"),
            fmt::format("reclaim.min_piece_m2 = {}; exclusions = {}; densify_m = {}",
                        number_text(rr.min_piece_m2), list_text(zones), number_text(job.densify_m)),
            "6");
        add("resettle", "安置用地", "Resettlement", area(q.resettle, reclaim_mu - freed_mu),
            t("安置 = 服务各村搬迁户的安置区椭球面积；亩 = 复垦亩 − 节余亩，使所示亩数相加一致",
              "resettle = ellipsoidal area of the resettlement sites of each village's "
              "households; mu = reclaim mu − freed mu, so the mu shown add up"),
            job.resettlement
                ? fmt::format("[inputs.resettlement] layer = {}; village = {}",
                              quoted(job.resettlement->layer), quoted(job.resettlement->village))
                : t("无 [inputs.resettlement]", "no [inputs.resettlement]"),
            "7");
        add("freed", "节余指标", "Freed quota", area(freed, freed_mu),
            t("节余 = 复垦 − 安置；亩数自上而下按最大余数法分配，各级合计一致",
              "freed = reclaim − resettlement; mu apportioned top-down by largest remainder so "
              "every level adds up"),
            fmt::format("reclaim.min_piece_m2 = {}; [inputs.villages] relocate = {}",
                        number_text(rr.min_piece_m2), quoted(job.villages.relocate)),
            "7");

        if (const auto& a = man.allocation) {
            const AllocationRun& run = *r_.allocation;
            std::int64_t demand_mu = 0; // per site, as the sites table shows them
            for (const auto& s : run.demand)
                demand_mu += mu_of(s.demand);
            const std::int64_t allocated_mu = mu_of(a->allocated);
            const std::int64_t supply_mu = mu_of(a->supply);
            add("supply", "可分配指标", "Supply", area(a->supply, supply_mu),
                t("供给 = 已验收批次的节余指标 − 台账中以往运行已用部分",
                  "supply = Σ freed quota of accepted lots − what earlier runs in the ledger "
                  "spent"),
                fmt::format("[inputs.villages] state = {}; accepted = {}",
                            quoted(job.villages.state), quoted(job.villages.accepted)),
                "8");
            add("demand", "项目需求", "Demand", area(a->demand, demand_mu),
                t("需求 = 各项目需求 − 以往运行已分配；亩为各项目亩数之和",
                  "demand = Σ sites' demand − what earlier runs gave them; mu = Σ of the "
                  "sites' mu"),
                job.sites ? fmt::format("[inputs.sites] demand = {}; demand_unit = {}",
                                        quoted(job.sites->demand), quoted(job.sites->demand_unit))
                          : std::string(),
                "8");
            std::string strategy;
            for (const auto& p : run.plugins)
                if (p.kind == "allocation")
                    strategy = plugin_setting(p);
            add("allocated", "已分配指标", "Allocated", area(a->allocated, allocated_mu),
                t("分配 = 各笔交易之和；每批次不超过其指标，每项目不超过其需求",
                  "allocated = Σ transfers; no lot gives more than it has, no site gets more "
                  "than it asked"),
                strategy, "8");
            if (const std::string o = objective_text(*a, m_.lang); !o.empty())
                add_text("objective", "目标值", "Objective", o,
                         t("目标值 = Σ 各笔交易的亩数 × 受让项目的效益属性；各策略可比",
                           "objective = Σ over transfers of mu × the site's benefit attribute; "
                           "the same for every strategy, so they compare"),
                         strategy, "8");
            if (const std::string sp = shadow_price_text(*a, m_.lang); !sp.empty())
                add_text(
                    "shadow_price", "影子价格", "Shadow price", sp,
                    t("影子价格 = 线性规划中批次供给约束的最大对偶值：再多一亩指标可增加的目标值",
                      "shadow price = the largest dual of the lots' supply constraints: what "
                      "one more mu of quota would add to the objective"),
                    strategy, "8");
            add("shortfall", "指标缺口", "Shortfall",
                area(a->demand - a->allocated, demand_mu - allocated_mu),
                t("缺口 = 需求 − 已分配", "shortfall = demand − allocated"),
                fmt::format("[ledger] on_shortfall = {}",
                            quoted(job.ledger.refuse_shortfall ? "refuse" : "partial")),
                "8");
        }
        if (const auto& c = man.compensation) {
            std::vector<std::string> models;
            for (const auto& p : r_.allocation->plugins)
                if (p.kind != "allocation")
                    models.push_back(plugin_setting(p));
            add("paid", "补偿金额", "Paid", {{Unit::Yuan, c->total}},
                t("支付 = 各笔支付之和；单笔 = round(面积 × 亩价 × 15 ÷ 10⁶) 分，分摊按最大余数法",
                  "paid = Σ payments; a value = round(area × price per mu × 15 ÷ 10⁶) fen, shares "
                  "apportioned by largest remainder"),
                join(models, " · "), "9");
        }
    }

    void outcome(const AllocationSummary& a) {
        if (!a.nothing_allocated.empty())
            m_.outcome.push_back(std::string(t("本次未分配任何指标：", "Nothing was allocated: ")) +
                                 a.nothing_allocated);
        if (a.unsupplied.empty() || !a.nothing_allocated.empty())
            return;
        std::string list;
        for (const auto& u : a.unsupplied)
            list += (list.empty() ? "" : t("；", "; ")) + unsupplied_text(u, m_.lang);
        m_.outcome.push_back(std::string(t("本次未获指标的项目：", "Sites that got nothing: ")) +
                             list);
    }

    void tables() {
        for (Table& table : run_tables(r_)) {
            if (r_.manifest.plan) { // the report says it once, in its banner
                table.columns.erase(table.columns.begin());
                for (auto& row : table.rows)
                    row.erase(row.begin());
            }
            if (table.name == "findings")
                m_.findings = std::move(table);
            else if (table.name != "lots" && table.name != "lot_parcels")
                m_.tables.push_back(std::move(table));
        }
    }

    // The villages of the corridor_villages table, one list per corridor and county, in the
    // table's order, so the report names them without the reader scanning the long table.
    void corridor_villages() {
        if (!r_.corridors)
            return;
        std::map<std::string, std::string> region_name;
        for (const auto& u : r_.quota.regions)
            region_name[u.id] = u.name.empty() ? u.id : u.name;
        for (const auto& v : r_.corridors->villages) {
            std::string label = v.corridor;
            if (v.region_id == kOutsideRegion)
                label += std::string(" · ") + t("乡镇范围外", "outside the townships");
            else if (!v.region_id.empty()) {
                const auto it = region_name.find(v.region_id);
                label += " · " + (it == region_name.end() ? v.region_id : it->second);
            }
            if (m_.corridor_villages.empty() || m_.corridor_villages.back().label != label)
                m_.corridor_villages.push_back(NamedList{label, {}});
            m_.corridor_villages.back().items.push_back(name_or_id(v.name, v.village_id));
        }
    }

    static std::string name_or_id(const std::string& name, const std::string& id) {
        return name.empty() ? id : name;
    }

    void charts() {
        const QuotaTables& q = r_.quota;
        Chart tw{"freed_by_township",
                 t("各乡镇节余指标（亩）", "Freed quota per township (mu)"),
                 {},
                 {}};
        ChartSeries tws{t("节余指标", "freed"), {}};
        for (const auto& u : q.townships) {
            tw.labels.push_back(name_or_id(u.name, u.id));
            tws.values.push_back({Unit::AreaMu, u.freed_mu_hundredths});
        }
        tw.series.push_back(std::move(tws));
        m_.charts.push_back(std::move(tw));

        Chart zn{"freed_by_zone",
                 t("各片区（联盟）节余指标（亩）", "Freed quota per zone or alliance (mu)"),
                 {},
                 {}};
        ChartSeries zns{t("节余指标", "freed"), {}};
        std::map<std::string, int> seen;
        for (const auto& u : q.zones)
            ++seen[name_or_id(u.name, u.id)];
        for (const auto& u : q.zones) {
            const std::string n = name_or_id(u.name, u.id);
            // Zone names may repeat across regions: then the region tells them apart.
            zn.labels.push_back(seen[n] > 1 ? u.parent_id + " · " + n : n);
            zns.values.push_back({Unit::AreaMu, u.freed_mu_hundredths});
        }
        zn.series.push_back(std::move(zns));
        m_.charts.push_back(std::move(zn));

        const AllocationRun* a = r_.allocation;
        if (!a)
            return;
        const AllocationIndex index(*a);
        Chart st{
            "sites", t("各项目需求与已分配（亩）", "Demand and allocated per site (mu)"), {}, {}};
        ChartSeries demand{t("需求", "demand"), {}}, got{t("已分配", "allocated"), {}};
        for (const auto& s : a->sites) {
            st.labels.push_back(name_or_id(s.name, s.site_id));
            demand.values.push_back({Unit::AreaMu, mu_of(s.demand)});
            got.values.push_back({Unit::AreaMu, index.site_mu(s.site_id)});
        }
        st.series = {std::move(demand), std::move(got)};
        m_.charts.push_back(std::move(st));

        if (!a->compensated)
            return;
        std::map<std::string, std::string> names;
        for (const auto& v : q.villages)
            names[v.village_id] = v.name;
        for (const auto& u : q.townships)
            names.emplace(u.id, u.name);
        std::map<std::pair<std::string, std::string>, Fen> paid;
        for (const auto& p : a->payments)
            paid[{p.payee_kind, p.payee_id}] += p.amount;
        std::vector<std::pair<std::pair<std::string, std::string>, Fen>> rows(paid.begin(),
                                                                              paid.end());
        std::stable_sort(rows.begin(), rows.end(),
                         [](const auto& x, const auto& y) { return x.second > y.second; });
        Chart py{"paid_by_payee", t("各收款方补偿（元）", "Paid per payee (yuan)"), {}, {}};
        ChartSeries pys{t("补偿", "paid"), {}};
        for (const auto& [payee, fen] : rows) {
            const auto it = names.find(payee.second);
            py.labels.push_back(it != names.end() && !it->second.empty()
                                    ? it->second + " (" + payee.second + ")"
                                    : payee.second);
            pys.values.push_back({Unit::Yuan, fen});
        }
        py.series.push_back(std::move(pys));
        m_.charts.push_back(std::move(py));
    }

    void inputs() {
        const Manifest& man = r_.manifest;
        Table t{"inputs", "输入文件", {}, {}, false};
        t.columns = {{"file", "文件", Unit::Text}, {"sha256", "SHA-256", Unit::Text}};
        t.rows.push_back({man.job_file, man.job_sha256});
        for (const auto& f : man.inputs)
            t.rows.push_back({f.path, f.sha256});
        m_.inputs = std::move(t);
    }

    const RunResults& r_;
    ReportModel m_;
};

} // namespace

std::string ReportModel::title_of(const Table& table) const {
    if (lang == Lang::Zh)
        return table.zh;
    static const std::map<std::string, std::string> en = {
        {"regions", "Regions"},
        {"zones", "Zones and alliances"},
        {"townships", "Townships"},
        {"villages", "Villages"},
        {"sites", "Sites"},
        {"transfers", "Transfers"},
        {"payments", "Payments"},
        {"findings", "Findings"},
        {"level_balance", "Quota and money per level"},
        {"inputs", "Input files"},
        {"corridors", "Corridors"},
        {"corridor_villages", "Villages touched by corridors"}};
    const auto it = en.find(table.name);
    return it != en.end() ? it->second : table.name;
}

std::string ReportModel::list_text(const NamedList& l) const {
    std::string items;
    for (const auto& i : l.items)
        items += (items.empty() ? "" : t("、", ", ")) + i;
    return lang == Lang::Zh ? fmt::format("{}（{} 个村）：{}", l.label, l.items.size(), items)
                            : fmt::format("{} ({} villages): {}", l.label, l.items.size(), items);
}

std::string ReportModel::unit_name(Unit unit) const {
    switch (unit) {
    case Unit::AreaM2:
        return "m²";
    case Unit::AreaMu:
        return t("亩", "mu");
    case Unit::AreaHa:
        return t("公顷", "ha");
    case Unit::Yuan:
        return t("元", "yuan");
    case Unit::Fen:
        return t("分", "fen");
    default:
        return "";
    }
}

std::string ReportModel::amount_text(const Amount& a) const {
    const std::string value = cell_text(Cell{a.value}, a.unit);
    const std::string unit = unit_name(a.unit);
    return unit.empty() ? value : value + " " + unit;
}

namespace {
std::string benefit_of(const AllocationSummary& a) {
    return a.benefit.empty() ? std::string("benefit") : a.benefit;
}
} // namespace

namespace {
// The objective's unit: the benefit's unit times mu, so "万元/亩" gives "万元".
std::string objective_unit(const std::string& unit) {
    for (const char* per : {"/亩", "/mu"})
        if (unit.size() > std::strlen(per) && unit.ends_with(per))
            return unit.substr(0, unit.size() - std::strlen(per));
    return {};
}
} // namespace

std::string objective_text(const AllocationSummary& a, Lang lang) {
    const double v = a.figure("objective");
    if (std::isnan(v))
        return {};
    const std::string unit = objective_unit(a.benefit_unit);
    const std::string value =
        unit.empty() ? fmt::format("{:.2f}", v) : fmt::format("{:.2f} {}", v, unit);
    return lang == Lang::Zh ? fmt::format("{}（Σ {} × 亩）", value, benefit_of(a))
                            : fmt::format("{} (Σ {} × mu)", value, benefit_of(a));
}

std::string shadow_price_text(const AllocationSummary& a, Lang lang) {
    const double v = a.figure("shadow_price_per_mu");
    if (std::isnan(v))
        return {};
    if (!a.benefit_unit.empty())
        return lang == Lang::Zh
                   ? fmt::format("{:.2f} {}（{}：每多一亩指标可增加的目标值）", v, a.benefit_unit,
                                 benefit_of(a))
                   : fmt::format("{:.2f} {} ({}: what one more mu of quota would add to the "
                                 "objective)",
                                 v, a.benefit_unit, benefit_of(a));
    return lang == Lang::Zh
               ? fmt::format("{:.2f} {}/亩（每多一亩指标可增加的目标值）", v, benefit_of(a))
               : fmt::format("{:.2f} {} per mu (what one more mu of quota would add to the "
                             "objective)",
                             v, benefit_of(a));
}

std::string unsupplied_text(const UnsuppliedSite& s, Lang lang) {
    const std::string who = s.name.empty() ? s.site_id : s.site_id + " " + s.name;
    const std::string mu = format_mu(hundredths_m2_to_mu_hundredths(s.wanted));
    if (s.wanted == 0)
        return who + (lang == Lang::Zh ? "（以往运行已满足）" : " (met by earlier runs)");
    return lang == Lang::Zh ? fmt::format("{}（尚需 {} 亩）", who, mu)
                            : fmt::format("{} ({} mu wanted)", who, mu);
}

ReportModel build_report(const RunResults& r, Lang lang) {
    return Builder(r, lang).build();
}

std::vector<Cell> total_row(const Table& table, const ReportModel& model) {
    std::vector<Cell> row(table.columns.size(), Cell{std::string()});
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        if (!table.columns[c].additive())
            continue;
        std::int64_t sum = 0;
        for (const auto& r : table.rows)
            if (const auto* v = std::get_if<std::int64_t>(&r[c]))
                sum += *v;
        row[c] = sum;
    }
    if (!row.empty() && std::holds_alternative<std::string>(row[0]))
        row[0] = std::string(model.t("合计", "Total"));
    return row;
}

std::vector<MethodsSection> methods_sections() {
    std::vector<MethodsSection> out;
    std::istringstream in{std::string(assets::methods_md)};
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) != 0)
            continue;
        const std::string heading = line.substr(3);
        const auto dot = heading.find(". ");
        if (dot == std::string::npos)
            continue;
        out.push_back({heading.substr(0, dot), heading.substr(dot + 2), anchor_of(heading)});
    }
    return out;
}

} // namespace landquota
