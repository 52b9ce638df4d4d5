#include "publish/tables.hpp"

#include "landquota/money.hpp"
#include "pipeline/level_balance.hpp"
#include "publish/allocation_index.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace landquota {

namespace {

using U = Unit;
using Row = std::vector<Cell>;

std::int64_t mu_of(AreaCm2x100 a) {
    return hundredths_m2_to_mu_hundredths(a);
}

// The columns every unit table ends with.
const std::vector<Column> kUnitColumns = {
    {"villages", "村数", U::Count},
    {"reclaim_m2", "复垦面积（平方米）", U::AreaM2},
    {"resettle_m2", "安置面积（平方米）", U::AreaM2},
    {"freed_m2", "节余指标（平方米）", U::AreaM2},
    {"freed_mu", "节余指标（亩）", U::AreaMu},
    {"freed_ha", "节余指标（公顷）", U::AreaHa},
};

Row unit_cells(const UnitQuota& u) {
    return {std::int64_t{u.villages}, u.reclaim, u.resettle, u.freed(),
            u.freed_mu_hundredths,    u.freed()};
}

template <typename T> std::vector<T> concat(std::vector<T> a, const std::vector<T>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Table villages(const QuotaTables& q) {
    Table t{"villages", "村", {}, {}, true};
    t.columns = {{"village_id", "村代码", U::Text},
                 {"name", "村名", U::Text},
                 {"township_id", "乡镇代码", U::Text},
                 {"zone_id", "片区", U::Text},
                 {"region_id", "区域", U::Text},
                 {"relocating", "整体搬迁", U::Text},
                 {"parcels", "图斑数", U::Count},
                 {"reclaimable_parcels", "可复垦图斑数", U::Count},
                 {"reclaim_m2", "复垦面积（平方米）", U::AreaM2},
                 {"resettle_m2", "安置面积（平方米）", U::AreaM2},
                 {"freed_m2", "节余指标（平方米）", U::AreaM2},
                 {"freed_mu", "节余指标（亩）", U::AreaMu},
                 {"freed_ha", "节余指标（公顷）", U::AreaHa}};
    for (const auto& v : q.villages)
        t.rows.push_back({v.village_id, v.name, v.township_id, v.zone_id, v.region_id,
                          std::string(v.relocating ? "1" : "0"), v.parcels, v.reclaimable_parcels,
                          v.reclaim, v.resettle, v.freed(), v.freed_mu_hundredths, v.freed()});
    return t;
}

// Townships, zones, regions: the same columns after their keys. Townships also carry their
// region: zone ids may repeat across regions.
Table units(const std::string& name, const std::string& zh, std::vector<Column> keys,
            bool with_region, const std::vector<UnitQuota>& rows) {
    Table t{name, zh, concat(std::move(keys), kUnitColumns), {}, true};
    for (const auto& u : rows) {
        Row r{u.id, u.name, u.parent_id};
        if (with_region)
            r.emplace_back(u.region_id);
        t.rows.push_back(concat(r, unit_cells(u)));
    }
    return t;
}

// What earlier runs of the ledger gave a site or took from a lot.
AreaCm2x100 earlier(const std::map<std::string, AreaCm2x100>& by_id, const std::string& id) {
    const auto it = by_id.find(id);
    return it == by_id.end() ? 0 : it->second;
}

// Each site: its demand, what earlier runs gave it, what this run gives (allocated_*), what it
// still lacks; fulfilment counts all of it. The mu of earlier and remaining are their m² rounded
// row by row; allocated_mu is apportioned from the run's total (methods.md §1).
Table sites(const AllocationRun& a, const AllocationIndex& index) {
    Table t{"sites", "建新项目", {}, {}, true};
    t.columns = {{"site_id", "项目代码", U::Text},
                 {"name", "项目名称", U::Text},
                 {"township_id", "乡镇代码", U::Text},
                 {"zone_id", "片区", U::Text},
                 {"region_id", "区域", U::Text},
                 {"demand_m2", "需求（平方米）", U::AreaM2},
                 {"demand_mu", "需求（亩）", U::AreaMu},
                 {"demand_ha", "需求（公顷）", U::AreaHa},
                 {"earlier_m2", "以往已分配（平方米）", U::AreaM2},
                 {"earlier_mu", "以往已分配（亩）", U::AreaMu},
                 {"allocated_m2", "本次分配（平方米）", U::AreaM2},
                 {"allocated_mu", "本次分配（亩）", U::AreaMu},
                 {"allocated_ha", "本次分配（公顷）", U::AreaHa},
                 {"remaining_m2", "尚缺（平方米）", U::AreaM2},
                 {"remaining_mu", "尚缺（亩）", U::AreaMu},
                 {"fulfilment", "满足率", U::Share}};
    for (const auto& s : a.sites) {
        const AreaCm2x100 before = earlier(a.earlier_received, s.site_id);
        const AreaCm2x100 got = index.given_to(s.site_id);
        const AreaCm2x100 left = std::max<AreaCm2x100>(0, s.demand - before - got);
        t.rows.push_back({s.site_id, s.name, s.township_id, s.zone_id, s.region_id, s.demand,
                          mu_of(s.demand), s.demand, before, mu_of(before), got,
                          index.site_mu(s.site_id), got, left, mu_of(left),
                          AllocationIndex::fulfilment(before + got, s.demand)});
    }
    return t;
}

Table transfers(const AllocationRun& a, const AllocationIndex& index) {
    Table t{"transfers", "指标交易", {}, {}, true};
    t.columns = {{"transfer_id", "交易编号", U::Text},     {"lot_id", "指标批次", U::Text},
                 {"village_id", "村代码", U::Text},        {"township_id", "乡镇代码", U::Text},
                 {"site_id", "项目代码", U::Text},         {"site_name", "项目名称", U::Text},
                 {"area_m2", "面积（平方米）", U::AreaM2}, {"area_mu", "面积（亩）", U::AreaMu},
                 {"area_ha", "面积（公顷）", U::AreaHa},   {"amount_fen", "金额（分）", U::Fen},
                 {"amount_yuan", "金额（元）", U::Yuan}};
    for (const auto& tr : a.transfers) {
        const QuotaLot& l = index.lot(tr.lot_id);
        const Fen amount = index.paid_for(tr.transfer_id);
        t.rows.push_back({tr.transfer_id, tr.lot_id, l.village_id, l.township_id, tr.site_id,
                          index.site(tr.site_id).name, tr.area, index.transfer_mu(tr.transfer_id),
                          tr.area, amount, amount});
    }
    return t;
}

// Each lot: its quota, what earlier runs took, what this run takes, what is left.
Table lots(const AllocationRun& a, const AllocationIndex& index) {
    Table t{"lots", "指标批次", {}, {}, true};
    t.columns = {{"lot_id", "指标批次", U::Text},
                 {"village_id", "村代码", U::Text},
                 {"village_name", "村名", U::Text},
                 {"township_id", "乡镇代码", U::Text},
                 {"zone_id", "片区", U::Text},
                 {"region_id", "区域", U::Text},
                 {"state", "状态", U::Text},
                 {"reclaim_to", "复垦方向", U::Text},
                 {"accepted", "验收日期", U::Text},
                 {"parcels", "图斑数", U::Count},
                 {"area_m2", "指标面积（平方米）", U::AreaM2},
                 {"earlier_m2", "以往已分配（平方米）", U::AreaM2},
                 {"earlier_mu", "以往已分配（亩）", U::AreaMu},
                 {"allocated_m2", "本次分配（平方米）", U::AreaM2},
                 {"allocated_mu", "本次分配（亩）", U::AreaMu},
                 {"remaining_m2", "剩余（平方米）", U::AreaM2},
                 {"remaining_mu", "剩余（亩）", U::AreaMu}};
    std::map<std::string, std::int64_t> lot_mu; // Σ of its transfers' apportioned mu
    for (const auto& tr : a.transfers)
        lot_mu[tr.lot_id] += index.transfer_mu(tr.transfer_id);
    for (const auto& l : a.lots) {
        const AreaCm2x100 before = earlier(a.earlier_spent, l.lot_id);
        const AreaCm2x100 used = index.taken_from(l.lot_id);
        const AreaCm2x100 left = l.area - before - used;
        t.rows.push_back({l.lot_id, l.village_id, l.village_name, l.township_id, l.zone_id,
                          l.region_id, l.state, l.reclaim_to, l.accepted,
                          static_cast<std::int64_t>(l.parcels.size()), l.area, before,
                          mu_of(before), used, lot_mu[l.lot_id], left, mu_of(left)});
    }
    return t;
}

Table lot_parcels(const AllocationRun& a) {
    Table t{"lot_parcels", "批次图斑", {}, {}, true};
    t.columns = {{"lot_id", "指标批次", U::Text},
                 {"parcel_id", "图斑编号", U::Text},
                 {"holder", "权利人", U::Text},
                 {"landuse", "地类代码", U::Text},
                 {"reclaim_m2", "复垦面积（平方米）", U::AreaM2}};
    for (const auto& l : a.lots)
        for (const auto& p : l.parcels)
            t.rows.push_back({l.lot_id, p.parcel_id, p.holder, p.landuse, p.reclaim});
    return t;
}

Table payments(const AllocationRun& a) {
    Table t{"payments", "补偿支付", {}, {}, true};
    t.columns = {{"payment_id", "支付编号", U::Text},
                 {"model", "补偿模型", U::Text},
                 {"payee_kind", "收款方类型", U::Text},
                 {"payee_id", "收款方", U::Text},
                 {"transfer_id", "交易编号", U::Text},
                 {"lot_id", "指标批次", U::Text},
                 {"year", "年度", U::Text},
                 {"amount_fen", "金额（分）", U::Fen},
                 {"amount_yuan", "金额（元）", U::Yuan},
                 {"basis", "计算依据", U::Text}};
    for (const auto& p : a.payments)
        t.rows.push_back({p.payment_id, p.model, p.payee_kind, p.payee_id, p.transfer_id, p.lot_id,
                          p.year ? std::to_string(p.year) : std::string(), p.amount, p.amount,
                          p.basis});
    return t;
}

// The quota and money at every level (methods.md §8.1). No total row: each level is a whole of
// its own, and its rows add up to the job's row. A level is named as the job's [levels] says.
Table level_balance_table(const Job& job, const QuotaTables& q, const AllocationRun& a) {
    Table t{"level_balance", "各级指标平衡", {}, {}, false};
    t.columns = {{"level", "层级代码", U::Text},
                 {"level_name", "层级", U::Text},
                 {"id", "代码", U::Text},
                 {"name", "名称", U::Text},
                 {"parent", "上级", U::Text},
                 {"supply_m2", "可分配指标（平方米）", U::AreaM2},
                 {"demand_m2", "项目需求（平方米）", U::AreaM2},
                 {"sent_m2", "调出指标（平方米）", U::AreaM2},
                 {"received_m2", "调入指标（平方米）", U::AreaM2},
                 {"within_m2", "本级内调剂（平方米）", U::AreaM2},
                 {"exported_m2", "跨出本级（平方米）", U::AreaM2},
                 {"imported_m2", "来自本级外（平方米）", U::AreaM2},
                 {"unallocated_m2", "未分配（平方米）", U::AreaM2},
                 {"paid_fen", "补偿（分）", U::Fen},
                 {"paid_yuan", "补偿（元）", U::Yuan}};
    auto label = [&](const std::string& level) {
        const LevelNames& n = job.levels;
        if (level == "job")
            return n.job.empty() ? std::string("全县") : n.job;
        if (level == "region")
            return n.region.empty() ? std::string("区域") : n.region;
        if (level == "zone")
            return n.zone.empty() ? std::string("片区") : n.zone;
        return std::string("乡镇");
    };
    for (const auto& b : level_balance(q, a)) {
        const std::string name =
            b.level == "job" ? (job.levels.job.empty() ? job.name : job.levels.job) : b.name;
        t.rows.push_back({b.level, label(b.level), b.id, name, b.parent, b.supply, b.demand, b.sent,
                          b.received, b.within, b.exported(), b.imported(), b.unallocated(), b.paid,
                          b.paid});
    }
    return t;
}

// Declared clusters (片区) with their lead townships, when the job marks leads.
Table clusters(const std::vector<DeclaredCluster>& cs) {
    Table t{"clusters", "片区", {}, {}, false};
    t.columns = {{"zone_id", "片区", U::Text},         {"region_id", "区域", U::Text},
                 {"lead_id", "牵头乡镇代码", U::Text}, {"lead_name", "牵头乡镇", U::Text},
                 {"townships", "乡镇数", U::Count},    {"members", "成员乡镇", U::Text}};
    for (const auto& c : cs) {
        std::string members;
        for (const auto& id : c.townships)
            members += (members.empty() ? "" : " ") + id;
        t.rows.push_back({c.zone_id, c.region_id, c.lead_id, c.lead_name,
                          static_cast<std::int64_t>(c.townships.size()), members});
    }
    return t;
}

// An analysis plugin's table: text, integers as counts, numbers as decimals; no total row (its
// figures are scores and costs, not parts of a whole).
Table analysis_table(const AnalysisTable& a) {
    Table t{a.name, a.zh, {}, {}, false};
    for (const auto& c : a.columns)
        t.columns.push_back({c.key, c.zh,
                             c.kind == ValueKind::Text      ? U::Text
                             : c.kind == ValueKind::Integer ? U::Count
                                                            : U::Decimal,
                             false});
    for (const auto& row : a.rows) {
        Row r;
        for (const auto& v : row)
            r.push_back(std::visit([](const auto& x) { return Cell{x}; }, v));
        t.rows.push_back(std::move(r));
    }
    return t;
}

// One row per corridor and region: the belt, the routes and what lies inside (methods.md §6.2).
Table corridors(const CorridorReport& c) {
    Table t{"corridors", "廊道", {}, {}, true};
    t.columns = {{"corridor", "廊道", U::Text},
                 {"role", "作用", U::Text},
                 {"region_id", "区域", U::Text},
                 {"length_km", "线路长度（公里）", U::Decimal},
                 {"belt_m2", "廊道面积（平方米）", U::AreaM2},
                 {"belt_ha", "廊道面积（公顷）", U::AreaHa},
                 {"reclaim_m2", "廊道内复垦面积（平方米）", U::AreaM2},
                 {"freed_m2", "廊道内节余指标（平方米）", U::AreaM2},
                 {"freed_mu", "廊道内节余指标（亩）", U::AreaMu},
                 {"parcels", "廊道内可复垦图斑数", U::Count},
                 {"villages", "涉及村数", U::Count}};
    for (const auto& r : c.rows)
        t.rows.push_back({r.corridor, r.role, r.region_id, r.length_m / 1000.0, r.belt, r.belt,
                          r.reclaim, r.freed, mu_of(r.freed), r.parcels, r.villages});
    return t;
}

// One row per corridor and village it touches; a region's rows sum to its row of `corridors`.
Table corridor_villages(const CorridorReport& c) {
    Table t{"corridor_villages", "廊道涉及村庄", {}, {}, true};
    t.columns = {{"corridor", "廊道", U::Text},
                 {"role", "作用", U::Text},
                 {"region_id", "区域", U::Text},
                 {"township_id", "乡镇代码", U::Text},
                 {"township", "乡镇", U::Text},
                 {"village_id", "村代码", U::Text},
                 {"name", "村名", U::Text},
                 {"parcels", "廊道内可复垦图斑数", U::Count},
                 {"reclaim_m2", "廊道内复垦面积（平方米）", U::AreaM2},
                 {"reclaim_mu", "廊道内复垦面积（亩）", U::AreaMu},
                 {"freed_m2", "廊道内节余指标（平方米）", U::AreaM2},
                 {"freed_mu", "廊道内节余指标（亩）", U::AreaMu}};
    for (const auto& v : c.villages)
        t.rows.push_back({v.corridor, v.role, v.region_id, v.township_id, v.township, v.village_id,
                          v.name, v.parcels, v.reclaim, mu_of(v.reclaim), v.freed, mu_of(v.freed)});
    return t;
}

Table findings(const FindingLog& log) {
    Table t{"findings", "检查结果", {}, {}, false};
    t.columns = {{"severity", "级别", U::Text}, {"check", "检查项", U::Text},
                 {"file", "文件", U::Text},     {"layer", "图层", U::Text},
                 {"feature", "要素", U::Text},  {"field", "字段", U::Text},
                 {"message", "说明", U::Text}};
    for (const auto& f : log.kept())
        t.rows.push_back({std::string(f.is_error() ? "error" : "warning"), f.check, f.file, f.layer,
                          f.feature, f.field, f.message});
    // Only the first findings of each kind are kept in full (memory stays bounded); say so.
    for (const auto& [check, n] : log.counts())
        if (n > FindingLog::kKeepPerCheck)
            t.rows.push_back({std::string("note"), check, std::string(), std::string(),
                              std::string(), std::string(),
                              fmt::format("{} more '{}' findings are not listed ({} in all)",
                                          n - FindingLog::kKeepPerCheck, check, n)});
    return t;
}

} // namespace

std::vector<Table> run_tables(const RunResults& r) {
    const QuotaTables& q = r.quota;
    std::vector<Table> out;
    // A city job calls its regions counties ([levels]): the sheets say so.
    const LevelNames& levels = r.job.levels;
    out.push_back(units(
        "regions", levels.region.empty() ? "区域" : levels.region,
        {{"region_id", "区域", U::Text}, {"name", "名称", U::Text}, {"county", "县", U::Text}},
        false, q.regions));
    out.push_back(units(
        "zones", levels.zone.empty() ? "片区" : levels.zone,
        {{"zone_id", "片区", U::Text}, {"name", "名称", U::Text}, {"region_id", "区域", U::Text}},
        false, q.zones));
    out.push_back(units("townships", "乡镇",
                        {{"township_id", "乡镇代码", U::Text},
                         {"name", "乡镇", U::Text},
                         {"zone_id", "片区", U::Text},
                         {"region_id", "区域", U::Text}},
                        true, q.townships));
    out.push_back(villages(q));
    if (const AllocationRun* a = r.allocation) {
        const AllocationIndex index(*a);
        out.push_back(sites(*a, index));
        out.push_back(lots(*a, index));
        out.push_back(lot_parcels(*a));
        out.push_back(transfers(*a, index));
        out.push_back(payments(*a));
        out.push_back(level_balance_table(r.job, q, *a));
    }
    if (r.analyses) {
        if (!r.analyses->clusters.empty())
            out.push_back(clusters(r.analyses->clusters));
        for (const auto& run : r.analyses->runs)
            for (const auto& t : run.result.tables)
                out.push_back(analysis_table(t));
    }
    if (r.corridors)
        for (Table& t : corridor_tables(*r.corridors))
            out.push_back(std::move(t));
    out.push_back(findings(r.findings));
    if (r.manifest.plan)
        for (Table& t : out)
            mark_plan(t);
    return out;
}

std::vector<Table> corridor_tables(const CorridorReport& c) {
    std::vector<Table> out;
    if (!c.rows.empty())
        out.push_back(corridors(c));
    if (!c.villages.empty())
        out.push_back(corridor_villages(c));
    return out;
}

void mark_plan(Table& t) {
    t.columns.insert(t.columns.begin(), Column{"plan", "计划", U::Text});
    for (auto& row : t.rows)
        row.insert(row.begin(), Cell{std::string(kPlanBanner)});
}

std::string cell_text(const Cell& c, Unit unit) {
    if (const auto* s = std::get_if<std::string>(&c))
        return *s;
    if (const auto* d = std::get_if<double>(&c))
        return unit == Unit::Decimal ? fmt::format("{:.6f}", *d) : fmt::format("{:.4f}", *d);
    const std::int64_t v = std::get<std::int64_t>(c);
    switch (unit) {
    case Unit::AreaM2:
        return format_m2(v);
    case Unit::AreaMu:
        return format_mu(v);
    case Unit::AreaHa:
        return format_ha(v);
    case Unit::Yuan:
        return format_yuan(v);
    default:
        return std::to_string(v);
    }
}

} // namespace landquota
