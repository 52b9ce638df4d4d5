#include "pipeline/flow_check.hpp"

#include "core/did_you_mean.hpp"
#include "core/translate.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace landquota {

void check_flows(const Job& job, const ResolvedPlugins& plugins, const ReferenceLayers& ref,
                 FindingLog& log) {
    if (!plugins.allocation)
        return;
    const auto& all = plugins.allocation->options.all();
    const auto flows = all.find("flows");
    if (flows == all.end() || !std::holds_alternative<std::vector<std::string>>(flows->second))
        return;
    const auto level = all.find("flow_level");
    const bool by_zone = level != all.end() && std::holds_alternative<std::string>(level->second) &&
                         std::get<std::string>(level->second) == "zone";
    std::set<std::string> names;
    for (const auto& t : ref.townships)
        if (const auto& n = by_zone ? t.zone_id : t.region_id; !n.empty())
            names.insert(n);
    const std::vector<std::string> known(names.begin(), names.end());
    const std::string what = by_zone ? "zone" : "region";
    const std::string where = "[" + plugins.allocation->table + "] flows";
    for (const auto& f : std::get<std::vector<std::string>>(flows->second)) {
        const auto arrow = f.find("->");
        if (arrow == std::string::npos)
            continue; // the strategy refuses it with its own message
        auto trim = [](std::string s) {
            s.erase(0, s.find_first_not_of(' '));
            s.erase(s.find_last_not_of(' ') + 1);
            return s;
        };
        for (const std::string& side : {trim(f.substr(0, arrow)), trim(f.substr(arrow + 2))})
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
