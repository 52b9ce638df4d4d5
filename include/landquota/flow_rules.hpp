#pragma once

#include "landquota/allocation.hpp"
#include "landquota/message.hpp"
#include "landquota/options.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace landquota {

// Which lot may send quota to which site: "south → north only" rules on regions or zones, and a
// distance limit. Shared by the allocation plugins so they read the same options the same way.
struct FlowRules {
    std::vector<std::pair<std::string, std::string>> allowed; // (from, to); empty: any
    bool by_zone = false;                                     // else by region
    double max_distance_m = 0;                                // 0: no limit

    static std::vector<OptionSpec> options() {
        return {
            {"flows", OptionType::StringList, std::vector<std::string>{},
             "allowed flows as \"FROM->TO\" between regions (or zones, see flow_level); empty: "
             "any"},
            {"flow_level", OptionType::String, std::string("region"), "region or zone"},
            {"max_distance_km", OptionType::Number, 0.0,
             "largest straight-line distance from a lot's village to a site; 0: no limit"},
        };
    }

    static FlowRules from(const OptionValues& o) {
        FlowRules r;
        const std::string& level = o.str("flow_level");
        if (level != "region" && level != "zone")
            throw PluginError(
                plugin_message("flow_level must be \"region\" or \"zone\", not \"{}\"", level));
        r.by_zone = level == "zone";
        for (const auto& f : o.strings("flows")) {
            const auto arrow = f.find("->");
            if (arrow == std::string::npos)
                throw PluginError(plugin_message("flows entry \"{}\" is not FROM->TO", f));
            auto trim = [](std::string s) {
                while (!s.empty() && s.front() == ' ')
                    s.erase(0, 1);
                while (!s.empty() && s.back() == ' ')
                    s.pop_back();
                return s;
            };
            r.allowed.emplace_back(trim(f.substr(0, arrow)), trim(f.substr(arrow + 2)));
        }
        r.max_distance_m = o.number("max_distance_km") * 1000.0;
        return r;
    }

    bool allows(const QuotaLot& lot, const Site& site) const {
        if (max_distance_m > 0 && std::hypot(lot.x - site.x, lot.y - site.y) > max_distance_m)
            return false;
        if (allowed.empty())
            return true;
        const std::string& from = by_zone ? lot.zone_id : lot.region_id;
        const std::string& to = by_zone ? site.zone_id : site.region_id;
        for (const auto& [f, t] : allowed)
            if (f == from && t == to)
                return true;
        return false;
    }
};

} // namespace landquota
