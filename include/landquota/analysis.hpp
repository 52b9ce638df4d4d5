#pragma once

// Analyses: plugins that read the run's units (townships) — their indicators, centroids, areas
// and neighbours — and give tables and layers to publish (a composite index, strong–weak pairs,
// clusters). Layers name units, never geometry: the engine draws them from the units' polygons,
// so a plugin needs no geometry library.

#include "landquota/message.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace landquota {

struct AnalysisUnit {
    std::string id, name, zone_id, region_id;
    std::string type;    // the unit's type field (一镇一策: sub-centre, tourism, …), or ""
    bool lead = false;   // marked as the lead unit of its zone (片区牵头乡镇)
    double x = 0, y = 0; // centroid in the working CRS (m)
    double lon = 0, lat = 0; // the same point in CGCS2000 degrees, for ellipsoidal distances
    double area_m2 = 0;      // ellipsoidal area
    // The declared indicator fields, then the unit's freed quota (`freed_mu`) and the values
    // earlier analyses of the run gave (`index_score`). A unit with no value lacks the key.
    std::map<std::string, double> indicators;
    std::vector<std::size_t> neighbours; // units whose polygons touch or overlap (queen contiguity)
};

struct AnalysisInput {
    const std::vector<AnalysisUnit>& units; // sorted by id
};

enum class ValueKind { Text, Integer, Number };
using AnalysisValue = std::variant<std::string, std::int64_t, double>;

struct AnalysisColumn {
    std::string key; // CSV header and English name
    std::string zh;  // Chinese name (workbook header, field alias)
    ValueKind kind = ValueKind::Text;
};

struct AnalysisTable {
    std::string name; // file and sheet name, unique in the run: "index", "pairs"
    std::string zh;
    std::vector<AnalysisColumn> columns;
    std::vector<std::vector<AnalysisValue>> rows;
};

// A layer drawn from the units: one feature per unit (Units: its polygon), per pair (Links: a
// line from the first unit's centroid to the second's) or per group (Groups: the union of the
// units' polygons).
struct AnalysisLayer {
    enum class Shape { Units, Links, Groups };
    enum class Style { Single, Graduated, Categorized };
    struct Feature {
        std::vector<std::size_t> units; // indices into AnalysisInput::units
        std::vector<AnalysisValue> values;
    };
    Shape shape = Shape::Units;
    std::string name;  // the GeoPackage layer, unique in the run
    std::string title; // what QGIS shows
    std::vector<AnalysisColumn> columns;
    std::vector<Feature> features;
    Style style = Style::Single;
    std::string style_field; // the classified column (Graduated, Categorized)
    std::string label_field; // labelled by this column, or none
};

struct AnalysisResult {
    std::vector<AnalysisTable> tables;
    std::vector<AnalysisLayer> layers;
    // Per-unit values later analyses of the run can use, by key then unit id; the engine names
    // them <analysis>_<key> (index → "index_score").
    std::map<std::string, std::map<std::string, double>> unit_values;
    std::vector<std::pair<std::string, double>> figures;
    std::vector<Message> notes; // plugin_message(…): shown in the user's language
};

class Analysis {
  public:
    virtual ~Analysis() = default;
    virtual AnalysisResult analyse(const AnalysisInput& in) = 0;
};

} // namespace landquota
