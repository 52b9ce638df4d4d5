#include "pipeline/run.hpp"

#include "core/landuse_codes.hpp"
#include "geo/area_calculator.hpp"
#include "io/output_folder.hpp"
#include "io/sha256.hpp"
#include "landquota/error.hpp"
#include "landquota/version.hpp"
#include "ledger/ledger.hpp"
#include "pipeline/allocate.hpp"
#include "pipeline/assign.hpp"
#include "pipeline/compensate.hpp"
#include "pipeline/ingest.hpp"
#include "pipeline/lots.hpp"
#include "pipeline/overlaps.hpp"
#include "pipeline/publish.hpp"
#include "pipeline/reclaim.hpp"

#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <optional>
#include <set>

namespace landquota {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

class Progress {
  public:
    Progress(const RunOptions& o, std::int64_t total)
        : o_(o), total_(std::max<std::int64_t>(1, total)) {}
    void step(std::int64_t done, const char* what) {
        if (!o_.progress)
            return;
        const double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
        if (frac - last_ < 0.01 && done != total_)
            return;
        last_ = frac;
        if (!o_.progress(frac, what, o_.progress_arg))
            throw Error("run", "cancelled by the user");
    }

  private:
    const RunOptions& o_;
    std::int64_t total_;
    double last_ = -1.0;
};

std::string default_operator() {
    for (const char* var : {"LANDQUOTA_OPERATOR", "USER", "LOGNAME"})
        if (const char* v = std::getenv(var); v && *v)
            return v;
    return "unknown";
}

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

// The run's entries: provenance, the lots as they stand (and their state changes), the transfers
// and the payments. Only strings and integers go in (hashed content has no floating point).
void record_in_ledger(ledger::Ledger::Session& session, const Job& job, const Inputs& in,
                      const RunReport& report, const nlohmann::ordered_json& plugins,
                      const std::map<std::string, AreaCm2x100>& spent) {
    nlohmann::json plugin_list = nlohmann::json::array();
    for (const auto& p : plugins) {
        nlohmann::json options = nlohmann::json::object();
        for (const auto& [k, v] : p["options"].items())
            options[k] = v.is_string() ? v.get<std::string>() : v.dump();
        plugin_list.push_back({{"kind", p["kind"]},
                               {"name", p["name"]},
                               {"version", p["version"]},
                               {"options", options}});
    }
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& f : in.input_files)
        if (std::filesystem::is_regular_file(f))
            inputs.push_back({{"file", std::filesystem::path(f).filename().string()},
                              {"sha256", sha256_file(f)}});
    session.add_run({{"job", job.name},
                     {"job_sha256", sha256_file(job.file)},
                     {"inputs", inputs},
                     {"engine", {{"name", "landquota"}, {"version", kVersion}}},
                     {"working_crs", in.working_crs_label},
                     {"plugins", plugin_list}});
    std::map<std::string, AreaCm2x100> moved;
    for (const auto& t : report.transfers)
        moved[t.lot_id] += t.area;
    const auto recorded = session.recorded_areas();
    auto states = session.lot_states();
    for (const auto& lot : report.lots) {
        const auto r = recorded.find(lot.lot_id);
        if (const auto sp = spent.find(lot.lot_id); sp != spent.end() && lot.area < sp->second)
            throw Error(
                "ledger",
                fmt::format("lot {}: its freed quota is now {} m² but {} m² of it were already "
                            "transferred by earlier runs; reverse those transfers first "
                            "(landquota audit reverse)",
                            lot.lot_id, format_m2(lot.area), format_m2(sp->second)));
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
        const auto s = spent.find(lot.lot_id);
        const AreaCm2x100 used = (s == spent.end() ? 0 : s->second) + moved[lot.lot_id];
        if (moved[lot.lot_id] > 0 && used >= lot.area && states[lot.lot_id] != "allocated") {
            session.add_lot_state(lot.lot_id, states[lot.lot_id], "allocated");
            states[lot.lot_id] = "allocated";
        }
    }
    std::map<std::string, const Site*> sites;
    for (const auto& s : in.reference.sites)
        sites[s.site.site_id] = &s.site;
    for (const auto& t : report.transfers)
        session.add_transfer(t, *sites.at(t.site_id));
    for (const auto& p : report.payments)
        session.add_payment(p);
}

