#include "pipeline/manifest.hpp"

#include "io/sha256.hpp"
#include "landquota/money.hpp"
#include "landquota/version.hpp"

#include <ctime>
#include <filesystem>

namespace landquota {

namespace {

std::vector<FileHash> hashes_of(const Job& job, const std::vector<std::string>& files) {
    std::vector<FileHash> out;
    for (const auto& f : files)
        if (std::filesystem::is_regular_file(f))
            out.push_back({std::filesystem::relative(f, job.file.parent_path()).generic_string(),
                           sha256_file(f)});
    return out;
}

AllocationSummary summarise(const AllocationRun& a) {
    AllocationSummary s;
    s.strategy = a.strategy;
    s.lots = a.lots.size();
    s.allocable_lots = a.supply.size();
    s.sites = a.demand.size();
    s.sites_supplied = supplied_sites(a);
    s.transfers = a.transfers.size();
    s.supply = total_area(a.supply);
    s.demand = total_demand(a.demand);
    s.allocated = total_area(a.transfers);
    s.figures = a.figures;
    s.notes = a.notes;
    s.ledger = a.ledger;
    for (const auto& site : a.sites)
        if (const auto it = a.earlier_received.find(site.site_id); it != a.earlier_received.end())
            s.earlier += it->second;
    s.unsupplied = unsupplied_sites(a);
    s.nothing_allocated = why_nothing_allocated(a, a.ledger.path);
    for (const auto& p : a.plugins)
        if (const auto it = p.options.all().find("benefit");
            p.kind == "allocation" && it != p.options.all().end())
            if (const auto* name = std::get_if<std::string>(&it->second)) {
                s.benefit = *name;
                if (const auto u = p.options.all().find("benefit_unit"); u != p.options.all().end())
                    if (const auto* unit = std::get_if<std::string>(&u->second))
                        s.benefit_unit = *unit;
            }
    return s;
}

CompensationSummary summarise_payments(const std::vector<Payment>& payments) {
    CompensationSummary c;
    c.payments = payments.size();
    for (const auto& p : payments) {
        c.total += p.amount;
        c.by_model[p.model] += p.amount;
    }
    return c;
}

nlohmann::ordered_json unit_json(const UnitQuota& u) {
    return {{"id", u.id},
            {"reclaim_m2", format_m2(u.reclaim)},
            {"resettle_m2", format_m2(u.resettle)},
            {"freed_m2", format_m2(u.freed())},
            {"freed_mu", format_mu(u.freed_mu_hundredths)},
            {"freed_ha", format_ha(u.freed())}};
}

nlohmann::ordered_json allocation_json(const AllocationSummary& a) {
    nlohmann::ordered_json j = {
        {"strategy", a.strategy},
        {"pools", a.pools},
        {"lots", a.lots},
        {"allocable_lots", a.allocable_lots},
        {"sites", a.sites},
        {"sites_supplied", a.sites_supplied},
        {"earlier_allocated_m2", format_m2(a.earlier)},
        {"supply_m2", format_m2(a.supply)},
        {"demand_m2", format_m2(a.demand)},
        {"allocated_m2", format_m2(a.allocated)},
        {"allocated_mu", format_mu(hundredths_m2_to_mu_hundredths(a.allocated))},
        {"allocated_ha", format_ha(a.allocated)},
        {"transfers", a.transfers}};
    for (const auto& [name, value] : a.figures) // a repeated name keeps its last value
        j["figures"][name] = value;
    j["notes"] = a.notes;
    j["sites_without_quota"] = nlohmann::ordered_json::array();
    for (const auto& u : a.unsupplied)
        j["sites_without_quota"].push_back(u.site_id);
    if (!a.nothing_allocated.empty())
        j["nothing_allocated"] = a.nothing_allocated;
    j["ledger"] = {{"path", a.ledger.path},
                   {"run", a.ledger.run},
                   {"start_hash", a.ledger.start_hash}, // the head the run appended to
                   {"head_hash", a.ledger.head_hash}};
    return j;
}

} // namespace

RunStamp RunStamp::now(std::string operator_name) {
    const std::time_t t = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return RunStamp{text, std::move(operator_name)};
}

Manifest make_manifest(const Job& job, const Inputs& in, const ParcelCounts& counts,
                       const AreaCheck& area_check, const QuotaTables& quota,
                       const FindingLog& findings, const AllocationRun* allocation,
                       const RunStamp& stamp, bool plan) {
    Manifest m;
    m.plan = plan;
    m.libraries = library_versions();
    m.stamp = stamp;
    m.job_name = job.name;
    m.job_file = job.file.filename().string();
    m.job_sha256 = sha256_file(job.file);
    if (!job.base.empty()) {
        m.base_file = job.base.filename().string();
        m.base_sha256 = sha256_file(job.base);
    }
    m.overrides = job.overrides;
    m.inputs = hashes_of(job, in.input_files);
    m.working_crs = in.working_crs_label;
    m.parcels = counts;
    m.villages = quota.villages.size();
    m.townships = quota.townships.size();
    m.zones = quota.zones.size();
    m.errors = findings.errors();
    m.warnings = findings.warnings();
    m.densify_m = job.densify_m;
    m.area_check = area_check;
    m.totals = quota.county;
    m.regions = quota.regions;
    m.zone_rows = quota.zones;
    if (allocation) {
        m.plugins = allocation->plugins;
        m.allocation = summarise(*allocation);
        for (const PoolLevel level : job.pools)
            m.allocation->pools.emplace_back(to_string(level));
        if (allocation->compensated)
            m.compensation = summarise_payments(allocation->payments);
    }
    return m;
}

nlohmann::ordered_json Manifest::to_json() const {
    nlohmann::ordered_json j;
    j["engine"] = {{"name", "landquota"},
                   {"version", kVersion},
                   {"gdal", libraries.gdal},
                   {"proj", libraries.proj},
                   {"geos", libraries.geos}};
    j["job"] = {{"name", job_name}, {"file", job_file}, {"sha256", job_sha256}};
    if (!base_file.empty())
        j["job"]["base"] = {{"file", base_file}, {"sha256", base_sha256}};
    if (!overrides.empty())
        j["job"]["overrides"] = overrides;
    j["run"] = {{"date", stamp.date},
                {"operator", stamp.operator_name},
                {"mode", plan ? "plan" : "commit"}};
    if (plan)
        j["plan"] = kPlanBanner;
    j["inputs"] = nlohmann::ordered_json::array();
    for (const auto& f : inputs)
        j["inputs"].push_back({{"path", f.path}, {"sha256", f.sha256}});
    j["working_crs"] = working_crs;
    j["counts"] = {{"parcels", parcels.parcels},
                   {"reclaimable", parcels.reclaimable},
                   {"excluded", parcels.excluded},
                   {"not_eligible", parcels.not_eligible},
                   {"outside", parcels.outside},
                   {"villages", villages},
                   {"townships", townships},
                   {"zones", zones},
                   {"errors", errors},
                   {"warnings", warnings}};
    j["area_check"] = {
        {"method", "official ellipsoidal trapezoid vs GeographicLib geodesic polygon"},
        {"densify_m", densify_m},
        {"parcels_checked", area_check.parcels_checked},
        {"max_abs_gap_m2", area_check.max_abs_gap_m2},
        {"max_gap_parcel", area_check.max_gap_parcel}};
    j["totals"] = unit_json(totals);
    if (allocation) {
        j["plugins"] = nlohmann::ordered_json::array();
        for (const auto& p : plugins)
            j["plugins"].push_back(p.manifest_json());
        j["allocation"] = allocation_json(*allocation);
        if (compensation) {
            j["compensation"] = {{"payments", compensation->payments},
                                 {"total_yuan", format_yuan(compensation->total)},
                                 {"by_model_yuan", nlohmann::ordered_json::object()}};
            for (const auto& [model, fen] : compensation->by_model)
                j["compensation"]["by_model_yuan"][model] = format_yuan(fen);
        }
    }
    if (!analyses.empty()) {
        j["analyses"] = nlohmann::ordered_json::array();
        for (const auto& a : analyses) {
            nlohmann::ordered_json figures = nlohmann::ordered_json::object();
            for (const auto& [k, v] : a.figures)
                figures[k] = v;
            j["analyses"].push_back({{"name", a.name},
                                     {"plugin", a.plugin.manifest_json()},
                                     {"figures", figures},
                                     {"notes", a.notes},
                                     {"tables", a.tables},
                                     {"layers", a.layers}});
        }
    }
    j["regions"] = nlohmann::ordered_json::array();
    for (const auto& r : regions)
        j["regions"].push_back(unit_json(r));
    j["zones"] = nlohmann::ordered_json::array();
    for (const auto& z : zone_rows)
        j["zones"].push_back(unit_json(z));
    j["timings"] = nlohmann::ordered_json::object();
    for (const auto& [stage, seconds] : timings)
        j["timings"][stage] = seconds;
    return j;
}

} // namespace landquota
