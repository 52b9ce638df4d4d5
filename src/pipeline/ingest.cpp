#include "pipeline/ingest.hpp"

#include "geo/crs.hpp"
#include "landquota/error.hpp"
#include "landquota/units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <optional>
#include <set>

namespace landquota {

namespace {

bool truthy(const std::string& v) {
    static const std::set<std::string> yes{"1",    "y",    "Y",  "yes", "YES", "true",
                                           "TRUE", "True", "是", "T",   "t"};
    return yes.count(v) > 0;
}

void add_files(const LayerReader& r, std::vector<std::string>& out) {
    for (auto& f : r.files())
        if (std::find(out.begin(), out.end(), f) == out.end())
            out.push_back(f);
}

// Reads a whole polygon layer through `on_feature`, checking geometry and the id field.
template <typename OnFeature>
void read_polygons(LayerReader& r, const std::string& id_field, bool repair, FindingLog& log,
                   OnFeature on_feature) {
    const FeatureRef ref{&r, id_field};
    std::set<std::string> seen;
    SourceFeature f;
    std::int64_t n = 0;
    while (r.next(f)) {
        ++n;
        const std::string id = f.values.empty() ? std::string{} : f.values[0];
        if (!id_field.empty()) {
            if (id.empty()) {
                log.add(ref.finding(Finding::Severity::Error, "missing_id", f, id, id_field,
                                    "the id is empty"));
                continue;
            }
            if (!seen.insert(id).second) {
                log.add(ref.finding(Finding::Severity::Error, "duplicate_id", f, id, id_field,
                                    fmt::format("id '{}' appears more than once", id)));
                continue;
            }
        }
        GeomPtr g = checked_polygon(f, ref, id, repair, log);
        if (g)
            on_feature(f, std::move(g));
    }
    if (n == 0)
        log.add(Finding{Finding::Severity::Error, "empty_layer", r.source().path, r.layer_name(),
                        "", "", "the layer has no features"});
}

// A number from a text field, or nothing (and a finding) when it is not one.
std::optional<double> parse_number(const std::string& text) {
    if (text.empty())
        return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v))
        return std::nullopt;
    return v;
}

void read_sites(const SiteInput& S, Inputs& in, bool repair, FindingLog& log) {
    std::vector<std::string> fields{S.id, S.name, S.demand};
    std::vector<std::string> keys{"id", "name", "demand"};
    for (const auto& [attr, field] : S.attributes) {
        fields.push_back(field);
        keys.push_back("attributes." + attr);
    }
    LayerReader sites(S, fields, keys);
    sites.set_working_crs(*in.working_crs);
    add_files(sites, in.input_files);
    const FeatureRef ref{&sites, S.id};
    read_polygons(sites, S.id, repair, log, [&](SourceFeature& f, GeomPtr g) {
        SiteRef s;
        s.fid = f.fid;
        s.site.site_id = f.values[0];
        s.site.name = f.values[1];
        const auto demand = parse_number(f.values[2]);
        if (!demand || *demand < 0) {
            log.add(
                ref.finding(Finding::Severity::Error, "bad_demand", f, f.values[0], S.demand,
                            fmt::format("demand '{}' is not a non-negative number", f.values[2])));
            return;
        }
        s.site.demand =
            to_hundredths(S.demand_unit == "mu" ? *demand * kSquareMetresPerMu : *demand);
        std::size_t i = 3;
        for (const auto& [attr, field] : S.attributes) {
            const std::string& text = f.values[i++];
            if (text.empty())
                continue; // not declared for this site: absent, not zero
            const auto v = parse_number(text);
            if (!v) {
                log.add(
                    ref.finding(Finding::Severity::Error, "not_a_number", f, f.values[0], field,
                                fmt::format("'{}' is not a number (attribute {})", text, attr)));
                continue;
            }
            s.site.attributes[attr] = *v;
        }
        point_on_surface(g.get(), s.site.x, s.site.y);
        s.geometry = std::move(g);
        in.reference.sites.push_back(std::move(s));
    });
}

} // namespace

