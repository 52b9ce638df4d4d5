#pragma once

// The result layers of a run — parcels and reclaimed pieces as they stream, then sites, flows,
// villages, townships, zones and regions, and the exclusion zones and resettlement sites for
// context — written to any VectorWriter: the GeoPackage and the GeoJSON copies are the same layers,
// fields and figures (the same integers as the tables).
#include "io/vector_writer.hpp"
#include "publish/tables.hpp"
#include "publish/writer.hpp"

namespace landquota {

class ResultLayers {
  public:
    // A plan's layers each start with a field `plan` holding kPlanBanner.
    ResultLayers(VectorWriter& out, bool plan);
    void parcel(const PassedParcel& p);
    // The remaining layers; closes the writer.
    void finish(const RunResults& r);

  private:
    void allocation(const AllocationRun& a, const ReferenceLayers& ref);
    void units(const QuotaTables& q, const ReferenceLayers& ref);
    void context(const ReferenceLayers& ref);
    void corridors(const ReferenceLayers& ref);
    void attribute_table(const Table& table);
    int add_layer(const std::string& name, OGRwkbGeometryType type, std::vector<FieldSpec> fields,
                  const std::string& id_field = "");
    void write(int layer, std::vector<FieldValue> values, const OGRGeometry* geometry);
    void analyses(const Analyses& a, const ReferenceLayers& ref);

    VectorWriter& out_;
    bool plan_ = false;
    int parcels_ = -1, reclaimed_ = -1;
};

// The Writer of the result layers into one VectorWriter (a GeoPackage, a GeoJSON folder).
class ResultLayersWriter final : public Writer {
  public:
    ResultLayersWriter(VectorWriter out, bool plan) : out_(std::move(out)), layers_(out_, plan) {}
    void parcel(const PassedParcel& p) override { layers_.parcel(p); }
    void finish(const RunResults& r) override { layers_.finish(r); }

  private:
    VectorWriter out_;
    ResultLayers layers_;
};

} // namespace landquota
