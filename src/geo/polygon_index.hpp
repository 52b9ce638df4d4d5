#pragma once

#include "geo/geos.hpp"

#include <cstddef>
#include <vector>

namespace landquota {

// A packed STR-tree over a fixed set of polygons with prepared geometries, answering "which of
// these does this geometry overlap most" and "which ones touch this envelope".
class PolygonIndex {
  public:
    // The polygons are borrowed: they must outlive the index.
    explicit PolygonIndex(const std::vector<const GEOSGeometry*>& polygons);
    ~PolygonIndex();
    PolygonIndex(const PolygonIndex&) = delete;
    PolygonIndex& operator=(const PolygonIndex&) = delete;

    // Indices of the polygons whose envelopes intersect g's, in ascending order.
    std::vector<std::size_t> candidates(const GEOSGeometry* g) const;
    // Indices of the polygons whose interiors intersect g's (sharing only a border does not
    // count), ascending.
    std::vector<std::size_t> overlapping(const GEOSGeometry* g) const;

    struct Overlap {
        std::size_t index = 0;
        double area = 0.0; // planar overlap area
        bool found = false;
    };
    // The polygon overlapping g most (ties go to the lower index, so results are deterministic).
    Overlap largest_overlap(const GEOSGeometry* g) const;

    std::size_t size() const { return polygons_.size(); }

  private:
    std::vector<const GEOSGeometry*> polygons_;
    std::vector<PreparedPtr> prepared_;
    std::vector<std::size_t> ids_; // stable storage for tree items
    GEOSSTRtree* tree_ = nullptr;
};

} // namespace landquota
