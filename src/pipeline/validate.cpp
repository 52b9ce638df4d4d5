#include "pipeline/validate.hpp"

#include "core/translate.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <ogr_geometry.h>

namespace landquota {

std::string FeatureRef::describe(const SourceFeature& f, const std::string& id_value) const {
    if (!id_field.empty() && !id_value.empty())
        return fmt::format("{}={} (FID {})", id_field, id_value, f.fid);
    return fmt::format("FID {}", f.fid);
}

Finding FeatureRef::finding(Finding::Severity s, std::string check, const SourceFeature& f,
                            const std::string& id_value, std::string field,
                            std::string message) const {
    return Finding{s,
                   std::move(check),
                   reader->source().path,
                   reader->layer_name(),
                   describe(f, id_value),
                   std::move(field),
                   std::move(message)};
}

GeomPtr checked_polygon(const SourceFeature& f, const FeatureRef& ref, const std::string& id_value,
                        bool repair_invalid, FindingLog& log, bool* repaired) {
    using S = Finding::Severity;
    if (repaired)
        *repaired = false;
    if (!f.geometry || f.geometry->IsEmpty()) {
        log.add(ref.finding(S::Error, "empty_geometry", f, id_value, "",
                            tr("the feature has no geometry")));
        return nullptr;
    }
    const auto type = wkbFlatten(f.geometry->getGeometryType());
    if (type != wkbPolygon && type != wkbMultiPolygon) {
        log.add(ref.finding(S::Error, "not_polygon", f, id_value, "",
                            trf("expected a polygon, found {}",
                                OGRGeometryTypeToName(f.geometry->getGeometryType()))));
        return nullptr;
    }
    GeomPtr g = to_geos(*f.geometry);
    auto* ctx = Geos::ctx();
    if (GEOSisValid_r(ctx, g.get()) == 1)
        return g;
    char* reason_c = GEOSisValidReason_r(ctx, g.get());
    const std::string reason = reason_c ? reason_c : "invalid";
    GEOSFree_r(ctx, reason_c);
    GeomPtr fixed = polygonal_part(make_valid_structure(g.get()).get());
    if (!repair_invalid) {
        log.add(ref.finding(S::Error, "invalid_geometry", f, id_value, "",
                            trf("invalid geometry ({}); set [job] repair_invalid = true to "
                                "repair it with GEOS make-valid (structure method)",
                                reason)));
        return nullptr;
    }
    if (!fixed) {
        log.add(ref.finding(S::Error, "invalid_geometry", f, id_value, "",
                            trf("invalid geometry ({}) that collapses when repaired", reason)));
        return nullptr;
    }
    log.add(ref.finding(S::Warning, "repaired_geometry", f, id_value, "",
                        trf("invalid geometry ({}) repaired with make-valid (structure); "
                            "planar area {:.2f} -> {:.2f}",
                            reason, planar_area(g.get()), planar_area(fixed.get()))));
    if (repaired)
        *repaired = true;
    return fixed;
}

std::uint64_t DuplicateIdDetector::hash(const std::string& id) {
    // FNV-1a, 64 bit: stable across platforms and runs (std::hash is not guaranteed to be).
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : id) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

void DuplicateIdDetector::add(const std::string& id) {
    hashes_.push_back(hash(id));
}

std::vector<std::uint64_t> DuplicateIdDetector::repeated_hashes() {
    std::sort(hashes_.begin(), hashes_.end());
    std::vector<std::uint64_t> out;
    for (std::size_t i = 1; i < hashes_.size(); ++i)
        if (hashes_[i] == hashes_[i - 1] && (out.empty() || out.back() != hashes_[i]))
            out.push_back(hashes_[i]);
    hashes_.clear();
    hashes_.shrink_to_fit();
    return out;
}

} // namespace landquota