// The parcels' duplicate ids, confirmed on the real ids after a hash collision was seen.
void report_duplicates(LayerReader& parcels, const std::vector<std::uint64_t>& suspects,
                       const std::string& id_field, FindingLog& log) {
    if (suspects.empty())
        return;
    const std::set<std::uint64_t> suspect(suspects.begin(), suspects.end());
    std::map<std::string, std::vector<GIntBig>> fids;
    parcels.rewind();
    SourceFeature f;
    while (parcels.next(f))
        if (!f.values[kParcelId].empty() &&
            suspect.count(DuplicateIdDetector::hash(f.values[kParcelId])))
            fids[f.values[kParcelId]].push_back(f.fid);
    const FeatureRef ref{&parcels, id_field};
    for (const auto& [id, list] : fids) {
        if (list.size() < 2)
            continue;
        std::string all;
        for (std::size_t i = 0; i < list.size(); ++i)
            all += (i ? ", " : "") + std::to_string(list[i]);
        SourceFeature at;
        at.fid = list[1];
        log.add(ref.finding(
            Finding::Severity::Error, "duplicate_id", at, id, id_field,
            fmt::format("id '{}' is used by {} features (FIDs {})", id, list.size(), all)));
    }
}

nlohmann::ordered_json hashes_of(const Job& job, const std::vector<std::string>& files) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& f : files) {
        if (!std::filesystem::is_regular_file(f))
            continue;
        out.push_back(
            {{"path", std::filesystem::relative(f, job.file.parent_path()).generic_string()},
             {"sha256", sha256_file(f)}});
    }
    return out;
}

} // namespace

void init_gdal() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

