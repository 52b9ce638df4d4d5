#pragma once

#include "landquota/allocation.hpp"

#include <map>
#include <string>
#include <vector>

namespace landquota {

// The objective every allocation strategy reports, so strategies can be compared on one scale:
// Σ over transfers of (the site's `attribute`, e.g. tax per mu) × (mu transferred). A site
// without the attribute contributes nothing.
inline double allocation_benefit(const std::vector<Transfer>& transfers,
                                 const std::vector<Site>& sites, const std::string& attribute) {
    std::map<std::string, double> weight;
    for (const auto& s : sites) {
        const auto it = s.attributes.find(attribute);
        weight[s.site_id] = it == s.attributes.end() ? 0.0 : it->second;
    }
    double total = 0;
    for (const auto& t : transfers)
        total += weight[t.site_id] * to_mu(t.area);
    return total;
}

} // namespace landquota
