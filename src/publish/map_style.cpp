#include "publish/map_style.hpp"

#include "publish/allocation_index.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace landquota {

std::string Rgba::qgis() const {
    return fmt::format("{},{},{},{}", r, g, b, a);
}
std::string Rgba::hex() const {
    return fmt::format("#{:02x}{:02x}{:02x}", r, g, b);
}

const char* qgis_renderer_name(LayerStyle::Renderer r) {
    switch (r) {
    case LayerStyle::Renderer::Single:
        return "singleSymbol";
    case LayerStyle::Renderer::Categorized:
        return "categorizedSymbol";
    case LayerStyle::Renderer::Graduated:
        return "graduatedSymbol";
    }
    return "singleSymbol";
}

namespace {

using R = LayerStyle::Renderer;

LayerStyle layer(std::string name, std::string title, std::string group, std::string geometry,
                 R renderer) {
    LayerStyle s;
    s.layer = std::move(name);
    s.title = std::move(title);
    s.group = std::move(group);
    s.geometry = std::move(geometry);
    s.renderer = renderer;
    return s;
}

Symbol fill(Rgba fill, Rgba stroke, double width_mm = 0.2) {
    Symbol s;
    s.fill = fill;
    s.stroke = stroke;
    s.width_mm = width_mm;
    return s;
}
// An outline only: administrative units are drawn as labelled boundaries, so they never hide
// the layers below them.
Symbol outline(Rgba stroke, double width_mm, bool dashed = false) {
    Symbol s = fill({0, 0, 0, 0}, stroke, width_mm);
    s.dashed = dashed;
    return s;
}

LabelStyle label(std::string field, double size_pt, Rgba color = {40, 40, 40}) {
    LabelStyle l;
    l.expression = std::move(field);
    l.size_pt = size_pt;
    l.color = color;
    return l;
}
LabelStyle label_expression(std::string expression, double size_pt, Rgba color = {40, 40, 40}) {
    LabelStyle l = label(std::move(expression), size_pt, color);
    l.is_expression = true;
    return l;
}

// A round class width near max/classes: 1, 2 or 5 times a power of ten (in mu).
double nice_step(double max, int classes) {
    const double raw = std::max(max / classes, 0.01);
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= raw)
            return m * p;
    return 10 * p;
}

std::string mu_text(double mu) {
    return fmt::format("{:.2f}", mu);
}

LayerStyle parcels() {
    LayerStyle s = layer("parcels", "图斑（复垦状态）", "结果", "Polygon", R::Categorized);
    s.attribute = "status";
    s.description = "parcels by reclamation status (methods.md §2)";
    s.classes = {
        {"reclaimable", 0, 0, "可复垦 reclaimable", fill({244, 140, 50}, {160, 80, 20}, 0.15)},
        {"excluded", 0, 0, "管控区内扣除 excluded", fill({170, 120, 210}, {110, 70, 150}, 0.15)},
        // No fill: the village's colour (its freed quota) shows through.
        {"not_eligible", 0, 0, "不符合条件 not eligible", fill({0, 0, 0, 0}, {170, 170, 160}, 0.1)},
        {"outside", 0, 0, "不在任何村内 outside", fill({255, 255, 255, 0}, {220, 40, 40}, 0.3)},
    };
    return s;
}

LayerStyle reclaimed() {
    LayerStyle s = layer("reclaimed", "复垦地块", "结果", "Polygon", R::Single);
    s.symbol = fill({200, 60, 20, 200}, {120, 30, 10}, 0.2);
    s.description = "the reclaimed pieces of parcels (methods.md §2)";
    return s;
}

