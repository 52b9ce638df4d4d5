#include "publish/field_names.hpp"

#include <stdexcept>

#include <map>

namespace landquota {

namespace {

const std::map<std::string, std::string> kFieldZh = {
    // parcels and reclaimed pieces
    {"parcel_id", "图斑标识码"},
    {"source_fid", "源要素号"},
    {"landuse", "地类编码"},
    {"area_m2", "椭球面积（平方米）"},
    {"planar_m2", "平面面积（平方米）"},
    {"status", "复垦状态"},
    {"excluded_by", "扣除原因（管控区）"},
    {"reason", "说明"},
    // units
    {"village_id", "村代码"},
    {"township_id", "乡镇代码"},
    {"zone_id", "片区"},
    {"region_id", "区域"},
    {"county", "县"},
    {"name", "名称"},
    {"villages", "村数"},
    {"relocating", "整体搬迁"},
    {"parcels", "图斑数"},
    {"reclaimable_parcels", "可复垦图斑数"},
    {"reclaim_m2", "复垦面积（平方米）"},
    {"resettle_m2", "安置面积（平方米）"},
    {"freed_m2", "节余指标（平方米）"},
    {"freed_mu", "节余指标（亩）"},
    {"freed_ha", "节余指标（公顷）"},
    // sites and flows
    {"site_id", "项目代码"},
    {"demand_m2", "需求（平方米）"},
    {"demand_mu", "需求（亩）"},
    {"demand_ha", "需求（公顷）"},
    {"earlier_m2", "以往已分配（平方米）"},
    {"earlier_mu", "以往已分配（亩）"},
    {"allocated_m2", "本次分配（平方米）"},
    {"allocated_mu", "本次分配（亩）"},
    {"allocated_ha", "本次分配（公顷）"},
    {"remaining_m2", "尚缺（平方米）"},
    {"remaining_mu", "尚缺（亩）"},
    {"fulfilment", "满足率"},
    {"transfer_id", "交易编号"},
    {"lot_id", "指标批次"},
    {"amount_fen", "补偿金额（分）"},
    // a plan's mark, on every layer
    {"plan", "计划"},
    // context layers
    {"zone", "管控区"},
    {"resettlement_id", "安置区编号"},
    // corridors
    {"corridor", "廊道"},
    {"role", "作用"},
    {"route", "线路"},
    {"buffer_m", "单侧宽度（米）"},
    {"length_m", "线路长度（米）"},
    {"belt_m2", "廊道面积（平方米）"},
};

} // namespace

const std::string& field_zh(const std::string& field) {
    const auto it = kFieldZh.find(field);
    if (it == kFieldZh.end())
        throw std::logic_error("field '" + field + "' has no Chinese name (publish/field_names)");
    return it->second;
}

std::vector<FieldSpec> with_aliases(std::vector<FieldSpec> fields) {
    for (auto& f : fields)
        f.alias = field_zh(f.name);
    return fields;
}

} // namespace landquota
