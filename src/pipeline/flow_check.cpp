#include "pipeline/flow_check.hpp"

#include "core/did_you_mean.hpp"
#include "core/translate.hpp"
#include "landquota/flow_rules.hpp"

#include <algorithm>
#include <exception>
#include <fmt/format.h>
#include <set>

namespace landquota {

void check_flows(const Job& job, const ResolvedPlugins& plugins, const ReferenceLayers& ref,
                 FindingLog& log) {
    if (!plugins.allocation)
        return;
    const auto& all = plugins.allocation->options.all();
    if (!all.count("flows") || !all.count("flow_level"))
        return; // the strategy has no flow rules
    FlowRules rules;
    try {
        rules = FlowRules::from(plugins.allocation->options);
    } catch (const std::exception&) {
        return; // the strategy refuses them with its own message
    }
    const bool by_zone = rules.by_zone;
    std::set<std::string> names;
    for (const auto& t : ref.townships)
        if (const auto& n = by_zone ? t.zone_id : t.region_id; !n.empty())
            names.insert(n);
    const std::vector<std::string> known(names.begin(), names.end());
    const std::string what = by_zone ? tr("zone") : tr("region");
    const std::string where = "[" + plugins.allocation->table + "] flows";
    for (const auto& [from, to] : rules.allowed) {
        const std::string f = from + "->" + to;
        for (const std::string& side : {from, to})
            if (!names.count(side))
                log.add(Finding{
                    Finding::Severity::Error, "unknown_flow_unit", job.file.string(), "", "", where,
                    known.empty()
                        ? trf("\"{}\" names {} '{}', but no township has a {}{}", f, what, side,
                              what, job.townships ? "" : tr(" (there is no [inputs.townships])"))
                        : trf("\"{}\" names {} '{}', which no township has{}; {}s: {}", f, what,
                              side, did_you_mean(side, known), what, join(known))});
    }
}

} // namespace landquota