LayerStyle villages(const QuotaTables& q) {
    LayerStyle s = layer("villages", "村（节余指标）", "结果", "Polygon", R::Graduated);
    s.attribute = "freed_mu";
    s.description = "villages by freed quota in mu; relocating villages outlined in red";
    double max = 0, min = 0;
    for (const auto& v : q.villages) {
        max = std::max(max, static_cast<double>(v.freed_mu_hundredths) / 100.0);
        min = std::min(min, static_cast<double>(v.freed_mu_hundredths) / 100.0);
    }
    constexpr int kClasses = 4;
    const double step = nice_step(max, kClasses);
    // Relocating villages carry a red outline, whatever their class.
    auto village_symbol = [](Rgba c) {
        Symbol sym = fill(c, {150, 150, 150}, 0.2);
        sym.stroke_color_expression = "if(\"relocating\" = 1, '200,30,30,255', '150,150,150,255')";
        sym.width_expression = "if(\"relocating\" = 1, 0.7, 0.2)";
        return sym;
    };
    // Resettlement larger than reclamation leaves a village with a negative balance.
    if (min < 0)
        s.classes.push_back({"", min, -0.01, fmt::format("{} – 0 亩", mu_text(min)),
                             village_symbol({244, 165, 130})});
    s.classes.push_back({"", 0, 0, "0 亩", village_symbol({250, 250, 245})});
    const Rgba ramp[kClasses] = {{199, 233, 192}, {116, 196, 118}, {49, 163, 84}, {0, 109, 44}};
    for (int i = 0; i < kClasses; ++i) {
        const double lo = step * i,
                     hi = i + 1 == kClasses ? std::max(step * (i + 1), max) : step * (i + 1);
        s.classes.push_back({"", lo, hi, fmt::format("{} – {} 亩", mu_text(lo), mu_text(hi)),
                             village_symbol(ramp[i])});
    }
    s.label = label_expression("if(\"relocating\" = 1, \"name\", '')", 8, {120, 20, 20});
    s.opacity = 0.85;
    return s;
}

LayerStyle townships() {
    LayerStyle s = layer("townships", "乡镇", "结果", "Polygon", R::Single);
    s.symbol = outline({90, 90, 90}, 0.5);
    s.label = label("name", 10, {50, 50, 50});
    return s;
}
LayerStyle zones() {
    LayerStyle s = layer("zones", "片区 / 联盟", "结果", "Polygon", R::Single);
    s.symbol = outline({30, 80, 160}, 1.0, true);
    s.label = label("name", 12, {30, 80, 160});
    return s;
}
LayerStyle regions() {
    LayerStyle s = layer("regions", "区域", "结果", "Polygon", R::Single);
    s.symbol = outline({20, 20, 20}, 1.6);
    s.label = label("name", 14, {20, 20, 20});
    return s;
}

LayerStyle sites() {
    LayerStyle s = layer("sites", "建新项目（满足率）", "分配", "Polygon", R::Graduated);
    s.attribute = "fulfilment";
    s.description = "sites coloured by fulfilment, marker sized by demand";
    auto site_symbol = [](Rgba c) {
        Symbol sym = fill(c, {60, 60, 60}, 0.3);
        sym.marker = CentroidMarker{c, {40, 40, 40}, 4, "2 + sqrt(\"demand_mu\") / 2"};
        return sym;
    };
    s.classes = {
        {"", 0, 0.4999, "< 50%", site_symbol({215, 48, 39})},
        {"", 0.5, 0.9999, "50% – 99.99%", site_symbol({252, 174, 97})},
        {"", 1, 1, "100%", site_symbol({26, 152, 80})},
    };
    s.label = label_expression("\"name\" || '\\n' || format_number(\"allocated_mu\", 2) || ' / ' "
                               "|| format_number(\"demand_mu\", 2) || ' 亩'",
                               8, {20, 20, 20});
    return s;
}

LayerStyle flows(const AllocationRun& a) {
    LayerStyle s = layer("flows", "指标流向", "分配", "Line", R::Single);
    const AllocationIndex index(a);
    double max = 0;
    for (const auto& t : a.transfers)
        max = std::max(max, static_cast<double>(index.transfer_mu(t.transfer_id)) / 100.0);
    Symbol arrow;
    arrow.kind = Symbol::Kind::Arrow;
    arrow.fill = {30, 100, 200, 210};
    arrow.stroke = {20, 60, 140};
    arrow.width_mm = 1;
    // Width follows mu: from 0.4 mm to 3.4 mm at the largest transfer of the run.
    arrow.width_expression = fmt::format("0.4 + 3 * \"allocated_mu\" / {}", max > 0 ? max : 1.0);
    s.symbol = arrow;
    s.description = "transfers from the lot's village to the site, width by mu";
    LabelStyle l =
        label_expression("format_number(\"allocated_mu\", 2) || ' 亩'", 7, {20, 60, 140});
    l.along_line = true;
    s.label = l;
    return s;
}

