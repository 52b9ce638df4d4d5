// proportional: when demand exceeds supply, every site gets the same share of its demand
// (largest remainder in hundredths of m², so the shares add up to the supply exactly); lots are
// then drawn in a declared order to fill each site's share.
#include "landquota/ordering.hpp"

#include "landquota/benefit.hpp"
#include "landquota/plugin.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace {

using namespace landquota;

class Proportional : public AllocationStrategy {
  public:
    explicit Proportional(const OptionValues& o)
        : lot_keys_(ordering::parse(o.strings("lot_order"))), benefit_(o.str("benefit")) {}

    AllocationResult allocate(const std::vector<QuotaLot>& lots,
                              const std::vector<Site>& sites) override {
        const AreaCm2x100 supply = total_area(lots), demand = total_demand(sites);
        std::vector<AreaCm2x100> share;
        if (demand <= supply) {
            for (const auto& s : sites)
                share.push_back(s.demand);
        } else {
            std::vector<double> w;
            for (const auto& s : sites)
                w.push_back(static_cast<double>(s.demand));
            share = largest_remainder(supply, w);
        }
        std::vector<const QuotaLot*> order;
        for (const auto& l : lots)
            order.push_back(&l);
        ordering::sort_lots(order, lot_keys_);
        AllocationResult r;
        std::size_t li = 0;
        AreaCm2x100 left = order.empty() ? 0 : order[0]->area;
        for (std::size_t si = 0; si < sites.size(); ++si) {
            AreaCm2x100 need = share[si];
            while (need > 0 && li < order.size()) {
                if (left == 0) {
                    if (++li == order.size())
                        break;
                    left = order[li]->area;
                    continue;
                }
                const AreaCm2x100 take = std::min(need, left);
                r.transfers.push_back(Transfer{"", order[li]->lot_id, sites[si].site_id, take});
                need -= take;
                left -= take;
            }
        }
        r.figures.emplace_back("objective", allocation_benefit(r.transfers, sites, benefit_));
        r.figures.emplace_back(
            "fulfilment", demand > 0 ? std::min(1.0, static_cast<double>(supply) / demand) : 1.0);
        return r;
    }

  private:
    std::vector<ordering::Key> lot_keys_;
    std::string benefit_;
};

} // namespace

LANDQUOTA_PLUGIN {
    PluginInfo info;
    info.name = "proportional";
    info.version = "1.0.0";
    info.description = "share the pooled supply in proportion to demand when demand exceeds supply";
    info.source = "pro-rata rationing (largest-remainder / Hamilton apportionment)";
    info.options = {
        {"lot_order", OptionType::StringList,
         std::vector<std::string>{"accepted:asc", "lot_id:asc"},
         "order lots are drawn in: accepted, lot_id, village_id, area, each :asc|desc"},
        {"benefit", OptionType::String, std::string("tax_per_mu"),
         "site attribute whose value per mu is reported as the objective"},
    };
    registry->add_allocation(
        info, [](const OptionValues& o) { return std::make_unique<Proportional>(o); });
}
