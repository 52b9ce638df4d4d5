#include "pipeline/ingest.hpp"

#include "core/blank.hpp"
#include "core/did_you_mean.hpp"
#include "core/translate.hpp"
#include "geo/crs.hpp"
#include "landquota/error.hpp"
#include "landquota/units.hpp"
#include "pipeline/corridors.hpp"
#include "pipeline/plausibility.hpp"
#include "pipeline/validate.hpp"

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
            if (is_blank(id)) {
                log.add(ref.finding(Finding::Severity::Error, "missing_id", f, id, id_field,
                                    tr("the id is empty or only spaces")));
                continue;
            }
            if (!seen.insert(id).second) {
                log.add(ref.finding(Finding::Severity::Error, "duplicate_id", f, id, id_field,
                                    trf("id '{}' appears more than once", id)));
                continue;
            }
        }
        GeomPtr g = checked_polygon(f, ref, id, repair, log);
        if (g)
            on_feature(f, std::move(g));
    }
    if (n == 0)
        log.add(Finding{Finding::Severity::Error, "empty_layer", r.source().path, r.layer_name(),
                        "", "", tr("the layer has no features")});
}

// Values from a closed list: a misspelt state ("acepted") would silently make a lot unallocable,
// a relocation flag of "Yes, 2025" silently false.
void check_village_codes(const VillageValues& v, const VillageInput& V, const FeatureRef& ref,
                         const SourceFeature& f, FindingLog& log) {
    static const std::vector<std::string> states{"planned", "reclaimed", "accepted"};
    static const std::vector<std::string> uses{"arable", "high_standard", "other_farmland",
                                               "forest"};
    static const std::set<std::string> no{"0",     "n",     "N",  "no", "NO", "false",
                                          "FALSE", "False", "否", "F",  "f"};
    auto refuse = [&](const std::string& check, const std::string& field, const std::string& value,
                      const std::vector<std::string>& allowed) {
        log.add(ref.finding(
            Finding::Severity::Error, check, f, v.id, field,
            trf("'{}' is not one of {}{}", value, join(allowed), did_you_mean(value, allowed))));
    };
    if (!v.state.empty() && std::find(states.begin(), states.end(), v.state) == states.end())
        refuse("bad_state", V.state, v.state, states);
    if (!v.reclaim_to.empty() && std::find(uses.begin(), uses.end(), v.reclaim_to) == uses.end())
        refuse("bad_reclaim_to", V.reclaim_to, v.reclaim_to, uses);
    if (!v.relocate.empty() && !truthy(v.relocate) && !no.count(v.relocate))
        refuse("bad_flag", V.relocate, v.relocate, {"1", "0", "true", "false", "是", "否"});
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
    LayerReader sites(S, SiteValues::request(S));
    check_layer_extent(sites);
    sites.set_working_crs(*in.working_crs);
    add_files(sites, in.input_files);
    const FeatureRef ref{&sites, S.id};
    read_polygons(sites, S.id, repair, log, [&](SourceFeature& f, GeomPtr g) {
        const SiteValues v(f);
        SiteRef s;
        s.fid = f.fid;
        s.site.site_id = v.id;
        s.site.name = v.name;
        const auto demand = parse_number(v.demand);
        if (!demand || *demand < 0) {
            log.add(ref.finding(Finding::Severity::Error, "bad_demand", f, v.id, S.demand,
                                trf("demand '{}' is not a non-negative number", v.demand)));
            return;
        }
        s.site.demand =
            to_hundredths(S.demand_unit == "mu" ? *demand * kSquareMetresPerMu : *demand);
        std::size_t i = 0;
        for (const auto& [attr, field] : S.attributes) {
            const std::string& text = v.attributes[i++];
            if (text.empty())
                continue; // not declared for this site: absent, not zero
            const auto value = parse_number(text);
            if (!value) {
                log.add(ref.finding(Finding::Severity::Error, "not_a_number", f, v.id, field,
                                    trf("'{}' is not a number (attribute {})", text, attr)));
                continue;
            }
            s.site.attributes[attr] = *value;
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
    in.parcels = std::make_unique<LayerReader>(P, ParcelValues::request(P));
    if (!in.parcels->crs())
        throw Error(Stage::Ingest, trf("{}, layer '{}': has no CRS (a .prj file or a declared "
                                       "SRS is needed to place it)",
                                       P.path, in.parcels->layer_name()));
    if (in.parcels->feature_count() == 0)
        throw Error(Stage::Ingest, trf("{}, layer '{}': the parcel layer is empty", P.path,
                                       in.parcels->layer_name()));
    check_layer_extent(*in.parcels);
    check_parcel_sizes(*in.parcels);
    std::string crs_def = job.crs;
    if (crs_def.empty()) {
        double lon = 0, lat = 0;
        in.parcels->centre_lon_lat(lon, lat);
        crs_def = gk3_zone_definition(lon);
    }
    try {
        in.working_crs = make_srs(crs_def);
    } catch (const Error&) {
        throw Error(Stage::Job,
                    trf("{}: [job] crs '{}' is not a CRS GDAL knows (EPSG:nnnn, WKT or a "
                        "PROJ string)",
                        job.file.string(), crs_def));
    }
    if (!in.working_crs->IsProjected() || std::abs(in.working_crs->GetLinearUnits() - 1.0) > 1e-12)
        throw Error(Stage::Job, trf("{}: [job] crs '{}' is not a projected CRS in metres",
                                    job.file.string(), crs_def));
    in.working_crs_label = srs_label(*in.working_crs);
    check_crs_distortion(job, *in.working_crs, in.working_crs_label, *in.parcels, log);
    in.parcels->set_working_crs(*in.working_crs);
    add_files(*in.parcels, in.input_files);

    // Villages
    const auto& V = job.villages;
    LayerReader villages(V, VillageValues::request(V));
    check_layer_extent(villages);
    villages.set_working_crs(*in.working_crs);
    add_files(villages, in.input_files);
    in.reference.villages_file = V.path;
    in.reference.villages_layer = villages.layer_name();
    std::set<std::string> listed(job.reclaim.relocating_villages.begin(),
                                 job.reclaim.relocating_villages.end());
    const FeatureRef vref{&villages, V.id};
    read_polygons(villages, V.id, job.repair_invalid, log, [&](SourceFeature& f, GeomPtr g) {
        const VillageValues v(f);
        check_village_codes(v, V, vref, f, log);
        in.reference.villages.push_back(
            VillageRef{v.id, v.name, v.township, truthy(v.relocate) || listed.count(v.id) > 0,
                       std::move(g), f.fid, v.state, v.accepted, v.reclaim_to});
    });
    for (const auto& code : job.reclaim.relocating_villages)
        if (std::none_of(in.reference.villages.begin(), in.reference.villages.end(),
                         [&](const VillageRef& v) { return v.id == code; }))
            log.add(Finding{Finding::Severity::Error, "unknown_village", job.file.string(), "", "",
                            "reclaim.relocating_villages",
                            trf("village '{}' is not in the villages layer", code)});

    // Townships
    if (job.townships) {
        const auto& T = *job.townships;
        LayerReader townships(T, TownshipValues::request(T));
        check_layer_extent(townships);
        townships.set_working_crs(*in.working_crs);
        add_files(townships, in.input_files);
        const FeatureRef tref{&townships, T.id};
        read_polygons(townships, T.id, job.repair_invalid, log, [&](SourceFeature& f, GeomPtr g) {
            const TownshipValues v(f);
            TownshipRef t{v.id, v.name, v.zone, v.region, std::move(g), {}, truthy(v.lead), v.type};
            for (std::size_t i = 0; i < T.indicators.size(); ++i) {
                const std::string& text = v.indicators[i];
                if (is_blank(text)) {
                    // A missing value stays missing (absent): each formula states its rule for it.
                    log.add(tref.finding(Finding::Severity::Warning, "missing_value", f, v.id,
                                         T.indicators[i], tr("no value")));
                    continue;
                }
                const auto value = parse_number(text);
                if (!value) {
                    log.add(tref.finding(Finding::Severity::Error, "not_a_number", f, v.id,
                                         T.indicators[i], trf("'{}' is not a number", text)));
                    continue;
                }
                t.indicators[T.indicators[i]] = *value;
            }
            in.reference.townships.push_back(std::move(t));
        });
    }

    // Exclusion zones
    for (const auto& X : job.exclusions) {
        LayerReader ex(X, FieldRequest{});
        check_layer_extent(ex);
        ex.set_working_crs(*in.working_crs);
        add_files(ex, in.input_files);
        read_polygons(ex, "", job.repair_invalid, log, [&](SourceFeature&, GeomPtr g) {
            in.reference.exclusions.push_back(ExclusionPolygon{X.name, std::move(g)});
        });
    }

    // Corridors: after the exclusions, which the belts of `exclude` corridors join.
    read_corridors(job, *in.working_crs, in.reference, in.input_files, log);

    // Resettlement sites
    if (job.resettlement) {
        const auto& R = *job.resettlement;
        LayerReader rs(R, ResettlementValues::request(R));
        check_layer_extent(rs);
        rs.set_working_crs(*in.working_crs);
        add_files(rs, in.input_files);
        const FeatureRef ref{&rs, R.id};
        read_polygons(rs, R.id, job.repair_invalid, log, [&](SourceFeature& f, GeomPtr g) {
            const ResettlementValues v(f);
            if (v.village.empty()) {
                log.add(ref.finding(Finding::Severity::Error, "missing_value", f, v.id, R.village,
                                    tr("the resettlement site names no village")));
                return;
            }
            if (std::none_of(in.reference.villages.begin(), in.reference.villages.end(),
                             [&](const VillageRef& village) { return village.id == v.village; })) {
                log.add(ref.finding(Finding::Severity::Error, "unknown_village", f, v.id, R.village,
                                    trf("the resettlement site serves village '{}', which "
                                        "is not in the villages layer",
                                        v.village)));
                return;
            }
            in.reference.resettlement.push_back(ResettlementSite{
                v.id.empty() ? fmt::format("FID {}", f.fid) : v.id, v.village, std::move(g)});
        });
    }
    if (job.sites)
        read_sites(*job.sites, in, job.repair_invalid, log);
    return in;
}

} // namespace landquota
