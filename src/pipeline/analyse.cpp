#include "pipeline/analyse.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <set>

namespace landquota {

namespace {

// Names every table and layer of the run must not take (the engine's own outputs).
const std::set<std::string> kReserved = {"regions",    "zones",        "townships",   "villages",
                                         "sites",      "lots",         "lot_parcels", "transfers",
                                         "payments",   "findings",     "parcels",     "reclaimed",
                                         "exclusions", "resettlement", "flows",       "clusters"};

bool kind_fits(const AnalysisValue& v, ValueKind k) {
    switch (k) {
    case ValueKind::Text:
        return std::holds_alternative<std::string>(v);
    case ValueKind::Integer:
        return std::holds_alternative<std::int64_t>(v);
    case ValueKind::Number:
        return std::holds_alternative<double>(v);
    }
    return false;
}

class ResultCheck {
  public:
    // Tables and layers are named apart (a table "index" and a layer "index" do not clash).
    ResultCheck(const LoadedPlugin& p, std::size_t units, std::set<std::string>& tables,
                std::set<std::string>& layers)
        : p_(p), units_(units), tables_(tables), layers_(layers) {}

    void table(AnalysisTable& t, const std::string& suffix) {
        t.name += suffix;
        claim(t.name, tables_);
        for (const auto& row : t.rows)
            cells(row, t.columns, "table '" + t.name + "'");
    }
    void layer(AnalysisLayer& l, const std::string& suffix) {
        l.name += suffix;
        claim(l.name, layers_);
        const std::string what = "layer '" + l.name + "'";
        for (const auto& f : l.features) {
            cells(f.values, l.columns, what);
            const std::size_t need = l.shape == AnalysisLayer::Shape::Links   ? 2
                                     : l.shape == AnalysisLayer::Shape::Units ? 1
                                                                              : 0;
            if ((need && f.units.size() != need) || f.units.empty())
                throw broken(fmt::format("{}: a feature names {} units", what, f.units.size()));
            for (auto u : f.units)
                if (u >= units_)
                    throw broken(fmt::format("{}: unit index {} of {}", what, u, units_));
        }
        if (l.style != AnalysisLayer::Style::Single &&
            std::none_of(l.columns.begin(), l.columns.end(),
                         [&](const AnalysisColumn& c) { return c.key == l.style_field; }))
            throw broken(fmt::format("{}: styled by unknown column '{}'", what, l.style_field));
    }
    Error broken(const std::string& what) const {
        return Error(Stage::Analyse,
                     trf("analysis '{}' ({}) returned an impossible result: {}", p_.info.name,
                         p_.file, what),
                     Error::Kind::Internal);
    }

  private:
    void claim(const std::string& name, std::set<std::string>& taken) {
        if (kReserved.count(name) || !taken.insert(name).second)
            throw broken(fmt::format("the name '{}' is taken", name));
    }
    void cells(const std::vector<AnalysisValue>& row, const std::vector<AnalysisColumn>& cols,
               const std::string& what) const {
        if (row.size() != cols.size())
            throw broken(fmt::format("{}: a row of {} values for {} columns", what, row.size(),
                                     cols.size()));
        for (std::size_t i = 0; i < row.size(); ++i)
            if (!kind_fits(row[i], cols[i].kind))
                throw broken(fmt::format("{}: column '{}' holds a value of another kind", what,
                                         cols[i].key));
    }
    const LoadedPlugin& p_;
    std::size_t units_;
    std::set<std::string>&tables_, &layers_;
};

} // namespace

std::vector<AnalysisUnit> analysis_units(const ReferenceLayers& ref, const QuotaTables& quota,
                                         const OGRSpatialReference& working,
                                         const AreaCalculator& area) {
    auto* ctx = Geos::ctx();
    std::unique_ptr<OGRSpatialReference> geog(working.CloneGeogCS());
    geog->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER); // longitude, latitude
    std::unique_ptr<OGRCoordinateTransformation> to_geog(
        OGRCreateCoordinateTransformation(&working, geog.get()));
    if (!to_geog)
        throw Error(Stage::Analyse, tr("cannot build the inverse projection of the working CRS"),
                    Error::Kind::Internal);
    std::map<std::string, std::int64_t> freed_mu;
    for (const auto& t : quota.townships)
        freed_mu[t.id] = t.freed_mu_hundredths;