RunReport run_job(const Job& job, const RunOptions& options) {
    init_gdal();
    RunReport report;
    nlohmann::ordered_json timings;
    auto t0 = Clock::now();

    Inputs in = ingest(job, report.findings);
    timings["ingest_s"] = seconds_since(t0);

    // The parcels stream: validate every feature; in a run, also measure, assign and reclaim it
    // and publish it at once, so memory holds one feature, not the layer.
    std::unique_ptr<OutputFolder> folder;
    std::unique_ptr<Publisher> publisher;
    if (!options.check_only) {
        folder = std::make_unique<OutputFolder>(options.out);
        publisher = std::make_unique<Publisher>(folder->path(), *in.working_crs);
    }
    const AreaCalculator area(*in.working_crs, job.densify_m);
    const Assigner assigner(in.reference);
    const Reclaimer reclaimer(job.reclaim, in.reference, area);
    std::vector<VillageQuota> villages = village_rows(in.reference, job.villages, report.findings);

    const auto& P = job.parcels;
    const FeatureRef ref{in.parcels.get(), P.id};
    DuplicateIdDetector ids;
    std::int64_t village_codes_given = 0, village_codes_unknown = 0;
    std::string first_unknown_code;
    LotParcels lot_parcels;
    std::map<std::string, std::int64_t> status_counts;
    double max_gap = 0.0;
    std::string max_gap_parcel;
    std::int64_t gap_checked = 0;
    Progress progress(options, in.parcels->feature_count());
    auto t1 = Clock::now();
    SourceFeature f;
    using S = Finding::Severity;
    while (in.parcels->next(f)) {
        ++report.parcels;
        progress.step(report.parcels, "parcels");
        const std::string& id = f.values[kParcelId];
        const std::string& landuse = f.values[kParcelLanduse];
        bool usable = true;
        if (id.empty()) {
            report.findings.add(
                ref.finding(S::Error, "missing_id", f, id, P.id, "the id is empty"));
            usable = false;
        } else {
            ids.add(id);
        }
        if (landuse.empty()) {
            report.findings.add(ref.finding(S::Error, "missing_value", f, id, P.landuse,
                                            "the land-use code is empty"));
            usable = false;
        } else if (!landuse_name(landuse)) {
            report.findings.add(
                ref.finding(S::Error, "unknown_landuse", f, id, P.landuse,
                            fmt::format("'{}' is not a GB/T 21010-2017 land-use code", landuse)));
            usable = false;
        }
        bool was_repaired = false;
        GeomPtr g = checked_polygon(f, ref, id, job.repair_invalid, report.findings, &was_repaired);
        if (!g || !usable || options.check_only || report.findings.errors() > 0)
            continue; // after the first error only validation goes on: nothing will be published

        const std::unique_ptr<OGRGeometry> repaired = was_repaired ? to_ogr(g.get()) : nullptr;
        const OGRGeometry& geom = repaired ? *repaired : *f.geometry;
        const MeasuredArea measured = area.measure(geom);
        if (measured.ellipsoidal_m2 <= 1e6) { // the cross-check's stated range: up to 100 ha
            ++gap_checked;
            const double gap = std::abs(measured.ellipsoidal_m2 - measured.geodesic_m2);
            if (gap > max_gap) {
                max_gap = gap;
                max_gap_parcel = id;
            }
        }

        const Assignment a = assigner.assign(g.get(), f.values[kParcelVillage]);
        if (!f.values[kParcelVillage].empty())
            ++village_codes_given;
        if (a.unknown_code && ++village_codes_unknown == 1)
            first_unknown_code = f.values[kParcelVillage];
        if (a.unknown_code)
            report.findings.add(
                ref.finding(S::Warning, "unknown_village_code", f, id, P.village,
                            fmt::format("village '{}' is not in the villages layer; "
                                        "assigned by geometry to '{}'",
                                        f.values[kParcelVillage], a.geometric_village)));
        else if (a.mismatch)
            report.findings.add(ref.finding(
                S::Warning, "village_mismatch", f, id, P.village,
                fmt::format("the field says village '{}' but the parcel lies mostly in '{}'",
                            f.values[kParcelVillage],
                            a.geometric_village.empty() ? "no village" : a.geometric_village)));

        VillageQuota* vq =
            a.village >= 0 ? &villages[static_cast<std::size_t>(a.village)] : nullptr;
        ParcelFacts facts{
            landuse,       f.values[kParcelClass], f.values[kParcelSlope], !P.village_class.empty(),
            vq != nullptr, vq && vq->relocating,   measured.ellipsoidal_m2};
        ReclaimOutcome r;
        try {
            r = reclaimer.reclaim(facts, g.get());
        } catch (const std::runtime_error& e) {
            report.findings.add(ref.finding(S::Error, "overlay_failed", f, id, "", e.what()));
            continue;
        }

        ParcelRow row{id,
                      landuse,
                      vq ? vq->village_id : "",
                      vq ? vq->township_id : "",
                      vq ? vq->zone_id : "",
                      to_hundredths(measured.ellipsoidal_m2),
                      to_hundredths(measured.planar_m2),
                      r.reclaim,
                      r.status,
                      r.excluded_by,
                      r.reason};
        ++status_counts[to_string(r.status)];
        if (vq) {
            ++vq->parcels;
            vq->reclaim += r.reclaim;
            if (r.status == ParcelStatus::Reclaimable) {
                ++vq->reclaimable_parcels;
                lot_parcels[vq->village_id].push_back(
                    LotParcel{id, f.values[kParcelHolder], landuse, r.reclaim});
            }
        }
        publisher->parcel(row, geom);
        if (r.pieces) {
            publisher->reclaimed(row, f.fid, *to_ogr(r.pieces.get()));
        }
    }
    report_duplicates(*in.parcels, ids.repeated_hashes(), P.id, report.findings);
    // A few unknown codes are data slips (warnings); most of them mean the job maps the wrong
    // field, and a run on that would silently rest on geometry alone.
    if (village_codes_given > 0 && 2 * village_codes_unknown > village_codes_given)
        report.findings.add(Finding{
            S::Error, "wrong_village_field", P.path, in.parcels->layer_name(), "", P.village,
            fmt::format("{} of {} values are not village codes of the villages layer "
                        "(e.g. '{}'): is 'inputs.parcels.village' the right field?",
                        village_codes_unknown, village_codes_given, first_unknown_code)});
    timings["parcels_s"] = seconds_since(t1);

    if (options.check_only || report.findings.errors() > 0)
        return report; // the temporary folder is removed with `folder`

    auto t2 = Clock::now();
    add_resettlement(villages, in.reference, area);
    for (const auto& v : villages)
        if (v.freed() < 0)
            report.findings.add(Finding{S::Warning, "negative_freed_quota", job.villages.path,
                                        in.reference.villages_layer,
                                        fmt::format("{}={}", job.villages.id, v.village_id), "",
                                        fmt::format("resettlement ({} m²) exceeds reclaim ({} m²)",
                                                    format_m2(v.resettle), format_m2(v.reclaim))});
    report.quota = compute_quota(std::move(villages), in.reference);
    timings["quota_s"] = seconds_since(t2);

    // Allocation and compensation (plugins), when the job asks for them.
    nlohmann::ordered_json plugins_used = nlohmann::ordered_json::array();
    nlohmann::ordered_json allocation_json, compensation_json;
    std::optional<ledger::Ledger> book;
    std::optional<ledger::Ledger::Session> session;
    if (job.allocation) {
        auto t4 = Clock::now();
        locate_sites(in.reference, report.quota);
        report.lots = make_lots(report.quota, in.reference, std::move(lot_parcels));
        std::vector<Site> sites;
        for (const auto& s : in.reference.sites)
            sites.push_back(s.site);

        // The ledger's write lock is held from reading what earlier runs spent to the commit, so
        // two runs can never both spend the same quota (the second waits, or is refused).
        const auto ledger_path = options.ledger.empty() ? job.ledger.path : options.ledger;
        book.emplace(ledger::Ledger::open(ledger_path, true));
        session.emplace(
            book->begin(options.operator_name.empty() ? default_operator() : options.operator_name,
                        std::chrono::seconds(job.ledger.wait_seconds)));
        const auto spent = session->spent();
        // Sites already supplied by committed runs ask only for the rest of their demand.
        const auto received = session->received();
        for (auto& s : sites)
            if (const auto it = received.find(s.site_id); it != received.end())
                s.demand = std::max<AreaCm2x100>(0, s.demand - it->second);
        std::vector<QuotaLot> usable;
        for (const auto& l : report.lots) {
            if (!allocable(l))
                continue;
            QuotaLot left = l;
            if (const auto it = spent.find(l.lot_id); it != spent.end())
                left.area -= it->second; // spent by committed runs, reversals excepted
            if (left.area > 0)
                usable.push_back(std::move(left));
        }
        AreaCm2x100 remaining = 0, wanted = 0;
        for (const auto& l : usable)
            remaining += l.area;
        for (const auto& s : sites)
            wanted += s.demand;
        if (job.ledger.refuse_shortfall && wanted > remaining)
            throw Error(
                "allocate",
                fmt::format("the sites ask for {} mu but only {} mu of accepted quota remains "
                            "unspent in {} ([ledger] on_shortfall = \"refuse\")",
                            format_mu(hundredths_m2_to_mu_hundredths(wanted)),
                            format_mu(hundredths_m2_to_mu_hundredths(remaining)),
                            ledger_path.string()));
        AllocationOutcome a = allocate(*job.allocation, usable, sites);
        report.transfers = std::move(a.result.transfers);
        if (job.ledger
                .refuse_shortfall) { // quota may remain yet be out of reach (flow rules, distance)
            AreaCm2x100 given = 0;
            for (const auto& t : report.transfers)
                given += t.area;
            if (given < wanted)
                throw Error(
                    "allocate",
                    fmt::format("the sites ask for {} mu but the allocation can give them only {} "
                                "mu under its rules ([ledger] on_shortfall = \"refuse\")",
                                format_mu(hundredths_m2_to_mu_hundredths(wanted)),
                                format_mu(hundredths_m2_to_mu_hundredths(given))));
        }
        // Ids unique across the runs of a ledger: R<run>-T0001.
        const std::string prefix = session->run_number_prefix() + "-";
        for (auto& t : report.transfers)
            t.transfer_id = prefix + t.transfer_id;
        plugins_used.push_back(a.plugin);
        AreaCm2x100 supply = 0, demand = 0, allocated = 0;
        for (const auto& l : usable)
            supply += l.area;
        for (const auto& s : sites)
            demand += s.demand;
        for (const auto& t : report.transfers)
            allocated += t.area;
        allocation_json = {{"strategy", job.allocation->name},
                           {"lots", report.lots.size()},
                           {"allocable_lots", usable.size()},
                           {"sites", sites.size()},
                           {"supply_m2", format_m2(supply)},
                           {"demand_m2", format_m2(demand)},
                           {"allocated_m2", format_m2(allocated)},
                           {"allocated_mu", format_mu(hundredths_m2_to_mu_hundredths(allocated))},
                           {"transfers", report.transfers.size()}};
        for (const auto& [name, value] : a.result.figures)
            allocation_json["figures"][name] = value;
        allocation_json["notes"] = a.result.notes;
        if (!job.compensation.empty()) {
            const auto figures =
                township_figures(report.quota, in.reference, report.lots, report.transfers);
            CompensationOutcome c = compensate(
                job.compensation, CompensationInput{report.lots, sites, report.transfers, figures});
            report.payments = std::move(c.payments);
            for (auto& p : report.payments)
                p.payment_id = prefix + p.payment_id;
            Fen total = 0;
            std::map<std::string, Fen> by_model;
            for (const auto& p : report.payments) {
                total += p.amount;
                by_model[p.model] += p.amount;
            }
            compensation_json = {{"payments", report.payments.size()},
                                 {"total_yuan", format_yuan(total)},
                                 {"by_model_yuan", nlohmann::ordered_json::object()}};
            for (const auto& [model, fen] : by_model)
                compensation_json["by_model_yuan"][model] = format_yuan(fen);
            for (auto& p : c.plugins)
                plugins_used.push_back(p);
        }
        publisher->allocation(
            AllocationTables{report.lots, in.reference.sites, report.transfers, report.payments});
        record_in_ledger(*session, job, in, report, plugins_used, spent);
        allocation_json["ledger"] = {{"path", ledger_path.string()},
                                     {"run", session->run_number()},
                                     {"head_hash", session->head_hash()}};
        timings["allocation_s"] = seconds_since(t4);
    }

    // Manifest.
    const auto& q = report.quota;
    nlohmann::ordered_json m;
    m["engine"] = {{"name", "landquota"}, {"version", kVersion}};
    m["job"] = {{"name", job.name},
                {"file", job.file.filename().string()},
                {"sha256", sha256_file(job.file)}};
    m["inputs"] = hashes_of(job, in.input_files);
    m["working_crs"] = in.working_crs_label;
    m["counts"] = {{"parcels", report.parcels},
                   {"reclaimable", status_counts["reclaimable"]},
                   {"excluded", status_counts["excluded"]},
                   {"not_eligible", status_counts["not_eligible"]},
                   {"outside", status_counts["outside"]},
                   {"villages", q.villages.size()},
                   {"townships", q.townships.size()},
                   {"zones", q.zones.size()},
                   {"errors", report.findings.errors()},
                   {"warnings", report.findings.warnings()}};
    m["area_check"] = {
        {"method", "official ellipsoidal trapezoid vs GeographicLib geodesic polygon"},
        {"densify_m", job.densify_m},
        {"parcels_checked", gap_checked},
        {"max_abs_gap_m2", max_gap},
        {"max_gap_parcel", max_gap_parcel}};
    auto unit_json = [](const UnitQuota& u) {
        return nlohmann::ordered_json{{"id", u.id},
                                      {"reclaim_m2", format_m2(u.reclaim)},
                                      {"resettle_m2", format_m2(u.resettle)},
                                      {"freed_m2", format_m2(u.freed())},
                                      {"freed_mu", format_mu(u.freed_mu_hundredths)}};
    };
    m["totals"] = unit_json(q.county);
    if (job.allocation) {
        m["plugins"] = plugins_used;
        m["allocation"] = allocation_json;
        if (!job.compensation.empty())
            m["compensation"] = compensation_json;
    }
    m["regions"] = nlohmann::ordered_json::array();
    for (const auto& r : q.regions)
        m["regions"].push_back(unit_json(r));
    m["zones"] = nlohmann::ordered_json::array();
    for (const auto& z : q.zones)
        m["zones"].push_back(unit_json(z));
    auto t3 = Clock::now();
    m["timings"] = timings; // publishing is timed after the manifest is written: see the report
    publisher->finish(q, in.reference, report.findings, m);
    publisher.reset();
    // Read back from the finished GeoPackage, so memory stays flat: see overlaps.hpp.
    check_reclaimed_overlaps(folder->path() / "result.gpkg", P.path, in.parcels->layer_name(), P.id,
                             report.findings);
    if (report.findings.errors() > 0)
        return report; // the temporary folder is removed with `folder`, the session rolls back
    // The ledger first: it is the record. A crash between the two leaves the run recorded and its
    // output folder missing (it can be made again); never an output the ledger does not know.
    if (session)
        report.ledger_head = session->commit();
    folder->commit();
    report.committed = true;
    report.out = folder->destination();
    report.manifest = m;
    report.manifest["timings"]["publish_s"] = seconds_since(t3);
    if (options.progress)
        options.progress(1.0, "done", options.progress_arg);
    return report;
}

} // namespace landquota
