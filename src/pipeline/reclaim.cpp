#include "pipeline/reclaim.hpp"

#include "core/translate.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <ogr_geometry.h>
#include <stdexcept>
#include <utility>
#include <vector>

namespace landquota {

namespace {
bool any_match(const std::string& code, const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return code_matches(code, p); });
}
} // namespace

Reclaimer::Reclaimer(const ReclaimRules& rules, const ReferenceLayers& ref,
                     const AreaCalculator& area)
    : rules_(rules), ref_(ref), area_(area) {
    std::vector<const GEOSGeometry*> g;
    for (const auto& e : ref.exclusions)
        g.push_back(e.geometry.get());
    exclusions_ = std::make_unique<PolygonIndex>(g);
    // A canonical order of the zones, by name and then by shape, so a parcel is cut the same way
    // whatever the order of the [[inputs.exclusions]] tables (floating-point overlays in another
    // order could round a piece's area differently).
    auto* ctx = Geos::ctx();
    std::vector<std::pair<std::string, std::string>> key;
    for (const auto& e : ref.exclusions) {
        std::size_t n = 0;
        unsigned char* wkb = GEOSGeomToWKB_buf_r(ctx, e.geometry.get(), &n);
        key.emplace_back(e.zone_name, std::string(reinterpret_cast<const char*>(wkb), n));
        GEOSFree_r(ctx, wkb);
    }
    std::vector<std::size_t> order(key.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    rank_.resize(order.size());
    for (std::size_t r = 0; r < order.size(); ++r)
        rank_[order[r]] = r;

    std::vector<GEOSGeometry*> belts;
    for (const auto& c : ref.corridors)
        if (c.role == CorridorRole::Include) {
            include_names_ += (include_names_.empty() ? "" : ", ") + c.name;
            if (c.belt)
                belts.push_back(GEOSGeom_clone_r(ctx, c.belt.get()));
        }
    if (!include_names_.empty()) {
        GeomPtr all(GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, belts.data(),
                                                static_cast<unsigned>(belts.size())));
        GeomPtr u(GEOSUnaryUnion_r(ctx, all.get()));
        include_ = u ? polygonal_part(u.get()) : nullptr;
        // An include corridor whose belt is empty leaves no land: an empty polygon, not "all".
        if (!include_)
            include_.reset(GEOSGeom_createEmptyPolygon_r(ctx));
        include_prepared_.reset(GEOSPrepare_r(ctx, include_.get()));
    }
}

Reclaimer::~Reclaimer() = default;

bool Reclaimer::may_reclaim(const ParcelFacts& facts) const {
    return facts.in_village && any_match(facts.landuse, rules_.landuse) &&
           (!facts.has_village_class || rules_.village_class.empty() ||
            any_match(facts.village_class, rules_.village_class)) &&
           facts.village_relocating &&
           !(rules_.max_slope_class > 0 && !facts.slope.empty() &&
             std::atoi(facts.slope.c_str()) > rules_.max_slope_class);
}