LayerStyle exclusions(const Job& job) {
    LayerStyle s = layer("exclusions", "管控区", "约束", "Polygon", R::Categorized);
    s.attribute = "zone";
    const Rgba palette[] = {{46, 160, 67, 90},
                            {240, 200, 40, 110},
                            {120, 120, 220, 90},
                            {200, 90, 160, 90},
                            {90, 180, 190, 90}};
    const Rgba strokes[] = {
        {20, 110, 40}, {180, 140, 0}, {60, 60, 170}, {150, 40, 110}, {30, 120, 130}};
    std::vector<std::string> names;
    for (const auto& x : job.exclusions)
        names.push_back(x.name);
    for (const auto& c : job.corridors) // the belts of exclude corridors are exclusion zones
        if (c.role == CorridorRole::Exclude)
            names.push_back(c.name);
    for (std::size_t i = 0; i < names.size(); ++i)
        s.classes.push_back({names[i], 0, 0, names[i], fill(palette[i % 5], strokes[i % 5], 0.3)});
    return s;
}

LayerStyle corridor_belts(const Job& job) {
    LayerStyle s = layer("corridor_belts", "廊道", "约束", "Polygon", R::Categorized);
    s.attribute = "corridor";
    s.description = "corridor belts, buffered on the ground (methods.md §6.2)";
    const Rgba palette[] = {{250, 160, 60, 70}, {160, 90, 200, 70}, {60, 170, 200, 70}};
    const Rgba strokes[] = {{200, 110, 20}, {110, 50, 150}, {20, 120, 150}};
    for (std::size_t i = 0; i < job.corridors.size(); ++i) {
        const auto& name = job.corridors[i].name;
        Symbol sym = fill(palette[i % 3], strokes[i % 3], 0.4);
        sym.dashed = true;
        s.classes.push_back({name, 0, 0, name, sym});
    }
    s.label = label("corridor", 10, {120, 70, 10});
    return s;
}

LayerStyle corridor_routes() {
    LayerStyle s = layer("corridor_routes", "廊道线路", "约束", "Line", R::Single);
    Symbol line;
    line.kind = Symbol::Kind::Line;
    line.stroke = {200, 110, 20};
    line.width_mm = 0.8;
    s.symbol = line;
    return s;
}

LayerStyle resettlement() {
    LayerStyle s = layer("resettlement", "安置区", "约束", "Polygon", R::Single);
    s.symbol = fill({70, 120, 200, 160}, {30, 60, 140}, 0.3);
    return s;
}

