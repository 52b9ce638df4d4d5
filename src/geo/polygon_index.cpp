#include "geo/polygon_index.hpp"

#include <algorithm>

namespace landquota {

PolygonIndex::PolygonIndex(const std::vector<const GEOSGeometry*>& polygons) : polygons_(polygons) {
    auto* ctx = Geos::ctx();
    tree_ = GEOSSTRtree_create_r(ctx, 10);
    ids_.resize(polygons_.size());
    prepared_.reserve(polygons_.size());
    for (std::size_t i = 0; i < polygons_.size(); ++i) {
        ids_[i] = i;
        prepared_.emplace_back(GEOSPrepare_r(ctx, polygons_[i]));
        GEOSSTRtree_insert_r(ctx, tree_, polygons_[i], &ids_[i]);
    }
}

PolygonIndex::~PolygonIndex() {
    if (tree_)
        GEOSSTRtree_destroy_r(Geos::ctx(), tree_);
}

std::vector<std::size_t> PolygonIndex::candidates(const GEOSGeometry* g) const {
    std::vector<std::size_t> out;
    if (polygons_.empty())
        return out;
    GEOSSTRtree_query_r(
        Geos::ctx(), tree_, g,
        [](void* item, void* data) {
            static_cast<std::vector<std::size_t>*>(data)->push_back(
                *static_cast<std::size_t*>(item));
        },
        &out);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::size_t> PolygonIndex::overlapping(const GEOSGeometry* g) const {
    auto* ctx = Geos::ctx();
    std::vector<std::size_t> out;
    for (std::size_t i : candidates(g))
        if (GEOSPreparedIntersects_r(ctx, prepared_[i].get(), g) == 1 &&
            GEOSPreparedTouches_r(ctx, prepared_[i].get(), g) != 1)
            out.push_back(i);
    return out;
}

PolygonIndex::Overlap PolygonIndex::largest_overlap(const GEOSGeometry* g) const {
    auto* ctx = Geos::ctx();
    Overlap best;
    for (std::size_t i : candidates(g)) {
        // The common case, a parcel wholly inside one polygon, needs no overlay: nothing can
        // overlap it more than all of it.
        if (GEOSPreparedCovers_r(ctx, prepared_[i].get(), g) == 1)
            return Overlap{i, planar_area(g), true};
        if (GEOSPreparedIntersects_r(ctx, prepared_[i].get(), g) != 1)
            continue;
        GeomPtr inter(GEOSIntersection_r(ctx, polygons_[i], g));
        const double a = inter ? planar_area(inter.get()) : 0.0;
        if (a > best.area) // strict: ties keep the lower index
            best = Overlap{i, a, true};
    }
    return best;
}

} // namespace landquota