    std::vector<const TownshipRef*> order;
    for (const auto& t : ref.townships)
        order.push_back(&t);
    std::sort(order.begin(), order.end(),
              [](const TownshipRef* a, const TownshipRef* b) { return a->id < b->id; });
    std::vector<AnalysisUnit> units;
    std::vector<PreparedPtr> prepared;
    for (const TownshipRef* t : order) {
        AnalysisUnit u;
        u.id = t->id;
        u.name = t->name;
        u.zone_id = t->zone_id;
        u.region_id = t->region_id;
        u.type = t->type;
        u.lead = t->lead;
        u.indicators = t->indicators;
        GeomPtr c(GEOSGetCentroid_r(ctx, t->geometry.get()));
        GEOSGeomGetX_r(ctx, c.get(), &u.x);
        GEOSGeomGetY_r(ctx, c.get(), &u.y);
        u.lon = u.x;
        u.lat = u.y;
        if (!to_geog->Transform(1, &u.lon, &u.lat))
            throw Error(Stage::Analyse,
                        trf("township '{}': its centroid cannot be inverse-projected", u.id));
        u.area_m2 = area.measure(*to_ogr(t->geometry.get())).ellipsoidal_m2;
        // Freed quota as an indicator (a regionalisation's size, a pairing's profile), unless
        // the layer has a field of that name.
        if (auto it = freed_mu.find(t->id); it != freed_mu.end())
            u.indicators.emplace("freed_mu", static_cast<double>(it->second) / 100.0);
        units.push_back(std::move(u));
        prepared.emplace_back(GEOSPrepare_r(ctx, t->geometry.get()));
    }
    // Townships are at most a few hundred: every pair is cheap enough.
    for (std::size_t i = 0; i < units.size(); ++i)
        for (std::size_t j = i + 1; j < units.size(); ++j)
            if (GEOSPreparedIntersects_r(ctx, prepared[i].get(), order[j]->geometry.get()) == 1) {
                units[i].neighbours.push_back(j);
                units[j].neighbours.push_back(i);
            }
    return units;
}

std::vector<AnalysisRun> run_analyses(const std::vector<ResolvedPlugin>& analyses,
                                      std::vector<AnalysisUnit>& units) {
    std::vector<AnalysisRun> out;
    std::map<std::string, int> uses;
    std::set<std::string> tables, layers;
    std::map<std::string, std::size_t> index_of;
    for (std::size_t i = 0; i < units.size(); ++i)
        index_of[units[i].id] = i;
    for (const auto& a : analyses) {
        const LoadedPlugin& p = *a.plugin;
        const int n = ++uses[p.info.name];
        const std::string suffix = n == 1 ? "" : fmt::format("_{}", n);
        AnalysisRun run{p.info.name + suffix, a.table, a.record, {}};
        try {
            run.result = p.analysis(a.options)->analyse(AnalysisInput{units});
        } catch (const std::invalid_argument& e) {
            throw Error(Stage::Analyse,
                        trf("[{}] method '{}': {}", a.table, p.info.name, plugin_error_text(e)));
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw Error(Stage::Analyse, trf("analysis '{}' failed: {}", p.info.name, e.what()),
                        Error::Kind::Internal);
        }
        ResultCheck check(p, units.size(), tables, layers);
        for (auto& t : run.result.tables)
            check.table(t, suffix);
        for (auto& l : run.result.layers)
            check.layer(l, suffix);
        for (const auto& [key, values] : run.result.unit_values)
            for (const auto& [unit, v] : values) {
                const auto it = index_of.find(unit);
                if (it == index_of.end())
                    throw check.broken(
                        fmt::format("a value '{}' for unknown unit '{}'", key, unit));
                units[it->second].indicators[run.name + "_" + key] = v;
            }
        out.push_back(std::move(run));
    }
    return out;
}

} // namespace landquota
