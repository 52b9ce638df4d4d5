#pragma once

// Stores the default map styles and field aliases inside result.gpkg, where QGIS looks for them
// when a layer is added: the `layer_styles` table (QML and SLD, one default per layer, the
// table QGIS itself writes) and the GeoPackage schema extension's `gpkg_data_columns` (the
// aliases, for other GeoPackage clients).
#include "publish/map_style.hpp"
#include "publish/qml.hpp"
#include "publish/tables.hpp"

#include <filesystem>
#include <ogr_core.h>
#include <vector>

namespace landquota {

struct StyledLayer {
    LayerStyle style;
    std::vector<StyledField> fields; // as the GeoPackage holds them, with their aliases
};

struct StoredStyles {
    std::vector<StyledLayer> layers; // in drawing order, top first
    OGREnvelope extent;              // of the villages: what the map opens on
};

// The styles of layers missing from the file are skipped. `tables` are attribute tables written
// from publish/tables.hpp: their columns' Chinese names become their aliases.
StoredStyles store_styles(const std::filesystem::path& gpkg, const std::vector<LayerStyle>& styles,
                          const std::vector<Table>& tables = {});

} // namespace landquota
