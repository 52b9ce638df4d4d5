#include "pipeline/record.hpp"

#include "core/translate.hpp"
#include "geo/geos.hpp"
#include "io/sha256.hpp"
#include "landquota/error.hpp"
#include "landquota/version.hpp"

#include <map>
#include <memory>
#include <ogr_api.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

namespace landquota {

namespace {

// The working CRS to WGS 84, made once per run: PROJ's search for the operation costs more than
// transforming all the lots' and sites' outlines.
std::unique_ptr<OGRCoordinateTransformation> to_wgs84(const OGRSpatialReference& from) {
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(&from, &wgs84));
    if (!ct)
        throw Error(Stage::Ledger, tr("cannot transform a geometry to WGS 84 for the ledger"),
                    Error::Kind::Internal);
    return ct;
}

// A geometry of the working CRS as an RFC 7946 GeoJSON geometry: WGS 84 longitude/latitude,
// exterior rings counter-clockwise and holes clockwise, 7 decimals (about 1 cm), so what the
// ledger holds is what a trace draws, and reruns hash alike. Null when there is nothing to draw.
nlohmann::json rfc7946(OGRGeometry& g, OGRCoordinateTransformation& ct) {
    if (g.transform(&ct) != OGRERR_NONE)
        throw Error(Stage::Ledger, tr("cannot transform a geometry to WGS 84 for the ledger"),
                    Error::Kind::Internal);
    auto orient = [](OGRPolygon& p) {
        for (int i = 0; i <= p.getNumInteriorRings(); ++i) {
            OGRLinearRing* ring = i == 0 ? p.getExteriorRing() : p.getInteriorRing(i - 1);
            if (ring && ring->isClockwise() == (i == 0))
                ring->reverseWindingOrder();
        }
    };
    if (auto* mp = dynamic_cast<OGRMultiPolygon*>(&g))
        for (auto* p : *mp)
            orient(*p);
    else if (auto* p = dynamic_cast<OGRPolygon*>(&g))
        orient(*p);
    char* opts[] = {const_cast<char*>("COORDINATE_PRECISION=7"), nullptr};
    char* text = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(&g), opts);
    nlohmann::json out = nlohmann::json::parse(text ? text : "null");
    CPLFree(text);
    return out;
}

// A lot's reclaimed pieces (those of its village's reclaimable parcels) as one MultiPolygon.
nlohmann::json lot_pieces(OGRCoordinateTransformation& ct, const LotPieces& pieces,
                          const std::string& village) {
    const auto it = pieces.find(village);
    if (it == pieces.end() || it->second.empty())
        return nullptr;
    OGRMultiPolygon all;
    for (const auto& g : it->second) {
        const auto o = to_ogr(g);
        if (const auto* mp = dynamic_cast<const OGRMultiPolygon*>(o.get()))
            for (const auto* p : *mp)
                all.addGeometry(p);
        else if (const auto* p = dynamic_cast<const OGRPolygon*>(o.get()))
            all.addGeometry(p);
    }
    return all.IsEmpty() ? nlohmann::json(nullptr) : rfc7946(all, ct);
}

// Only strings and integers go in: hashed content has no floating point.
nlohmann::json provenance(const Job& job, const Inputs& in, const AllocationRun& run) {
    nlohmann::json plugins = nlohmann::json::array();
    for (const auto& p : run.plugins)
        plugins.push_back(p.ledger_json());
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& f : in.input_files)
        if (std::filesystem::is_regular_file(f))
            inputs.push_back({{"file", std::filesystem::path(f).filename().string()},
                              {"sha256", sha256_file(f)}});
    nlohmann::json out = {{"job", job.name},
                          {"job_sha256", sha256_file(job.file)},
                          {"inputs", inputs},
                          {"engine", {{"name", "landquota"}, {"version", kVersion}}},
                          {"working_crs", in.working_crs_label},
                          {"plugins", plugins}};
    // Only when used, so that runs without them keep the entry format of earlier versions.
    if (!job.base.empty())
        out["job_base"] = {{"file", job.base.filename().string()},
                           {"sha256", sha256_file(job.base)}};
    if (!job.overrides.empty())
        out["overrides"] = job.overrides;
    return out;
}

} // namespace

std::string record_in_ledger(ledger::Ledger::Session& session, const Job& job, const Inputs& in,
                             const AllocationRun& run, const LedgerState& state,
                             const LotPieces& pieces) {
    session.add_run(provenance(job, in, run));
    const auto ct = to_wgs84(*in.working_crs);
    std::map<std::string, AreaCm2x100> moved;
    for (const auto& t : run.transfers)
        moved[t.lot_id] += t.area;
    const auto recorded = session.recorded_areas();
    auto states = session.lot_states();
    for (const auto& lot : run.lots) {
        const auto r = recorded.find(lot.lot_id);
        if (r == recorded.end() || r->second != lot.area) {
            // new, or its area changed with new survey data; with its reclaimed pieces for maps
            session.add_lot(lot, lot_pieces(*ct, pieces, lot.village_id));
            states[lot.lot_id] = lot.state;
        } else if (states[lot.lot_id] != lot.state && states[lot.lot_id] != "allocated") {
            session.add_lot_state(lot.lot_id, states[lot.lot_id],
                                  lot.state); // e.g. reclaimed -> accepted
            states[lot.lot_id] = lot.state;
        }
        // Fully used: the lot moves to "allocated". A reversal may free part of it again; the
        // state then says it was allocated once, and spent() says what is left.
        const auto s = state.spent.find(lot.lot_id);
        const AreaCm2x100 used = (s == state.spent.end() ? 0 : s->second) + moved[lot.lot_id];
        if (moved[lot.lot_id] > 0 && used >= lot.area && states[lot.lot_id] != "allocated") {
            session.add_lot_state(lot.lot_id, states[lot.lot_id], "allocated");
            states[lot.lot_id] = "allocated";
        }
    }
    std::map<std::string, const Site*> sites;
    for (const auto& s : run.sites)
        sites[s.site_id] = &s;
    std::map<std::string, nlohmann::json> outline;
    for (const auto& s : in.reference.sites)
        outline[s.site.site_id] = rfc7946(*to_ogr(s.geometry.get()), *ct);
    for (const auto& t : run.transfers) {
        const Site& s = *sites.at(t.site_id);
        session.add_transfer(t, s.name, s.demand, outline[t.site_id]);
    }
    for (const auto& p : run.payments)
        session.add_payment(p);
    return session.head_hash();
}

} // namespace landquota