Inputs ingest(const Job& job, FindingLog& log) {
    Inputs in;
    const auto& P = job.parcels;
    in.parcels = std::make_unique<LayerReader>(
        P, std::vector<std::string>{P.id, P.landuse, P.village, P.village_class, P.slope, P.holder},
        std::vector<std::string>{"id", "landuse", "village", "village_class", "slope", "holder"});
    if (!in.parcels->crs())
        throw Error("ingest", fmt::format("{}, layer '{}': has no CRS (a .prj file or a declared "
                                          "SRS is needed to place it)",
                                          P.path, in.parcels->layer_name()));
    if (in.parcels->feature_count() == 0)
        throw Error("ingest", fmt::format("{}, layer '{}': the parcel layer is empty", P.path,
                                          in.parcels->layer_name()));
    std::string crs_def = job.crs;
    if (crs_def.empty()) {
        double lon = 0, lat = 0;
        in.parcels->centre_lon_lat(lon, lat);
        crs_def = gk3_zone_definition(lon);
    }
    try {
        in.working_crs = make_srs(crs_def);
    } catch (const Error&) {
        throw Error("job",
                    fmt::format("{}: [job] crs '{}' is not a CRS GDAL knows (EPSG:nnnn, WKT or a "
                                "PROJ string)",
                                job.file.string(), crs_def));
    }
    if (!in.working_crs->IsProjected() || std::abs(in.working_crs->GetLinearUnits() - 1.0) > 1e-12)
        throw Error("job", fmt::format("{}: [job] crs '{}' is not a projected CRS in metres",
                                       job.file.string(), crs_def));
    in.working_crs_label = srs_label(*in.working_crs);
    in.parcels->set_working_crs(*in.working_crs);
    add_files(*in.parcels, in.input_files);

    // Villages
    const auto& V = job.villages;
    LayerReader villages(V,
                         {V.id, V.name, V.township, V.relocate, V.state, V.accepted, V.reclaim_to},
                         {"id", "name", "township", "relocate", "state", "accepted", "reclaim_to"});
    villages.set_working_crs(*in.working_crs);
    add_files(villages, in.input_files);
    in.reference.villages_file = V.path;
    in.reference.villages_layer = villages.layer_name();
    std::set<std::string> listed(job.reclaim.relocating_villages.begin(),
                                 job.reclaim.relocating_villages.end());
    read_polygons(villages, V.id, job.repair_invalid, log, [&](SourceFeature& f, GeomPtr g) {
        VillageRef v{f.values[0],  f.values[1],
                     f.values[2],  truthy(f.values[3]) || listed.count(f.values[0]) > 0,
                     std::move(g), f.fid,
                     f.values[4],  f.values[5],
                     f.values[6]};
        in.reference.villages.push_back(std::move(v));
    });
    for (const auto& code : job.reclaim.relocating_villages)
        if (std::none_of(in.reference.villages.begin(), in.reference.villages.end(),
                         [&](const VillageRef& v) { return v.id == code; }))
            log.add(Finding{Finding::Severity::Error, "unknown_village", job.file.string(), "", "",
                            "reclaim.relocating_villages",
                            fmt::format("village '{}' is not in the villages layer", code)});

    // Townships
    if (job.townships) {
        const auto& T = *job.townships;
        std::vector<std::string> fields{T.id, T.name, T.zone, T.region};
        std::vector<std::string> keys{"id", "name", "zone", "region"};
        for (const auto& ind : T.indicators) {
            fields.push_back(ind);
            keys.push_back("indicators");
        }
        LayerReader townships(T, fields, keys);
        townships.set_working_crs(*in.working_crs);
        add_files(townships, in.input_files);
        const FeatureRef tref{&townships, T.id};
        read_polygons(townships, T.id, job.repair_invalid, log, [&](SourceFeature& f, GeomPtr g) {
            TownshipRef t{f.values[0], f.values[1], f.values[2], f.values[3], std::move(g), {}};
            for (std::size_t i = 0; i < T.indicators.size(); ++i) {
                const std::string& text = f.values[4 + i];
                char* end = nullptr;
                const double v = std::strtod(text.c_str(), &end);
                if (text.empty() || *end != '\0' || !std::isfinite(v)) {
                    log.add(tref.finding(Finding::Severity::Error, "not_a_number", f, f.values[0],
                                         T.indicators[i],
                                         fmt::format("'{}' is not a number", text)));
                    continue;
                }
                t.indicators[T.indicators[i]] = v;
            }
            in.reference.townships.push_back(std::move(t));
        });
    }

    // Exclusion zones
    for (const auto& X : job.exclusions) {
        LayerReader ex(X, {}, {});
        ex.set_working_crs(*in.working_crs);
        add_files(ex, in.input_files);
        read_polygons(ex, "", job.repair_invalid, log, [&](SourceFeature&, GeomPtr g) {
            in.reference.exclusions.push_back(ExclusionPolygon{X.name, std::move(g)});
        });
    }

    // Resettlement sites
    if (job.resettlement) {
        const auto& R = *job.resettlement;
        LayerReader rs(R, {R.id, R.village}, {"id", "village"});
        rs.set_working_crs(*in.working_crs);
        add_files(rs, in.input_files);
        const FeatureRef ref{&rs, R.id};
        read_polygons(rs, R.id, job.repair_invalid, log, [&](SourceFeature& f, GeomPtr g) {
            const std::string& village = f.values[1];
            if (village.empty()) {
                log.add(ref.finding(Finding::Severity::Error, "missing_value", f, f.values[0],
                                    R.village, "the resettlement site names no village"));
                return;
            }
            if (std::none_of(in.reference.villages.begin(), in.reference.villages.end(),
                             [&](const VillageRef& v) { return v.id == village; })) {
                log.add(ref.finding(
                    Finding::Severity::Error, "unknown_village", f, f.values[0], R.village,
                    fmt::format("the resettlement site serves village '{}', which is not "
                                "in the villages layer",
                                village)));
                return;
            }
            in.reference.resettlement.push_back(
                ResettlementSite{f.values[0].empty() ? fmt::format("FID {}", f.fid) : f.values[0],
                                 village, std::move(g)});
        });
    }
    if (job.sites)
        read_sites(*job.sites, in, job.repair_invalid, log);
    return in;
}

} // namespace landquota
