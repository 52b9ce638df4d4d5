#include "publish/qml.hpp"

#include "publish/xml_tree.hpp"

#include <fmt/format.h>

namespace landquota {

namespace {

using namespace xml;

std::string num(double v) {
    return fmt::format("{}", v);
}

// QGIS's <Option type="Map"> property maps.
void option(Node map, const char* name, const std::string& value, const char* type = "QString") {
    Node o = element(map, "Option");
    attr(o, "name", name);
    attr(o, "type", type);
    attr(o, "value", value);
}
Node option_map(Node parent, const char* name = nullptr) {
    Node m = element(parent, "Option");
    if (name)
        attr(m, "name", name);
    attr(m, "type", "Map");
    return m;
}

// Data-defined properties: key → QGIS expression.
void data_defined(Node layer, const std::vector<std::pair<const char*, std::string>>& props) {
    Node map = option_map(element(layer, "data_defined_properties"));
    option(map, "name", "");
    Node list = option_map(map, "properties");
    for (const auto& [key, expression] : props) {
        if (expression.empty())
            continue;
        Node p = option_map(list, key);
        option(p, "active", "true", "bool");
        option(p, "expression", expression);
        option(p, "type", "3", "int"); // QgsProperty::ExpressionBasedProperty
    }
    option(map, "type", "collection");
}

Node symbol_node(Node parent, const std::string& name, const char* type) {
    Node s = element(parent, "symbol");
    attr(s, "name", name);
    attr(s, "type", type);
    attr(s, "alpha", "1");
    attr(s, "clip_to_extent", "1");
    attr(s, "force_rhr", "0");
    return s;
}
Node symbol_layer(Node symbol, const char* cls) {
    Node l = element(symbol, "layer");
    attr(l, "class", cls);
    attr(l, "enabled", "1");
    attr(l, "locked", "0");
    attr(l, "pass", "0");
    return l;
}

void simple_fill(Node symbol, const Symbol& s) {
    Node l = symbol_layer(symbol, "SimpleFill");
    Node m = option_map(l);
    option(m, "color", s.fill.qgis());
    option(m, "style", s.fill.a == 0 ? "no" : "solid");
    option(m, "outline_color", s.stroke.qgis());
    option(m, "outline_style", s.dashed ? "dash" : "solid");
    option(m, "outline_width", num(s.width_mm));
    option(m, "outline_width_unit", "MM");
    option(m, "joinstyle", "round");
    data_defined(
        l, {{"outlineColor", s.stroke_color_expression}, {"outlineWidth", s.width_expression}});
}

void centroid_marker(Node symbol, const std::string& name, const CentroidMarker& c) {
    Node l = symbol_layer(symbol, "CentroidFill");
    Node m = option_map(l);
    option(m, "point_on_all_parts", "0");
    option(m, "point_on_surface", "1"); // inside the polygon, even when it is not convex
    data_defined(l, {});
    Node marker = symbol_node(l, name + "@1", "marker");
    Node ml = symbol_layer(marker, "SimpleMarker");
    Node mm = option_map(ml);
    option(mm, "name", "circle");
    option(mm, "color", c.fill.qgis());
    option(mm, "outline_color", c.stroke.qgis());
    option(mm, "outline_width", "0.3");
    option(mm, "outline_width_unit", "MM");
    option(mm, "size", num(c.size_mm));
    option(mm, "size_unit", "MM");
    data_defined(ml, {{"size", c.size_expression}});
}

void simple_line(Node symbol, const Symbol& s) {
    Node l = symbol_layer(symbol, "SimpleLine");
    Node m = option_map(l);
    option(m, "line_color", s.stroke.qgis());
    option(m, "line_style", s.dashed ? "dash" : "solid");
    option(m, "line_width", num(s.width_mm));
    option(m, "line_width_unit", "MM");
    option(m, "capstyle", "round");
    data_defined(l, {{"outlineWidth", s.width_expression}});
}

void arrow_line(Node symbol, const std::string& name, const Symbol& s) {
    Node l = symbol_layer(symbol, "ArrowLine");
    Node m = option_map(l);
    option(m, "arrow_type", "0");
    option(m, "head_type", "0");
    option(m, "is_curved", "0");
    option(m, "is_repeated", "1");
    option(m, "arrow_width", num(s.width_mm));
    option(m, "arrow_width_unit", "MM");
    option(m, "arrow_start_width", num(s.width_mm));
    option(m, "arrow_start_width_unit", "MM");
    option(m, "head_length", "3");
    option(m, "head_length_unit", "MM");
    option(m, "head_thickness", "2");
    option(m, "head_thickness_unit", "MM");
    data_defined(l, {{"arrowWidth", s.width_expression}, {"arrowStartWidth", s.width_expression}});
    Symbol head = s;
    head.width_mm = 0.2;
    head.width_expression.clear();
    Node f = symbol_node(l, name + "@0", "fill");
    simple_fill(f, head);
}

void symbol(Node symbols, const std::string& name, const Symbol& s) {
    switch (s.kind) {
    case Symbol::Kind::Fill: {
        Node n = symbol_node(symbols, name, "fill");
        simple_fill(n, s);
        if (s.marker)
            centroid_marker(n, "@" + name, *s.marker);
        break;
    }
    case Symbol::Kind::Line:
        simple_line(symbol_node(symbols, name, "line"), s);
        break;
    case Symbol::Kind::Arrow:
        arrow_line(symbol_node(symbols, name, "line"), "@" + name, s);
        break;
    }
}

void renderer(Node parent, const LayerStyle& style) {
    Node r = element(parent, "renderer-v2");
    attr(r, "type", qgis_renderer_name(style.renderer));
    attr(r, "symbollevels", "0");
    attr(r, "enableorderby", "0");
    attr(r, "forceraster", "0");
    if (style.renderer != LayerStyle::Renderer::Single)
        attr(r, "attr", style.attribute);
    if (style.renderer == LayerStyle::Renderer::Graduated) {
        attr(r, "graduatedMethod", "GraduatedColor");
        Node ranges = element(r, "ranges");
        for (std::size_t i = 0; i < style.classes.size(); ++i) {
            Node c = element(ranges, "range");
            attr(c, "lower", num(style.classes[i].lower));
            attr(c, "upper", num(style.classes[i].upper));
            attr(c, "symbol", std::to_string(i));
            attr(c, "label", style.classes[i].label);
            attr(c, "render", "true");
        }
    } else if (style.renderer == LayerStyle::Renderer::Categorized) {
        Node cats = element(r, "categories");
        for (std::size_t i = 0; i < style.classes.size(); ++i) {
            Node c = element(cats, "category");
            attr(c, "value", style.classes[i].value);
            attr(c, "symbol", std::to_string(i));
            attr(c, "label", style.classes[i].label);
            attr(c, "render", "true");
        }
    }
    Node symbols = element(r, "symbols");
    if (style.renderer == LayerStyle::Renderer::Single)
        symbol(symbols, "0", style.symbol);
    else
        for (std::size_t i = 0; i < style.classes.size(); ++i)
            symbol(symbols, std::to_string(i), style.classes[i].symbol);
}

void labeling(Node parent, const LabelStyle& l) {
    Node lab = element(parent, "labeling");
    attr(lab, "type", "simple");
    Node settings = element(lab, "settings");
    attr(settings, "calloutType", "simple");
    Node text = element(settings, "text-style");
    attr(text, "fieldName", l.expression);
    attr(text, "isExpression", l.is_expression ? "1" : "0");
    // Noto Sans CJK (Debian's fonts-noto-cjk) has the Chinese glyphs; QGIS falls back to the
    // system's sans-serif where it is missing.
    attr(text, "fontFamily", "Noto Sans CJK SC");
    attr(text, "namedStyle", "Regular");
    attr(text, "fontSize", num(l.size_pt));
    attr(text, "fontSizeUnit", "Point");
    attr(text, "textColor", l.color.qgis());
    attr(text, "textOpacity", "1");
    attr(text, "multilineHeight", "1");
    Node buffer = element(text, "text-buffer");
    attr(buffer, "bufferDraw", "1");
    attr(buffer, "bufferSize", "0.8");
    attr(buffer, "bufferSizeUnits", "MM");
    attr(buffer, "bufferColor", "255,255,255,255");
    attr(buffer, "bufferOpacity", "0.85");
    Node placement = element(settings, "placement");
    // 2 = parallel to a line; 1 = over a polygon's point (QgsPalLayerSettings::Placement).
    attr(placement, "placement", l.along_line ? "2" : "1");
    attr(placement, "placementFlags", l.along_line ? "10" : "0");
    Node rendering = element(settings, "rendering");
    // Not an obstacle: a labelled polygon layer covering the county would push every other
    // label off the map.
    attr(rendering, "obstacle", "0");
    attr(rendering, "labelPerPart", "0");
    attr(rendering, "drawLabels", "1");
}

void aliases(Node parent, const std::vector<StyledField>& fields) {
    Node a = element(parent, "aliases");
    for (std::size_t i = 0; i < fields.size(); ++i) {
        Node n = element(a, "alias");
        attr(n, "field", fields[i].name);
        attr(n, "index", std::to_string(i));
        attr(n, "name", fields[i].alias);
    }
}

} // namespace

void append_qml(CPLXMLNode* parent, const LayerStyle& style,
                const std::vector<StyledField>& fields) {
    renderer(parent, style);
    if (style.label)
        labeling(parent, *style.label);
    aliases(parent, fields);
    text(parent, "layerOpacity", num(style.opacity));
}

std::string to_qml(const LayerStyle& style, const std::vector<StyledField>& fields) {
    const Document root = document("qgis");
    attr(root.get(), "version", "3.22.16");
    attr(root.get(), "styleCategories", "AllStyleCategories");
    attr(root.get(), "labelsEnabled", style.label ? "1" : "0");
    append_qml(root.get(), style, fields);
    return serialize(root, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n");
}

} // namespace landquota
