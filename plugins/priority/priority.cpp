// priority: sites ranked by a declared score, demand filled in rank order from lots taken in a
// declared order (e.g. the oldest accepted first). Zhejiang's "亩均论英雄" ranks by tax per mu.
#include "landquota/ordering.hpp"

#include "landquota/benefit.hpp"
#include "landquota/flow_rules.hpp"
#include "landquota/plugin.hpp"

#include <algorithm>
#include <map>

namespace {

using namespace landquota;

class Priority : public AllocationStrategy {
  public:
    explicit Priority(const OptionValues& o)
        : site_keys_(ordering::parse(o.strings("site_order"))),
          lot_keys_(ordering::parse(o.strings("lot_order"))), rules_(FlowRules::from(o)),
          benefit_(o.str("benefit")) {}

    AllocationResult allocate(const std::vector<QuotaLot>& lots,
                              const std::vector<Site>& sites) override {
        std::vector<const Site*> ranked;
        for (const auto& s : sites)
            ranked.push_back(&s);
        ordering::sort_sites(ranked, site_keys_);
        std::vector<const QuotaLot*> order;
        for (const auto& l : lots)
            order.push_back(&l);
        ordering::sort_lots(order, lot_keys_);

        std::map<std::string, AreaCm2x100> left;
        for (const auto& l : lots)
            left[l.lot_id] = l.area;
        AllocationResult r;
        for (const Site* s : ranked) {
            AreaCm2x100 need = s->demand;
            for (const QuotaLot* l : order) {
                if (need <= 0)
                    break;
                AreaCm2x100& avail = left[l->lot_id];
                if (avail <= 0 || !rules_.allows(*l, *s))
                    continue;
                const AreaCm2x100 take = std::min(need, avail);
                r.transfers.push_back(Transfer{"", l->lot_id, s->site_id, take});
                avail -= take;
                need -= take;
            }
            if (need > 0)
                r.notes.push_back(
                    plugin_message("site {} short of {} m²", s->site_id, format_m2(need)));
        }
        r.figures.emplace_back("objective", allocation_benefit(r.transfers, sites, benefit_));
        return r;
    }

  private:
    std::vector<ordering::Key> site_keys_, lot_keys_;
    FlowRules rules_;
    std::string benefit_;
};

} // namespace

LANDQUOTA_PLUGIN {
    PluginInfo info;
    info.name = "priority";
    info.version = "1.0.0";
    info.description = "fill sites' demand in rank order (e.g. priority class, then tax per mu)";
    info.source = "Zhejiang 亩均论英雄 (per-mu efficiency) practice; 全县一盘棋 county pooling";
    info.options = {
        {"site_order", OptionType::StringList,
         std::vector<std::string>{"priority:asc", "tax_per_mu:desc"},
         "site ranking keys, each ATTRIBUTE:asc|desc (site attributes, demand, site_id)"},
        {"lot_order", OptionType::StringList,
         std::vector<std::string>{"accepted:asc", "lot_id:asc"},
         "order lots are drawn in: accepted, lot_id, village_id, area, each :asc|desc"},
        {"benefit", OptionType::String, std::string("tax_per_mu"),
         "site attribute whose value per mu is reported as the objective"},
    };
    for (auto& o : FlowRules::options())
        info.options.push_back(o);
    registry->add_allocation(info,
                             [](const OptionValues& o) { return std::make_unique<Priority>(o); });
}
