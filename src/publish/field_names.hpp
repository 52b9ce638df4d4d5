#pragma once

// The Chinese display name of every field of the result layers: QGIS shows them as field
// aliases (from the GeoPackage's gpkg_data_columns and from each layer's default style).
#include "io/vector_writer.hpp"

#include <string>
#include <vector>

namespace landquota {

// "freed_mu" → "节余指标（亩）". A field without a name is a bug (every field must have one).
const std::string& field_zh(const std::string& field);

// The fields with their aliases filled in.
std::vector<FieldSpec> with_aliases(std::vector<FieldSpec> fields);

} // namespace landquota
