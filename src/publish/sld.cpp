#include "publish/sld.hpp"

#include "publish/xml_tree.hpp"

#include <fmt/format.h>

namespace landquota {

namespace {

using namespace xml;

void svg(Node parent, const char* name, const std::string& value) {
    attr(text(parent, "se:SvgParameter", value), "name", name);
}
// SLD sizes are in pixels of 0.28 mm (the OGC standard rendering pixel).
std::string px(double mm) {
    return fmt::format("{:.2f}", mm / 0.28);
}

void comparison(Node parent, const char* op, const std::string& field, const std::string& value) {
    Node c = element(parent, op);
    text(c, "ogc:PropertyName", field);
    text(c, "ogc:Literal", value);
}

void filter(Node rule, const LayerStyle& style, const StyleClass& c) {
    Node f = element(rule, "ogc:Filter");
    if (style.renderer == LayerStyle::Renderer::Categorized) {
        comparison(f, "ogc:PropertyIsEqualTo", style.attribute, c.value);
        return;
    }
    Node both = element(f, "ogc:And");
    comparison(both, "ogc:PropertyIsGreaterThanOrEqualTo", style.attribute,
               fmt::format("{}", c.lower));
    comparison(both, "ogc:PropertyIsLessThanOrEqualTo", style.attribute,
               fmt::format("{}", c.upper));
}

void stroke(Node parent, Rgba color, double width_mm, bool dashed) {
    Node s = element(parent, "se:Stroke");
    svg(s, "stroke", color.hex());
    svg(s, "stroke-opacity", fmt::format("{:.2f}", color.opacity()));
    svg(s, "stroke-width", px(width_mm));
    if (dashed)
        svg(s, "stroke-dasharray", "10 5");
}

void symbolizer(Node rule, const Symbol& s) {
    if (s.kind == Symbol::Kind::Fill) {
        Node p = element(rule, "se:PolygonSymbolizer");
        if (s.fill.a > 0) {
            Node f = element(p, "se:Fill");
            svg(f, "fill", s.fill.hex());
            svg(f, "fill-opacity", fmt::format("{:.2f}", s.fill.opacity()));
        }
        stroke(p, s.stroke, s.width_mm, s.dashed);
    } else {
        // An arrow's body in its fill colour.
        Node l = element(rule, "se:LineSymbolizer");
        stroke(l, s.kind == Symbol::Kind::Arrow ? s.fill : s.stroke, s.width_mm, s.dashed);
    }
}

Node rule(Node fts, const std::string& name) {
    Node r = element(fts, "se:Rule");
    text(r, "se:Name", name);
    Node d = element(r, "se:Description");
    text(d, "se:Title", name);
    return r;
}

void label_rule(Node fts, const LabelStyle& l) {
    Node r = rule(fts, "label");
    Node t = element(r, "se:TextSymbolizer");
    text(element(t, "se:Label"), "ogc:PropertyName", l.expression);
    Node font = element(t, "se:Font");
    svg(font, "font-family", "Noto Sans CJK SC");
    svg(font, "font-size", fmt::format("{:.0f}", l.size_pt * 4 / 3)); // points → pixels
    Node halo = element(t, "se:Halo");
    text(halo, "se:Radius", "2");
    svg(element(halo, "se:Fill"), "fill", "#ffffff");
    svg(element(t, "se:Fill"), "fill", l.color.hex());
}

} // namespace

std::string to_sld(const LayerStyle& style) {
    const Document root = document("StyledLayerDescriptor");
    Node sld = root.get();
    attr(sld, "version", "1.1.0");
    attr(sld, "xmlns", "http://www.opengis.net/sld");
    attr(sld, "xmlns:ogc", "http://www.opengis.net/ogc");
    attr(sld, "xmlns:se", "http://www.opengis.net/se");
    attr(sld, "xmlns:xlink", "http://www.w3.org/1999/xlink");
    Node layer = element(sld, "NamedLayer");
    text(layer, "se:Name", style.layer);
    Node user = element(layer, "UserStyle");
    text(user, "se:Name", style.layer);
    Node fts = element(user, "se:FeatureTypeStyle");
    if (style.renderer == LayerStyle::Renderer::Single) {
        symbolizer(rule(fts, style.title), style.symbol);
    } else {
        for (const auto& c : style.classes) {
            Node r = rule(fts, c.label);
            filter(r, style, c);
            symbolizer(r, c.symbol);
        }
    }
    if (style.label && !style.label->is_expression)
        label_rule(fts, *style.label);
    return serialize(root, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

} // namespace landquota