ReclaimOutcome Reclaimer::reclaim(const ParcelFacts& facts, const GEOSGeometry* parcel) const {
    ReclaimOutcome out;
    if (!facts.in_village) {
        out.status = ParcelStatus::Outside;
        out.reason = tr("in no village");
        return out;
    }
    if (!any_match(facts.landuse, rules_.landuse)) {
        out.reason = trf("land use {} is not reclaimable", facts.landuse);
        return out;
    }
    if (facts.has_village_class && !rules_.village_class.empty() &&
        !any_match(facts.village_class, rules_.village_class)) {
        out.reason = trf("village class '{}' is not reclaimable", facts.village_class);
        return out;
    }
    if (!facts.village_relocating) {
        out.reason = tr("village not slated for relocation");
        return out;
    }
    out.status = ParcelStatus::Excluded;
    if (rules_.max_slope_class > 0 && !facts.slope.empty() &&
        std::atoi(facts.slope.c_str()) > rules_.max_slope_class) {
        out.reason = trf("slope class {} above {}", facts.slope, rules_.max_slope_class);
        return out;
    }

    auto* ctx = Geos::ctx();
    GeomPtr remaining(GEOSGeom_clone_r(ctx, parcel));
    std::vector<std::size_t> zones = exclusions_->overlapping(parcel);
    std::sort(zones.begin(), zones.end(),
              [&](std::size_t a, std::size_t b) { return rank_[a] < rank_[b]; });
    // Every zone whose interior meets the parcel's removed area from it, even where another zone
    // covers the same ground: all are named, in the canonical order (by name).
    std::vector<std::string> cut_by;
    for (std::size_t i : zones) {
        const std::string& name = ref_.exclusions[i].zone_name;
        if (std::find(cut_by.begin(), cut_by.end(), name) == cut_by.end())
            cut_by.push_back(name);
    }
    for (std::size_t i : zones) {
        GeomPtr diff(GEOSDifference_r(ctx, remaining.get(), ref_.exclusions[i].geometry.get()));
        if (!diff) // never count land inside an exclusion zone because an overlay failed
            throw OverlayFailure("cannot cut out exclusion zone '" + ref_.exclusions[i].zone_name +
                                 "': " + Geos::last_error());
        remaining = polygonal_part(diff.get());
        if (!remaining)
            break;
    }
    for (std::size_t i = 0; i < cut_by.size(); ++i)
        out.excluded_by += (i ? ";" : "") + cut_by[i];

    if (!remaining) {
        out.reason = tr("wholly inside exclusion zones");
        return out;
    }
    // Include corridors: only what lies inside their belts stays (clipped at the belt's edge).
    bool clipped = !cut_by.empty();
    if (include_prepared_ && GEOSPreparedContains_r(ctx, include_prepared_.get(), parcel) != 1) {
        clipped = true;
        if (GEOSPreparedIntersects_r(ctx, include_prepared_.get(), remaining.get()) == 1) {
            GeomPtr inside(GEOSIntersection_r(ctx, remaining.get(), include_.get()));
            if (!inside)
                throw OverlayFailure("cannot clip to the include corridors: " + Geos::last_error());
            remaining = polygonal_part(inside.get());
        } else {
            remaining.reset();
        }
        if (!remaining) {
            out.reason = trf("outside the include corridors ({})", include_names_);
            return out;
        }
    }
    // Keep the pieces at or above the minimum size, measured on the ellipsoid.
    std::vector<GeomPtr> kept; // owned until handed to the collection
    double kept_m2 = 0.0;
    const int n = GEOSGetNumGeometries_r(ctx, remaining.get());
    if (!clipped && n == 1) {
        if (facts.area_m2 >= rules_.min_piece_m2) {
            kept.emplace_back(GEOSGeom_clone_r(ctx, GEOSGetGeometryN_r(ctx, remaining.get(), 0)));
            kept_m2 = facts.area_m2;
        }
    } else {
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(ctx, remaining.get(), i);
            const double a = area_.measure(*to_ogr(part)).ellipsoidal_m2;
            if (a >= rules_.min_piece_m2) {
                kept.emplace_back(GEOSGeom_clone_r(ctx, part));
                kept_m2 += a;
            }
        }
    }
    if (kept.empty()) {
        out.reason = !clipped ? trf("below the minimum piece of {} m²", rules_.min_piece_m2)
                              : tr("only pieces below the minimum size remain outside exclusions");
        return out;
    }
    std::vector<GEOSGeometry*> raw;
    for (auto& k : kept)
        raw.push_back(k.release()); // the collection takes ownership
    out.pieces.reset(GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, raw.data(),
                                                 static_cast<unsigned>(raw.size())));
    out.reclaim = to_hundredths(kept_m2);
    out.status = ParcelStatus::Reclaimable;
    if (!cut_by.empty())
        out.reason = tr("partly inside exclusion zones");
    else if (clipped)
        out.reason = trf("partly outside the include corridors ({})", include_names_);
    return out;
}

} // namespace landquota
