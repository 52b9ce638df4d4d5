#pragma once

// Declared clusters (片区): the townships' zones when the job marks a lead township in each
// (Jiande: four cluster areas, each led by one town). A cluster must nest in one region and have
// exactly one lead; anything else is bad input naming the townships.
#include "pipeline/inputs.hpp"

#include <string>
#include <vector>

namespace landquota {

struct DeclaredCluster {
    std::string zone_id, region_id;
    std::string lead_id, lead_name;
    std::vector<std::string> townships; // ids, sorted
};

// The clusters of `townships` (in zone order), checked. Throws Error (input) for a zone spanning
// regions or with no lead or several leads. Empty when the job does not map `lead`.
std::vector<DeclaredCluster> declared_clusters(const TownshipInput* job_townships,
                                               const std::vector<TownshipRef>& townships);

} // namespace landquota
