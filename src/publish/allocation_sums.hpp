#pragma once

// Per-site, per-lot and per-transfer sums of an allocation, shared by the writers so every output
// shows the same integers.
#include "landquota/allocation.hpp"
#include "landquota/compensation.hpp"

#include <map>
#include <string>
#include <vector>

namespace landquota {

struct AllocationSums {
    std::map<std::string, AreaCm2x100> to_site, from_lot;
    std::map<std::string, Fen> paid_for; // transfer id -> paid for it

    AllocationSums(const std::vector<Transfer>& transfers, const std::vector<Payment>& payments) {
        for (const auto& t : transfers) {
            to_site[t.site_id] += t.area;
            from_lot[t.lot_id] += t.area;
        }
        for (const auto& p : payments)
            if (!p.transfer_id.empty())
                paid_for[p.transfer_id] += p.amount;
    }
    AreaCm2x100 site(const std::string& id) const { return get(to_site, id); }
    AreaCm2x100 lot(const std::string& id) const { return get(from_lot, id); }
    Fen paid(const std::string& transfer_id) const { return get(paid_for, transfer_id); }

    // A site's share of its demand met (1 when it asked for nothing).
    static double fulfilment(AreaCm2x100 got, AreaCm2x100 demand) {
        return demand > 0 ? static_cast<double>(got) / static_cast<double>(demand) : 1.0;
    }

  private:
    template <typename V> static V get(const std::map<std::string, V>& m, const std::string& k) {
        const auto it = m.find(k);
        return it == m.end() ? V{} : it->second;
    }
};

} // namespace landquota