// An analysis layer (group 分析): graduated on a number in five equal classes (index scores),
// categorised on text (classes, cluster ids), or one symbol; lines are drawn as lines.
LayerStyle analysis_layer(const AnalysisLayer& l) {
    const bool line = l.shape == AnalysisLayer::Shape::Links;
    const R renderer = l.style == AnalysisLayer::Style::Graduated     ? R::Graduated
                       : l.style == AnalysisLayer::Style::Categorized ? R::Categorized
                                                                      : R::Single;
    LayerStyle s = layer(l.name, l.title, "分析", line ? "Line" : "Polygon", renderer);
    s.attribute = l.style_field;
    s.description = "analysis layer '" + l.name + "' (methods.md §10)";
    for (const auto& c : l.columns)
        s.field_aliases[c.key] = c.zh;
    auto symbol = [&](Rgba c) {
        if (!line)
            return fill(c, {90, 90, 90}, 0.3);
        Symbol sym;
        sym.kind = Symbol::Kind::Line;
        sym.stroke = c;
        sym.width_mm = 0.8;
        return sym;
    };
    const std::size_t col = static_cast<std::size_t>(
        std::find_if(l.columns.begin(), l.columns.end(),
                     [&](const AnalysisColumn& c) { return c.key == l.style_field; }) -
        l.columns.begin());
    if (renderer == R::Graduated) {
        double lo = 0, hi = 0;
        bool first = true;
        for (const auto& f : l.features) {
            const auto& v = f.values[col];
            const double x = std::holds_alternative<double>(v) ? std::get<double>(v)
                             : std::holds_alternative<std::int64_t>(v)
                                 ? static_cast<double>(std::get<std::int64_t>(v))
                                 : 0.0;
            lo = first ? x : std::min(lo, x);
            hi = first ? x : std::max(hi, x);
            first = false;
        }
        const Rgba ramp[5] = {
            {215, 25, 28}, {253, 174, 97}, {255, 255, 191}, {166, 217, 106}, {26, 150, 65}};
        const double step = (hi - lo) / 5;
        for (int i = 0; i < 5; ++i) {
            const double a = lo + step * i, b = i == 4 ? hi : lo + step * (i + 1);
            s.classes.push_back({"", a, b, fmt::format("{:.3f} – {:.3f}", a, b), symbol(ramp[i])});
        }
    } else if (renderer == R::Categorized) {
        const Rgba palette[] = {{31, 120, 180},  {51, 160, 44},   {227, 26, 28},   {255, 127, 0},
                                {106, 61, 154},  {177, 89, 40},   {166, 206, 227}, {178, 223, 138},
                                {251, 154, 153}, {253, 191, 111}, {202, 178, 214}, {255, 255, 153}};
        std::vector<std::string> seen;
        for (const auto& f : l.features) {
            const auto& v = f.values[col];
            const std::string text =
                std::holds_alternative<std::string>(v)
                    ? std::get<std::string>(v)
                    : std::visit(
                          [](const auto& x) {
                              if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>)
                                  return x;
                              else
                                  return fmt::format("{}", x);
                          },
                          v);
            if (std::find(seen.begin(), seen.end(), text) == seen.end())
                seen.push_back(text);
        }
        std::sort(seen.begin(), seen.end());
        for (std::size_t i = 0; i < seen.size(); ++i)
            s.classes.push_back({seen[i], 0, 0, seen[i], symbol(palette[i % 12])});
    } else {
        s.symbol = line ? symbol({200, 40, 120}) : fill({0, 0, 0, 0}, {200, 40, 120}, 0.8);
    }
    if (!l.label_field.empty())
        s.label = line ? [&] {
            LabelStyle lab = label(l.label_field, 7, {120, 20, 80});
            lab.along_line = true;
            return lab;
        }()
                       : label(l.label_field, 9, {30, 30, 30});
    s.opacity = line ? 1.0 : 0.8;
    return s;
}

} // namespace

std::vector<LayerStyle> result_styles(const RunResults& r) {
    // Top to bottom, group by group (分配, 约束, 结果): flows over sites over the semi-transparent
    // constraints over the parcels over the villages' colours.
    std::vector<LayerStyle> out;
    if (r.allocation) {
        out.push_back(flows(*r.allocation));
        out.push_back(sites());
    }
    if (r.analyses)
        for (const auto& run : r.analyses->runs) {
            // Lines first: drawn on top of the polygon layers.
            for (const auto& l : run.result.layers)
                if (l.shape == AnalysisLayer::Shape::Links)
                    out.push_back(analysis_layer(l));
            for (const auto& l : run.result.layers)
                if (l.shape != AnalysisLayer::Shape::Links)
                    out.push_back(analysis_layer(l));
        }
    out.push_back(resettlement());
    if (!r.job.corridors.empty()) {
        out.push_back(corridor_routes());
        out.push_back(corridor_belts(r.job));
    }
    out.push_back(exclusions(r.job));
    out.push_back(reclaimed());
    out.push_back(parcels());
    out.push_back(regions());
    out.push_back(zones());
    out.push_back(townships());
    out.push_back(villages(r.quota));
    return out;
}

} // namespace landquota
