#include "pipeline/clusters.hpp"

#include "core/did_you_mean.hpp"
#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <map>

namespace landquota {

std::vector<DeclaredCluster> declared_clusters(const TownshipInput* job_townships,
                                               const std::vector<TownshipRef>& townships) {
    std::vector<DeclaredCluster> out;
    if (!job_townships || job_townships->lead.empty())
        return out;
    const std::string where =
        fmt::format("{} (field '{}')", job_townships->path,
                    job_townships->zone.empty() ? "zone" : job_townships->zone);
    if (job_townships->zone.empty())
        throw Error(Stage::Ingest,
                    trf("{}: 'inputs.townships.lead' marks the lead township of each "
                        "cluster: map 'inputs.townships.zone' too",
                        job_townships->path));
    // zone -> region -> townships
    std::map<std::string, std::map<std::string, std::vector<const TownshipRef*>>> by_zone;
    for (const auto& t : townships)
        by_zone[t.zone_id][t.region_id].push_back(&t);
    for (const auto& [zone, regions] : by_zone) {
        if (regions.size() > 1) {
            std::vector<std::string> parts;
            for (const auto& [region, members] : regions) {
                std::vector<std::string> ids;
                for (const auto* t : members)
                    ids.push_back(t->id + " " + t->name);
                parts.push_back(fmt::format("region '{}': {}", region, join(ids)));
            }
            throw Error(Stage::Ingest,
                        trf("{}: cluster '{}' crosses regions ({}); a cluster must lie "
                            "in one region",
                            where, zone, fmt::join(parts, "; ")));
        }
        DeclaredCluster c;
        c.zone_id = zone;
        c.region_id = regions.begin()->first;
        std::vector<std::string> leads;
        for (const auto* t : regions.begin()->second) {
            c.townships.push_back(t->id);
            if (t->lead) {
                leads.push_back(t->id + " " + t->name);
                c.lead_id = t->id;
                c.lead_name = t->name;
            }
        }
        if (leads.size() != 1)
            throw Error(Stage::Ingest,
                        trf("{}: cluster '{}' must have exactly one lead township (field "
                            "'{}'), it has {}{}; townships: {}",
                            job_townships->path, zone, job_townships->lead, leads.size(),
                            leads.empty() ? "" : " (" + join(leads) + ")", join(c.townships)));
        std::sort(c.townships.begin(), c.townships.end());
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace landquota
