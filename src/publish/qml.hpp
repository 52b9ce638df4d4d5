#pragma once

// A LayerStyle as QGIS's own style XML (QML, as QGIS 3.22 writes it): the renderer, labels, field
// aliases and opacity. GDAL's CPL XML tree does the escaping (names come from the data).
#include "publish/map_style.hpp"

#include <cpl_minixml.h>
#include <string>
#include <vector>

namespace landquota {

// A field of the styled layer, in the layer's order, with its display name.
struct StyledField {
    std::string name, alias;
};

// The whole .qml document.
std::string to_qml(const LayerStyle& style, const std::vector<StyledField>& fields);

// The same content as children of `parent` (a project's <maplayer>).
void append_qml(CPLXMLNode* parent, const LayerStyle& style,
                const std::vector<StyledField>& fields);

} // namespace landquota
