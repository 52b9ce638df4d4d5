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
        apportion_mu(a.transfers);
    }

    const QuotaLot& lot(const std::string& id) const { return *lots_.at(id); }
    const Site& site(const std::string& id) const { return *sites_.at(id); }
    AreaCm2x100 given_to(const std::string& site_id) const { return get(to_site_, site_id); }
    AreaCm2x100 taken_from(const std::string& lot_id) const { return get(from_lot_, lot_id); }
    Fen paid_for(const std::string& transfer_id) const { return get(paid_for_, transfer_id); }
    // Allocated mu (hundredths) apportioned top-down — all transfers, each site, each of its
    // transfers — so a site's figure is the sum of its transfers' and the total the sum of the
    // sites' (the m² add up exactly anyway; mu rounded one by one would not).
    std::int64_t site_mu(const std::string& site_id) const { return get(site_mu_, site_id); }
    std::int64_t transfer_mu(const std::string& id) const { return get(transfer_mu_, id); }

    // A site's share of its demand met (1 when it asked for nothing).
    static double fulfilment(AreaCm2x100 got, AreaCm2x100 demand) {
        return demand > 0 ? static_cast<double>(got) / static_cast<double>(demand) : 1.0;
    }

  private:
    void apportion_mu(const std::vector<Transfer>& transfers) {
        std::vector<std::string> sites;
        std::vector<std::int64_t> fine;
        std::map<std::string, std::vector<const Transfer*>> of_site;
        for (const auto& t : transfers)
            of_site[t.site_id].push_back(&t);
        AreaCm2x100 total = 0;
        for (const auto& [site, list] : of_site) {
            sites.push_back(site);
            fine.push_back(mu_millionths(to_site_.at(site)));
            total += to_site_.at(site);
        }
        const auto site_mu = round_to_total(fine, kMuMillionthsPerMuHundredth,
                                            hundredths_m2_to_mu_hundredths(total));
        for (std::size_t i = 0; i < sites.size(); ++i) {
            site_mu_[sites[i]] = site_mu[i];
            const auto& list = of_site[sites[i]];
            std::vector<std::int64_t> parts;
            for (const Transfer* t : list)
                parts.push_back(mu_millionths(t->area));
            const auto mu = round_to_total(parts, kMuMillionthsPerMuHundredth, site_mu[i]);
            for (std::size_t k = 0; k < list.size(); ++k)
                transfer_mu_[list[k]->transfer_id] = mu[k];
        }
    }

    template <typename V> static V get(const std::map<std::string, V>& m, const std::string& k) {
        const auto it = m.find(k);
        return it == m.end() ? V{} : it->second;
    }

    std::map<std::string, const QuotaLot*> lots_;
    std::map<std::string, const Site*> sites_;
    std::map<std::string, AreaCm2x100> to_site_, from_lot_;
    std::map<std::string, Fen> paid_for_;
    std::map<std::string, std::int64_t> site_mu_, transfer_mu_;
};

} // namespace landquota
