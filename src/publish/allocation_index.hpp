#pragma once

// An allocation looked up by id, with its per-site, per-lot and per-transfer sums: shared by the
// writers so every output shows the same integers.
#include "pipeline/allocation_run.hpp"

#include <map>
#include <string>

namespace landquota {

class AllocationIndex {
  public:
    explicit AllocationIndex(const AllocationRun& a) {
        for (const auto& l : a.lots)
            lots_[l.lot_id] = &l;
        for (const auto& s : a.sites)
            sites_[s.site_id] = &s;
        for (const auto& t : a.transfers) {
            to_site_[t.site_id] += t.area;
            from_lot_[t.lot_id] += t.area;
        }
        for (const auto& p : a.payments)
            if (!p.transfer_id.empty())
                paid_for_[p.transfer_id] += p.amount;
    }

    const QuotaLot& lot(const std::string& id) const { return *lots_.at(id); }
    const Site& site(const std::string& id) const { return *sites_.at(id); }
    AreaCm2x100 given_to(const std::string& site_id) const { return get(to_site_, site_id); }
    AreaCm2x100 taken_from(const std::string& lot_id) const { return get(from_lot_, lot_id); }
    Fen paid_for(const std::string& transfer_id) const { return get(paid_for_, transfer_id); }

    // A site's share of its demand met (1 when it asked for nothing).
    static double fulfilment(AreaCm2x100 got, AreaCm2x100 demand) {
        return demand > 0 ? static_cast<double>(got) / static_cast<double>(demand) : 1.0;
    }

  private:
    template <typename V> static V get(const std::map<std::string, V>& m, const std::string& k) {
        const auto it = m.find(k);
        return it == m.end() ? V{} : it->second;
    }

    std::map<std::string, const QuotaLot*> lots_;
    std::map<std::string, const Site*> sites_;
    std::map<std::string, AreaCm2x100> to_site_, from_lot_;
    std::map<std::string, Fen> paid_for_;
};

} // namespace landquota
