#include "pipeline/assign.hpp"

#include "core/translate.hpp"

#include <fmt/format.h>

namespace landquota {

namespace {
std::vector<const GEOSGeometry*> geometries_of(const std::vector<VillageRef>& v) {
    std::vector<const GEOSGeometry*> out;
    for (const auto& x : v)
        out.push_back(x.geometry.get());
    return out;
}
} // namespace

Assigner::Assigner(const ReferenceLayers& ref)
    : ref_(ref), index_(std::make_unique<PolygonIndex>(geometries_of(ref.villages))) {
    for (std::size_t i = 0; i < ref.villages.size(); ++i)
        by_code_.emplace(ref.villages[i].id, static_cast<int>(i));
}

Assignment Assigner::assign(const GEOSGeometry* parcel, const std::string& village_code) const {
    Assignment a;
    const auto overlap = index_->largest_overlap(parcel);
    if (overlap.found && overlap.area > 0.0) {
        a.village = static_cast<int>(overlap.index);
        a.geometric_village = ref_.villages[overlap.index].id;
    }
    if (village_code.empty())
        return a;
    const auto it = by_code_.find(village_code);
    if (it == by_code_.end()) {
        a.unknown_code = true; // fall back on geometry
        return a;
    }
    if (it->second != a.village)
        a.mismatch = true;
    a.village = it->second; // the survey's own attribution wins; the mismatch is reported
    return a;
}

std::vector<VillageQuota> village_rows(const ReferenceLayers& ref, const VillageInput& input,
                                       FindingLog& log) {
    const std::string& villages_file = input.path;
    const std::string& id_field = input.id;
    const std::string& township_field = input.township;
    std::map<std::string, const TownshipRef*> townships;
    for (const auto& t : ref.townships)
        townships.emplace(t.id, &t);
    std::vector<const GEOSGeometry*> tgeoms;
    for (const auto& t : ref.townships)
        tgeoms.push_back(t.geometry.get());
    PolygonIndex tindex(tgeoms);

    std::vector<VillageQuota> rows;
    rows.reserve(ref.villages.size());
    for (const auto& v : ref.villages) {
        VillageQuota q;
        q.village_id = v.id;
        q.name = v.name;
        q.relocating = v.relocating;
        q.township_id = v.township_id;
        if (q.township_id.empty() && !ref.townships.empty()) {
            const auto o = tindex.largest_overlap(v.geometry.get());
            if (o.found)
                q.township_id = ref.townships[o.index].id;
        }
        const std::string where = fmt::format("{}={} (FID {})", id_field, v.id, v.fid);
        if (q.township_id.empty() && !ref.townships.empty())
            log.add(Finding{Finding::Severity::Warning, "no_township", villages_file,
                            ref.villages_layer, where, township_field,
                            tr("the village has no township code and overlaps no township")});
        if (!q.township_id.empty() && !ref.townships.empty()) {
            const auto it = townships.find(q.township_id);
            if (it == townships.end()) {
                log.add(Finding{Finding::Severity::Error, "unknown_township", villages_file,
                                ref.villages_layer, where, township_field,
                                trf("township '{}' is not in the townships layer", q.township_id)});
            } else {
                q.zone_id = it->second->zone_id;
                q.region_id = it->second->region_id;
            }
        }
        rows.push_back(std::move(q));
    }
    return rows;
}

} // namespace landquota
