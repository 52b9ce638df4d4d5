#pragma once

// Sorting sites and lots by declared keys ("priority:asc", "tax_per_mu:desc"), shared by the
// priority and proportional strategies (compiled into each plugin; header only).
#include "landquota/allocation.hpp"
#include "landquota/message.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace landquota::ordering {

struct Key {
    std::string name;
    bool descending = false;
};

inline std::vector<Key> parse(const std::vector<std::string>& specs) {
    std::vector<Key> keys;
    for (const auto& s : specs) {
        const auto colon = s.rfind(':');
        Key k{s, false};
        if (colon != std::string::npos) {
            const std::string dir = s.substr(colon + 1);
            if (dir != "asc" && dir != "desc")
                throw PluginError(plugin_message("order key \"{}\" must end in :asc or :desc", s));
            k = {s.substr(0, colon), dir == "desc"};
        }
        keys.push_back(k);
    }
    return keys;
}

// Missing values sort last whatever the direction: a site that declares no tax per mu is not
// ranked above one that does.
inline int compare(const std::optional<double>& a, const std::optional<double>& b, bool desc) {
    if (!a && !b)
        return 0;
    if (!a)
        return 1;
    if (!b)
        return -1;
    if (*a == *b)
        return 0;
    return (*a < *b) != desc ? -1 : 1;
}
inline int compare(const std::string& a, const std::string& b, bool desc) {
    if (a == b)
        return 0;
    if (a.empty())
        return 1;
    if (b.empty())
        return -1;
    return (a < b) != desc ? -1 : 1;
}

inline void sort_sites(std::vector<const Site*>& sites, const std::vector<Key>& keys) {
    std::stable_sort(sites.begin(), sites.end(), [&](const Site* a, const Site* b) {
        for (const auto& k : keys) {
            int c = 0;
            if (k.name == "site_id" || k.name == "name")
                c = compare(k.name == "site_id" ? a->site_id : a->name,
                            k.name == "site_id" ? b->site_id : b->name, k.descending);
            else if (k.name == "demand")
                c = compare(std::optional<double>(a->demand), std::optional<double>(b->demand),
                            k.descending);
            else {
                auto get = [&](const Site* s) -> std::optional<double> {
                    const auto it = s->attributes.find(k.name);
                    return it == s->attributes.end() ? std::nullopt
                                                     : std::optional<double>(it->second);
                };
                c = compare(get(a), get(b), k.descending);
            }
            if (c)
                return c < 0;
        }
        return a->site_id < b->site_id;
    });
}

// The keys lots can be ordered by; the engine checks job files against the same list.
inline const std::vector<std::string>& lot_keys() {
    static const std::vector<std::string> keys{"accepted", "lot_id", "village_id", "area",
                                               "corridor"};
    return keys;
}

inline void sort_lots(std::vector<const QuotaLot*>& lots, const std::vector<Key>& keys) {
    for (const auto& k : keys)
        if (std::find(lot_keys().begin(), lot_keys().end(), k.name) == lot_keys().end())
            throw PluginError(plugin_message(
                "lot order key \"{}\" is not one of accepted, lot_id, village_id, area, corridor",
                k.name));
    std::stable_sort(lots.begin(), lots.end(), [&](const QuotaLot* a, const QuotaLot* b) {
        for (const auto& k : keys) {
            int c = 0;
            if (k.name == "accepted")
                c = compare(a->accepted, b->accepted, k.descending);
            else if (k.name == "lot_id")
                c = compare(a->lot_id, b->lot_id, k.descending);
            else if (k.name == "village_id")
                c = compare(a->village_id, b->village_id, k.descending);
            else if (k.name == "corridor")
                c = compare(std::optional<double>(a->corridor), std::optional<double>(b->corridor),
                            k.descending);
            else
                c = compare(std::optional<double>(a->area), std::optional<double>(b->area),
                            k.descending);
            if (c)
                return c < 0;
        }
        return a->lot_id < b->lot_id;
    });
}

} // namespace landquota::ordering
