#pragma once

// The result layers of a run — parcels and reclaimed pieces as they stream, then sites, flows,
// villages, townships, zones and regions — written to any VectorWriter: the GeoPackage and the
// GeoJSON copies are the same layers, fields and figures (the same integers as the tables).
#include "io/vector_writer.hpp"
#include "publish/writer.hpp"

namespace landquota {

class ResultLayers {
  public:
    explicit ResultLayers(VectorWriter& out);
    void parcel(const PassedParcel& p);
    // The remaining layers; closes the writer.
    void finish(const RunResults& r);

  private:
    void allocation(const AllocationRun& a, const ReferenceLayers& ref);
    void units(const QuotaTables& q, const ReferenceLayers& ref);

    VectorWriter& out_;
    int parcels_ = -1, reclaimed_ = -1;
};

} // namespace landquota
