#include "pipeline/record.hpp"

#include "io/sha256.hpp"
#include "landquota/version.hpp"

#include <map>

namespace landquota {

namespace {

// A village's outline as an RFC 7946 GeoJSON geometry (WGS84, longitude first), for the ledger's
// trace maps.
nlohmann::json village_geojson(const Inputs& in, const std::string& village_id) {
    for (const auto& v : in.reference.villages) {
        if (v.id != village_id)
            continue;
        auto g = to_ogr(v.geometry.get());
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        std::unique_ptr<OGRCoordinateTransformation> ct(
            OGRCreateCoordinateTransformation(in.working_crs.get(), &wgs84));
        if (!ct || g->transform(ct.get()) != OGRERR_NONE)
            return nullptr;
        char* text = g->exportToJson(); // GDAL rounds coordinates consistently: reruns hash alike
        nlohmann::json out = nlohmann::json::parse(text ? text : "null");
        CPLFree(text);
        return out;
    }
    return nullptr;
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
    return {{"job", job.name},
            {"job_sha256", sha256_file(job.file)},
            {"inputs", inputs},
            {"engine", {{"name", "landquota"}, {"version", kVersion}}},
            {"working_crs", in.working_crs_label},
            {"plugins", plugins}};
}

} // namespace

std::string record_in_ledger(ledger::Ledger::Session& session, const Job& job, const Inputs& in,
                             const AllocationRun& run, const LedgerState& state) {
    session.add_run(provenance(job, in, run));
    std::map<std::string, AreaCm2x100> moved;
    for (const auto& t : run.transfers)
        moved[t.lot_id] += t.area;
    const auto recorded = session.recorded_areas();
    auto states = session.lot_states();
    for (const auto& lot : run.lots) {
        const auto r = recorded.find(lot.lot_id);
        if (r == recorded.end() || r->second != lot.area) {
            // new, or its area changed with new survey data; with its village's outline for maps
            session.add_lot(lot, village_geojson(in, lot.village_id), "EPSG:4326");
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
    for (const auto& t : run.transfers)
        session.add_transfer(t, *sites.at(t.site_id));
    for (const auto& p : run.payments)
        session.add_payment(p);
    return session.head_hash();
}

} // namespace landquota
