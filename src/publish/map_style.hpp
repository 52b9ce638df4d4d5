#pragma once

// The default map style of each result layer, as data: which renderer (single, categorised,
// graduated), its classes and symbols, labels and the group the layer belongs to. One model,
// rendered as QGIS QML and as OGC SLD (publish/qml, publish/sld), stored in the GeoPackage's
// layer_styles table and embedded in the QGIS project: the three cannot disagree.
#include "publish/writer.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace landquota {

struct Rgba {
    int r = 0, g = 0, b = 0, a = 255;
    std::string qgis() const; // "r,g,b,a"
    std::string hex() const;  // "#rrggbb" (SLD; alpha goes to *-opacity)
    double opacity() const { return a / 255.0; }
};

// A marker drawn at a polygon's centroid (sites: sized by demand).
struct CentroidMarker {
    Rgba fill, stroke;
    double size_mm = 3;
    std::string size_expression; // QGIS expression, or empty
};

struct Symbol {
    enum class Kind { Fill, Line, Arrow };
    Kind kind = Kind::Fill;
    Rgba fill{0, 0, 0, 0}; // fill (Fill, Arrow)
    Rgba stroke;           // outline (Fill) or line colour (Line)
    double width_mm = 0.26;
    bool dashed = false;
    std::string width_expression;        // data-defined stroke / arrow width (mm)
    std::string stroke_color_expression; // data-defined outline colour ("r,g,b,a")
    std::optional<CentroidMarker> marker;
};

// One class of a categorised (value) or graduated (lower..upper) renderer.
struct StyleClass {
    std::string value;
    double lower = 0, upper = 0;
    std::string label;
    Symbol symbol;
};

struct LabelStyle {
    std::string expression; // a field name, or a QGIS expression when is_expression
    bool is_expression = false;
    double size_pt = 9;
    Rgba color{40, 40, 40};
    bool along_line = false;
};

struct LayerStyle {
    enum class Renderer { Single, Categorized, Graduated };
    std::string layer;    // the GeoPackage table: "parcels"
    std::string title;    // the name QGIS shows: "图斑"
    std::string group;    // the project group: "结果", "分配", "约束"
    std::string geometry; // "Polygon" or "Line"
    Renderer renderer = Renderer::Single;
    std::string attribute; // the classified field
    Symbol symbol;         // Single
    std::vector<StyleClass> classes;
    std::optional<LabelStyle> label;
    double opacity = 1.0;
    std::string description;
    // Aliases of fields that publish/field_names does not know (an analysis plugin's columns).
    std::map<std::string, std::string> field_aliases;
};

// The styles of a run's result layers, in the order they are drawn from top to bottom.
// Graduated classes are computed from the run's figures.
std::vector<LayerStyle> result_styles(const RunResults& r);

// "categorizedSymbol", "graduatedSymbol", "singleSymbol": QGIS's renderer names.
const char* qgis_renderer_name(LayerStyle::Renderer r);

} // namespace landquota
